"""Find what a browser would execute in a piece of HTML: tests assert that nothing is found."""

import re
from html.parser import HTMLParser

import html5lib

EXECUTABLE_TAGS = {"script", "iframe", "object", "embed", "frame", "frameset", "base", "form",
                   "svg", "math", "style", "link", "meta"}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "srcset", "poster"}


class _Finder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag in EXECUTABLE_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag}[{name}]")
            elif name == "style":
                self.found.append(f"{tag}[style]")
            elif name in URL_ATTRIBUTES and value:
                scheme = "".join(value.split()).lower()
                if scheme.startswith(("javascript:", "vbscript:", "data:text/html")):
                    self.found.append(f"{tag}[{name}={value[:30]}]")

    handle_startendtag = handle_starttag


def executable_parts(html: str) -> list[str]:
    """Return the tags and attributes in ``html`` that could run script in a browser."""
    finder = _Finder()
    finder.feed(html)
    finder.close()
    return finder.found


def html_elements(text: str) -> list[str]:
    """Return the tags of the elements a browser builds from ``text`` put in a page as HTML."""
    if "<" not in text:
        return []  # only "<" opens a tag
    fragment = html5lib.parseFragment(text, namespaceHTMLElements=False)
    return [node.tag for node in fragment.iter() if isinstance(node.tag, str)][1:]


# The site's own "Report" form under each published comment (comments/listing.py).
_REPORT_FORM = re.compile(
    r'<form class="comment-report" method="post" action="/comments/\d+/report/">'
)


def without_report_forms(html: str) -> str:
    """Return ``html`` without the site's own Report forms: what is left is what visitors wrote."""
    return _REPORT_FORM.sub("", html).replace("</button></form>", "</button>")

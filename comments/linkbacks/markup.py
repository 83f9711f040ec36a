"""Feed hostile HTML to html.parser without letting it crash."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Browsers read "<![...>" outside SVG/MathML as a bogus comment ending at ">"; the html.parser
# of Python 3.11 instead asserts on unknown marked sections such as "<![if" or "<![>".
_BOGUS_MARKED_SECTION = re.compile(r"<!\[(?!CDATA\[)[^>]*>?")


def feed(parser: HTMLParser, html: str) -> HTMLParser:
    """Run ``parser`` over ``html``; on a parser assertion keep what was read up to it."""
    try:
        parser.feed(_BOGUS_MARKED_SECTION.sub("", html))
        # A tag or comment still open at the end is dropped, as browsers drop it; html.parser
        # would hand it over as text, and hostile markup with it.
        if parser.rawdata.startswith("<"):
            parser.rawdata = ""
        parser.close()
    except AssertionError:
        pass  # a malformed declaration html.parser cannot skip: the rest is unreadable anyway
    return parser

"""What a visitor typed, read as web searches do: words, "quoted phrases", -excluded words.

Pure: no database. The highlighting markers are control characters that indexed text never
holds (``index`` strips them), so a snippet is escaped whole and only then marked up.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MAX_LENGTH = 200
START, STOP = "\x02", "\x03"
_TERM = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')
_WORD = re.compile(r"\w")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Query:
    text: str
    include: tuple[str, ...]
    exclude: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.include)


def clean(text: str) -> str:
    """Return ``text`` without control characters, its spaces squeezed."""
    return " ".join(_CONTROL.sub(" ", text).split())


def fold(text: str) -> str:
    """Return ``text`` without accents: "Rhône" is "Rhone"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def parse(text: str) -> Query:
    """Read ``text``: terms with no letter or digit in them are dropped."""
    text = clean(text)
    include, exclude = [], []
    for match in _TERM.finditer(text):
        minus, term = (match[1], match[2]) if match[2] is not None else (match[3], match[4])
        term = " ".join(term.split())
        if _WORD.search(term):
            (exclude if minus else include).append(term)
    return Query(text=text, include=tuple(include), exclude=tuple(exclude))


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def fts5(query: Query) -> str:
    """Return ``query`` in FTS5's syntax, every term quoted: typed text is never syntax."""
    expression = " AND ".join(_quoted(term) for term in query.include)
    for term in query.exclude:
        expression += f" NOT {_quoted(term)}"
    return expression


def fts5_prefixes(query: Query, length: int = 3) -> str:
    """Return an FTS5 search of titles holding a word that starts as one of ``query``'s."""
    prefixes = dict.fromkeys(
        word[:length] for term in query.include for word in term.split() if len(word) >= length
    )
    return " OR ".join(f"title : {_quoted(prefix)}*" for prefix in prefixes)


def marked(snippet: str) -> SafeString:
    """Return ``snippet`` escaped, its matched words (between the markers) in ``<mark>``."""
    html, open_mark = [], False
    for part in re.split(f"([{START}{STOP}])", snippet):
        if part == START and not open_mark:
            html.append("<mark>")
            open_mark = True
        elif part == STOP and open_mark:
            html.append("</mark>")
            open_mark = False
        elif part not in (START, STOP):
            html.append(escape(part))
    if open_mark:
        html.append("</mark>")
    return mark_safe("".join(html))  # Escaped above, all but our own <mark>.

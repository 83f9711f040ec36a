"""Search results as the site and the admin show them, whichever backend finds them."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, F, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from clusters.languages import DEFAULT
from clusters.models import SearchEntry
from clusters.search.backends import backend
from clusters.search.query import Query, marked

SUGGESTIONS = 5


def public_entries(language: str | None = None) -> QuerySet:
    """Return the entries the public may find in ``language`` (the active one if None): no
    drafts, nothing hidden, nothing ahead of time."""
    return SearchEntry.objects.filter(language=language or get_language(), public=True).filter(
        Q(visible_from__isnull=True) | Q(visible_from__lte=timezone.now())
    )


def texts_read_in(language: str | None = None) -> tuple[str, ...]:
    """Return the languages of what a visitor reading ``language`` (the active one if None)
    finds: that language, and English where an object is not translated into it."""
    return tuple(dict.fromkeys((language or get_language(), DEFAULT)))


def written_entries() -> QuerySet:
    """Return the entries of each language an object is written in (their texts: in any of
    ``languages.CODES``)."""
    return SearchEntry.objects.filter(language=F("text_language"))


def filtered(entries: QuerySet, *, kind: str = "", cluster: str = "", year=None) -> QuerySet:
    """Return ``entries`` of that kind, about that cluster (its slug), of that year."""
    if kind:
        entries = entries.filter(kind=kind)
    if cluster:
        entries = entries.filter(clusters__slug=cluster)
    if year:
        entries = entries.filter(date__year=year)
    return entries


@dataclass(frozen=True)
class Hit:
    entry: SearchEntry
    title: SafeString
    snippet: SafeString


class Results:
    """The entries matching a query, best first, read a page at a time (a ``Paginator`` list).

    ``texts``: the languages the entries' texts may be in (``texts_read_in``: the active one's).
    """

    def __init__(self, entries: QuerySet, query: Query, texts: tuple[str, ...] | None = None):
        self.entries, self.query = entries, query
        self.texts = texts or texts_read_in()
        self._count = None

    def count(self) -> int:
        if self._count is None:
            self._count = backend().count(self.entries, self.query, self.texts) if self.query else 0
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Hit]:
        if not self.query:
            return []
        found, start = backend(), window.start or 0
        ids = found.ranked(self.entries, self.query, self.texts, start, window.stop - start)
        snippets = found.snippets(ids, self.query, self.texts)
        entries = SearchEntry.objects.defer("search_vector").in_bulk(ids)
        return [
            Hit(entries[pk], marked(snippets[pk][0]), marked(snippets[pk][1]))
            for pk in ids
            if pk in entries and pk in snippets
        ]


# The objects ranked one by one in a change list; the ones after keep the list's own order (a
# position each is a bigger statement on every page of the list, for ones nobody pages to).
RANKED = 1000


def ranked_objects(
    objects: QuerySet, entries: QuerySet, query: Query, texts: tuple[str, ...]
) -> QuerySet:
    """Return the ``objects`` whose entries (among ``entries``, in the languages ``texts``)
    match ``query``, with their ``search_rank``: their place, best first (0), for ordering by
    (an object found in several languages at its best one's)."""
    ids = backend().ranked(entries, query, texts) if query else []
    object_ids = dict(SearchEntry.objects.filter(pk__in=ids).values_list("pk", "object_id"))
    found = list(dict.fromkeys(object_ids[pk] for pk in ids if pk in object_ids))
    best = found[:RANKED]
    return objects.filter(pk__in=found).annotate(
        search_rank=Case(
            *(When(pk=pk, then=Value(place)) for place, pk in enumerate(best)),
            default=Value(len(best)),
        )
    )


def suggestions(
    entries: QuerySet, query: Query, texts: tuple[str, ...] | None = None
) -> list[SearchEntry]:
    """Return the entries whose titles are nearest to ``query`` (when it found nothing)."""
    texts = texts or texts_read_in()
    return backend().suggest(entries, query, texts, SUGGESTIONS) if query else []

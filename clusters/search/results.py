"""Search results as the site and the admin show them, whichever backend finds them."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.safestring import SafeString

from clusters.models import SearchEntry
from clusters.search.backends import backend
from clusters.search.query import Query, marked

SUGGESTIONS = 5


def public_entries() -> QuerySet:
    """Return the entries the public may find: no drafts, nothing hidden, nothing ahead of time."""
    return SearchEntry.objects.filter(public=True).filter(
        Q(visible_from__isnull=True) | Q(visible_from__lte=timezone.now())
    )


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
    """The entries matching a query, best first, read a page at a time (a ``Paginator`` list)."""

    def __init__(self, entries: QuerySet, query: Query):
        self.entries, self.query = entries, query
        self._count = None

    def count(self) -> int:
        if self._count is None:
            self._count = backend().count(self.entries, self.query) if self.query else 0
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Hit]:
        if not self.query:
            return []
        found = backend()
        ids = found.ranked(self.entries, self.query, window.start or 0, window.stop - window.start)
        snippets = found.snippets(ids, self.query)
        entries = SearchEntry.objects.defer("search_vector").in_bulk(ids)
        return [
            Hit(entries[pk], marked(snippets[pk][0]), marked(snippets[pk][1]))
            for pk in ids
            if pk in entries and pk in snippets
        ]


# The objects ranked one by one in a change list; the ones after keep the list's own order (a
# position each is a bigger statement on every page of the list, for ones nobody pages to).
RANKED = 1000


def ranked_objects(objects: QuerySet, entries: QuerySet, query: Query) -> QuerySet:
    """Return the ``objects`` whose entries (among ``entries``) match ``query``, with their
    ``search_rank``: their place, best first (0), for ordering by."""
    ids = backend().ranked(entries, query) if query else []
    object_ids = dict(SearchEntry.objects.filter(pk__in=ids).values_list("pk", "object_id"))
    found = [object_ids[pk] for pk in ids if pk in object_ids]
    best = found[:RANKED]
    return objects.filter(pk__in=found).annotate(
        search_rank=Case(
            *(When(pk=pk, then=Value(place)) for place, pk in enumerate(best)),
            default=Value(len(best)),
        )
    )


def suggestions(entries: QuerySet, query: Query) -> list[SearchEntry]:
    """Return the entries whose titles are nearest to ``query`` (when it found nothing)."""
    return backend().suggest(entries, query, SUGGESTIONS) if query else []

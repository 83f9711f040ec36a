"""The two search backends, one interface: PostgreSQL full text, SQLite FTS5.

``backend()`` returns the one for the database in use. Each writes the text of new entries
to its index (``write``, by id, one statement for a batch; ``delete``, ``delete_all``), finds a
query among entries (``ranked``: ids best first; ``count``), makes snippets for the ones shown
(``snippets``) and suggests titles near a query that found nothing (``suggest``). Ranking
weighs a match in the title above one in the excerpt, above one in the body; snippets carry
``query.START``/``STOP`` around matched words.
"""

from __future__ import annotations

import json

from django.contrib.postgres.lookups import TrigramSimilar
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    TrigramSimilarity,
)
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F, QuerySet

from clusters.models import SearchEntry
from clusters.search.query import START, STOP, Query, fold, fts5, fts5_prefixes

SNIPPET_WORDS = 30


def _best_snippet(excerpt: str, body: str, fallback: str) -> str:
    """Return the snippet with a match in it, the body's first; else the start of ``fallback``."""
    for snippet in (body, excerpt):
        if snippet and START in snippet:
            return snippet
    words = fallback.split()
    return " ".join(words[:SNIPPET_WORDS]) + (" …" if len(words) > SNIPPET_WORDS else "")


class PostgresBackend:
    # English stemming of the words without their accents ("Rhone" and "Rhône" are one word):
    # made by migration 0012.
    config = "search_english"
    vector = " || ".join(
        f"setweight(to_tsvector('search_english', {column}), '{weight}')"
        for column, weight in (("title", "A"), ("excerpt", "B"), ("body", "C"))
    )

    def _query(self, query: Query) -> SearchQuery:
        # websearch_to_tsquery reads quotes and minus signs, and never fails on what it is given.
        return SearchQuery(query.text, search_type="websearch", config=self.config)

    def write(self, ids: list[int]) -> None:
        """Compute the stored vectors of the entries ``ids`` from their text: one statement."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE clusters_searchentry SET search_vector = {self.vector} WHERE id = ANY(%s)",
                [list(ids)],
            )

    def delete(self, ids) -> None:
        pass  # The vector lives in the entry's row.

    def delete_all(self) -> None:
        pass

    def _matching(self, entries: QuerySet, query: Query) -> QuerySet:
        return entries.filter(search_vector=self._query(query))

    def count(self, entries: QuerySet, query: Query) -> int:
        return self._matching(entries, query).count()

    def ranked(self, entries: QuerySet, query: Query, offset: int = 0, limit=None) -> list[int]:
        ranked = (
            self._matching(entries, query)
            .annotate(rank=SearchRank(F("search_vector"), self._query(query)))
            .order_by("-rank", "-date", "pk")
            .values_list("pk", flat=True)
        )
        return list(ranked[offset : None if limit is None else offset + limit])

    def snippets(self, ids: list[int], query: Query) -> dict[int, tuple[str, str]]:
        """Return {id: (title, snippet)} with the matched words between the markers."""

        def headline(field, **options):
            return SearchHeadline(
                field,
                self._query(query),
                config=self.config,
                start_sel=START,
                stop_sel=STOP,
                **options,
            )

        rows = (
            SearchEntry.objects.filter(pk__in=ids)
            .only("pk", "excerpt", "body")
            .annotate(
                title_marked=headline("title", highlight_all=True),
                excerpt_marked=headline("excerpt", max_words=SNIPPET_WORDS, min_words=15),
                body_marked=headline("body", max_words=SNIPPET_WORDS, min_words=15),
            )
        )
        return {
            row.pk: (
                row.title_marked,
                _best_snippet(row.excerpt_marked, row.body_marked, row.excerpt or row.body),
            )
            for row in rows
        }

    def suggest(self, entries: QuerySet, query: Query, limit: int) -> list[SearchEntry]:
        text = fold(query.text)
        return list(
            # ``%`` (similarity above pg_trgm's threshold, 0.3) is what the trigram index answers.
            entries.filter(TrigramSimilar(F("title"), text))
            .annotate(similarity=TrigramSimilarity("title", text))
            .order_by("-similarity", "title")[:limit]
        )


class SqliteBackend:
    table = "clusters_search_fts"
    # bm25 weights of the columns title, excerpt, body.
    ranking = f"bm25({table}, 10.0, 4.0, 1.0)"
    lookup = "search_entry_filter_idx"

    def write(self, ids: list[int]) -> None:
        """Copy the text of the new entries ``ids`` into the FTS5 table: one statement."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {self.table} (rowid, title, excerpt, body) "
                "SELECT id, title, excerpt, body FROM clusters_searchentry "
                "WHERE id IN (SELECT value FROM json_each(%s))",
                [json.dumps(list(ids))],
            )

    def delete(self, ids) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {self.table} WHERE rowid IN (SELECT value FROM json_each(%s))",
                [json.dumps(list(ids))],
            )

    def delete_all(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.table}")

    def _run(self, select: str, entries: QuerySet, match: str, tail: str = "", params=()):
        """Run ``SELECT select`` over the matches of ``match`` among ``entries``."""
        try:
            among, among_params = entries.values("pk").query.sql_with_params()
        except EmptyResultSet:  # Filtered down to nothing (``pk__in=[]``).
            return []
        # Each match's entry looked up in the index of what is filtered on: its row holds the
        # long text before those columns, which SQLite would read past (ten times slower).
        table = SearchEntry._meta.db_table
        among = among.replace(f'FROM "{table}"', f'FROM "{table}" INDEXED BY {self.lookup}', 1)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {select} FROM {self.table} JOIN ({among}) AS among "
                f"ON among.pk = {self.table}.rowid WHERE {self.table} MATCH %s {tail}",
                [*among_params, match, *params],
            )
            return cursor.fetchall()

    def count(self, entries: QuerySet, query: Query) -> int:
        rows = self._run("count(*)", entries, fts5(query))
        return rows[0][0] if rows else 0

    def ranked(self, entries: QuerySet, query: Query, offset: int = 0, limit=None) -> list[int]:
        rows = self._run(
            f"{self.table}.rowid",
            entries,
            fts5(query),
            f"ORDER BY {self.ranking}, {self.table}.rowid LIMIT %s OFFSET %s",
            (-1 if limit is None else limit, offset),
        )
        return [pk for (pk,) in rows]

    def snippets(self, ids: list[int], query: Query) -> dict[int, tuple[str, str]]:
        marks = f"'{START}', '{STOP}'"
        rows = self._run(
            f"{self.table}.rowid, highlight({self.table}, 0, {marks}), "
            f"snippet({self.table}, 1, {marks}, ' … ', {SNIPPET_WORDS}), "
            f"snippet({self.table}, 2, {marks}, ' … ', {SNIPPET_WORDS}), excerpt, body",
            SearchEntry.objects.filter(pk__in=ids),
            # Without the exclusions: a snippet shows what was found.
            fts5(Query(query.text, query.include, ())),
        )
        return {
            pk: (title, _best_snippet(excerpt, body, plain_excerpt or plain_body))
            for pk, title, excerpt, body, plain_excerpt, plain_body in rows
        }

    def suggest(self, entries: QuerySet, query: Query, limit: int) -> list[SearchEntry]:
        if not (match := fts5_prefixes(query)):
            return []
        rows = self._run(f"{self.table}.rowid", entries, match, "ORDER BY rank LIMIT %s", (limit,))
        found = SearchEntry.objects.in_bulk([pk for (pk,) in rows])
        return [found[pk] for (pk,) in rows if pk in found]


def backend() -> PostgresBackend | SqliteBackend:
    """Return the backend of the database in use."""
    return POSTGRES if connection.vendor == "postgresql" else SQLITE


POSTGRES, SQLITE = PostgresBackend(), SqliteBackend()

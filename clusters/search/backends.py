"""The two search backends, one interface: PostgreSQL full text, SQLite FTS5.

``backend()`` returns the one for the database in use. Each writes the text of new entries
to its index (``write``, by id, one statement for a batch; ``delete``, ``delete_all``;
``rebuilt`` after a rebuild), finds a query among entries (``ranked``: ids best first;
``count``), makes snippets for the ones shown (``snippets``) and suggests titles near a query
that found nothing (``suggest``). Ranking
weighs a match in the title above one in the excerpt, above one in the body; snippets carry
``query.START``/``STOP`` around matched words.

Each entry's text is read with the stemming of the language it is written in
(``SearchEntry.text_language``): every method is told the languages the texts it searches may
be in (``texts``), and matches each text with its own language's rules.
"""

from __future__ import annotations

import json
from functools import partial

from django.contrib.postgres.lookups import TrigramSimilar
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchQueryField,
    SearchRank,
    TrigramSimilarity,
)
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, CharField, F, Q, QuerySet, Value, When

from clusters.languages import DEFAULT
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
    # Each language's text-search configuration: its Snowball stemmer after unaccent ("Rhone" and
    # "Rhône" are one word, the stored text keeps its accents): search_english made by migration
    # 0013, the others by 0014 (search_catalan has no stemming on a server without Catalan's).
    configs = {
        "en-gb": "search_english",
        "fr": "search_french",
        "es": "search_spanish",
        "ca": "search_catalan",
        "de": "search_german",
        "it": "search_italian",
    }
    weights = (("title", "A"), ("excerpt", "B"), ("body", "C"))

    def _configs(self, texts) -> list[tuple[str, list[str]]]:
        """Return the configurations of the languages ``texts``, each with its languages."""
        languages = {}
        for language in texts:
            languages.setdefault(self.configs[language], []).append(language)
        return list(languages.items())

    def _query(self, query: Query, config: str) -> SearchQuery:
        # websearch_to_tsquery reads quotes and minus signs, and never fails on what it is given.
        return SearchQuery(query.text, search_type="websearch", config=config)

    def _by_text(self, texts, value, output_field):
        """Return ``value(configuration)`` of each entry's text (one of ``texts``), in SQL."""
        *others, (last, _) = self._configs(texts)
        if not others:
            return value(last)
        whens = [
            When(text_language__in=languages, then=value(config)) for config, languages in others
        ]
        return Case(*whens, default=value(last), output_field=output_field)

    def write(self, ids: list[int]) -> None:
        """Compute the stored vectors of the entries ``ids`` from their text: one statement."""
        vector = " || ".join(
            f"setweight(to_tsvector(text.config, {column}), '{weight}')"
            for column, weight in self.weights
        )
        languages = ", ".join("(%s, %s::regconfig)" for _ in self.configs)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE clusters_searchentry SET search_vector = {vector} "
                f"FROM (VALUES {languages}) AS text (language, config) "
                "WHERE text.language = text_language AND id = ANY(%s)",
                [*(value for pair in self.configs.items() for value in pair), list(ids)],
            )

    def delete(self, ids) -> None:
        pass  # The vector lives in the entry's row.

    def delete_all(self) -> None:
        pass

    def rebuilt(self) -> None:
        """Tell the planner of the table written anew (until autovacuum looks, it guesses, and
        may scan the table where the GIN index finds a few rows)."""
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {SearchEntry._meta.db_table}")

    def _matching(self, entries: QuerySet, query: Query, texts) -> QuerySet:
        # One match per configuration, each answered by the GIN index of language and vector
        # (0014): the vectors of the texts in its languages, against the query stemmed as they
        # were.
        matches = Q()
        for config, languages in self._configs(texts):
            matches |= Q(text_language__in=languages, search_vector=self._query(query, config))
        return entries.filter(matches)

    def count(self, entries: QuerySet, query: Query, texts) -> int:
        return self._matching(entries, query, texts).count()

    def ranked(
        self, entries: QuerySet, query: Query, texts, offset: int = 0, limit=None
    ) -> list[int]:
        search = self._by_text(texts, partial(self._query, query), SearchQueryField())
        ranked = (
            self._matching(entries, query, texts)
            .annotate(rank=SearchRank(F("search_vector"), search))
            .order_by("-rank", "-date", "pk")
            .values_list("pk", flat=True)
        )
        return list(ranked[offset : None if limit is None else offset + limit])

    def snippets(self, ids: list[int], query: Query, texts) -> dict[int, tuple[str, str]]:
        """Return {id: (title, snippet)} with the matched words between the markers."""
        config = self._by_text(texts, Value, CharField())
        search = self._by_text(texts, partial(self._query, query), SearchQueryField())

        def headline(field, **options):
            return SearchHeadline(
                field, search, config=config, start_sel=START, stop_sel=STOP, **options
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

    def suggest(self, entries: QuerySet, query: Query, texts, limit: int) -> list[SearchEntry]:
        text = fold(query.text)
        return list(
            # ``%`` (similarity above pg_trgm's threshold, 0.3) is what the trigram index answers.
            entries.filter(TrigramSimilar(F("title"), text))
            .annotate(similarity=TrigramSimilarity("title", text))
            .order_by("-similarity", "title")[:limit]
        )


class SqliteBackend:
    # FTS5's one stemmer is English (porter: "clusters" finds "cluster"): the English texts are
    # in one table with it, the other languages' in one without (their words as written); both
    # without diacritics ("Rhone" finds "Rhône"). Migrations 0011 and 0014.
    stemmed, unstemmed = "clusters_search_fts", "clusters_search_fts_unstemmed"
    holds = {stemmed: "text_language = %s", unstemmed: "text_language != %s"}
    # bm25 weights of the columns title, excerpt, body.
    ranking = "bm25({fts}, 10.0, 4.0, 1.0)"
    lookup = "search_entry_filter_idx"

    def _tables(self, texts) -> list[str]:
        """Return the tables holding texts in the languages ``texts``."""
        return [
            table
            for table, wanted in (
                (self.stemmed, DEFAULT in texts),
                (self.unstemmed, set(texts) - {DEFAULT}),
            )
            if wanted
        ]

    def write(self, ids: list[int]) -> None:
        """Copy the text of the new entries ``ids`` into the FTS5 tables: one statement each."""
        with connection.cursor() as cursor:
            for table, holds in self.holds.items():
                cursor.execute(
                    f"INSERT INTO {table} (rowid, title, excerpt, body) "
                    "SELECT id, title, excerpt, body FROM clusters_searchentry "
                    f"WHERE id IN (SELECT value FROM json_each(%s)) AND {holds}",
                    [json.dumps(list(ids)), DEFAULT],
                )

    def delete(self, ids) -> None:
        with connection.cursor() as cursor:
            for table in self.holds:
                cursor.execute(
                    f"DELETE FROM {table} WHERE rowid IN (SELECT value FROM json_each(%s))",
                    [json.dumps(list(ids))],
                )

    def delete_all(self) -> None:
        with connection.cursor() as cursor:
            for table in self.holds:
                cursor.execute(f"DELETE FROM {table}")

    def rebuilt(self) -> None:
        pass  # The matches are joined to the entries by the index named (``lookup``).

    def _run(
        self, entries: QuerySet, match: str, texts, columns: str, outer="*", tail="", params=()
    ):
        """Run ``SELECT outer`` over ``SELECT columns`` (of the table ``{fts}``) of the matches
        of ``match`` among ``entries`` in the tables of ``texts``, then ``tail``."""
        try:
            among, among_params = entries.values("pk").query.sql_with_params()
        except EmptyResultSet:  # Filtered down to nothing (``pk__in=[]``).
            return []
        # Each match's entry looked up in the index of what is filtered on: its row holds the
        # long text before those columns, which SQLite would read past (ten times slower).
        table = SearchEntry._meta.db_table
        among = among.replace(f'FROM "{table}"', f'FROM "{table}" INDEXED BY {self.lookup}', 1)
        arms, arms_params = [], []
        for fts in self._tables(texts):
            arms.append(
                f"SELECT {columns.format(fts=fts)} FROM {fts} JOIN ({among}) AS among "
                f"ON among.pk = {fts}.rowid WHERE {fts} MATCH %s"
            )
            arms_params += [*among_params, match]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {outer} FROM ({' UNION ALL '.join(arms)}) {tail}",
                [*arms_params, *params],
            )
            return cursor.fetchall()

    def count(self, entries: QuerySet, query: Query, texts) -> int:
        rows = self._run(entries, fts5(query), texts, "{fts}.rowid", outer="count(*)")
        return rows[0][0] if rows else 0

    def ranked(
        self, entries: QuerySet, query: Query, texts, offset: int = 0, limit=None
    ) -> list[int]:
        rows = self._run(
            entries,
            fts5(query),
            texts,
            f"{{fts}}.rowid AS id, {self.ranking} AS score",
            outer="id",
            tail="ORDER BY score, id LIMIT %s OFFSET %s",
            params=(-1 if limit is None else limit, offset),
        )
        return [pk for (pk,) in rows]

    def snippets(self, ids: list[int], query: Query, texts) -> dict[int, tuple[str, str]]:
        marks = f"'{START}', '{STOP}'"
        rows = self._run(
            SearchEntry.objects.filter(pk__in=ids),
            # Without the exclusions: a snippet shows what was found.
            fts5(Query(query.text, query.include, ())),
            texts,
            f"{{fts}}.rowid, highlight({{fts}}, 0, {marks}), "
            f"snippet({{fts}}, 1, {marks}, ' … ', {SNIPPET_WORDS}), "
            f"snippet({{fts}}, 2, {marks}, ' … ', {SNIPPET_WORDS}), {{fts}}.excerpt, {{fts}}.body",
        )
        return {
            pk: (title, _best_snippet(excerpt, body, plain_excerpt or plain_body))
            for pk, title, excerpt, body, plain_excerpt, plain_body in rows
        }

    def suggest(self, entries: QuerySet, query: Query, texts, limit: int) -> list[SearchEntry]:
        if not (match := fts5_prefixes(query)):
            return []
        rows = self._run(
            entries,
            match,
            texts,
            "{fts}.rowid AS id, {fts}.rank AS score",
            outer="id",
            tail="ORDER BY score LIMIT %s",
            params=(limit,),
        )
        found = SearchEntry.objects.in_bulk([pk for (pk,) in rows])
        return [found[pk] for (pk,) in rows if pk in found]


def backend() -> PostgresBackend | SqliteBackend:
    """Return the backend of the database in use."""
    return POSTGRES if connection.vendor == "postgresql" else SQLITE


POSTGRES, SQLITE = PostgresBackend(), SqliteBackend()

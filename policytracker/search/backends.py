"""Full-text search on each database the site runs on, behind one small interface.

A backend restricts a queryset of SearchEntry to the entries that match a `ParsedQuery`,
orders the ids of those entries by relevance, marks the matching words in a snippet of
each entry's body, and, when nothing matches, finds entries whose words are close to the
query's (a misspelt or unfinished name). Views, serializers and templates see only this
interface, never which database answered.
"""

import difflib
import re

from django.db import connections
from django.db.models import BooleanField, FloatField
from django.db.models.expressions import RawSQL

from policytracker.search.engines import FTS_TABLE, POSTGRES_CONFIG, TABLE

# Snippets come back with matches between these characters, which indexing strips from
# the text it stores: the template escapes the snippet, then turns them into <mark>.
MARK_START, MARK_END = "\ue000", "\ue001"

# How much of a long body a snippet is looked for in: a headline parses the whole text.
SNIPPET_SOURCE_CHARS = 100_000
SNIPPET_WORDS = 24


# How alike (pg_trgm's word_similarity) a word must be to a name for the close-spelling
# fallback. pg_trgm's default of 0.6 misses two letters swapped in a long name
# ("Krishanmurthy" is 0.56 like "Krishnamurthy"); close spellings are shown only when
# nothing matches exactly, so a lower bar costs little.
WORD_SIMILARITY_THRESHOLD = 0.5


def tune_connection(sender, connection, **kwargs):
    """On each new PostgreSQL connection: the close-spelling fallback's threshold."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET pg_trgm.word_similarity_threshold = {WORD_SIMILARITY_THRESHOLD}")


def backend_for(queryset):
    vendor = connections[queryset.db].vendor
    return {"postgresql": PostgresBackend, "sqlite": SqliteBackend}[vendor]()


def lexemes(words):
    """A query's words reduced to plain letters and digits, for prefix and fuzzy matching."""
    return [part for word in words for part in re.findall(r"\w+", word)]


class PostgresBackend:
    """A stored tsvector with a GIN index, websearch syntax, ts_rank and ts_headline."""

    query_sql = f"websearch_to_tsquery('{POSTGRES_CONFIG}', %s)"
    vector = f"{TABLE}.search_vector"
    label = f"({TABLE}.title || ' ' || {TABLE}.keywords)"

    def filter(self, queryset, parsed):
        return queryset.filter(
            RawSQL(
                f"{self.vector} @@ {self.query_sql}", [str(parsed)], output_field=BooleanField()
            )
        )

    def ranked_ids(self, queryset, parsed, offset=0, limit=None):
        # Rank in [0, 1) (normalisation 32), plus 1 when the title itself matches: a title
        # match always comes first. Ties in id order, so pages never shuffle.
        rank = RawSQL(
            f"ts_rank('{{0.1, 0.2, 0.4, 1.0}}', {self.vector}, {self.query_sql}, 32)"
            f" + CASE WHEN ts_rank('{{0, 0, 0, 1}}', {self.vector}, {self.query_sql}) > 0"
            f" THEN 1 ELSE 0 END",
            [str(parsed), str(parsed)],
            output_field=FloatField(),
        )
        ordered = (
            self.filter(queryset, parsed)
            .annotate(rank=rank)
            .order_by("-rank", "pk")
            .values_list("pk", flat=True)
        )
        return self._slice(ordered, offset, limit)

    def snippets(self, ids, parsed, using):
        if not ids:
            return {}
        options = (
            f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords={SNIPPET_WORDS}, "
            f'MinWords=10, MaxFragments=2, FragmentDelimiter=" … "'
        )
        sql = (
            f"SELECT id, ts_headline('{POSTGRES_CONFIG}', left(body, {SNIPPET_SOURCE_CHARS}), "
            f"{self.query_sql}, %s) FROM {TABLE} WHERE id = ANY(%s)"
        )
        with connections[using].cursor() as cursor:
            cursor.execute(sql, [str(parsed), options, list(ids)])
            return dict(cursor.fetchall())

    def similar(self, queryset, parsed):
        """Entries with a word starting like each query word, or spelt nearly like it.

        Returns the matching queryset and a function of (offset, limit) giving ranked ids.
        """
        words = lexemes(parsed.words)
        if not words:
            return queryset.none(), []
        conditions, params, scores, score_params = [], [], [], []
        for word in words:
            conditions.append(
                f"({self.vector} @@ to_tsquery('simple', %s) OR %s <%% {self.label})"
            )
            params += [f"{word}:*", word]
            scores.append(f"word_similarity(%s, {self.label})")
            score_params.append(word)
        matching = queryset.filter(
            RawSQL(" AND ".join(conditions), params, output_field=BooleanField())
        )
        for term in parsed.excluded:
            matching = matching.exclude(
                RawSQL(
                    f"{self.vector} @@ {self.query_sql}",
                    [str(term)],
                    output_field=BooleanField(),
                )
            )
        by_closeness = (
            matching.annotate(
                rank=RawSQL(" + ".join(scores), score_params, output_field=FloatField())
            )
            .order_by("-rank", "pk")
            .values_list("pk", flat=True)
        )

        def ordered(offset=0, limit=None):
            return self._slice(by_closeness, offset, limit)

        return matching, ordered

    @staticmethod
    def _slice(ordered, offset, limit):
        if limit is None:
            return ordered[offset:].iterator(chunk_size=2000)
        return list(ordered[offset : offset + limit])


def fts5_phrase(words):
    """A phrase FTS5 reads as text whatever it contains: double quotes doubled."""
    return '"{}"'.format(" ".join(words).replace('"', '""'))


def fts5_expression(parsed, terms=None):
    """The FTS5 query for a parsed query: `terms` may replace a word's alternatives."""
    groups = []
    for group in parsed.groups:
        alternatives = [fts5_phrase(term.words) for term in group]
        groups.append(
            alternatives[0] if len(alternatives) == 1 else f"({' OR '.join(alternatives)})"
        )
    expression = " AND ".join(groups)
    for term in parsed.excluded:
        expression = f"({expression}) NOT {fts5_phrase(term.words)}"
    return expression


class SqliteBackend:
    """SQLite's FTS5: an external-content table, bm25 ranking and its snippet()."""

    # bm25 weights for title, keywords and body: a title match outweighs a body match.
    weights = "10.0, 4.0, 1.0"
    # A close spelling must share its first letter and be this similar (difflib's ratio).
    similarity_cutoff = 0.75

    def _match_ids(self, expression):
        return RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [expression])

    def filter(self, queryset, parsed):
        return queryset.filter(pk__in=self._match_ids(fts5_expression(parsed)))

    def ranked_ids(self, queryset, parsed, offset=0, limit=None):
        return self._ranked(queryset, fts5_expression(parsed), offset, limit)

    def _ranked(self, queryset, expression, offset, limit):
        # The queryset's own filters, applied to each match by its id: an EXISTS per match
        # is a primary-key lookup, cheaper than listing every visible entry first.
        inner = queryset.filter(pk=RawSQL(f"{FTS_TABLE}.rowid", [])).values("pk").order_by()
        inner_sql, inner_params = inner.query.get_compiler(queryset.db).as_sql()
        sql = (
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "
            f"AND EXISTS ({inner_sql}) "
            f"ORDER BY bm25({FTS_TABLE}, {self.weights}), rowid LIMIT %s OFFSET %s"
        )
        params = [expression, *inner_params, -1 if limit is None else limit, offset]
        if limit is not None:
            with connections[queryset.db].cursor() as cursor:
                cursor.execute(sql, params)
                return [row[0] for row in cursor.fetchall()]
        return self._stream(queryset.db, sql, params)

    @staticmethod
    def _stream(using, sql, params):
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            while rows := cursor.fetchmany(2000):
                yield from (row[0] for row in rows)

    def snippets(self, ids, parsed, using):
        if not ids:
            return {}
        placeholders = ", ".join(["%s"] * len(ids))
        sql = (
            f"SELECT rowid, snippet({FTS_TABLE}, 2, %s, %s, ' … ', {SNIPPET_WORDS}) "
            f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid IN ({placeholders})"
        )
        params = [MARK_START, MARK_END, self._snippet_expression(parsed), *ids]
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            return dict(cursor.fetchall())

    def _snippet_expression(self, parsed):
        # Excluded terms cannot be highlighted, and a NOT would drop nothing here.
        expression = " OR ".join(
            fts5_phrase(term.words) for group in parsed.groups for term in group
        )
        return expression or fts5_phrase(["_"])

    def similar(self, queryset, parsed):
        words = lexemes(parsed.words)
        if not words:
            return queryset.none(), []
        spellings = self._close_spellings(queryset.db, words)
        groups = []
        for word in words:
            # The word as the start of a longer one, or a word spelt nearly like it.
            alternatives = [f"{fts5_phrase([word])}*"]
            alternatives += [fts5_phrase([close]) for close in spellings.get(word, [])]
            groups.append(f"({' OR '.join(alternatives)})")
        expression = " AND ".join(groups)
        for term in parsed.excluded:
            expression = f"({expression}) NOT {fts5_phrase(term.words)}"
        matching = queryset.filter(pk__in=self._match_ids(expression))

        def ordered(offset=0, limit=None):
            return self._ranked(queryset, expression, offset, limit)

        return matching, ordered

    def _close_spellings(self, using, words):
        """Indexed words spelt like each query word: the FTS5 vocabulary, by first letter."""
        found = {}
        with connections[using].cursor() as cursor:
            for word in words:
                first = word[0]
                cursor.execute(
                    f"SELECT term FROM {FTS_TABLE}_vocab WHERE term >= %s AND term < %s",
                    [first, chr(ord(first) + 1)],
                )
                terms = [row[0] for row in cursor.fetchall()]
                found[word] = difflib.get_close_matches(
                    word, terms, n=3, cutoff=self.similarity_cutoff
                )
        return found

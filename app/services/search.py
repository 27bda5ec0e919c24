"""Full-text search that any user text is safe to reach: FTS5 on SQLite, tsvector on Postgres.

A query is read as words and "quoted phrases", all of which must match. Operators
and syntax characters (`*`, `:`, `NEAR`, `AND`, brackets) are treated as text, so no
query can make the database raise a syntax error.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Any, Literal

from sqlalchemy import ColumnElement, TextClause, false, literal_column, text
from sqlmodel import Session

Searchable = Literal["article", "quote"]
_PHRASE = re.compile(r'"([^"]*)"|(\S+)')
_WORD = re.compile(r"\w+")


def parse_query(q: str) -> list[list[str]]:
    """The query's terms: each a list of words (one word, or a phrase's words)."""
    terms = []
    for phrase, bare in _PHRASE.findall(q):
        words = _WORD.findall(phrase if phrase else bare)
        if phrase and words:
            terms.append(words)
        else:
            terms.extend([w] for w in words)
    return terms


def _quoted(terms: list[list[str]]) -> str:
    # Every term goes in double quotes, so words like OR, NOT or a leading "-" stay words.
    return " ".join('"' + " ".join(t) + '"' for t in terms)


def walkable(session: Session) -> bool:
    """Whether the text index can list matches newest first and stop early (SQLite's FTS5).

    FTS5 walks a doclist by rowid in either direction without sorting, so a page of
    the newest matches reads a page's worth of the index. A Postgres GIN index yields
    an unordered bitmap instead; there the planner already weighs it against walking the
    primary key newest first, so the text stays a condition of one query.
    """
    return session.get_bind().dialect.name == "sqlite"


def newest(session: Session, table: Searchable, q: str, *, before: int | None, limit: int) -> list[int]:
    """Ids of up to `limit` rows of `table` below `before` matching `q`, newest (highest id) first.

    On SQLite this reads the FTS5 doclists backwards from `before` and stops after `limit`
    matches, however many rows match in all.
    """
    params = newest_params(q, before=before, limit=limit)
    if params is None:
        return []
    listed = newest_sql(session.get_bind().dialect.name, table, paged=before is not None)
    return [int(i) for i in session.execute(listed, params).scalars()]


@cache
def newest_sql(dialect: str, table: Searchable, *, paged: bool) -> TextClause:
    """The statement of `newest`, to run or to nest (`id IN (...)`), with its values unbound
    (`newest_params` gives them): built once per shape, so a statement that nests it can be too."""
    if dialect == "postgresql":
        matching = f"{table}.search @@ websearch_to_tsquery('english', :fts_q)"
        row_id, source = f"{table}.id", f"{table} WHERE {matching}"
    else:
        row_id, source = "rowid", f"{table}_fts WHERE {table}_fts MATCH :fts_q"
    bound = f" AND {row_id} < :fts_before" if paged else ""
    return text(f"SELECT {row_id} FROM {source}{bound} ORDER BY {row_id} DESC LIMIT :fts_limit")


def newest_params(q: str, *, before: int | None, limit: int) -> dict[str, Any] | None:
    """The values of `newest_sql`'s parameters for this query; None when `q` has no words."""
    terms = parse_query(q)
    if not terms:
        return None
    params: dict[str, Any] = {"fts_q": _quoted(terms), "fts_limit": limit}
    if before is not None:
        params["fts_before"] = before
    return params


def count_upto(session: Session, table: Searchable, q: str, cap: int) -> int:
    """How many rows of `table` match `q`, counted up to `cap`: on SQLite a walk of at most `cap`
    entries of the FTS index, for choosing the most selective way into a page."""
    terms = parse_query(q)
    if not terms:
        return 0
    if session.get_bind().dialect.name == "postgresql":
        first = (
            f"SELECT 1 FROM {table} WHERE {table}.search @@ websearch_to_tsquery('english', :q) LIMIT :cap"
        )
    else:
        first = f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH :q ORDER BY rowid DESC LIMIT :cap"
    found = session.execute(
        text(f"SELECT count(*) FROM ({first}) AS found"), {"q": _quoted(terms), "cap": cap}
    )
    return int(found.scalar_one())


# How the FTS index is read for a known set of rows: one id range per run of nearby ids. Reading
# a range costs about 0.5 us per match in it, starting one about 60 us, so runs split at gaps
# wider than RANGE_GAP ids, and at the widest gaps only when there would be more than MAX_RANGES.
RANGE_GAP, MAX_RANGES = 128, 64


def id_ranges(ids: Sequence[int]) -> list[tuple[int, int]]:
    """(lowest, highest) id ranges covering `ids`: split at the widest gaps above RANGE_GAP."""
    ordered = sorted(set(ids))
    if not ordered:
        return []
    gaps = sorted(
        (ordered[i + 1] - ordered[i], i)
        for i in range(len(ordered) - 1)
        if ordered[i + 1] - ordered[i] > RANGE_GAP
    )
    cuts = sorted(i for _, i in gaps[max(0, len(gaps) - (MAX_RANGES - 1)) :])
    ranges, first = [], 0
    for cut in cuts:
        ranges.append((ordered[first], ordered[cut]))
        first = cut + 1
    ranges.append((ordered[first], ordered[-1]))
    return ranges


def matches(
    session: Session, table: Searchable, q: str, *, ranges: Sequence[tuple[int, int]] | None = None
) -> ColumnElement[bool]:
    """A WHERE clause: rows of `table` whose text matches every term of `q`.

    `ranges` (inclusive id ranges) promises that only rows in them are asked about. On
    SQLite the matches are then listed only in those ranges, which costs what they hold;
    without them, every match in the archive is listed before any row is tested. (A
    correlated probe per row would seek every term's doclist once per row instead.)
    """
    params = match_params(table, q)
    if params is None:
        return false()
    if session.get_bind().dialect.name == "postgresql":
        return _tsquery_match(table).bindparams(**params)  # type: ignore[return-value]
    listed = _fts_listed(table)
    id_col: Any = literal_column(f"{table}.id")
    if ranges is None:
        return id_col.in_(text(listed).bindparams(**params))  # type: ignore[no-any-return]
    if not ranges:
        return false()
    parts = []
    for i, (lo, hi) in enumerate(ranges):
        parts.append(f"{listed} AND rowid BETWEEN :fts_lo_{table}_{i} AND :fts_hi_{table}_{i}")
        params |= {f"fts_lo_{table}_{i}": lo, f"fts_hi_{table}_{i}": hi}
    return id_col.in_(text(" UNION ALL ".join(parts)).bindparams(**params))  # type: ignore[no-any-return]


@cache
def match_clause(dialect: str, table: Searchable) -> ColumnElement[bool]:
    """`matches` without ranges, its value unbound (`match_params` gives it): built once per table."""
    if dialect == "postgresql":
        return _tsquery_match(table)  # type: ignore[return-value]
    id_col: Any = literal_column(f"{table}.id")
    return id_col.in_(text(_fts_listed(table)))  # type: ignore[no-any-return]


@cache
def match_probe(table: Searchable) -> ColumnElement[bool]:
    """On SQLite, `match_clause` as a probe of the FTS index per row (its value from `match_params`):
    for walking another index in its order when the matches are too many to list first."""
    fts = f"{table}_fts"
    probe = f"EXISTS (SELECT 1 FROM {fts} WHERE {fts} MATCH :fts_q_{table} AND {fts}.rowid = {table}.id)"
    return text(probe)  # type: ignore[return-value]


@cache
def match_listed(table: Searchable) -> ColumnElement[bool]:
    """On Postgres, `match_clause` with the matches listed once from the text index (an array the
    planner computes before the rest), for a text that few rows match: as a plain condition the
    planner, which guesses an unknown word common, walks the table newest first testing each
    row. Its value comes from `match_params`."""
    listed = (
        f"SELECT array_agg(matched.id) FROM {table} AS matched "
        f"WHERE matched.search @@ websearch_to_tsquery('english', :fts_q_{table})"
    )
    return text(f"{table}.id = ANY(CAST(({listed}) AS INTEGER[]))")  # type: ignore[return-value]


def match_params(table: Searchable, q: str) -> dict[str, Any] | None:
    """The value of `match_clause`'s parameter for this query; None when `q` has no words."""
    terms = parse_query(q)
    return None if not terms else {f"fts_q_{table}": _quoted(terms)}


def _tsquery_match(table: Searchable) -> TextClause:
    return text(f"{table}.search @@ websearch_to_tsquery('english', :fts_q_{table})")


def _fts_listed(table: Searchable) -> str:
    return f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH :fts_q_{table}"

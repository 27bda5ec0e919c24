"""Full-text search that any user text is safe to reach: FTS5 on SQLite, tsvector on Postgres.

A query is read as words and "quoted phrases", all of which must match. Operators
and syntax characters (`*`, `:`, `NEAR`, `AND`, brackets) are treated as text, so no
query can make the database raise a syntax error.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from sqlalchemy import ColumnElement, false, literal_column, text
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


def matches(session: Session, table: Searchable, q: str) -> ColumnElement[bool]:
    """A WHERE clause: rows of `table` whose text matches every term of `q`."""
    terms = parse_query(q)
    if not terms:
        return false()
    id_col: Any = literal_column(f"{table}.id")
    # Every term goes in double quotes, so words like OR, NOT or a leading "-" stay words.
    quoted = " ".join('"' + " ".join(t) + '"' for t in terms)
    if session.get_bind().dialect.name == "postgresql":
        clause: ColumnElement[bool] = text(
            f"{table}.search @@ websearch_to_tsquery('english', :fts_q_{table})"
        ).bindparams(**{f"fts_q_{table}": quoted})  # type: ignore[assignment]
        return clause
    subquery = text(f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH :fts_q_{table}").bindparams(
        **{f"fts_q_{table}": quoted}
    )
    return id_col.in_(subquery)  # type: ignore[no-any-return]

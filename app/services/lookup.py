"""Turning the names in query filters into ids: people and organisations by id, name or alias,
countries by code or name. Shared by every query service so a filter means the same everywhere.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from sqlalchemy import bindparam, select, union
from sqlalchemy.engine import URL
from sqlmodel import Session, col

from app.extraction import countries
from app.models import Country, EntityRedirect, Organisation, OrganisationAlias, Person, PersonAlias, name_key
from app.models.common import MAX_ID, name_skeleton

EntityKind = Literal["person", "organisation"]


def entity_tables(kind: EntityKind) -> tuple[Any, Any, Any]:
    """(table, alias table, the alias table's foreign key column) for people or organisations."""
    if kind == "person":
        return Person, PersonAlias, col(PersonAlias.person_id)
    return Organisation, OrganisationAlias, col(OrganisationAlias.organisation_id)


def entity_ids(*, session: Session, kind: EntityKind, value: str) -> list[int]:
    """The ids of the people or organisations a filter value names; [] when none.

    An id is taken as given, unchecked (a filter on an id no one has matches nothing), but an id
    merged into another entity means that entity, as its page does (`redirected`). Otherwise
    the value may be a name or an alias, in any case and with or without
    accents; a single word also finds full names ending in it ("Putin" -> "Vladimir
    Putin"). Only when nothing matches that way is the looser skeleton tried, so
    "Zelensky" finds "Zelenskiy" without "Smith" dragging in "Smyth".
    """
    value = value.strip()
    if value.isascii() and value.isdigit():  # str.isdigit() is true of "²" too, which int() refuses
        # Not looked up: every caller filters by the ids, and an id that names no one matches nothing.
        return [] if int(value) > MAX_ID else [redirected(session=session, kind=kind, entity_id=int(value))]
    key = name_key(value)
    if not key:
        return []
    single = " " not in key
    ids = list(session.connection().execute(_by_key(kind, single), {"key": key}).scalars())
    if ids:
        return sorted(set(ids))
    loose = session.connection().execute(_by_skeleton(kind, single), {"skeleton": name_skeleton(value)})
    return sorted(set(loose.scalars()))


def redirected(*, session: Session, kind: EntityKind, entity_id: int) -> int:
    """The id an entity answers as: the one it was merged into (`entity_redirect`, kept pointing
    at the survivor through later merges), else itself. Every id a request gives goes through
    it, so a saved link or filter on a merged-away id keeps finding the entity."""
    found = session.connection().execute(_REDIRECT, {"kind": kind, "old_id": entity_id}).scalar()
    return entity_id if found is None else int(found)


_REDIRECT = select(col(EntityRedirect.new_id)).where(
    col(EntityRedirect.kind) == bindparam("kind"), col(EntityRedirect.old_id) == bindparam("old_id")
)


@cache
def _by_key(kind: EntityKind, single: bool) -> Any:
    """The ids whose name or an alias has the normalised key `:key`; for a single word, also
    those with a name ending in it. Built once per shape, run with the key as a parameter.

    A union of index lookups: as one OR, Postgres reads every person to test `key = ... OR id IN
    (aliases)`, a cost that grows with the archive. A single word is looked up as the last word
    of any name (every entity's own name is among its aliases).
    """
    table, alias_table, fk = entity_tables(kind)
    key: Any = bindparam("key")
    ways = [select(table.id).where(table.key == key), select(fk).where(alias_table.key == key)]
    if single:
        ways.append(select(fk).where(alias_table.last_key == key))
    return union(*ways)


@cache
def _by_skeleton(kind: EntityKind, single: bool) -> Any:
    """The looser lookup of `entity_ids`, by the name's skeleton `:skeleton`."""
    _, alias_table, fk = entity_tables(kind)
    skeleton: Any = bindparam("skeleton")
    loose: Any = select(fk).where(alias_table.skeleton == skeleton)
    if single:
        loose = union(loose, select(fk).where(alias_table.last_skeleton == skeleton))
    return loose


def country_code(*, session: Session, value: str) -> str | None:
    """The alpha-2 code a country filter names: an alpha-2 or alpha-3 code or a name, any case
    ("RU", "rus", "Russian Federation", "Russia", "UK")."""
    v = value.strip()
    if not v or "\x00" in v:  # no country name holds a NUL
        return None
    index = _country_index(session)
    upper = v.upper()
    if upper in index.names:
        return upper
    found = index.by_alpha3.get(upper) or index.by_name.get(v.casefold())
    if found:
        return found
    # Everyday names the ISO list spells otherwise: "Russia", "UK", "Britain", "the Netherlands".
    common = countries.lookup(v, places=False)
    return common if common in index.names else None


@dataclass(frozen=True)
class _CountryIndex:
    names: dict[str, str]  # alpha-2 -> name
    alpha3: dict[str, str]  # alpha-2 -> alpha-3
    by_alpha3: dict[str, str]
    by_name: dict[str, str]  # casefolded name -> alpha-2


def country(*, session: Session, code: str) -> tuple[str, str, str] | None:
    """(alpha-2, alpha-3, name) of a country in the table, by its alpha-2 code; None if not there."""
    index = _country_index(session)
    name = index.names.get(code)
    return None if name is None else (code, index.alpha3[code], name)


# The country table is reference data the migrations write and nothing else changes, so each
# process reads it once per database rather than once per filter or page.
_country_indexes: dict[URL, _CountryIndex] = {}
_country_lock = threading.Lock()


def _country_index(session: Session) -> _CountryIndex:
    url = session.get_bind().engine.url  # an immutable, hashable value: no rendering per request
    index = _country_indexes.get(url)
    if index is None:
        rows = session.execute(select(col(Country.code), col(Country.alpha3), col(Country.name))).all()
        index = _CountryIndex(
            names={code: name for code, _, name in rows},
            alpha3={code: alpha3 for code, alpha3, _ in rows},
            by_alpha3={alpha3.upper(): code for code, alpha3, _ in rows},
            by_name={name.casefold(): code for code, _, name in rows},
        )
        if rows:  # a database not yet migrated is read again next time
            with _country_lock:
                _country_indexes[url] = index
    return index


def names(*, session: Session, table: Any, ids: set[Any]) -> dict[Any, str]:
    """id (or, for countries, code) -> name, for a batch of rows of `table`."""
    if not ids:
        return {}
    if table is Country:
        known = _country_index(session).names
        return {code: known[code] for code in ids if code in known}
    key = table.id
    rows = session.execute(select(key, table.name).where(key.in_(ids))).all()
    return dict(rows)

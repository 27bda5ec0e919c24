"""Reading canonical people and organisations."""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, select
from sqlmodel import Session

from app.errors import NotFound
from app.models import (
    Mention,
    Organisation,
    OrganisationAlias,
    Person,
    PersonAlias,
    name_key,
)
from app.services.pagination import decode_cursor, encode_cursor


def list_entities(
    *, session: Session, kind: str, limit: int, cursor: str | None = None, name: str | None = None
) -> tuple[list[dict[str, Any]], str | None]:
    """People or organisations that some article mentions, by id; `name` matches a name or alias."""
    table, alias_table, fk = _tables(kind)
    fk_col = getattr(alias_table, fk)
    mention_fk = Mention.person_id if kind == "person" else Mention.organisation_id
    stmt = select(table.id, table.name).where(exists().where(mention_fk == table.id))
    if cursor:
        stmt = stmt.where(table.id > decode_cursor(cursor, fields=("id",))["id"])
    if name:
        key = name_key(name)
        stmt = stmt.where(table.id.in_(select(fk_col).where(alias_table.key == key)) | (table.key == key))
    rows = session.execute(stmt.order_by(table.id).limit(limit + 1)).all()
    page = rows[:limit]
    aliases = _aliases(session, alias_table, fk, [r[0] for r in page])
    items = [{"id": i, "name": n, "aliases": [a for a in aliases.get(i, []) if a != n]} for i, n in page]
    return items, encode_cursor({"id": page[-1][0]}) if len(rows) > limit else None


def get_entity(*, session: Session, kind: str, entity_id: int) -> dict[str, Any]:
    table, alias_table, fk = _tables(kind)
    row = session.get(table, entity_id)
    if row is None:
        raise NotFound(f"no {kind} with id {entity_id}")
    aliases = _aliases(session, alias_table, fk, [entity_id]).get(entity_id, [])
    return {"id": row.id, "name": row.name, "aliases": [a for a in aliases if a != row.name]}


def _tables(kind: str) -> tuple[Any, Any, str]:
    if kind == "person":
        return Person, PersonAlias, "person_id"
    return Organisation, OrganisationAlias, "organisation_id"


def _aliases(session: Session, alias_table: Any, fk: str, ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    if not ids:
        return out
    fk_col = getattr(alias_table, fk)
    for eid, alias in session.execute(
        select(fk_col, alias_table.alias).where(fk_col.in_(ids)).order_by(alias_table.alias)
    ):
        out.setdefault(eid, []).append(alias)
    return out

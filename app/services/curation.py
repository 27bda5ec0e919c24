"""Curation: a person fixing what resolution got wrong. Merge two people or two organisations,
split an alias or some articles off into an entity of their own, rename, set an external id.

Every change runs in the caller's transaction and keeps the counters, the office summary and
the lookup keys exact (reresolution.merge / split take each touched article out and back in).
Decisions are pinned (`entity_pin`), so re-extraction and `newsmeta resolve` keep them; merged
ids are recorded in `entity_redirect` and keep answering as the entity they were merged into.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from app.errors import InvalidInput, NotFound
from app.models import EntityLink, EntityPin, Mention, name_key
from app.models.common import utcnow
from app.services import counters, lookup, offices, reresolution, resolution
from app.services.resolution import Kind, tables


def current_id(session: Session, kind: Kind, entity_id: int) -> int | None:
    """The id an entity answers as: itself, or the entity it was merged into; None if unknown."""
    table, _, _ = tables(kind)
    if session.get(table, entity_id) is not None:
        return entity_id
    target = lookup.redirected(session=session, kind=kind, entity_id=entity_id)
    if target == entity_id or session.get(table, target) is None:
        return None
    return target


def _existing(session: Session, kind: Kind, entity_id: int) -> int:
    found = current_id(session, kind, entity_id)
    if found is None:
        raise NotFound(f"no {kind} with id {entity_id}")
    return found


def _pin(session: Session, kind: Kind, key: str, entity_id: int, actor: str | None) -> None:
    if not key:
        return
    make = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    table: Any = EntityPin.__table__  # type: ignore[attr-defined]
    stmt = make(table).values(kind=kind, key=key[:300], entity_id=entity_id, actor=actor, created_at=utcnow())
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=[table.c.kind, table.c.key],
            set_={"entity_id": entity_id, "actor": actor, "created_at": utcnow()},
        )
    )


def merge(session: Session, *, kind: Kind, into_id: int, other_id: int, actor: str | None) -> int:
    """Fold `other_id` into `into_id`; the surviving id. Every name of the folded entity is pinned
    to the survivor, so the merge outlives re-extraction and re-resolution."""
    into = _existing(session, kind, into_id)
    other = _existing(session, kind, other_id)
    if into == other:
        raise InvalidInput(f"{kind} {other_id} is already {kind} {into_id}")
    _, alias_table, fk = tables(kind)
    keys = set(session.execute(select(alias_table.key).where(fk == other)).scalars())
    if (
        reresolution.merge(session, kind=kind, winner_id=into, loser_id=other, reason="curated", actor=actor)
        is None
    ):
        raise NotFound(f"{kind} {other_id} or {into_id} was merged or deleted meanwhile: try again")
    for key in sorted(keys):
        _pin(session, kind, key, into, actor)
    return into


def split(
    session: Session,
    *,
    kind: Kind,
    entity_id: int,
    alias: str | None = None,
    article_ids: Sequence[int] = (),
    name: str | None = None,
    actor: str | None = None,
) -> int:
    """Move the articles that named this entity `alias` (or the given articles) to a new entity;
    its id. The alias is pinned to the new entity, so later articles using it go there too."""
    source = _existing(session, kind, entity_id)
    link_fk = resolution.link_column(kind)
    chosen = set(article_ids)
    if alias is not None:
        key = name_key(alias)
        if not key:
            raise InvalidInput("the alias has no letters or digits")
        linked = session.execute(
            select(col(EntityLink.article_id), col(EntityLink.name)).where(link_fk == source)
        ).all()
        chosen |= {a for a, n in linked if name_key(n) == key}
        mentioned = session.execute(
            select(col(Mention.article_id), col(Mention.text)).where(_mention_fk(kind) == source)
        ).all()
        # Articles where every mention of the entity is this alias: it is all they call it.
        by_article: dict[int, set[str]] = {}
        for a, t in mentioned:
            by_article.setdefault(a, set()).add(name_key(t))
        chosen |= {a for a, keys in by_article.items() if keys == {key}}
    owned = set(reresolution.articles_of(session, kind, source))
    chosen &= owned
    if alias is None and not chosen:
        raise InvalidInput(f"none of these articles refers to {kind} {entity_id}")
    if chosen == owned:
        raise InvalidInput("that would move everything: rename the entity instead")
    new_name = (name or alias or "").strip()
    if not name_key(new_name):
        raise InvalidInput("give the new entity a name")
    table, alias_table, fk = tables(kind)
    articles = sorted(chosen)
    for article_id in articles:
        offices.forget_records(session, article_id)
        counters.forget_records(session, article_id)
    base = name_key(new_name)
    key = base
    n = 1
    while session.execute(select(table.id).where(table.key == key)).scalar_one_or_none() is not None:
        n += 1
        key = f"{base} #{n}"
    new_id = resolution.insert_ignore(session, table, {"name": new_name[:300], "key": key[:300]}, table.id)
    assert new_id is not None
    if articles:
        for model, column in resolution.record_columns(kind):
            session.execute(
                update(model)
                .where(column == source, col(model.article_id).in_(articles))
                .values({column: new_id})
            )
        session.execute(update(EntityLink).where(link_fk == new_id).values(reason="curated"))
    names = {new_name}
    if alias:
        names.add(alias)
        session.execute(delete(alias_table).where(fk == source, alias_table.key == name_key(alias)))
    resolution.Resolver(session).add_aliases(kind, int(new_id), sorted(names))
    for n_ in sorted(names):
        _pin(session, kind, name_key(n_), int(new_id), actor)
    for article_id in articles:
        offices.remember_records(session, article_id)
        counters.remember_records(session, article_id)
    session.flush()
    return int(new_id)


def _mention_fk(kind: Kind) -> Any:
    return col(Mention.person_id) if kind == "person" else col(Mention.organisation_id)


def update_entity(
    session: Session,
    *,
    kind: Kind,
    entity_id: int,
    name: str | None = None,
    external_id: str | None = None,
    clear_external_id: bool = False,
    actor: str | None = None,
) -> int:
    """Rename an entity (the old name stays an alias) and/or set its external identifier."""
    current = _existing(session, kind, entity_id)
    table, _, _ = tables(kind)
    values: dict[str, Any] = {}
    if name is not None:
        if not name_key(name):
            raise InvalidInput("the name has no letters or digits")
        values["name"] = name.strip()[:300]
        resolution.Resolver(session).add_aliases(kind, current, [name.strip()])
        _pin(session, kind, name_key(name), current, actor)
    if external_id is not None or clear_external_id:
        values["external_id"] = external_id
    if values:
        session.execute(update(table).where(table.id == current).values(**values))
    session.flush()
    session.expire_all()
    return current

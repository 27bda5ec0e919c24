"""Re-resolution and merges: rows found to be one person or organisation folded together.

New evidence can join rows stored apart (a surname-only "Obama" stored before "Barack Obama"
arrives; a "GM" before an article pairs it with "General Motors"): after each ingest the rows
next to the article's entities are re-resolved, and `newsmeta resolve` re-runs every row.
`merge` moves every record in the caller's transaction and keeps the counters and the office
summary exact by taking each touched article out and back in; curators' merges use it too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import Engine, delete, func, or_, select, update
from sqlmodel import Session, col

from app.models import EntityPin, EntityRedirect, name_key
from app.models.common import utcnow
from app.services import counters, offices
from app.services.identity_names import Kind, first_key, person_words, resolve_key
from app.services.resolution import Evidence, Resolver, insert_ignore, record_columns, tables

# A merge done inside an ingest touches at most this many other articles; a bigger one waits for
# `newsmeta resolve`, so one post never rewrites a large part of the archive.
INGEST_MERGE_ARTICLES = 200


def articles_of(session: Session, kind: Kind, entity_id: int) -> list[int]:
    parts = [
        select(col(model.article_id)).where(column == entity_id) for model, column in record_columns(kind)
    ]
    found: set[int] = set()
    for part in parts:
        found.update(session.execute(part).scalars())
    return sorted(found)


def merge(
    session: Session, *, kind: Kind, winner_id: int, loser_id: int, reason: str, actor: str | None = None
) -> list[int] | None:
    """Fold `loser_id` into `winner_id` in the caller's transaction; the articles it touched (None
    when either row is gone, merged or deleted by a concurrent writer).

    Each touched article is taken out of the office summary and the counters, its records are
    moved, and it is put back: what the incremental writers do for a re-extraction, so the
    summaries stay what a recount would say. The old id redirects to the winner from then on.
    """
    if winner_id == loser_id:
        return None
    table, alias_table, fk = tables(kind)
    # Both rows locked, in id order, before anything moves: a concurrent merge or delete of either
    # is waited for, and one that removed a row leaves nothing to do here.
    rows = session.execute(
        select(table).where(table.id.in_([winner_id, loser_id])).order_by(table.id).with_for_update()
    ).scalars()
    found = {row.id: row for row in rows}
    loser, winner = found.get(loser_id), found.get(winner_id)
    if loser is None or winner is None:
        return None
    articles = articles_of(session, kind, loser_id)
    for article_id in articles:
        offices.forget_records(session, article_id)
        counters.forget_records(session, article_id)
    for model, column in record_columns(kind):
        session.execute(update(model).where(column == loser_id).values({column: winner_id}))
    resolver = Resolver(session)
    resolver.add_aliases(kind, winner_id, resolver.forms_of(kind, loser_id))
    session.execute(delete(alias_table).where(fk == loser_id))
    session.execute(
        update(EntityPin)
        .where(col(EntityPin.kind) == kind, col(EntityPin.entity_id) == loser_id)
        .values(entity_id=winner_id)
    )
    session.execute(
        update(EntityRedirect)
        .where(col(EntityRedirect.kind) == kind, col(EntityRedirect.new_id) == loser_id)
        .values(new_id=winner_id)
    )
    session.execute(
        delete(EntityRedirect).where(
            col(EntityRedirect.kind) == kind, col(EntityRedirect.old_id) == winner_id
        )
    )
    insert_ignore(
        session,
        EntityRedirect.__table__,  # type: ignore[attr-defined]
        {
            "kind": kind,
            "old_id": loser_id,
            "new_id": winner_id,
            "old_name": loser.name[:300],
            "reason": reason,
            "actor": actor,
            "created_at": utcnow(),
        },
    )
    if winner.external_id is None and loser.external_id is not None:
        session.execute(update(table).where(table.id == winner_id).values(external_id=loser.external_id))
    for article_id in articles:
        offices.remember_records(session, article_id)
        counters.remember_records(session, article_id)
    session.execute(delete(table).where(table.id == loser_id))
    session.flush()
    session.expire_all()
    return articles


def _evidence_of(session: Session, kind: Kind, entity_id: int) -> Evidence | None:
    """An existing row seen as an article's entity: its names and, for people, its offices."""
    table, _, _ = tables(kind)
    row = session.get(table, entity_id)
    if row is None:
        return None
    resolver = Resolver(session)
    forms = tuple(sorted(set(resolver.forms_of(kind, entity_id)) | {row.name}))
    ev = Evidence(row.name, forms)
    if kind == "person":
        ev.titles, ev.organisations, ev.countries = resolver.offices_of(entity_id)
    else:
        ev.context = resolver.countries_of_org(entity_id)
        ev.country = min(ev.context) if len(ev.context) == 1 else None
    return ev


def _weaker(kind: Kind, session: Session, a: int, b: int) -> tuple[int, int]:
    """(winner, loser) of two rows found to be one: the fuller name wins, then the older row."""
    table, _, _ = tables(kind)
    names = dict(session.execute(select(table.id, table.name).where(table.id.in_([a, b]))).all())

    def strength(i: int) -> tuple[int, int, int]:
        words = len(person_words(names[i])) if kind == "person" else len(name_key(names[i]).split())
        return (words, len(names[i]), -i)

    return (a, b) if strength(a) >= strength(b) else (b, a)


def reresolve_entity(session: Session, kind: Kind, entity_id: int, *, limit: int | None = None) -> int | None:
    """Join this row to the one other row the rules now find for it (re-resolution); the surviving
    id, or None when it stays apart. With `limit`, a merge touching more articles is left for later."""
    ev = _evidence_of(session, kind, entity_id)
    if ev is None:
        return None
    found = Resolver(session).find(kind, ev, exclude=entity_id)
    if found is None:
        return None
    winner, loser = _weaker(kind, session, found.entity_id, entity_id)
    if limit is not None and len(articles_of(session, kind, loser)) > limit:
        return None
    if merge(session, kind=kind, winner_id=winner, loser_id=loser, reason=found.reason) is None:
        return None
    return winner


def reresolve_after_ingest(session: Session, people: Iterable[int], orgs: Iterable[int]) -> None:
    """After an article is stored: rows its new names may now join (a surname-only "Obama" when
    "Barack Obama" arrives, a "GM" when an article pairs it with "General Motors")."""
    groups: tuple[tuple[Kind, Iterable[int]], ...] = (("person", people), ("organisation", orgs))
    for kind_, ids in groups:
        for entity_id in sorted(set(ids)):
            for other in sorted(_neighbours(session, kind_, entity_id)):
                reresolve_entity(session, kind_, other, limit=INGEST_MERGE_ARTICLES)


def _neighbours(session: Session, kind: Kind, entity_id: int) -> set[int]:
    """Other rows whose key is one of this row's names or their surname: the ones new evidence
    about this row may join."""
    table, alias_table, fk = tables(kind)
    keys = set(session.execute(select(alias_table.key).where(fk == entity_id)).scalars())
    if kind == "person":
        keys |= {k.rsplit(" ", 1)[-1] for k in keys} | {k.split(" ", 1)[0] for k in keys}
    if not keys:
        return set()
    ids = set(session.execute(select(table.id).where(table.key.in_(sorted(keys)))).scalars())
    ids.discard(entity_id)
    return ids


def resolve_archive(
    *, engine: Engine, batch: int = 200, progress: Callable[[str, int, int, int], None] | None = None
) -> dict[str, int]:
    """Re-run resolution over every person and organisation (`newsmeta resolve`): back-fill the
    loose keys, then join each row to the one the rules find for it, shortest names first. Each
    row is its own short transaction, so concurrent ingest goes on; a second run changes nothing."""
    from app.db import in_transaction

    merged = {"person": 0, "organisation": 0}
    for kind in ("person", "organisation"):
        kind_: Kind = "person" if kind == "person" else "organisation"
        _backfill_resolve_keys(engine, kind_, batch)
        table, _, _ = tables(kind_)

        def ids_in_order(session: Session, table: Any = table) -> list[int]:
            return list(
                session.execute(select(table.id).order_by(func.length(table.name), table.id)).scalars()
            )

        ids = in_transaction(engine, ids_in_order)
        for n, entity_id in enumerate(ids, 1):

            def step(session: Session, entity_id: int = entity_id, kind_: Kind = kind_) -> bool:
                return reresolve_entity(session, kind_, entity_id) is not None

            if in_transaction(engine, step):
                merged[kind] += 1
            if progress is not None and (n % batch == 0 or n == len(ids)):
                progress(kind, n, len(ids), merged[kind])
    return merged


def _backfill_resolve_keys(engine: Engine, kind: Kind, batch: int) -> None:
    from app.db import in_transaction

    _, alias_table, _ = tables(kind)

    def step(session: Session) -> int:
        rows = session.execute(
            select(alias_table.id, alias_table.alias)
            .where(or_(alias_table.resolve_key == "", alias_table.resolve_key.is_(None)))
            .limit(batch)
        ).all()
        done = 0
        for alias_id, alias in rows:
            values = {"resolve_key": resolve_key(kind, alias)[:300] or "-"}
            if kind == "person":
                values["first_key"] = first_key(alias)[:300]
            session.execute(update(alias_table).where(alias_table.id == alias_id).values(**values))
            done += 1
        return done

    while in_transaction(engine, step):
        pass

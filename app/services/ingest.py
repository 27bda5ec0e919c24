"""Ingest: store an article and everything extracted from it, exactly once.

Extraction runs before the write transaction opens, so a writer holds the
database (on SQLite: its single write lock) for milliseconds, not for the
seconds the model may take. Duplicates are caught twice: a cheap lookup before
extracting, and unique constraints with INSERT ... ON CONFLICT DO NOTHING when
writing, so two clients posting the same article at once still get one row.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Engine, delete, exists, insert, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from app.config import Settings
from app.db import in_transaction, session_scope
from app.errors import PayloadTooLarge
from app.extraction import Extraction
from app.models import (
    Article,
    ArticleCreate,
    Country,
    EntityLink,
    Mention,
    Organisation,
    Person,
    Position,
    Quote,
)
from app.models.common import utcnow
from app.observability import ARTICLES_INGESTED, EXTRACTION_SECONDS
from app.services import counters, offices, resolution


class TextExtractor(Protocol):
    """An `Extractor`, or an `ExtractorPool` spreading the texts over processes."""

    def extract_many(self, texts: Sequence[str], /) -> Iterable[Extraction]: ...


@dataclass(frozen=True)
class IngestResult:
    article_id: int
    created: bool


def content_hash(text: str) -> str:
    """The identity of an article's text: sha256 of it with line ends and outer space normalised."""
    normalised = "\n".join(line.rstrip() for line in text.strip().splitlines())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def check_size(article_in: ArticleCreate, *, settings: Settings) -> None:
    size = len(article_in.text.encode("utf-8"))
    if size > settings.max_article_bytes:
        raise PayloadTooLarge(
            f"article text is {size} bytes; the limit is {settings.max_article_bytes} "
            "(setting NEWSMETA_MAX_ARTICLE_BYTES)"
        )


def find_existing(*, session: Session, article_in: ArticleCreate, digest: str) -> int | None:
    """The id of a stored article with the same text, url or external id."""
    clauses = [col(Article.content_hash) == digest]
    if article_in.url:
        clauses.append(col(Article.url) == article_in.url)
    if article_in.external_id:
        clauses.append(col(Article.external_id) == article_in.external_id)
    found: int | None = session.execute(select(col(Article.id)).where(or_(*clauses)).limit(1)).scalar()
    return found


def ingest_article(
    *, engine: Engine, extractor: TextExtractor, settings: Settings, article_in: ArticleCreate
) -> IngestResult:
    """Store one article with its records; an already stored one is returned as it is."""
    return ingest_many(engine=engine, extractor=extractor, settings=settings, articles=[article_in])[0]


def ingest_many(
    *, engine: Engine, extractor: TextExtractor, settings: Settings, articles: Sequence[ArticleCreate]
) -> list[IngestResult]:
    """Store many articles: extraction through `nlp.pipe`, then one transaction per article."""
    for article_in in articles:
        check_size(article_in, settings=settings)
    digests = [content_hash(a.text) for a in articles]
    results: list[IngestResult | None] = [None] * len(articles)
    with session_scope(engine) as session:
        for i, (article_in, digest) in enumerate(zip(articles, digests, strict=True)):
            found = find_existing(session=session, article_in=article_in, digest=digest)
            if found is not None:
                results[i] = IngestResult(article_id=found, created=False)
    todo = [i for i, r in enumerate(results) if r is None]
    if todo:
        started = time.perf_counter()
        extractions = list(extractor.extract_many([articles[i].text for i in todo]))
        EXTRACTION_SECONDS.observe(time.perf_counter() - started)
        for i, extraction in zip(todo, extractions, strict=True):

            def store(session: Session, i: int = i, extraction: Extraction = extraction) -> IngestResult:
                return store_article(
                    session=session, article_in=articles[i], digest=digests[i], extraction=extraction
                )

            results[i] = in_transaction(engine, store)
    final = [r for r in results if r is not None]
    for r in final:
        ARTICLES_INGESTED.labels("created" if r.created else "existing").inc()
    return final


def _insert_ignore(session: Session, table: Any, values: dict[str, Any], *, returning: Any = None) -> Any:
    """INSERT ... ON CONFLICT DO NOTHING on the session's dialect; the returned row or None."""
    dialect = session.get_bind().dialect.name
    make = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt: Any = make(table).values(**values).on_conflict_do_nothing()
    if returning is not None:
        stmt = stmt.returning(returning)
        return session.execute(stmt).scalar_one_or_none()
    session.execute(stmt)
    return None


def store_article(
    *, session: Session, article_in: ArticleCreate, digest: str, extraction: Extraction
) -> IngestResult:
    """Write an article and its records in the caller's transaction (flushes, never commits)."""
    values = article_in.model_dump(exclude={"text"})
    values.update(
        text=article_in.text,
        content_hash=digest,
        created_at=utcnow(),
        extractor_name=extraction.extractor.name,
        extractor_version=extraction.extractor.version,
    )
    article_id = _insert_ignore(session, Article, values, returning=Article.id)
    if article_id is None:  # another writer stored it first
        existing = find_existing(session=session, article_in=article_in, digest=digest)
        assert existing is not None, "insert conflicted but no conflicting article was found"
        return IngestResult(article_id=existing, created=False)
    _store_records(session, article_id, extraction)
    session.flush()
    return IngestResult(article_id=article_id, created=True)


def _store_records(session: Session, article_id: int, extraction: Extraction) -> None:
    version = extraction.extractor.version
    mentions: list[dict[str, Any]] = []
    # Which canonical rows the article's people and organisations are, and why (resolution.py).
    people_resolved, orgs_resolved, _, org_evidence = resolution.resolve_article(session, extraction)
    person_ids = {name: r.entity_id for name, r in people_resolved.items()}
    org_ids = {name: r.entity_id for name, r in orgs_resolved.items()}
    for person in extraction.people:
        pid = person_ids[person.name]
        for alias in person.aliases:
            person_ids.setdefault(alias, pid)
        mentions += [
            {"person_id": pid, "start": m.start, "end": m.end, "text": m.text[:500]} for m in person.mentions
        ]
    for org in extraction.organisations:
        org_id = org_ids[org.name]
        for alias in org.aliases:
            org_ids.setdefault(alias, org_id)
        mentions += [
            {"organisation_id": org_id, "start": m.start, "end": m.end, "text": m.text[:500]}
            for m in org.mentions
        ]
    known = _known_countries(
        session,
        {c.code for c in extraction.countries} | {p.country for p in extraction.positions if p.country},
    )
    for country in extraction.countries:
        if country.code in known:
            mentions += [
                {"country_code": country.code, "start": m.start, "end": m.end, "text": m.text[:500]}
                for m in country.mentions
            ]
    if mentions:
        session.execute(
            insert(Mention), [{**m, "article_id": article_id, "extractor_version": version} for m in mentions]
        )
    positions = []
    for pos in extraction.positions:
        pid = person_ids[pos.person]
        oid = org_ids[pos.organisation] if pos.organisation else None
        positions.append(
            {
                "article_id": article_id,
                "person_id": pid,
                "title": pos.title[:200],
                "organisation_id": oid,
                "country_code": pos.country if pos.country in known else None,
                "former": pos.former,
                "start": pos.start,
                "end": pos.end,
                "extractor_version": version,
            }
        )
    if positions:
        session.execute(insert(Position), positions)
    quotes = [
        {
            "article_id": article_id,
            "speaker_id": person_ids.get(q.speaker) if q.speaker else None,
            "kind": q.kind,
            "text": q.text,
            "cue": q.cue[:100] if q.cue else None,
            "start": q.start,
            "end": q.end,
            "extractor_version": version,
        }
        for q in extraction.quotes
    ]
    if quotes:
        session.execute(insert(Quote), quotes)
    # The office summary and the entity counters move with the records, in this transaction
    # (app/services/offices.py, app/services/counters.py), in that order in every writer.
    offices.remember_records(session, article_id)
    counters.remember_records(session, article_id)
    resolution.record_links(session, article_id, people_resolved, orgs_resolved, org_evidence)
    # New evidence may join rows stored earlier ("Obama" before "Barack Obama" arrived).
    resolution.reresolve_after_ingest(session, set(person_ids.values()), set(org_ids.values()))


def _known_countries(session: Session, codes: set[str]) -> set[str]:
    if not codes:
        return set()
    return set(session.execute(select(col(Country.code)).where(col(Country.code).in_(codes))).scalars())


def delete_article(*, session: Session, article_id: int) -> bool:
    """Delete an article and its records; people and organisations it alone mentioned go too."""
    if session.get(Article, article_id) is None:
        return False
    person_ids, org_ids = _entities_of(session, article_id)
    _delete_records(session, article_id)
    session.execute(delete(EntityLink).where(col(EntityLink.article_id) == article_id))
    session.execute(delete(Article).where(col(Article.id) == article_id))
    _delete_orphans(session, person_ids, org_ids)
    session.flush()
    return True


def reextract_article(*, session: Session, article_id: int, extraction: Extraction) -> bool:
    """Replace an article's records with `extraction`'s in the caller's transaction (False: no article).

    The old mentions, positions and quotes go first; people and organisations that
    only they referred to and the new records do not are deleted, as on delete.
    """
    article = session.get(Article, article_id)
    if article is None:
        return False
    person_ids, org_ids = _entities_of(session, article_id)
    _delete_records(session, article_id)
    session.execute(delete(EntityLink).where(col(EntityLink.article_id) == article_id))
    _store_records(session, article_id, extraction)
    article.extractor_name = extraction.extractor.name
    article.extractor_version = extraction.extractor.version
    session.add(article)
    session.flush()
    _delete_orphans(session, person_ids, org_ids)
    session.flush()
    return True


def _entities_of(session: Session, article_id: int) -> tuple[set[int], set[int]]:
    """The people and organisations an article's records refer to."""
    person_ids = set(
        session.execute(
            select(col(Mention.person_id)).where(
                col(Mention.article_id) == article_id, col(Mention.person_id).is_not(None)
            )
        ).scalars()
    )
    person_ids |= set(
        session.execute(
            select(col(Position.person_id)).where(col(Position.article_id) == article_id)
        ).scalars()
    )
    person_ids |= set(
        session.execute(
            select(col(Quote.speaker_id)).where(
                col(Quote.article_id) == article_id, col(Quote.speaker_id).is_not(None)
            )
        ).scalars()
    )
    org_ids = set(
        session.execute(
            select(col(Mention.organisation_id)).where(
                col(Mention.article_id) == article_id, col(Mention.organisation_id).is_not(None)
            )
        ).scalars()
    )
    org_ids |= set(
        session.execute(
            select(col(Position.organisation_id)).where(
                col(Position.article_id) == article_id, col(Position.organisation_id).is_not(None)
            )
        ).scalars()
    )
    return person_ids, org_ids


def _delete_records(session: Session, article_id: int) -> None:
    offices.forget_records(session, article_id)  # while its records still say what to take out
    counters.forget_records(session, article_id)
    session.execute(delete(Mention).where(col(Mention.article_id) == article_id))
    session.execute(delete(Position).where(col(Position.article_id) == article_id))
    session.execute(delete(Quote).where(col(Quote.article_id) == article_id))


def _delete_orphans(session: Session, person_ids: set[int], org_ids: set[int]) -> None:
    """Delete those of these people and organisations that no record refers to any more."""
    if person_ids:
        session.execute(
            delete(Person).where(
                col(Person.id).in_(person_ids),
                ~exists().where(col(Mention.person_id) == col(Person.id)),
                ~exists().where(col(Position.person_id) == col(Person.id)),
                ~exists().where(col(Quote.speaker_id) == col(Person.id)),
            )
        )
    if org_ids:
        session.execute(
            delete(Organisation).where(
                col(Organisation.id).in_(org_ids),
                ~exists().where(col(Mention.organisation_id) == col(Organisation.id)),
                ~exists().where(col(Position.organisation_id) == col(Organisation.id)),
            )
        )

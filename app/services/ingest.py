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
from app.errors import AppError, ExtractionOverBudget, ExtractionUnavailable, InvalidInput, PayloadTooLarge
from app.extraction import EXTRACTOR_NAME, EXTRACTOR_VERSION, Extraction, ExtractorInfo
from app.extraction.language import detect_language, primary_subtag
from app.extraction.pool import ExtractionError
from app.extraction.pool import ExtractionUnavailable as PoolShuttingDown
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
from app.services import caps, counters, offices, reresolution, resolution


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
    """The checks every way in makes before extracting: the text's size and, when the setting
    refuses them, a language the pipeline does not cover."""
    size = len(article_in.text.encode("utf-8"))
    if size > settings.max_article_bytes:
        raise PayloadTooLarge(
            f"article text is {size} bytes; the limit is {settings.max_article_bytes} "
            "(setting NEWSMETA_MAX_ARTICLE_BYTES)"
        )
    if settings.unsupported_language == "reject":
        language = article_language(article_in, settings=settings)
        if not language.supported:
            covered = ", ".join(sorted(settings.pipeline_languages))
            raise UnsupportedLanguage(
                f"the article is in '{language.code}' and the pipeline covers {covered} "
                "(settings NEWSMETA_LANGUAGES, NEWSMETA_UNSUPPORTED_LANGUAGE)"
            )


class UnsupportedLanguage(InvalidInput):
    title = "Unsupported language"
    type = "/problems/unsupported-language"


@dataclass(frozen=True)
class Language:
    """An article's language: `code` is stored as its language, `detected` as what the text showed."""

    code: str
    detected: str | None
    supported: bool


def article_language(article_in: ArticleCreate, *, settings: Settings) -> Language:
    """The language as posted, else as detected, else the pipeline's own; and whether it is covered."""
    found = detect_language(article_in.text)
    detected = found[0] if found else None
    return _language(article_in.language or detected, detected, settings)


def _language(code: str | None, detected: str | None, settings: Settings) -> Language:
    covered = settings.pipeline_languages
    code = code or ("en" if "en" in covered else min(covered))
    return Language(code=code, detected=detected, supported=primary_subtag(code) in covered)


def stored_language(code: str, detected: str | None, *, settings: Settings) -> Language:
    """A stored article's language, checked against the pipeline configured now."""
    return _language(code, detected, settings)


def extract_covered(
    *, extractor: TextExtractor, settings: Settings, texts: Sequence[str], languages: Sequence[Language]
) -> list[Extraction | AppError]:
    """Extractions of the texts whose language the pipeline covers (or the problem a text met,
    see `extract_each`), cut to the records one article may store (`caps`, so one article
    holds the write lock a bounded time); an empty one for the others, which never reach the
    model (an English model reads German nouns as organisations)."""
    covered = [i for i, language in enumerate(languages) if language.supported]
    limits = caps.RecordLimits.of(settings)
    found = iter(
        caps.bounded(e, limits) if isinstance(e, Extraction) else e
        for e in (extract_each(extractor, [texts[i] for i in covered]) if covered else ())
    )
    empty = Extraction(
        extractor=ExtractorInfo(name=EXTRACTOR_NAME, version=EXTRACTOR_VERSION, model=settings.model)
    )
    return [next(found) if language.supported else empty for language in languages]


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


def extraction_problem(exc: ExtractionError) -> AppError:
    """The problem a client gets for a text the extraction processes could not finish."""
    if isinstance(exc, PoolShuttingDown):
        return ExtractionUnavailable(exc.detail, headers={"Retry-After": "5"})
    return ExtractionOverBudget(exc.detail)


def extract_each(extractor: TextExtractor, texts: Sequence[str]) -> list[Extraction | AppError]:
    """An extraction per text, or the problem that text met (over its deadline or memory cap):
    one costly text fails alone. An in-process `Extractor` has no budget and never fails one."""
    each = getattr(extractor, "extract_each", None)
    results: list[Extraction | ExtractionError] = (
        each(texts) if each is not None else list(extractor.extract_many(texts))
    )
    return [extraction_problem(r) if isinstance(r, ExtractionError) else r for r in results]


def ingest_many(
    *, engine: Engine, extractor: TextExtractor, settings: Settings, articles: Sequence[ArticleCreate]
) -> list[IngestResult]:
    """Store many articles: extraction through `nlp.pipe`, then one transaction per article.
    The first article the extractor could not read raises its problem (see `ingest_each`)."""
    results = ingest_each(engine=engine, extractor=extractor, settings=settings, articles=articles)
    for result in results:
        if isinstance(result, AppError):
            raise result
    return [r for r in results if not isinstance(r, AppError)]


def ingest_each(
    *, engine: Engine, extractor: TextExtractor, settings: Settings, articles: Sequence[ArticleCreate]
) -> list[IngestResult | AppError]:
    """Store many articles; an article the extractor could not read gets its problem instead."""
    for article_in in articles:
        check_size(article_in, settings=settings)
    digests = [content_hash(a.text) for a in articles]
    results: list[IngestResult | AppError | None] = [None] * len(articles)
    with session_scope(engine) as session:
        for i, (article_in, digest) in enumerate(zip(articles, digests, strict=True)):
            found = find_existing(session=session, article_in=article_in, digest=digest)
            if found is not None:
                results[i] = IngestResult(article_id=found, created=False)
    todo = [i for i, r in enumerate(results) if r is None]
    if todo:
        languages = [article_language(articles[i], settings=settings) for i in todo]
        started = time.perf_counter()
        extractions = extract_covered(
            extractor=extractor,
            settings=settings,
            texts=[articles[i].text for i in todo],
            languages=languages,
        )
        EXTRACTION_SECONDS.observe(time.perf_counter() - started)
        for i, extraction, language in zip(todo, extractions, languages, strict=True):
            if isinstance(extraction, AppError):
                results[i] = extraction
                continue

            def store(
                session: Session,
                i: int = i,
                extraction: Extraction = extraction,
                language: Language = language,
            ) -> IngestResult:
                return store_article(
                    session=session,
                    article_in=articles[i],
                    digest=digests[i],
                    extraction=extraction,
                    language=language,
                )

            results[i] = in_transaction(engine, store)
    final = [r for r in results if r is not None]
    for r in final:
        if isinstance(r, IngestResult):
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
    *,
    session: Session,
    article_in: ArticleCreate,
    digest: str,
    extraction: Extraction,
    language: Language | None = None,
) -> IngestResult:
    """Write an article and its records in the caller's transaction (flushes, never commits).

    An article in a language the pipeline does not cover is stored without records. Without
    `language`, the caller vouches for `extraction`: the language is the posted one, or en.
    """
    if language is None:
        language = Language(code=article_in.language or "en", detected=None, supported=True)
    if not language.supported:
        extraction = extraction.model_copy(
            update={"people": (), "organisations": (), "countries": (), "positions": (), "quotes": ()}
        )
    values = article_in.model_dump(exclude={"text"})
    values.update(
        language=language.code,
        language_detected=language.detected,
        extracted=language.supported,
        text=article_in.text,
        content_hash=digest,
        created_at=utcnow(),
        extractor_name=extraction.extractor.name,
        extractor_version=extraction.extractor.version,
    )
    article_id = _insert_ignore(session, Article, values, returning=Article.id)
    for _ in range(3):
        if article_id is not None:
            break
        # Another writer stored it first, or (found gone) a DELETE removed that one since: insert again.
        existing = find_existing(session=session, article_in=article_in, digest=digest)
        if existing is not None:
            return IngestResult(article_id=existing, created=False)
        article_id = _insert_ignore(session, Article, values, returning=Article.id)
    if article_id is None:
        raise RuntimeError("the article conflicted with one that no longer exists, three times")
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
    reresolution.reresolve_after_ingest(session, set(person_ids.values()), set(org_ids.values()))


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


def reextract_article(
    *, session: Session, article_id: int, extraction: Extraction, extracted: bool = True
) -> bool:
    """Replace an article's records with `extraction`'s in the caller's transaction (False: no article).

    The old mentions, positions and quotes go first; people and organisations that
    only they referred to and the new records do not are deleted, as on delete.
    `extracted` False: the article's language is not covered, and it keeps no records.
    """
    article = session.get(Article, article_id)
    if article is None:
        return False
    article.extracted = extracted
    if not extracted:
        extraction = extraction.model_copy(
            update={"people": (), "organisations": (), "countries": (), "positions": (), "quotes": ()}
        )
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

"""A ceiling on the records one article stores, so that its write transaction (on SQLite: the
database's only write lock) is held for a bounded time.

Creating an entity costs a few statements (its row, its alias keys), so an article that names
22,000 people held the SQLite write lock for 17 s and every other writer waited. Past the
limits an article keeps the entities it mentions most, their mentions until the budget is
spent (in the extractor's order) and its first quotes and positions; what was left out is
logged. docs/reliability.md states the bound.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, TypeVar

from app.config import Settings
from app.extraction import Extraction, Organisation, Person

log = logging.getLogger("newsmeta.ingest")

T = TypeVar("T", Person, Organisation)


@dataclass(frozen=True)
class RecordLimits:
    entities: int  # people, and organisations, each
    mentions: int  # mentions of people, organisations and countries together
    quotes: int
    positions: int

    @classmethod
    def of(cls, settings: Settings) -> RecordLimits:
        return cls(
            entities=settings.max_entities_per_article,
            mentions=settings.max_mentions_per_article,
            quotes=settings.max_quotes_per_article,
            positions=settings.max_quotes_per_article,
        )


def bounded(extraction: Extraction, limits: RecordLimits) -> Extraction:
    """`extraction` within `limits`: the same object when it already is."""
    groups: tuple[tuple[Any, ...], ...] = (extraction.people, extraction.organisations, extraction.countries)
    mentions = sum(len(entity.mentions) for group in groups for entity in group)
    if (
        len(extraction.people) <= limits.entities
        and len(extraction.organisations) <= limits.entities
        and len(extraction.quotes) <= limits.quotes
        and len(extraction.positions) <= limits.positions
        and mentions <= limits.mentions
    ):
        return extraction

    def most_mentioned(entities: tuple[T, ...]) -> tuple[T, ...]:
        ranked = sorted(
            range(len(entities)),
            key=lambda i: (
                -len(entities[i].mentions),
                entities[i].mentions[0].start if entities[i].mentions else 0,
            ),
        )
        return tuple(entities[i] for i in sorted(ranked[: limits.entities]))

    people = most_mentioned(extraction.people)
    organisations = most_mentioned(extraction.organisations)
    kept_people = {p.name for p in people} | {a for p in people for a in p.aliases}
    kept_orgs = {o.name for o in organisations} | {a for o in organisations for a in o.aliases}
    positions = tuple(
        p.model_copy(update={"organisation": p.organisation if p.organisation in kept_orgs else None})
        for p in extraction.positions
        if p.person in kept_people
    )[: limits.positions]
    quotes = tuple(
        q if q.speaker is None or q.speaker in kept_people else q.model_copy(update={"speaker": None})
        for q in extraction.quotes[: limits.quotes]
    )
    # Mentions: people first, then organisations, then countries, until the budget is spent.
    budget = limits.mentions
    trimmed: list[list[Any]] = [[], [], []]
    kept: tuple[tuple[Any, ...], ...] = (people, organisations, extraction.countries)
    for entities, out in zip(kept, trimmed, strict=True):
        for entity in entities:
            keep = entity.mentions[: max(0, budget)]
            budget -= len(keep)
            out.append(entity.model_copy(update={"mentions": keep}))
    result = extraction.model_copy(
        update={
            "people": tuple(trimmed[0]),
            "organisations": tuple(trimmed[1]),
            "countries": tuple(trimmed[2]),
            "positions": positions,
            "quotes": quotes,
        }
    )
    log.warning(
        "article over the record limits: kept %d of %d people, %d of %d organisations, %d of %d mentions, "
        "%d of %d quotes, %d of %d positions",
        len(people),
        len(extraction.people),
        len(organisations),
        len(extraction.organisations),
        limits.mentions - budget,
        mentions,
        len(quotes),
        len(extraction.quotes),
        len(positions),
        len(extraction.positions),
    )
    return result

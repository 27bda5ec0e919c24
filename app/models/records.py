"""What the extractor found in one article: mentions, positions and quotes, with their evidence.

Each row points at its article (deleted with it), holds the character offsets
of the words it was read from, and the version of the extractor that read them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from app.models import common as _common  # noqa: F401  (naming convention first)


def _article_fk() -> Column[int]:
    return Column(Integer, ForeignKey("article.id", ondelete="CASCADE"), nullable=False, index=True)


class Mention(SQLModel, table=True):
    """One place in an article that names a person, an organisation or a country."""

    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN person_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN organisation_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN country_code IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_entity",
        ),
        # "Articles that mention X": walk X's mentions in article order without touching the table.
        Index("ix_mention_person_article", "person_id", "article_id"),
        Index("ix_mention_organisation_article", "organisation_id", "article_id"),
        Index("ix_mention_country_article", "country_code", "article_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(sa_column=_article_fk())
    person_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("person.id", ondelete="CASCADE"), index=True)
    )
    organisation_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("organisation.id", ondelete="CASCADE"), index=True),
    )
    country_code: str | None = Field(
        default=None, sa_column=Column(String(2), ForeignKey("country.code"), index=True)
    )
    start: int
    end: int
    text: str = Field(max_length=500)
    extractor_version: str = Field(max_length=40)


class Position(SQLModel, table=True):
    __table_args__ = (
        Index("ix_position_country_person", "country_code", "person_id"),
        Index("ix_position_organisation_person", "organisation_id", "person_id"),
        # A person's distinct offices (every quote's speaker) from the index alone, and the newest
        # articles stating one office (a person's page) as a range of it.
        Index(
            "ix_position_person_office",
            "person_id",
            "title",
            "organisation_id",
            "country_code",
            "former",
            "article_id",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(sa_column=_article_fk())
    person_id: int = Field(
        sa_column=Column(Integer, ForeignKey("person.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    title: str = Field(max_length=200, index=True)
    organisation_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("organisation.id", ondelete="SET NULL"), index=True),
    )
    country_code: str | None = Field(
        default=None, sa_column=Column(String(2), ForeignKey("country.code"), index=True)
    )
    former: bool = False
    start: int
    end: int
    extractor_version: str = Field(max_length=40)


class Quote(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint("kind IN ('direct', 'indirect')", name="kind"),
        Index("ix_quote_speaker_id_id", "speaker_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(sa_column=_article_fk())
    speaker_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("person.id", ondelete="SET NULL"), index=True)
    )
    kind: str = Field(max_length=10)
    text: str = Field(sa_column=Column(Text, nullable=False))
    cue: str | None = Field(default=None, max_length=100)
    start: int
    end: int
    extractor_version: str = Field(max_length=40)


def office_key(person_id: int, title: str, organisation_id: int | None, country_code: str | None) -> str:
    """The identity of an office row as one non-null text, so that a unique index treats a missing
    organisation or country as a value (NULLs are never equal in a unique index)."""
    return (
        f"{person_id}:{organisation_id if organisation_id is not None else ''}:{country_code or ''}:{title}"
    )


class Office(SQLModel, table=True):
    """One person in one office (title, organisation, country): a summary of the position rows
    stating it, kept in step with them in the same transaction (app/services/offices.py).

    Seen times are the stating articles' publication (else storage) times. `present_*` count the
    statements of the office as held, `former_*` those saying "former"; each pair is null when
    there are none.
    """

    __table_args__ = (
        # Every /positions filter walks its own index newest first: a page is one range scan.
        Index("ix_office_last_seen_id", "last_seen", "id"),
        Index("ix_office_person_last_seen", "person_id", "last_seen", "id"),
        Index("ix_office_country_last_seen", "country_code", "last_seen", "id"),
        Index("ix_office_organisation_last_seen", "organisation_id", "last_seen", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(
        max_length=300, unique=True, description="office_key(person, title, organisation, country)."
    )
    person_id: int = Field(
        sa_column=Column(Integer, ForeignKey("person.id", ondelete="CASCADE"), nullable=False)
    )
    title: str = Field(max_length=200)
    organisation_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("organisation.id", ondelete="CASCADE"))
    )
    country_code: str | None = Field(default=None, sa_column=Column(String(2), ForeignKey("country.code")))
    first_seen: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    last_seen: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    article_count: int = Field(description="Articles stating the office, held or former.")
    present_first_seen: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    present_last_seen: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    present_count: int = 0
    former_first_seen: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    former_last_seen: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    former_count: int = 0


class EntityStats(SQLModel, table=True):
    """The all-time counts a person's, organisation's or country's page shows, one row per entity
    that any record refers to, kept in step with the records in the same transaction
    (app/services/counters.py), so a page reads one row instead of counting its whole archive.

    Exactly one of `person_id`, `organisation_id` and `country_code` is set; each is unique, and
    its unique index is the target an upsert-increment conflicts on (NULLs never conflict).
    """

    __tablename__ = "entity_stats"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN person_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN organisation_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN country_code IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_entity",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("person.id", ondelete="CASCADE"), unique=True),
    )
    organisation_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("organisation.id", ondelete="CASCADE"), unique=True),
    )
    country_code: str | None = Field(
        default=None, sa_column=Column(String(2), ForeignKey("country.code"), unique=True)
    )
    mentions: int = Field(description="Mention rows naming the entity.")
    mention_articles: int = Field(description="Distinct articles with a mention of the entity.")
    quotes: int = Field(description="Quotes the person spoke (0 for organisations and countries).")
    articles: int = Field(
        description="Distinct articles any record refers to the entity in: a mention, a position "
        "(as holder, organisation or country) or, for a person, a quote spoken."
    )


class Holder(SQLModel, table=True):
    """One person holding positions at one organisation or in one country: how many articles state
    it, and the person's all-time quote count copied from their entity_stats row, so an
    organisation's or a country's page reads its top holders and top speakers off an index.

    Exactly one of `organisation_id` and `country_code` is set. The quote copy is refreshed in
    the transaction that changes the person's count, which holds that person's entity_stats row.
    """

    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN organisation_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN country_code IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_place",
        ),
        UniqueConstraint("person_id", "organisation_id"),
        UniqueConstraint("person_id", "country_code"),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(
        sa_column=Column(Integer, ForeignKey("person.id", ondelete="CASCADE"), nullable=False)
    )
    organisation_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("organisation.id", ondelete="CASCADE"))
    )
    country_code: str | None = Field(default=None, sa_column=Column(String(2), ForeignKey("country.code")))
    articles: int = Field(description="Distinct articles stating a position of the person here.")
    quotes: int = Field(description="The person's quotes, all time (entity_stats.quotes).")


# Pages order by count descending, ties by person ascending: the indexes are in that order, so the
# first entries of a place's range are the answer, on both databases.
_holder: Any = Holder.__table__  # type: ignore[attr-defined]
for _place in ("organisation", "country"):
    _column = _holder.c["organisation_id" if _place == "organisation" else "country_code"]
    for _count in ("articles", "quotes"):
        Index(f"ix_holder_{_place}_{_count}", _column, _holder.c[_count].desc(), _holder.c.person_id)

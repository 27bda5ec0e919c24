"""Canonical people and organisations: one row per real entity across all articles."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field as PydanticField
from sqlalchemy import CheckConstraint, Column, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.common import ApiModel, utcnow
from app.models.records import Office

# Why an article's entity was joined to its canonical row (app/services/resolution.py).
LINK_REASONS = ("new", "exact", "alias", "surname", "acronym", "variant", "curated")


class PersonBase(SQLModel):
    name: str = Field(max_length=300, description="The fullest name seen.")


class Person(PersonBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=300, unique=True, description="name_key(name): the identity used to merge.")
    external_id: str | None = Field(
        default=None, max_length=100, description="A curated external identifier (a Wikidata QID)."
    )


class PersonAlias(SQLModel, table=True):
    __tablename__ = "person_alias"
    __table_args__ = (UniqueConstraint("person_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(
        sa_column=Column(Integer, ForeignKey("person.id", ondelete="CASCADE"), nullable=False)
    )
    alias: str = Field(max_length=300)
    key: str = Field(max_length=300, index=True)
    skeleton: str = Field(max_length=300, index=True, description="name_skeleton(alias), for loose search.")
    # The last words of key and skeleton, so that a surname finds the full names ending in it
    # by an index lookup rather than a LIKE '% surname' over every name.
    last_key: str = Field(max_length=300, index=True)
    last_skeleton: str = Field(max_length=300, index=True)
    # The loose key resolution joins spelling variants on (app/services/identity_names.py).
    resolve_key: str = Field(default="", max_length=300, index=True)
    # The first word of a full name (titles left out): what a first name alone is matched against.
    first_key: str = Field(default="", max_length=300, index=True)


class PersonPublic(ApiModel):
    name: str = PydanticField(description="The fullest name seen.")
    id: int
    aliases: list[str] = []
    external_id: str | None = PydanticField(None, description="A curated external id (a Wikidata QID).")


class PersonPage(ApiModel):
    items: list[PersonPublic]
    next_cursor: str | None = None


class OrganisationBase(SQLModel):
    name: str = Field(max_length=300)


class Organisation(OrganisationBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=300, unique=True)
    external_id: str | None = Field(
        default=None, max_length=100, description="A curated external identifier (a Wikidata QID)."
    )


class OrganisationAlias(SQLModel, table=True):
    __tablename__ = "organisation_alias"
    __table_args__ = (UniqueConstraint("organisation_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(
        sa_column=Column(Integer, ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False)
    )
    alias: str = Field(max_length=300)
    key: str = Field(max_length=300, index=True)
    skeleton: str = Field(max_length=300, index=True)
    last_key: str = Field(max_length=300, index=True)
    last_skeleton: str = Field(max_length=300, index=True)
    # The loose key resolution joins spelling variants on (app/services/identity_names.py).
    resolve_key: str = Field(default="", max_length=300, index=True)


class OrganisationPublic(ApiModel):
    name: str
    id: int
    aliases: list[str] = []
    external_id: str | None = PydanticField(None, description="A curated external id (a Wikidata QID).")


class OrganisationPage(ApiModel):
    items: list[OrganisationPublic]
    next_cursor: str | None = None


class EntityLink(SQLModel, table=True):
    """How one article's person or organisation was joined to its canonical row, and why: the
    evidence a curator reviews (`surname`, `variant` and `acronym` are the weak ones)."""

    __tablename__ = "entity_link"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN person_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN organisation_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_entity",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(
        sa_column=Column(Integer, ForeignKey("article.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    person_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("person.id", ondelete="CASCADE"), index=True)
    )
    organisation_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("organisation.id", ondelete="CASCADE"), index=True),
    )
    name: str = Field(max_length=300, description="The name the article gives.")
    reason: str = Field(max_length=20, description="new, exact, alias, surname, acronym, variant, curated.")
    country_code: str | None = Field(
        default=None, sa_column=Column(String(2)), description="The article's country for this entity."
    )


class EntityRedirect(SQLModel, table=True):
    """A merged-away id and the entity it now answers as; also the record of the merge."""

    __tablename__ = "entity_redirect"
    __table_args__ = (UniqueConstraint("kind", "old_id"), Index("ix_entity_redirect_new", "kind", "new_id"))

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20, description="person or organisation.")
    old_id: int
    new_id: int
    old_name: str = Field(max_length=300)
    reason: str = Field(max_length=20)
    actor: str | None = Field(default=None, max_length=100, description="Who merged (an API key's name).")
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class EntityPin(SQLModel, table=True):
    """A curated decision that a name key means one entity: resolution honours it before any rule,
    so merges and splits survive re-extraction and re-resolution."""

    __tablename__ = "entity_pin"
    __table_args__ = (UniqueConstraint("kind", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)
    key: str = Field(max_length=300)
    entity_id: int = Field(index=True)
    actor: str | None = Field(default=None, max_length=100)
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


# Whether an office is current asks if someone else was stated in it later: the summary's rows of
# one title in a country or an organisation, in order of their first statement as held
# (app/services/positions.py).
_office: Any = Office.__table__  # type: ignore[attr-defined]
Index(
    "ix_office_title_country_first_held",
    _office.c.title,
    _office.c.country_code,
    _office.c.present_first_seen,
)
Index(
    "ix_office_title_organisation_first_held",
    _office.c.title,
    _office.c.organisation_id,
    _office.c.present_first_seen,
)

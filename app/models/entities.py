"""Canonical people and organisations: one row per real entity across all articles."""

from __future__ import annotations

from pydantic import Field as PydanticField
from sqlalchemy import Column, ForeignKey, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.common import ApiModel


class PersonBase(SQLModel):
    name: str = Field(max_length=300, description="The fullest name seen.")


class Person(PersonBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=300, unique=True, description="name_key(name): the identity used to merge.")


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


class PersonPublic(ApiModel):
    name: str = PydanticField(description="The fullest name seen.")
    id: int
    aliases: list[str] = []


class PersonPage(ApiModel):
    items: list[PersonPublic]
    next_cursor: str | None = None


class OrganisationBase(SQLModel):
    name: str = Field(max_length=300)


class Organisation(OrganisationBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=300, unique=True)


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


class OrganisationPublic(ApiModel):
    name: str
    id: int
    aliases: list[str] = []


class OrganisationPage(ApiModel):
    items: list[OrganisationPublic]
    next_cursor: str | None = None

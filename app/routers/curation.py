"""Curation (admin scope): merge, split, rename people and organisations, set external ids."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import select
from sqlmodel import Session, col

from app.auth import AdminKey
from app.db import in_transaction, session_scope
from app.deps import EngineDep
from app.errors import NotFound, UnsupportedMediaType
from app.models import ApiKeyPublic, EntityLink, EntityRedirect
from app.models.common import MAX_ID
from app.models.queries import OrganisationRead, PersonRead
from app.routers.common import PROBLEMS
from app.services import curation, entities
from app.services.resolution import Kind

router = APIRouter(tags=["curation"])

# A body with a malformed path id is parsed before any check of ours runs: a form body is a 400.
WRITE_PROBLEMS: dict[int | str, dict[str, Any]] = {**PROBLEMS, 400: PROBLEMS[422]}
EntityId = Annotated[int, Path(ge=1, le=MAX_ID, description="The entity's id.")]


class MergeIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={"examples": [{"id": 42}]})

    id: int = Field(ge=1, le=MAX_ID, description="The entity to fold into this one; its id keeps answering.")


class SplitIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={
            "examples": [{"alias": "Clinton"}, {"article_ids": [7, 9], "name": "Bill Clinton"}]
        },
    )

    alias: str | None = Field(None, max_length=300, description="Move the articles naming it so.")
    article_ids: list[int] = Field(default=[], max_length=1000, description="Move these articles' records.")
    name: str | None = Field(None, max_length=300, description="The new entity's name (default: the alias).")

    @model_validator(mode="after")
    def _something(self) -> SplitIn:
        if self.alias is None and not self.article_ids:
            raise ValueError("give an alias or article_ids to split off")
        return self


class EntityUpdate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={"examples": [{"name": "Barack Obama", "external_id": "Q76"}]},
    )

    name: str | None = Field(None, min_length=1, max_length=300, description="The new display name.")
    external_id: str | None = Field(
        None, max_length=100, description="An external identifier (a Wikidata QID); null clears it."
    )


class MergeRecord(BaseModel):
    old_id: int
    new_id: int
    old_name: str
    reason: str
    actor: str | None
    created_at: Any


class LinkRecord(BaseModel):
    article_id: int
    name: str
    reason: str


class History(BaseModel):
    """How an entity came to be: the ids merged into it and why each article was linked to it."""

    id: int
    merged: list[MergeRecord]
    links: list[LinkRecord]


def _exists(engine: Any, kind: Kind, entity_id: int) -> None:
    def work(session: Session) -> None:
        if curation.current_id(session, kind, entity_id) is None:
            raise NotFound(f"no {kind} with id {entity_id}")

    with session_scope(engine) as session:
        work(session)


def _json_body(request: Request) -> None:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json" and not content_type.endswith("+json"):
        raise UnsupportedMediaType(
            f"send the body as application/json (got {content_type or 'no content type'})"
        )


def person_exists(person_id: EntityId, request: Request, engine: EngineDep, _key: AdminKey) -> None:
    """An unknown id is a 404 whatever the body (after the key is checked, before the body is
    read); then a body that is not JSON is a 415."""
    _exists(engine, "person", person_id)
    _json_body(request)


def organisation_exists(
    organisation_id: EntityId, request: Request, engine: EngineDep, _key: AdminKey
) -> None:
    """An unknown id is a 404 whatever the body, then a body that is not JSON is a 415."""
    _exists(engine, "organisation", organisation_id)
    _json_body(request)


PERSON = [Depends(person_exists)]
ORGANISATION = [Depends(organisation_exists)]


def _actor(key: ApiKeyPublic | None) -> str | None:
    return None if key is None else (key.name or key.prefix)


def _page(session: Session, kind: Kind, entity_id: int) -> PersonRead | OrganisationRead:
    if kind == "person":
        return entities.get_person(session=session, person_id=entity_id)
    return entities.get_organisation(session=session, organisation_id=entity_id)


def _merge(engine: Any, kind: Kind, into: int, body: MergeIn, key: ApiKeyPublic | None) -> Any:
    def work(session: Session) -> Any:
        kept = curation.merge(session, kind=kind, into_id=into, other_id=body.id, actor=_actor(key))
        return _page(session, kind, kept)

    return in_transaction(engine, work)


def _split(engine: Any, kind: Kind, entity_id: int, body: SplitIn, key: ApiKeyPublic | None) -> Any:
    def work(session: Session) -> Any:
        new_id = curation.split(
            session,
            kind=kind,
            entity_id=entity_id,
            alias=body.alias,
            article_ids=body.article_ids,
            name=body.name,
            actor=_actor(key),
        )
        return _page(session, kind, new_id)

    return in_transaction(engine, work)


def _update(engine: Any, kind: Kind, entity_id: int, body: EntityUpdate, key: ApiKeyPublic | None) -> Any:
    def work(session: Session) -> Any:
        kept = curation.update_entity(
            session,
            kind=kind,
            entity_id=entity_id,
            name=body.name,
            external_id=body.external_id,
            clear_external_id="external_id" in body.model_fields_set,
            actor=_actor(key),
        )
        return _page(session, kind, kept)

    return in_transaction(engine, work)


def _history(engine: Any, kind: Kind, entity_id: int) -> History:
    def work(session: Session) -> History:
        current = curation.current_id(session, kind, entity_id)
        if current is None:
            raise NotFound(f"no {kind} with id {entity_id}")
        merged = session.execute(
            select(EntityRedirect)
            .where(col(EntityRedirect.kind) == kind, col(EntityRedirect.new_id) == current)
            .order_by(col(EntityRedirect.id))
        ).scalars()
        fk = col(EntityLink.person_id) if kind == "person" else col(EntityLink.organisation_id)
        links = session.execute(
            select(col(EntityLink.article_id), col(EntityLink.name), col(EntityLink.reason))
            .where(fk == current)
            .order_by(col(EntityLink.article_id))
            .limit(1000)
        ).all()
        return History(
            id=current,
            merged=[MergeRecord.model_validate(m, from_attributes=True) for m in merged],
            links=[LinkRecord(article_id=a, name=n, reason=r) for a, n, r in links],
        )

    return in_transaction(engine, work)


@router.post(
    "/people/{person_id}/merge", response_model=PersonRead, responses=WRITE_PROBLEMS, dependencies=PERSON
)
def merge_people(person_id: EntityId, body: MergeIn, engine: EngineDep, key: AdminKey) -> Any:
    """Fold another person into this one (admin): records, counts and names move; the old id redirects."""
    return _merge(engine, "person", person_id, body, key)


@router.post(
    "/organisations/{organisation_id}/merge",
    response_model=OrganisationRead,
    responses=WRITE_PROBLEMS,
    dependencies=ORGANISATION,
)
def merge_organisations(organisation_id: EntityId, body: MergeIn, engine: EngineDep, key: AdminKey) -> Any:
    """Fold another organisation into this one (admin); the old id redirects."""
    return _merge(engine, "organisation", organisation_id, body, key)


@router.post(
    "/people/{person_id}/split",
    response_model=PersonRead,
    status_code=201,
    responses=WRITE_PROBLEMS,
    dependencies=PERSON,
)
def split_person(person_id: EntityId, body: SplitIn, engine: EngineDep, key: AdminKey) -> Any:
    """Split an alias, or some articles' records, off into a new person (admin)."""
    return _split(engine, "person", person_id, body, key)


@router.post(
    "/organisations/{organisation_id}/split",
    response_model=OrganisationRead,
    status_code=201,
    responses=WRITE_PROBLEMS,
    dependencies=ORGANISATION,
)
def split_organisation(organisation_id: EntityId, body: SplitIn, engine: EngineDep, key: AdminKey) -> Any:
    """Split an alias, or some articles' records, off into a new organisation (admin)."""
    return _split(engine, "organisation", organisation_id, body, key)


@router.patch("/people/{person_id}", response_model=PersonRead, responses=WRITE_PROBLEMS, dependencies=PERSON)
def update_person(person_id: EntityId, body: EntityUpdate, engine: EngineDep, key: AdminKey) -> Any:
    """Rename a person or set their external id (admin); the old name stays an alias."""
    return _update(engine, "person", person_id, body, key)


@router.patch(
    "/organisations/{organisation_id}",
    response_model=OrganisationRead,
    responses=WRITE_PROBLEMS,
    dependencies=ORGANISATION,
)
def update_organisation(
    organisation_id: EntityId, body: EntityUpdate, engine: EngineDep, key: AdminKey
) -> Any:
    """Rename an organisation or set its external id (admin); the old name stays an alias."""
    return _update(engine, "organisation", organisation_id, body, key)


@router.get("/people/{person_id}/history", response_model=History, responses=PROBLEMS)
def person_history(person_id: EntityId, engine: EngineDep, _key: AdminKey) -> Any:
    """The ids merged into a person and why each article was linked to them (admin)."""
    return _history(engine, "person", person_id)


@router.get("/organisations/{organisation_id}/history", response_model=History, responses=PROBLEMS)
def organisation_history(organisation_id: EntityId, engine: EngineDep, _key: AdminKey) -> Any:
    """The ids merged into an organisation and why each article was linked to it (admin)."""
    return _history(engine, "organisation", organisation_id)

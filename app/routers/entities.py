"""/people, /organisations and /countries: the canonical entities across all articles."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from sqlalchemy import select
from sqlmodel import col

from app.deps import SessionDep, SettingsDep
from app.models import (
    Country,
    CountryPublic,
    OrganisationPage,
    OrganisationPublic,
    PersonPage,
    PersonPublic,
)
from app.routers.common import PROBLEMS, link_header, page_size
from app.services import entities

router = APIRouter(tags=["entities"])

EntityId = Annotated[int, Path(ge=1, le=2**63 - 1)]
Limit = Annotated[int | None, Query(ge=1, description="Page size (default and maximum are settings).")]
Cursor = Annotated[str | None, Query(max_length=200, description="`next_cursor` of the previous page.")]
Name = Annotated[str | None, Query(max_length=300, description="A name or alias (any case or accents).")]


@router.get("/people", response_model=PersonPage, responses=PROBLEMS)
def list_people(
    request: Request,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
    name: Name = None,
    limit: Limit = None,
    cursor: Cursor = None,
) -> PersonPage:
    """People mentioned in stored articles, one per real person."""
    size = page_size(limit, default=settings.default_page_size, maximum=settings.max_page_size)
    items, next_cursor = entities.list_entities(
        session=session, kind="person", limit=size, cursor=cursor, name=name
    )
    if next_cursor:
        response.headers["Link"] = link_header(request, next_cursor)
    return PersonPage(items=[PersonPublic(**i) for i in items], next_cursor=next_cursor)


@router.get("/people/{person_id}", response_model=PersonPublic, responses=PROBLEMS)
def get_person(person_id: EntityId, session: SessionDep) -> PersonPublic:
    """One person and the other names they appear under."""
    return PersonPublic(**entities.get_entity(session=session, kind="person", entity_id=person_id))


@router.get("/organisations", response_model=OrganisationPage, responses=PROBLEMS)
def list_organisations(
    request: Request,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
    name: Name = None,
    limit: Limit = None,
    cursor: Cursor = None,
) -> OrganisationPage:
    """Organisations mentioned in stored articles, one per real organisation."""
    size = page_size(limit, default=settings.default_page_size, maximum=settings.max_page_size)
    items, next_cursor = entities.list_entities(
        session=session, kind="organisation", limit=size, cursor=cursor, name=name
    )
    if next_cursor:
        response.headers["Link"] = link_header(request, next_cursor)
    return OrganisationPage(items=[OrganisationPublic(**i) for i in items], next_cursor=next_cursor)


@router.get("/organisations/{organisation_id}", response_model=OrganisationPublic, responses=PROBLEMS)
def get_organisation(organisation_id: EntityId, session: SessionDep) -> OrganisationPublic:
    """One organisation and the other names it appears under."""
    return OrganisationPublic(
        **entities.get_entity(session=session, kind="organisation", entity_id=organisation_id)
    )


@router.get("/countries", response_model=list[CountryPublic])
def list_countries(session: SessionDep) -> list[CountryPublic]:
    """Every ISO 3166-1 country the service knows, by alpha-2 code."""
    rows = session.execute(select(Country).order_by(col(Country.code))).scalars().all()
    return [CountryPublic.model_validate(c) for c in rows]

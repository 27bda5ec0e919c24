"""/people, /organisations and /countries: the canonical entities across all articles, and a page each."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from app.deps import SessionDep, SettingsDep
from app.models import CountryPublic, OrganisationPage, PersonPage
from app.models.common import MAX_ID
from app.models.queries import CountryPage, CountryRead, OrganisationRead, PersonRead
from app.routers.common import (
    PROBLEMS,
    TABULAR_RESPONSES,
    Cursor,
    FormatParam,
    Limit,
    ListFormat,
    etag_response,
    list_response,
    negotiate,
    page_size,
)
from app.services import entities

router = APIRouter(tags=["entities"])

EntityId = Annotated[int, Path(ge=1, le=MAX_ID, description="The entity's id.")]
Name = Annotated[
    str | None,
    Query(max_length=300, description="An id, name or alias (any case or accents; a surname will do)."),
]
CountryFilter = Annotated[
    str | None,
    Query(max_length=200, description="Holding positions in this country: alpha-2, alpha-3 or name."),
]
DETAIL_RESPONSES: dict[int | str, dict[str, Any]] = {**PROBLEMS, 304: {"description": "Not modified"}}
LIST_RESPONSES: dict[int | str, dict[str, Any]] = {**PROBLEMS, **TABULAR_RESPONSES}


@router.get("/people", response_model=PersonPage, responses=LIST_RESPONSES)
def list_people(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    name: Name = None,
    country: CountryFilter = None,
    organisation: Annotated[
        str | None,
        Query(max_length=300, description="Holding positions in this organisation (id, name or alias)."),
    ] = None,
    limit: Limit = None,
    cursor: Cursor = None,
    fmt: FormatParam = None,
) -> Any:
    """People mentioned in stored articles, one per real person: by name, country or organisation."""
    page = entities.list_entities(
        session=session,
        kind="person",
        limit=page_size(limit, default=settings.default_page_size, maximum=settings.max_page_size),
        cursor=cursor,
        name=name,
        country=country,
        organisation=organisation,
    )
    return list_response(request, page, negotiate(request, fmt))


@router.get("/people/{person_id}", response_model=PersonRead, responses=DETAIL_RESPONSES)
def get_person(person_id: EntityId, request: Request, session: SessionDep) -> Any:
    """A person's page: aliases, positions over time, counts and top co-mentions (ETag)."""
    return etag_response(request, entities.get_person(session=session, person_id=person_id))


@router.get("/organisations", response_model=OrganisationPage, responses=LIST_RESPONSES)
def list_organisations(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    name: Name = None,
    country: CountryFilter = None,
    person: Annotated[
        str | None,
        Query(max_length=300, description="Where this person (id, name or alias) holds a position."),
    ] = None,
    limit: Limit = None,
    cursor: Cursor = None,
    fmt: FormatParam = None,
) -> Any:
    """Organisations mentioned in stored articles, one per real organisation: by name, country or person."""
    page = entities.list_entities(
        session=session,
        kind="organisation",
        limit=page_size(limit, default=settings.default_page_size, maximum=settings.max_page_size),
        cursor=cursor,
        name=name,
        country=country,
        person=person,
    )
    return list_response(request, page, negotiate(request, fmt))


@router.get("/organisations/{organisation_id}", response_model=OrganisationRead, responses=DETAIL_RESPONSES)
def get_organisation(organisation_id: EntityId, request: Request, session: SessionDep) -> Any:
    """An organisation's page: aliases, articles, people holding positions there, co-mentions (ETag)."""
    return etag_response(request, entities.get_organisation(session=session, organisation_id=organisation_id))


@router.get("/countries", response_model=list[CountryPublic], responses=LIST_RESPONSES)
def list_countries(request: Request, session: SessionDep, fmt: FormatParam = None) -> Any:
    """Every ISO 3166-1 country the service knows, by alpha-2 code."""
    countries = entities.list_countries(session=session)
    chosen = negotiate(request, fmt)
    if chosen is ListFormat.json:
        return countries
    return list_response(request, CountryPage(items=countries), chosen)


@router.get("/countries/{country}", response_model=CountryRead, responses=DETAIL_RESPONSES)
def get_country(
    country: Annotated[
        str,
        Path(min_length=2, max_length=200, description="ISO alpha-2 or alpha-3 code, or the country's name."),
    ],
    request: Request,
    session: SessionDep,
) -> Any:
    """A country's page: articles, the latest of them, people holding positions in it, top speakers (ETag)."""
    return etag_response(request, entities.get_country(session=session, value=country))

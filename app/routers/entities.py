"""/people, /organisations and /countries: the canonical entities across all articles, and a page each."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from pydantic import Field

from app.db import read
from app.deps import app_settings
from app.models import CountryPublic, OrganisationPage, PersonPage
from app.models.common import MAX_ID
from app.models.queries import CountryPage, CountryRead, OrganisationRead, PersonRead
from app.routers.common import (
    PROBLEMS,
    TABULAR_RESPONSES,
    Formatted,
    ListFormat,
    Paged,
    etag_response,
    list_response,
    negotiate,
)
from app.routers.querystring import from_query
from app.services import entities

router = APIRouter(tags=["entities"])

EntityId = Annotated[int, Path(ge=1, le=MAX_ID, description="The entity's id.")]
DETAIL_RESPONSES: dict[int | str, dict[str, Any]] = {**PROBLEMS, 304: {"description": "Not modified"}}
LIST_RESPONSES: dict[int | str, dict[str, Any]] = {**PROBLEMS, **TABULAR_RESPONSES}


class _EntityFilter(Paged):
    name: str | None = Field(
        None,
        examples=["Peskov"],
        max_length=300,
        description="An id, name or alias (any case or accents; a surname will do).",
    )
    country: str | None = Field(
        None, max_length=200, description="Holding positions in this country: alpha-2, alpha-3 or name."
    )


class PersonFilter(_EntityFilter):
    organisation: str | None = Field(
        None, max_length=300, description="Holding positions in this organisation (id, name or alias)."
    )


class OrganisationFilter(_EntityFilter):
    person: str | None = Field(
        None, max_length=300, description="Where this person (id, name or alias) holds a position."
    )


@router.get("/people", response_model=PersonPage, responses=LIST_RESPONSES)
async def list_people(request: Request, query: Annotated[PersonFilter, from_query(PersonFilter)]) -> Any:
    """People mentioned in stored articles, one per real person: by name, country or organisation."""
    settings = app_settings(request)
    page = await read(
        settings,
        entities.list_entities,
        kind="person",
        limit=query.page_size(settings),
        cursor=query.cursor,
        name=query.name,
        country=query.country,
        organisation=query.organisation,
    )
    return list_response(request, page, negotiate(request, query.format))


@router.get("/people/{person_id}", response_model=PersonRead, responses=DETAIL_RESPONSES)
async def get_person(person_id: EntityId, request: Request) -> Any:
    """A person's page: aliases, positions over time, counts and top co-mentions (ETag)."""
    return etag_response(request, await read(app_settings(request), entities.get_person, person_id=person_id))


@router.get("/organisations", response_model=OrganisationPage, responses=LIST_RESPONSES)
async def list_organisations(
    request: Request, query: Annotated[OrganisationFilter, from_query(OrganisationFilter)]
) -> Any:
    """Organisations mentioned in stored articles, one per real organisation: by name, country or person."""
    settings = app_settings(request)
    page = await read(
        settings,
        entities.list_entities,
        kind="organisation",
        limit=query.page_size(settings),
        cursor=query.cursor,
        name=query.name,
        country=query.country,
        person=query.person,
    )
    return list_response(request, page, negotiate(request, query.format))


@router.get("/organisations/{organisation_id}", response_model=OrganisationRead, responses=DETAIL_RESPONSES)
async def get_organisation(organisation_id: EntityId, request: Request) -> Any:
    """An organisation's page: aliases, articles, people holding positions there, co-mentions (ETag)."""
    found = await read(app_settings(request), entities.get_organisation, organisation_id=organisation_id)
    return etag_response(request, found)


@router.get("/countries", response_model=list[CountryPublic], responses=LIST_RESPONSES)
async def list_countries(request: Request, query: Annotated[Formatted, from_query(Formatted)]) -> Any:
    """Every ISO 3166-1 country the service knows, by alpha-2 code."""
    countries = await read(app_settings(request), entities.list_countries)
    chosen = negotiate(request, query.format)
    if chosen is ListFormat.json:
        return countries
    return list_response(request, CountryPage(items=countries), chosen)


@router.get("/countries/{country}", response_model=CountryRead, responses=DETAIL_RESPONSES)
async def get_country(
    country: Annotated[
        str,
        Path(min_length=2, max_length=200, description="ISO alpha-2 or alpha-3 code, or the country's name."),
    ],
    request: Request,
) -> Any:
    """A country's page: articles, the latest of them, people holding positions in it, top speakers (ETag)."""
    return etag_response(request, await read(app_settings(request), entities.get_country, value=country))

"""/positions: who held which office, for which organisation and country, across time."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request
from pydantic import Field

from app.db import read
from app.deps import app_settings
from app.models.common import IsoDateTime
from app.models.queries import PositionPage
from app.routers.common import PROBLEMS, TABULAR_RESPONSES, Paged, list_response, negotiate
from app.routers.querystring import from_query
from app.services import positions as position_service

router = APIRouter(prefix="/positions", tags=["positions"])


class PositionFilter(Paged):
    title: str | None = Field(
        None,
        examples=["foreign minister"],
        max_length=200,
        description='Titles containing every word given, any case: "minister" finds "foreign minister".',
    )
    country: str | None = Field(
        None, examples=["RU"], max_length=200, description="The position's country: alpha-2, alpha-3 or name."
    )
    organisation: str | None = Field(
        None,
        examples=["United Nations"],
        max_length=300,
        description="The position's organisation: id, name or alias.",
    )
    person: str | None = Field(
        None,
        examples=["Lavrov"],
        max_length=300,
        description="The holder: id, name or alias (a surname will do).",
    )
    as_of: IsoDateTime | None = Field(
        None,
        examples=["2014-03-01"],
        description="Who held each office on this date: stated as held by then, nobody else since.",
    )


@router.get("", response_model=PositionPage, responses={**PROBLEMS, **TABULAR_RESPONSES})
async def list_positions(
    request: Request, query: Annotated[PositionFilter, from_query(PositionFilter)]
) -> Any:
    """Who held which position when: one row per person and office, latest seen first."""
    settings = app_settings(request)
    page = await read(
        settings,
        position_service.list_positions,
        limit=query.page_size(settings),
        cursor=query.cursor,
        title=query.title,
        country=query.country,
        organisation=query.organisation,
        person=query.person,
        as_of=query.as_of,
    )
    return list_response(request, page, negotiate(request, query.format))

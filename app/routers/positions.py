"""/positions: who held which office, for which organisation and country, across time."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from app.deps import SessionDep, SettingsDep
from app.models.queries import PositionPage
from app.routers.common import (
    PROBLEMS,
    TABULAR_RESPONSES,
    Cursor,
    FormatParam,
    Limit,
    list_response,
    negotiate,
    page_size,
)
from app.services import positions as position_service

router = APIRouter(prefix="/positions", tags=["positions"])


@router.get("", response_model=PositionPage, responses={**PROBLEMS, **TABULAR_RESPONSES})
def list_positions(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    title: Annotated[
        str | None,
        Query(
            max_length=200,
            description='Titles containing every word given, any case: "minister" finds "foreign minister".',
        ),
    ] = None,
    country: Annotated[
        str | None, Query(max_length=200, description="The position's country: alpha-2, alpha-3 or name.")
    ] = None,
    organisation: Annotated[
        str | None, Query(max_length=300, description="The position's organisation: id, name or alias.")
    ] = None,
    person: Annotated[
        str | None, Query(max_length=300, description="The holder: id, name or alias (a surname will do).")
    ] = None,
    limit: Limit = None,
    cursor: Cursor = None,
    fmt: FormatParam = None,
) -> Any:
    """Who held which position when: one row per person and office, latest seen first."""
    page = position_service.list_positions(
        session=session,
        limit=page_size(limit, default=settings.default_page_size, maximum=settings.max_page_size),
        cursor=cursor,
        title=title,
        country=country,
        organisation=organisation,
        person=person,
    )
    return list_response(request, page, negotiate(request, fmt))

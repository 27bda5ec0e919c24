"""/quotes: what people said, across all articles, with speaker, positions and article."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from app.deps import SessionDep, SettingsDep
from app.models.queries import QuoteKind, QuotePage
from app.routers.common import (
    PROBLEMS,
    TABULAR_RESPONSES,
    Cursor,
    FormatParam,
    Limit,
    PublishedFrom,
    PublishedTo,
    list_response,
    negotiate,
    page_size,
)
from app.services import quotes as quote_service

router = APIRouter(prefix="/quotes", tags=["quotes"])


@router.get("", response_model=QuotePage, responses={**PROBLEMS, **TABULAR_RESPONSES})
def list_quotes(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    speaker: Annotated[
        str | None,
        Query(
            max_length=300, description="Speaker id, name or alias (any case or accents; a surname will do)."
        ),
    ] = None,
    speaker_country: Annotated[
        str | None,
        Query(
            max_length=200, description="Country of a position the speaker holds: alpha-2, alpha-3 or name."
        ),
    ] = None,
    speaker_organisation: Annotated[
        str | None,
        Query(
            max_length=300, description="Organisation (id, name or alias) of a position the speaker holds."
        ),
    ] = None,
    country: Annotated[
        str | None,
        Query(
            max_length=200, description="A country the quote's article mentions: alpha-2, alpha-3 or name."
        ),
    ] = None,
    kind: Annotated[
        QuoteKind | None, Query(description="direct (in quotation marks) or indirect (reported speech).")
    ] = None,
    q: Annotated[
        str | None,
        Query(
            max_length=500, description='Full text of the quote: words and "quoted phrases", all must match.'
        ),
    ] = None,
    published_from: PublishedFrom = None,
    published_to: PublishedTo = None,
    limit: Limit = None,
    cursor: Cursor = None,
    fmt: FormatParam = None,
) -> Any:
    """List quotes, newest first: speaker, speaker's country and organisation, country, kind, text, date."""
    page = quote_service.list_quotes(
        session=session,
        limit=page_size(limit, default=settings.default_page_size, maximum=settings.max_page_size),
        cursor=cursor,
        speaker=speaker,
        speaker_country=speaker_country,
        speaker_organisation=speaker_organisation,
        country=country,
        kind=kind,
        q=q,
        published_from=published_from,
        published_to=published_to,
    )
    return list_response(request, page, negotiate(request, fmt))

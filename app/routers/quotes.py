"""/quotes: what people said, across all articles, with speaker, positions and article."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request
from pydantic import Field

from app.db import read
from app.deps import app_settings
from app.models.queries import QuoteKind, QuotePage
from app.routers.common import (
    PROBLEMS,
    TABULAR_RESPONSES,
    Paged,
    PublishedWithin,
    Sorted,
    list_response,
    negotiate,
)
from app.routers.querystring import from_query
from app.services import quotes as quote_service

router = APIRouter(prefix="/quotes", tags=["quotes"])


class QuoteFilter(PublishedWithin, Sorted, Paged):
    speaker: str | None = Field(
        None,
        examples=["Zelensky"],
        max_length=300,
        description="Speaker id, name or alias (any case or accents; a surname will do).",
    )
    speaker_country: str | None = Field(
        None,
        examples=["RU"],
        max_length=200,
        description="Country of a position the speaker holds: alpha-2, alpha-3 or name.",
    )
    speaker_organisation: str | None = Field(
        None,
        examples=["Kremlin"],
        max_length=300,
        description="Organisation (id, name or alias) of a position the speaker holds.",
    )
    country: str | None = Field(
        None,
        examples=["UA"],
        max_length=200,
        description="A country the quote's article mentions: alpha-2, alpha-3 or name.",
    )
    kind: QuoteKind | None = Field(
        None, examples=["direct"], description="direct (in quotation marks) or indirect (reported speech)."
    )
    q: str | None = Field(
        None,
        examples=["ceasefire"],
        max_length=500,
        description='Full text of the quote: words and "quoted phrases", all must match.',
    )


@router.get("", response_model=QuotePage, responses={**PROBLEMS, **TABULAR_RESPONSES})
async def list_quotes(request: Request, query: Annotated[QuoteFilter, from_query(QuoteFilter)]) -> Any:
    """List quotes, newest first (by id, or by publication with sort=published): speaker, kind, text, date."""
    settings = app_settings(request)
    page = await read(
        settings,
        quote_service.list_quotes,
        limit=query.page_size(settings),
        cursor=query.cursor,
        speaker=query.speaker,
        speaker_country=query.speaker_country,
        speaker_organisation=query.speaker_organisation,
        country=query.country,
        kind=query.kind,
        q=query.q,
        published_from=query.published_from,
        published_to=query.published_to,
        sort=query.sort,
    )
    return list_response(request, page, negotiate(request, query.format))

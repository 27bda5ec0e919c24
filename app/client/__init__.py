"""A typed Python client for the newsmeta API, sync (`Client`) and asyncio (`AsyncClient`).

    from app.client import Client

    with Client("http://127.0.0.1:8000", api_key="nm_...") as client:
        article = client.create_article({"text": "...", "title": "..."})
        for quote in client.quotes(speaker="Peskov"):  # every page, via the Link header
            print(quote.speaker.name if quote.speaker else None, quote.text)

Answers are the service's own pydantic models (`ArticleRead`, `QuotePublic`, `Timeline`, ...);
errors are `NewsmetaError` subclasses holding the RFC 9457 problem; 429 and 503 are retried
after their `Retry-After`. See docs/client.md.
"""

from app.client._async import AsyncClient
from app.client._core import (
    BadRequest,
    Forbidden,
    InvalidInput,
    NewsmetaError,
    NotFound,
    PayloadTooLarge,
    RateLimited,
    ServerError,
    ServiceBusy,
    Unauthorized,
    UnsupportedMediaType,
)
from app.client._sync import Client
from app.errors import Problem

__all__ = [
    "AsyncClient",
    "BadRequest",
    "Client",
    "Forbidden",
    "InvalidInput",
    "NewsmetaError",
    "NotFound",
    "PayloadTooLarge",
    "Problem",
    "RateLimited",
    "ServerError",
    "ServiceBusy",
    "Unauthorized",
    "UnsupportedMediaType",
]

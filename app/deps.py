"""FastAPI dependencies as Annotated aliases: `def route(session: SessionDep)`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlmodel import Session

from app.config import Settings, get_settings
from app.db import get_engine, session_scope
from app.errors import UnsupportedMediaType
from app.extraction import Extractor, load_pipeline

SettingsDep = Annotated[Settings, Depends(get_settings)]


def _engine(settings: SettingsDep) -> Engine:
    return get_engine(settings)


EngineDep = Annotated[Engine, Depends(_engine)]


def _session(engine: EngineDep) -> Iterator[Session]:
    """A read session per request; it commits when the route returns, rolls back when it raises."""
    with session_scope(engine) as session:
        yield session


def _write_session(engine: EngineDep) -> Iterator[Session]:
    with session_scope(engine, write=True) as session:
        yield session


SessionDep = Annotated[Session, Depends(_session)]
WriteSessionDep = Annotated[Session, Depends(_write_session)]


def _extractor(settings: SettingsDep) -> Extractor:
    return load_pipeline(settings.model)


ExtractorDep = Annotated[Extractor, Depends(_extractor)]


def require_json(request: Request) -> None:
    """POST bodies are JSON: anything else is a 415, not a confusing validation error."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json" and not content_type.endswith("+json"):
        raise UnsupportedMediaType(
            f"send the body as application/json (got {content_type or 'no content type'})"
        )

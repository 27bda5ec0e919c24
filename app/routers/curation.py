"""Curation (admin scope): merge, split, rename people and organisations, set external ids."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel
from sqlalchemy import select
from sqlmodel import Session, col

from app.auth import AdminKey
from app.db import in_transaction, session_scope
from app.deps import EngineDep
from app.errors import NotFound, UnsupportedMediaType
from app.models import ApiKeyPublic, EntityLink, EntityRedirect
from app.models.common import MAX_ID
from app.models.curation import EntityUpdate, History, LinkRecord, MergeIn, MergeRecord, SplitIn
from app.models.queries import OrganisationRead, PersonRead
from app.routers.common import PROBLEMS
from app.services import curation, entities, resolution
from app.services.resolution import Kind

router = APIRouter(tags=["curation"])

# A body with a malformed path id is parsed before any check of ours runs: a form body is a 400.
WRITE_PROBLEMS: dict[int | str, dict[str, Any]] = {**PROBLEMS, 400: PROBLEMS[422]}


def _exists(engine: Any, kind: Kind, entity_id: int) -> None:
    with session_scope(engine) as session:
        if curation.current_id(session, kind, entity_id) is None:
            raise NotFound(f"no {kind} with id {entity_id}")


def _json_body(request: Request) -> None:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json" and not content_type.endswith("+json"):
        raise UnsupportedMediaType(
            f"send the body as application/json (got {content_type or 'no content type'})"
        )


def _actor(key: ApiKeyPublic | None) -> str | None:
    return None if key is None else (key.name or key.prefix)


def _page(session: Session, kind: Kind, entity_id: int) -> PersonRead | OrganisationRead:
    if kind == "person":
        return entities.get_person(session=session, person_id=entity_id)
    return entities.get_organisation(session=session, organisation_id=entity_id)


def _change(engine: Any, kind: Kind, change: Callable[[Session], int]) -> Any:
    """Run one curation change in a transaction of its own; the page of the entity it gives."""
    return in_transaction(engine, lambda session: _page(session, kind, change(session)))


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
        links = session.execute(
            select(col(EntityLink.article_id), col(EntityLink.name), col(EntityLink.reason))
            .where(resolution.link_column(kind) == current)
            .order_by(col(EntityLink.article_id))
            .limit(1000)
        ).all()
        return History(
            id=current,
            merged=[MergeRecord.model_validate(m, from_attributes=True) for m in merged],
            links=[LinkRecord(article_id=a, name=n, reason=r) for a, n, r in links],
        )

    return in_transaction(engine, work)


@dataclass(frozen=True)
class _Entities:
    """How one kind of entity is spelled in its routes: `/people/{person_id}/merge` is `merge_people`."""

    kind: Kind
    plural: str
    page: type[BaseModel]
    a: str  # "a person", "an organisation"

    @property
    def param(self) -> str:
        return f"{self.kind}_id"


def _add_routes(e: _Entities) -> None:
    """Merge, split, update and history for one kind: the same work under its own paths and
    names (the names are the operation ids and give the summaries). The module does without
    `from __future__ import annotations` so that FastAPI reads `Id`, local to this call, as it is."""
    Id = Annotated[int, Path(alias=e.param, ge=1, le=MAX_ID, description="The entity's id.")]

    def exists(entity_id: Id, request: Request, engine: EngineDep, _key: AdminKey) -> None:
        """An unknown id is a 404 whatever the body (after the key is checked, before the body is
        read); then a body that is not JSON is a 415."""
        _exists(engine, e.kind, entity_id)
        _json_body(request)

    def merge(entity_id: Id, body: MergeIn, engine: EngineDep, key: AdminKey) -> Any:
        return _change(
            engine,
            e.kind,
            lambda session: curation.merge(
                session, kind=e.kind, into_id=entity_id, other_id=body.id, actor=_actor(key)
            ),
        )

    def split(entity_id: Id, body: SplitIn, engine: EngineDep, key: AdminKey) -> Any:
        return _change(
            engine,
            e.kind,
            lambda session: curation.split(
                session,
                kind=e.kind,
                entity_id=entity_id,
                alias=body.alias,
                article_ids=body.article_ids,
                name=body.name,
                actor=_actor(key),
            ),
        )

    def update(entity_id: Id, body: EntityUpdate, engine: EngineDep, key: AdminKey) -> Any:
        return _change(
            engine,
            e.kind,
            lambda session: curation.update_entity(
                session,
                kind=e.kind,
                entity_id=entity_id,
                name=body.name,
                external_id=body.external_id,
                clear_external_id="external_id" in body.model_fields_set,
                actor=_actor(key),
            ),
        )

    def history(entity_id: Id, engine: EngineDep, _key: AdminKey) -> Any:
        return _history(engine, e.kind, entity_id)

    path = f"/{e.plural}/{{{e.param}}}"
    checked: Any = {"responses": WRITE_PROBLEMS, "dependencies": [Depends(exists)]}
    router.add_api_route(
        f"{path}/merge",
        merge,
        methods=["POST"],
        name=f"merge_{e.plural}",
        response_model=e.page,
        description=f"Fold another {e.kind} into this one (admin): records, counts and names move; "
        "the old id redirects.",
        **checked,
    )
    router.add_api_route(
        f"{path}/split",
        split,
        methods=["POST"],
        name=f"split_{e.kind}",
        response_model=e.page,
        status_code=201,
        description=f"Split an alias, or some articles' records, off into a new {e.kind} (admin).",
        **checked,
    )
    router.add_api_route(
        path,
        update,
        methods=["PATCH"],
        name=f"update_{e.kind}",
        response_model=e.page,
        description=f"Rename {e.a} or set the external id (admin); the old name stays an alias.",
        **checked,
    )
    router.add_api_route(
        f"{path}/history",
        history,
        methods=["GET"],
        name=f"{e.kind}_history",
        response_model=History,
        responses=PROBLEMS,
        description=f"The ids merged into {e.a} and the reason each article was linked (admin).",
    )


_add_routes(_Entities(kind="person", plural="people", page=PersonRead, a="a person"))
_add_routes(
    _Entities(kind="organisation", plural="organisations", page=OrganisationRead, a="an organisation")
)

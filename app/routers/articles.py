"""/articles: post articles, read them back with their records, list, delete."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status
from fastapi.responses import JSONResponse
from pydantic import Field, ValidationError
from sqlalchemy import Engine
from sqlmodel import Session

from app.auth import AdminKey, WriteKey
from app.db import in_transaction, read, read_engine
from app.deps import EngineDep, ExtractorPoolDep, JobQueueDep, SettingsDep, app_settings, require_json
from app.errors import AppError, NotFound, Problem
from app.models import (
    ArticleBatchIn,
    ArticleBatchOut,
    ArticleCreate,
    ArticlePage,
    ArticleRead,
    BatchItemResult,
    JobAccepted,
)
from app.models.apikey import ApiKeyPublic
from app.models.common import MAX_ID
from app.queue import JobQueue
from app.routers.common import (
    PROBLEMS,
    TABULAR_RESPONSES,
    Paged,
    PublishedWithin,
    Sorted,
    etag_response,
    list_response,
    negotiate,
)
from app.routers.querystring import from_query
from app.services import articles as article_service
from app.services import ingest, jobs

router = APIRouter(prefix="/articles", tags=["articles"])

# A body that is not text (invalid UTF-8) fails before validation, and FastAPI answers 400.
BODY_PROBLEMS: dict[int | str, dict[str, Any]] = {400: PROBLEMS[422], **PROBLEMS}

ArticleId = Annotated[int, Path(ge=1, le=MAX_ID, description="The article's id.")]
AsyncParam = Annotated[
    bool,
    Query(
        alias="async",
        description="true: answer 202 at once with a job id and ingest in the background "
        "(follow it at GET /jobs/{id}).",
    ),
]
ACCEPTED: dict[str, Any] = {"model": JobAccepted, "description": "Queued: follow the job at `Location`."}


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ArticleRead,
    dependencies=[Depends(require_json)],
    responses={
        200: {"model": ArticleRead, "description": "Already stored: the existing article."},
        202: ACCEPTED,
        **BODY_PROBLEMS,
    },
)
def create_article(
    _key: WriteKey,
    article_in: ArticleCreate,
    response: Response,
    engine: EngineDep,
    extractor: ExtractorPoolDep,
    settings: SettingsDep,
    job_queue: JobQueueDep,
    run_async: AsyncParam = False,
) -> Any:
    """Store an article and extract its records (201), or return the stored one (200); async=true: 202."""
    if run_async:
        ingest.check_size(article_in, settings=settings)
        return _accepted(engine, job_queue, [article_in], _key)
    for attempt in range(1, _STORE_ATTEMPTS + 1):
        result = ingest.ingest_article(
            engine=engine, extractor=extractor, settings=settings, article_in=article_in
        )
        try:
            with Session(read_engine(engine)) as session:
                stored = article_service.get_article(session=session, article_id=result.article_id)
            break
        except NotFound:
            # A DELETE of this article landed between finding (or storing) it and reading it
            # back: the client asked for it to be stored, so store it again rather than 404.
            if attempt == _STORE_ATTEMPTS:
                raise
    if not result.created:
        response.status_code = status.HTTP_200_OK
    response.headers["Location"] = f"/articles/{result.article_id}"
    return stored


# Rounds of store-then-read a POST makes while concurrent DELETEs keep removing its article.
_STORE_ATTEMPTS = 5


@router.post(
    "/batch",
    response_model=ArticleBatchOut,
    dependencies=[Depends(require_json)],
    responses={202: ACCEPTED, **BODY_PROBLEMS},
)
def create_articles(
    _key: WriteKey,
    batch: ArticleBatchIn,
    engine: EngineDep,
    extractor: ExtractorPoolDep,
    settings: SettingsDep,
    job_queue: JobQueueDep,
    run_async: AsyncParam = False,
) -> Any:
    """Store many articles; each item gets its own result, and a bad item does not sink the others."""
    if len(batch.articles) > settings.max_batch_items:
        raise _TooManyItems(
            f"{len(batch.articles)} articles in one batch; the limit is {settings.max_batch_items} "
            "(setting NEWSMETA_MAX_BATCH_ITEMS)"
        )
    results: list[BatchItemResult | None] = [None] * len(batch.articles)
    valid: list[tuple[int, ArticleCreate]] = []
    for index, raw in enumerate(batch.articles):
        try:
            item = ArticleCreate.model_validate(raw)
            ingest.check_size(item, settings=settings)
            valid.append((index, item))
        except ValidationError as exc:
            errors = [{"loc": list(e["loc"]), "msg": str(e["msg"]), "type": e["type"]} for e in exc.errors()]
            first = errors[0] if errors else None
            results[index] = _failed(
                index, 422, "Invalid input", str(first["msg"]) if first else None, errors
            )
        except AppError as exc:
            results[index] = _failed(index, exc.status, exc.title, exc.detail, None)
    if run_async:
        by_index = dict(valid)
        items = [by_index.get(i) or Problem.model_validate(r and r.problem) for i, r in enumerate(results)]
        return _accepted(engine, job_queue, items, _key)
    stored = ingest.ingest_each(
        engine=engine, extractor=extractor, settings=settings, articles=[item for _, item in valid]
    )
    for (index, _), res in zip(valid, stored, strict=True):
        if isinstance(res, AppError):  # over its extraction budget: this item alone fails
            problem = Problem(type=res.type, title=res.title, status=res.status, detail=res.detail)
            results[index] = BatchItemResult(
                index=index, status=res.status, problem=problem.model_dump(exclude_none=True)
            )
            continue
        results[index] = BatchItemResult(
            index=index, status=201 if res.created else 200, article_id=res.article_id, created=res.created
        )
    final = [r for r in results if r is not None]
    return ArticleBatchOut(
        results=final,
        created=sum(r.created for r in final),
        existing=sum(r.status == 200 for r in final),
        failed=sum(r.status >= 400 for r in final),
    )


def _accepted(
    engine: Engine,
    job_queue: JobQueue,
    articles: Sequence[ArticleCreate | Problem],
    key: ApiKeyPublic | None,
) -> Response:
    """Queue an ingest job for these items (a `Problem`: failed already) and answer 202 with its place.

    The job belongs to the key that asked: only it (and admin keys) may read it."""
    owner = key.id if key is not None else None
    job = jobs.submit(
        engine=engine,
        enqueue=job_queue.enqueue,
        create=lambda session: jobs.create_ingest_job(session=session, articles=articles, owner_key_id=owner),
    )
    accepted = JobAccepted(job_id=job.id, status=job.status, total=job.total, location=f"/jobs/{job.id}")
    return JSONResponse(
        accepted.model_dump(), status_code=status.HTTP_202_ACCEPTED, headers={"Location": accepted.location}
    )


class _TooManyItems(AppError):
    status = 413
    title = "Too many items"
    type = "/problems/too-many-items"


def _failed(
    index: int, status_code: int, title: str, detail: str | None, errors: list[dict[str, Any]] | None
) -> BatchItemResult:
    kind = "/problems/invalid-input" if status_code == 422 else "/problems/payload-too-large"
    problem = Problem(type=kind, title=title, status=status_code, detail=detail, errors=errors)
    return BatchItemResult(index=index, status=status_code, problem=problem.model_dump(exclude_none=True))


class ArticleFilter(PublishedWithin, Sorted, Paged):
    q: str | None = Field(
        None,
        examples=['"peace talks" Ukraine'],
        max_length=500,
        description='Full-text search: words and "quoted phrases", all must match.',
    )
    person: str | None = Field(
        None, examples=["Dmitry Peskov"], max_length=300, description="Person id, name or alias."
    )
    organisation: str | None = Field(
        None, examples=["NATO"], max_length=300, description="Organisation id, name or alias."
    )
    country: str | None = Field(
        None, examples=["RU"], max_length=200, description="ISO alpha-2/alpha-3 code or name."
    )


@router.get("", response_model=ArticlePage, responses={**PROBLEMS, **TABULAR_RESPONSES})
async def list_articles(request: Request, query: Annotated[ArticleFilter, from_query(ArticleFilter)]) -> Any:
    """List articles, newest first (by id, or by publication with sort=published): text, entities, dates."""
    settings = app_settings(request)
    page = await read(
        settings,
        article_service.list_articles,
        limit=query.page_size(settings),
        cursor=query.cursor,
        q=query.q,
        person=query.person,
        organisation=query.organisation,
        country=query.country,
        published_from=query.published_from,
        published_to=query.published_to,
        sort=query.sort,
    )
    return list_response(request, page, negotiate(request, query.format))


@router.get(
    "/{article_id}", response_model=ArticleRead, responses={**PROBLEMS, 304: {"description": "Not modified"}}
)
async def get_article(article_id: ArticleId, request: Request) -> Any:
    """One article with its people, organisations, countries, positions and quotes (ETag)."""
    article = await read(app_settings(request), article_service.get_article, article_id=article_id)
    return etag_response(request, article)


@router.delete("/{article_id}", status_code=status.HTTP_204_NO_CONTENT, responses=PROBLEMS)
def delete_article(_key: AdminKey, article_id: ArticleId, engine: EngineDep) -> Response:
    """Delete an article and its records; entities no other article mentions go with it."""

    def delete(session: Session) -> bool:
        # Its text goes from the stored job inputs too, in the same transaction (retention).
        jobs.forget_article(session=session, article_id=article_id)
        return ingest.delete_article(session=session, article_id=article_id)

    if not in_transaction(engine, delete):
        raise NotFound(f"no article with id {article_id}")
    return Response(status_code=status.HTTP_204_NO_CONTENT)

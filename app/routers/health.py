"""/healthz (the process is up), /readyz (it can serve) and /metrics (Prometheus)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel
from sqlalchemy import text

from app import migrate
from app.db import get_engine, read_load
from app.deps import SettingsDep
from app.errors import Problem, problem_response
from app.extraction import load_pipeline
from app.observability import REGISTRY

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str


class Readiness(BaseModel):
    status: str
    checks: dict[str, str]


@router.get("/healthz", response_model=Health)
async def healthz() -> Health:
    """The process is up and answering."""
    return Health(status="ok")


@router.get(
    "/readyz",
    response_model=Readiness,
    responses={503: {"model": Problem, "content": {"application/problem+json": {}}}},
)
def readyz(settings: SettingsDep) -> Any:
    """Ready to serve: the database answers at the newest migration, the model is loaded, readers are free."""
    checks: dict[str, str] = {}
    try:
        with get_engine(settings).connect() as conn:
            conn.execute(text("SELECT 1"))
        checks["database"] = "ok"
        checks["migrations"] = "ok" if migrate.is_at_head(settings) else "pending migrations"
    except Exception as exc:  # noqa: BLE001 - any failure to reach the database means not ready
        checks["database"] = f"unreachable: {type(exc).__name__}"
    checks["model"] = "ok" if load_pipeline.cache_info().currsize else "not loaded"
    in_flight, readers = read_load(settings)
    # Every reader thread busy: a new read waits in line, so a balancer should send it elsewhere.
    checks["reads"] = (
        "ok" if in_flight < readers else f"saturated: {in_flight} reads for {readers} reader threads"
    )
    if all(v == "ok" for v in checks.values()):
        return JSONResponse(Readiness(status="ok", checks=checks).model_dump())
    failing = ", ".join(f"{k}: {v}" for k, v in checks.items() if v != "ok")
    return problem_response(
        Problem(type="/problems/not-ready", title="Not ready", status=503, detail=failing, instance="/readyz")
    )


_KEY_PROBLEMS: dict[int | str, dict[str, Any]] = {
    code: {"model": Problem, "content": {"application/problem+json": {}}} for code in (401, 403, 429)
}


@router.get(
    "/metrics",
    response_class=Response,
    # With NEWSMETA_REQUIRE_READ_KEY=true, metrics need a read key like every other read.
    responses={200: {"content": {CONTENT_TYPE_LATEST: {}}}, **_KEY_PROBLEMS},
)
async def metrics() -> Response:
    """Prometheus metrics: requests, latencies, articles ingested, extraction time."""
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)

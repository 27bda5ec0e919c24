"""/jobs: the status, progress and per-item results of background work."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from app.auth import OwnerKey
from app.db import read
from app.deps import app_settings
from app.models import JobPublic
from app.routers.common import PROBLEMS
from app.services import jobs

router = APIRouter(prefix="/jobs", tags=["jobs"])


@router.get("/{job_id}", response_model=JobPublic, responses=PROBLEMS)
async def get_job(
    job_id: Annotated[str, Path(max_length=64, description="The id a 202 Accepted answer gave.")],
    request: Request,
    key: OwnerKey,
    results: Annotated[bool, Query(description="Include the per-item results (false: counts only).")] = True,
) -> JobPublic:
    """A job's status, progress and per-item results; only for the key that made it or an admin key."""
    reader = None if key is None else jobs.JobReader(key_id=key.id, admin=key.scope == "admin")
    return await read(app_settings(request), jobs.get_job, job_id=job_id, with_results=results, reader=reader)

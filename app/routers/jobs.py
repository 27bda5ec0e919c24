"""/jobs: the status, progress and per-item results of background work."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from app.deps import SessionDep
from app.models import JobPublic
from app.routers.common import PROBLEMS
from app.services import jobs

router = APIRouter(prefix="/jobs", tags=["jobs"])


@router.get("/{job_id}", response_model=JobPublic, responses=PROBLEMS)
def get_job(
    job_id: Annotated[str, Path(max_length=64, description="The id a 202 Accepted answer gave.")],
    session: SessionDep,
    results: Annotated[bool, Query(description="Include the per-item results (false: counts only).")] = True,
) -> JobPublic:
    """A job's status (queued, running, done, failed), progress and, item by item, its results."""
    return jobs.get_job(session=session, job_id=job_id, with_results=results)

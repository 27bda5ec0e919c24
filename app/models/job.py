"""Jobs: work done in the background (asynchronous ingest, re-extraction), queue-agnostic.

A job's state and its items' inputs and results live in newsmeta's own database;
a queue only ever carries a job id. So a job retried after a worker died re-reads
its items, and skips the ones already done (an item's result is written in the
same transaction as its article).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field as PydanticField
from sqlalchemy import JSON, CheckConstraint, Column, DateTime, ForeignKey, Integer, String, Text
from sqlmodel import Field, SQLModel

from app.models.common import ApiModel, as_utc, utcnow

JobKind = Literal["ingest", "reextract"]
JobStatus = Literal["queued", "running", "done", "failed"]


class Job(SQLModel, table=True):
    __tablename__ = "job"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name="status"),
        CheckConstraint("kind IN ('ingest', 'reextract')", name="kind"),
    )

    id: str = Field(primary_key=True, max_length=32, description="A random hex id.")
    kind: str = Field(max_length=20)
    status: str = Field(default="queued", max_length=10, index=True)
    total: int = Field(default=0, description="Items in the job.")
    done: int = Field(default=0, description="Items finished, failed ones included.")
    failed: int = Field(default=0, description="Items that failed.")
    attempts: int = Field(default=0, description="How many times a worker started the job.")
    error: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    started_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    finished_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), index=True))
    owner_key_id: int | None = Field(
        default=None, description="The API key that made the job: it and admin keys may read it."
    )


class JobItem(SQLModel, table=True):
    """One unit of a job: an article to ingest or to re-extract, and its result once done.

    `status` is NULL until the item is done; then an HTTP-like code: 201 created,
    200 already stored (or re-extracted), 4xx/5xx failed with `problem`.
    """

    __tablename__ = "job_item"

    job_id: str = Field(
        sa_column=Column(
            String(32), ForeignKey("job.id", ondelete="CASCADE"), primary_key=True, nullable=False
        )
    )
    index: int = Field(sa_column=Column(Integer, primary_key=True, nullable=False, autoincrement=False))
    input: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    status: int | None = Field(default=None)
    article_id: int | None = Field(default=None)
    created: bool | None = Field(default=None)
    problem: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))


class JobItemResult(ApiModel):
    index: int = PydanticField(description="The item's position in the request.")
    status: int | None = PydanticField(
        default=None,
        description="Null while pending; 201 stored, 200 already stored (or re-extracted), 4xx/5xx failed.",
    )
    article_id: int | None = None
    created: bool | None = None
    problem: dict[str, Any] | None = PydanticField(
        default=None, description="Problem details of a failed item."
    )


class JobPublic(ApiModel):
    id: str
    kind: str = PydanticField(description="ingest or reextract.")
    status: str = PydanticField(description="queued, running, done or failed.")
    total: int
    done: int = PydanticField(description="Items finished so far, failed ones included.")
    failed: int
    progress: float = PydanticField(description="done / total, from 0 to 1.")
    attempts: int = PydanticField(
        description="How many times a worker started the job (more than 1 after a retry)."
    )
    error: str | None = PydanticField(default=None, description="Why the job failed, if it did.")
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    results: list[JobItemResult] = PydanticField(
        default=[], description="One result per item, in request order."
    )

    def model_post_init(self, context: object, /) -> None:
        self.created_at = as_utc(self.created_at) or self.created_at
        self.started_at = as_utc(self.started_at)
        self.finished_at = as_utc(self.finished_at)


class JobAccepted(ApiModel):
    """The answer to an asynchronous request: where to follow the job."""

    job_id: str
    status: str
    total: int
    location: str = PydanticField(description="GET this path for the job's status, progress and results.")

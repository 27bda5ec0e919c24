"""Articles: the text a client posted, its metadata, and how it was extracted."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, field_validator
from pydantic import Field as PydanticField
from sqlalchemy import Column, DateTime, Index, Text
from sqlmodel import Field, SQLModel

from app.extraction.encoding import repair_encoding
from app.models.common import ApiModel, as_utc, not_a_number, utcnow

SEED_EXAMPLE = (
    "Kremlin spokesperson Dmitry Peskov has accused Western leaders of actively undermining "
    "diplomatic efforts to end the Ukraine conflict. “Russia remains open to resolving the conflict "
    "through political means,” Peskov said."
)


class ArticleBase(SQLModel):
    url: str | None = Field(default=None, max_length=2000, description="Where the article was published.")
    external_id: str | None = Field(
        default=None, max_length=200, description="The client's own id for the article (idempotency key)."
    )
    title: str | None = Field(default=None, max_length=1000)
    source: str | None = Field(default=None, max_length=200, description="Publisher or feed name.")
    published_at: datetime | None = Field(
        default=None,
        sa_column=Column(DateTime(timezone=True), index=True),
        description="Publication time, ISO 8601; a date alone means midnight UTC. Its UTC instant must "
        "fall within 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z (422 otherwise).",
    )
    language: str = Field(
        default="en",
        max_length=16,
        description="The article's language (ISO 639-1): as posted, else as detected from the text.",
    )


class ArticleCreate(ArticleBase):
    """What a client posts: the text, and optional metadata."""

    model_config = ConfigDict(  # type: ignore[assignment]  # SQLModelConfig is a ConfigDict
        # A misspelt field ("publshed_at") is a 422 naming it, not metadata silently dropped.
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "text": SEED_EXAMPLE,
                    "title": "Kremlin accuses Western leaders of undermining peace efforts",
                    "url": "https://example.org/news/kremlin-war-party",
                    "source": "Example News",
                    "published_at": "2025-08-20T09:30:00Z",
                }
            ]
        },
    )

    text: str = Field(
        min_length=1,
        description="The article's body text. Mojibake (UTF-8 read as Windows-1252, 'MÃ¼ller') is "
        "repaired before it is stored and read.",
    )
    language: str | None = Field(  # type: ignore[assignment]  # optional here: detected when not given
        default=None,
        max_length=16,
        description="The article's language (ISO 639-1, e.g. en, de); detected from the text when not "
        "given. A language the pipeline does not cover is stored without extraction (or refused, by "
        "setting).",
    )

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("text must not be empty or whitespace")
        if "\x00" in value:
            raise ValueError("text must not contain NUL characters")
        return repair_encoding(value)

    @field_validator("url", "external_id", "title", "source")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        if "\x00" in value:
            raise ValueError("must not contain NUL characters")
        return value or None

    @field_validator("language")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        if "\x00" in value:  # Postgres cannot store a NUL in text
            raise ValueError("must not contain NUL characters")
        return value or None

    @field_validator("published_at", mode="before")
    @classmethod
    def _not_a_number(cls, value: Any) -> Any:
        return not_a_number(value)

    @field_validator("published_at")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return as_utc(value)


class Article(ArticleBase, table=True):
    # Full-text search lives beside the table: an FTS5 index on SQLite, a generated tsvector
    # column `search` with a GIN index on Postgres (see the search migration).
    __table_args__ = (
        Index("ix_article_published_at_id", "published_at", "id"),
        # Records joined to their articles' times (timelines, top lists) read this, not the rows.
        Index("ix_article_id_times", "id", "published_at", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    url: str | None = Field(default=None, max_length=2000, unique=True)
    external_id: str | None = Field(default=None, max_length=200, unique=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    content_hash: str = Field(max_length=64, unique=True, description="sha256 of the text.")
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False, index=True)
    )
    extractor_name: str = Field(max_length=40)
    extractor_version: str = Field(max_length=40)
    language_detected: str | None = Field(default=None, max_length=16)
    extracted: bool = Field(default=True, description="False: stored without extraction (language).")


class ArticlePublic(ApiModel):
    """An article's metadata and how it was extracted (lists leave the text out)."""

    url: str | None = PydanticField(default=None, description="Where the article was published.")
    external_id: str | None = PydanticField(default=None, description="The client's own id for the article.")
    title: str | None = None
    source: str | None = PydanticField(default=None, description="Publisher or feed name.")
    published_at: datetime | None = PydanticField(default=None, description="Publication time (UTC).")
    language: str = "en"
    id: int
    content_hash: str = PydanticField(description="sha256 of the text.")
    created_at: datetime
    extractor_name: str
    extractor_version: str
    language_detected: str | None = PydanticField(
        default=None,
        description="The language detected in the text (ISO 639-1), or null when it was too short or "
        "mixed to tell.",
    )
    extracted: bool = PydanticField(
        default=True,
        description="False when the text's language is one the pipeline does not cover: the article is "
        "stored, but nothing was extracted from it.",
    )

    @field_validator("published_at", "created_at")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return as_utc(value)


# The extracted records as the API returns them: the contract of shared/eval/README.md
# plus database ids and the evidence (offsets) of each record.


class MentionOut(ApiModel):
    start: int
    end: int
    text: str


class PersonOut(ApiModel):
    id: int
    name: str
    aliases: list[str] = []
    mentions: list[MentionOut] = []


class OrganisationOut(ApiModel):
    id: int
    name: str
    aliases: list[str] = []
    mentions: list[MentionOut] = []


class CountryOut(ApiModel):
    code: str
    name: str
    mentions: list[MentionOut] = []


class PositionOut(ApiModel):
    person: str
    person_id: int
    title: str
    organisation: str | None = None
    organisation_id: int | None = None
    country: str | None = None
    former: bool = False
    start: int
    end: int


class QuoteOut(ApiModel):
    id: int
    speaker: str | None
    speaker_id: int | None
    kind: Literal["direct", "indirect"]
    text: str
    cue: str | None = None
    start: int
    end: int


class ExtractionOut(ApiModel):
    people: list[PersonOut] = []
    organisations: list[OrganisationOut] = []
    countries: list[CountryOut] = []
    positions: list[PositionOut] = []
    quotes: list[QuoteOut] = []


class ArticleRead(ArticlePublic):
    """An article with everything extracted from it."""

    text: str
    extraction: ExtractionOut


class ArticlePage(ApiModel):
    items: list[ArticlePublic]
    next_cursor: str | None = PydanticField(
        default=None, description="Pass as `cursor` to get the next page."
    )


class ArticleBatchIn(BaseModel):
    articles: list[Any] = PydanticField(
        min_length=1,
        description="Articles to ingest, each shaped like the body of POST /articles; "
        "each is validated and stored on its own.",
        json_schema_extra={"items": {"$ref": "#/components/schemas/ArticleCreate"}},
    )


class BatchItemResult(ApiModel):
    index: int = PydanticField(description="Position of the item in the request.")
    status: int = PydanticField(
        description="201 created, 200 already stored, or the 4xx of the item's problem."
    )
    article_id: int | None = None
    created: bool = False
    problem: dict[str, Any] | None = PydanticField(
        default=None, description="Problem details when the item failed."
    )


class ArticleBatchOut(ApiModel):
    results: list[BatchItemResult]
    created: int
    existing: int
    failed: int

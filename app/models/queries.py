"""What the query endpoints answer: quotes with their speakers, person, organisation and country
pages, and who held which position when. API schemas only; no tables here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import ConfigDict, Field, field_validator

from app.models.common import ApiModel, as_utc
from app.models.country import CountryPublic

QuoteKind = Literal["direct", "indirect"]

_PERSON_EXAMPLE: dict[str, Any] = {"id": 1, "name": "Dmitry Peskov"}
_ARTICLE_EXAMPLE: dict[str, Any] = {
    "id": 12,
    "title": "Kremlin accuses Western leaders of undermining peace efforts",
    "url": "https://example.org/news/kremlin-war-party",
    "published_at": "2025-08-20T09:30:00Z",
}


class _Timestamps(ApiModel):
    """Datetimes come back from SQLite naive; every one the API shows is UTC."""

    @field_validator("published_at", "first_seen", "last_seen", mode="after", check_fields=False)
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return as_utc(value)


# --- Small references to other resources --------------------------------------------------------


class EntityRef(ApiModel):
    id: int
    name: str


class CountryRef(ApiModel):
    code: str = Field(description="ISO 3166-1 alpha-2.")
    name: str


class ArticleRef(_Timestamps):
    id: int
    title: str | None = None
    url: str | None = None
    published_at: datetime | None = None


class ArticleBrief(_Timestamps):
    id: int
    title: str | None = None
    published_at: datetime | None = None


class PositionBrief(ApiModel):
    title: str
    organisation: str | None = Field(default=None, description="The organisation's name.")
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-2.")


class SpeakerRef(EntityRef):
    positions: list[PositionBrief] = Field(
        default=[],
        description="Every distinct position stored for the speaker, stated by the most articles first.",
    )


class Counted(ApiModel):
    id: int
    name: str
    articles: int = Field(description="Articles the two share.")


class CountedCountry(ApiModel):
    code: str
    name: str
    articles: int = Field(description="Articles the two share.")


class CoMentions(ApiModel):
    """Who else appears in the same articles, by number of shared articles (top 10 each), counted
    over the subject's newest 500 articles (by id), so that a page costs the same however often
    the subject is mentioned."""

    people: list[Counted] = []
    organisations: list[Counted] = []
    countries: list[CountedCountry] = []


class HolderPublic(ApiModel):
    """A person holding positions somewhere, with the titles they were given there."""

    id: int
    name: str
    titles: list[str]
    articles: int = Field(description="Articles stating one of these positions.")


class SpeakerCount(ApiModel):
    id: int
    name: str
    quotes: int


# --- Quotes ----------------------------------------------------------------------------------------


class QuoteBase(ApiModel):
    kind: QuoteKind
    text: str = Field(description="The quoted or reported words, without quotation marks.")
    cue: str | None = Field(default=None, description="The reporting verb or phrase, e.g. 'said'.")
    start: int = Field(description="Offset of the quoted text in the article.")
    end: int


class QuotePublic(QuoteBase):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 7,
                    "kind": "direct",
                    "text": "Russia remains open to resolving the conflict through political means",
                    "cue": "said",
                    "start": 1050,
                    "end": 1120,
                    "speaker": {
                        **_PERSON_EXAMPLE,
                        "positions": [{"title": "spokesperson", "organisation": "Kremlin", "country": "RU"}],
                    },
                    "article": _ARTICLE_EXAMPLE,
                }
            ]
        }
    )

    id: int
    speaker: SpeakerRef | None = Field(description="Null when the extractor could not tell who spoke.")
    article: ArticleRef


class QuotePage(ApiModel):
    items: list[QuotePublic]
    next_cursor: str | None = Field(default=None, description="Pass as `cursor` to get the next page.")


# --- Person, organisation and country pages -------------------------------------------------------


class HeldPosition(_Timestamps):
    title: str
    organisation: EntityRef | None = None
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-2.")
    former: bool = False
    current: bool = Field(
        default=False,
        description="Held, and no later article states someone else in this office (title, "
        "organisation, country) or calls it former.",
    )
    first_seen: datetime = Field(description="Earliest publication (else storage) time of a stating article.")
    last_seen: datetime = Field(description="Latest publication (else storage) time of a stating article.")
    article_count: int = Field(description="How many articles state this position.")
    article_ids: list[int] = Field(
        description="The articles that state this position, ascending: the newest 100 of them "
        "when there are more (`article_count` says how many)."
    )


class PersonRead(ApiModel):
    """A person with everything the archive knows about them."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **_PERSON_EXAMPLE,
                    "aliases": ["Peskov"],
                    "positions": [
                        {
                            "title": "spokesperson",
                            "organisation": {"id": 3, "name": "Kremlin"},
                            "country": "RU",
                            "former": False,
                            "first_seen": "2025-08-20T09:30:00Z",
                            "last_seen": "2025-09-01T07:00:00Z",
                            "article_count": 2,
                            "article_ids": [12, 40],
                        }
                    ],
                    "quote_count": 5,
                    "mention_count": 11,
                    "article_count": 2,
                    "co_mentions": {
                        "people": [{"id": 2, "name": "Vladimir Putin", "articles": 2}],
                        "organisations": [{"id": 3, "name": "Kremlin", "articles": 2}],
                        "countries": [{"code": "UA", "name": "Ukraine", "articles": 2}],
                    },
                }
            ]
        }
    )

    id: int
    name: str
    external_id: str | None = Field(None, description="A curated external id (a Wikidata QID).")
    aliases: list[str] = []
    positions: list[HeldPosition] = Field(default=[], description="Latest seen first.")
    quote_count: int
    mention_count: int
    article_count: int = Field(
        description="Articles that mention the person, state a position or quote them."
    )
    co_mentions: CoMentions = Field(
        description="Top co-mentioned people, organisations and countries, over the person's "
        "newest 500 articles."
    )


class OrganisationRead(ApiModel):
    """An organisation, the people holding positions there, and what it appears beside."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 3,
                    "name": "Kremlin",
                    "aliases": [],
                    "article_count": 2,
                    "people": [{"id": 1, "name": "Dmitry Peskov", "titles": ["spokesperson"], "articles": 2}],
                    "top_speakers": [{"id": 1, "name": "Dmitry Peskov", "quotes": 5}],
                    "co_mentions": {"people": [], "organisations": [], "countries": []},
                }
            ]
        }
    )

    id: int
    name: str
    external_id: str | None = Field(None, description="A curated external id (a Wikidata QID).")
    aliases: list[str] = []
    article_count: int
    people: list[HolderPublic] = Field(
        default=[], description="People holding positions there, most often stated first (at most 100)."
    )
    top_speakers: list[SpeakerCount] = Field(default=[], description="Those people by quotes (top 10).")
    co_mentions: CoMentions = Field(
        description="Top co-mentioned people, organisations and countries, over the organisation's "
        "newest 500 articles."
    )


class CountryRead(ApiModel):
    """A country's page: its articles and the people holding positions in it."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "code": "RU",
                    "alpha3": "RUS",
                    "name": "Russian Federation",
                    "article_count": 2,
                    "latest_articles": [
                        {"id": 12, "title": "Kremlin accuses...", "published_at": "2025-08-20T09:30:00Z"}
                    ],
                    "people": [{"id": 1, "name": "Dmitry Peskov", "titles": ["spokesperson"], "articles": 2}],
                    "top_speakers": [{"id": 1, "name": "Dmitry Peskov", "quotes": 5}],
                }
            ]
        }
    )

    code: str
    alpha3: str
    name: str
    article_count: int = Field(description="Articles that mention the country.")
    latest_articles: list[ArticleBrief] = Field(default=[], description="The 10 newest (by id).")
    people: list[HolderPublic] = Field(
        default=[], description="People holding positions in it, most often stated first (at most 100)."
    )
    top_speakers: list[SpeakerCount] = Field(default=[], description="Those people by quotes (top 10).")


class CountryPage(ApiModel):
    items: list[CountryPublic]
    next_cursor: str | None = None


# --- Positions across time --------------------------------------------------------------------------


class PositionPublic(_Timestamps):
    """One person in one office, over the articles that state it."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "person": {"id": 9, "name": "Sergey Lavrov"},
                    "title": "foreign minister",
                    "organisation": None,
                    "country": "RU",
                    "first_seen": "2015-03-02T00:00:00Z",
                    "last_seen": "2025-08-18T10:00:00Z",
                    "article_count": 14,
                }
            ]
        }
    )

    person: EntityRef
    title: str
    organisation: EntityRef | None = None
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-2.")
    first_seen: datetime
    last_seen: datetime
    article_count: int
    former: bool = Field(default=False, description="The latest statement calls the office former.")
    current: bool = Field(
        default=True,
        description="Not former, and no later article states someone else in the same office "
        "(title, organisation, country).",
    )


class PositionPage(ApiModel):
    items: list[PositionPublic]
    next_cursor: str | None = Field(default=None, description="Pass as `cursor` to get the next page.")

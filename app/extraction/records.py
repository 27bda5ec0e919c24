"""Frozen records the extractor returns: the contract of ../shared/eval/README.md plus evidence.

Every record carries the character offsets of the text it was read from, so a
consumer can always point back at the words that justify it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

QuoteKind = Literal["direct", "indirect"]


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Mention(_Record):
    """One place in the text where an entity is named."""

    start: int = Field(ge=0, description="Offset of the first character (Python str index).")
    end: int = Field(ge=0, description="Offset one past the last character.")
    text: str = Field(description="The surface text, exactly as in the article.")


class Person(_Record):
    name: str = Field(description="The fullest name the article gives.")
    aliases: tuple[str, ...] = Field(default=(), description="Other forms used in the article.")
    mentions: tuple[Mention, ...] = ()


class Organisation(_Record):
    name: str
    aliases: tuple[str, ...] = ()
    mentions: tuple[Mention, ...] = ()


class Country(_Record):
    code: str = Field(description="ISO 3166-1 alpha-2, upper case.", pattern=r"^[A-Z]{2}$")
    name: str = Field(description="The country's common name.")
    mentions: tuple[Mention, ...] = Field(
        default=(), description="Names, demonyms, capitals, metonyms and places that stand for it."
    )


class Position(_Record):
    person: str = Field(description="The holder, as named in `people`.")
    title: str = Field(description="Normalised office: lower case, without country or organisation.")
    organisation: str | None = None
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-2 or null.")
    former: bool = Field(default=False, description="True for 'former', 'ex-' titles.")
    start: int = Field(ge=0, description="Start of the evidence (title and name).")
    end: int = Field(ge=0)


class Quote(_Record):
    speaker: str | None = Field(description="The speaker as named in `people`; null when unresolved.")
    kind: QuoteKind
    text: str = Field(description="The quoted or reported words, without quotation marks.")
    start: int = Field(ge=0, description="Offset of the quoted text.")
    end: int = Field(ge=0)
    cue: str | None = Field(default=None, description="The reporting verb or phrase, e.g. 'said'.")


class ExtractorInfo(_Record):
    name: str
    version: str
    model: str = Field(description="The spaCy pipeline the extractor ran on, name and version.")


class Extraction(_Record):
    people: tuple[Person, ...] = ()
    organisations: tuple[Organisation, ...] = ()
    countries: tuple[Country, ...] = ()
    positions: tuple[Position, ...] = ()
    quotes: tuple[Quote, ...] = ()
    extractor: ExtractorInfo

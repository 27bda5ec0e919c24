"""What the curation routes take and give: merge, split and rename bodies, an entity's history.

The typed client (`app.client`) sends and reads the same models."""

from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.models.common import MAX_ID, IsoDateTime


class MergeIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={"examples": [{"id": 42}]})

    id: int = Field(ge=1, le=MAX_ID, description="The entity to fold into this one; its id keeps answering.")


class SplitIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={
            "examples": [{"alias": "Clinton"}, {"article_ids": [7, 9], "name": "Bill Clinton"}]
        },
    )

    alias: str | None = Field(None, max_length=300, description="Move the articles naming it so.")
    article_ids: list[int] = Field(default=[], max_length=1000, description="Move these articles' records.")
    name: str | None = Field(None, max_length=300, description="The new entity's name (default: the alias).")

    @model_validator(mode="after")
    def _something(self) -> Self:
        if self.alias is None and not self.article_ids:
            raise ValueError("give an alias or article_ids to split off")
        return self


class EntityUpdate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={"examples": [{"name": "Barack Obama", "external_id": "Q76"}]},
    )

    name: str | None = Field(None, min_length=1, max_length=300, description="The new display name.")
    external_id: str | None = Field(
        None, max_length=100, description="An external identifier (a Wikidata QID); null clears it."
    )


class MergeRecord(BaseModel):
    old_id: int
    new_id: int
    old_name: str
    reason: str
    actor: str | None
    created_at: IsoDateTime  # UTC on both databases (SQLite gives it back naive)


class LinkRecord(BaseModel):
    article_id: int
    name: str
    reason: str


class History(BaseModel):
    """How an entity came to be: the ids merged into it and why each article was linked to it."""

    id: int
    merged: list[MergeRecord]
    links: list[LinkRecord]

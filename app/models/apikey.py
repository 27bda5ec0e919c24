"""API keys: only a hash is stored; the key itself is shown once, when it is made."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy import CheckConstraint, Column, DateTime
from sqlmodel import Field, SQLModel

from app.models.common import as_utc, utcnow

Scope = Literal["read", "write", "admin"]
SCOPE_RANK: dict[str, int] = {"read": 1, "write": 2, "admin": 3}


class ApiKeyBase(SQLModel):
    name: str = Field(default="", max_length=200, description="What the key is for.")
    scope: str = Field(max_length=10, description="read, write or admin; each includes the ones before it.")


class ApiKey(ApiKeyBase, table=True):
    __tablename__ = "api_key"
    __table_args__ = (CheckConstraint("scope IN ('read', 'write', 'admin')", name="scope"),)

    id: int | None = Field(default=None, primary_key=True)
    prefix: str = Field(max_length=16, description="The key's first characters, to recognise it in lists.")
    key_hash: str = Field(max_length=64, unique=True, description="sha256 of the key.")
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    revoked_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))


class ApiKeyPublic(ApiKeyBase):
    id: int
    prefix: str
    created_at: datetime
    revoked_at: datetime | None = None

    def model_post_init(self, context: object, /) -> None:
        self.created_at = as_utc(self.created_at) or self.created_at
        self.revoked_at = as_utc(self.revoked_at)

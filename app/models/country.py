"""Countries: ISO 3166-1, seeded from pycountry by a migration."""

from __future__ import annotations

from pydantic import Field as PydanticField
from sqlmodel import Field, SQLModel

from app.models.common import ApiModel


class CountryBase(SQLModel):
    code: str = Field(primary_key=True, max_length=2, description="ISO 3166-1 alpha-2.")
    alpha3: str = Field(max_length=3, description="ISO 3166-1 alpha-3.")
    name: str = Field(max_length=200)


class Country(CountryBase, table=True):
    pass


class CountryPublic(ApiModel):
    code: str = PydanticField(description="ISO 3166-1 alpha-2.")
    alpha3: str = PydanticField(description="ISO 3166-1 alpha-3.")
    name: str

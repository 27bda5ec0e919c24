"""SQLModel tables and API schemas, one module per resource family.

Importing this package registers every table on `SQLModel.metadata`
(which Alembic's env.py compares against the migrations).
"""

from app.models.apikey import ApiKey, ApiKeyPublic
from app.models.article import (
    Article,
    ArticleBatchIn,
    ArticleBatchOut,
    ArticleCreate,
    ArticlePage,
    ArticlePublic,
    ArticleRead,
    BatchItemResult,
    ExtractionOut,
)
from app.models.common import name_key
from app.models.country import Country, CountryPublic
from app.models.entities import (
    EntityLink,
    EntityPin,
    EntityRedirect,
    Organisation,
    OrganisationAlias,
    OrganisationPage,
    OrganisationPublic,
    Person,
    PersonAlias,
    PersonPage,
    PersonPublic,
)
from app.models.job import Job, JobAccepted, JobItem, JobItemResult, JobPublic
from app.models.records import EntityStats, Holder, Mention, Position, Quote

__all__ = [
    "ApiKey",
    "ApiKeyPublic",
    "Article",
    "ArticleBatchIn",
    "ArticleBatchOut",
    "ArticleCreate",
    "ArticlePage",
    "ArticlePublic",
    "ArticleRead",
    "BatchItemResult",
    "Country",
    "CountryPublic",
    "EntityLink",
    "EntityPin",
    "EntityRedirect",
    "EntityStats",
    "ExtractionOut",
    "Holder",
    "Job",
    "JobAccepted",
    "JobItem",
    "JobItemResult",
    "JobPublic",
    "Mention",
    "Organisation",
    "OrganisationAlias",
    "OrganisationPage",
    "OrganisationPublic",
    "Person",
    "PersonAlias",
    "PersonPage",
    "PersonPublic",
    "Position",
    "Quote",
    "name_key",
]

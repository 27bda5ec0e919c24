"""Every router, collected in one place for create_app().

create_app() includes each of them in the app itself: a router included in another router
that is included in the app would be matched level by level, on every request.
"""

from fastapi import APIRouter

from app.routers import articles, curation, entities, health, jobs, positions, quotes, stats
from app.routers.querystring import document

routers: tuple[APIRouter, ...] = tuple(
    module.router for module in (articles, entities, curation, health, jobs, positions, quotes, stats)
)
for _router in routers:
    document(_router)  # the query models' fields, as each operation's parameters

__all__ = ["routers"]

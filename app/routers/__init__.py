"""Every router, collected in one place for create_app().

create_app() includes each of them in the app itself: a router included in another router
that is included in the app would be matched level by level, on every request.
"""

from fastapi import APIRouter

from app.routers import articles, entities, health, jobs, positions, quotes, stats

routers: tuple[APIRouter, ...] = tuple(
    module.router for module in (articles, entities, health, jobs, positions, quotes, stats)
)

__all__ = ["routers"]

"""Every router, collected in one place for create_app()."""

from fastapi import APIRouter

from app.routers import articles, entities, health, jobs, positions, quotes, stats

api_router = APIRouter()
for _module in (articles, entities, health, jobs, positions, quotes, stats):
    api_router.include_router(_module.router)

__all__ = ["api_router"]

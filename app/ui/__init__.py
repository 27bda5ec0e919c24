"""The built-in dashboard: read-only HTML pages under /ui over the same services as the JSON API."""

from app.ui.routes import install, router

__all__ = ["install", "router"]

"""A real server for the dashboard's browser tests, one per database, with the seed article, four
Wikinews articles (CC BY 2.5) and one invented article ingested through the API."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import SEED, fresh_postgres_database
from tests.reliability.conftest import Server, running_server

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED_TITLE = "Kremlin accuses Western leaders of undermining peace efforts"
# A title and URL no page may render as markup or as a link.
HOSTILE = {
    "title": '<img src=x onerror="document.title=1"><script>document.title="owned"</script>Budget row',
    "url": "javascript:document.title='owned'",
    "published_at": "2025-07-01",
    "text": "Finance minister Ana Tadic said the budget would pass this month. "
    "“We have the votes <b>today</b>,” Tadic said in Belgrade, Serbia.",
}


def article(path: Path) -> dict[str, Any]:
    """A fixture text file as a POST /articles body: leading TITLE:/DATE:/SOURCE: lines are metadata."""
    lines = path.read_text(encoding="utf-8").split("\n")
    meta: dict[str, str] = {}
    while lines and lines[0].partition(":")[0] in ("TITLE", "DATE", "SOURCE"):
        name, _, value = lines.pop(0).partition(":")
        meta[name] = value.strip()
    body: dict[str, Any] = {"text": "\n".join(lines).strip()}
    if "TITLE" in meta:
        body["title"] = meta["TITLE"]
    if "DATE" in meta:
        body["published_at"] = meta["DATE"]
    if "SOURCE" in meta:
        body["url"] = meta["SOURCE"].split()[0]  # the rest names the licence and the text's way here
    return body


def articles() -> list[dict[str, Any]]:
    seed = {
        "text": SEED.read_text(encoding="utf-8"),
        "title": SEED_TITLE,
        "published_at": "2025-08-20T09:30:00Z",
    }
    return [seed, *(article(p) for p in sorted(FIXTURES.glob("*.txt"))), HOSTILE]


@dataclass
class Dashboard:
    server: Server
    backend: str

    @property
    def url(self) -> str:
        return self.server.url

    def api(self, path: str, **params: Any) -> Any:
        answer = httpx.get(self.url + path, params=params, timeout=30)
        assert answer.status_code == 200, answer.text[:500]
        return answer.json()

    def person_id(self, name: str) -> int:
        found = self.api("/people", name=name)["items"]
        assert found, f"no one called {name}"
        return int(found[0]["id"])


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def dashboard(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Dashboard]:
    """A uvicorn server on a free loopback port, its archive filled through the API."""
    tmp = tmp_path_factory.mktemp(f"dashboard-{request.param}")
    with _database(request.param, tmp) as url:
        with running_server(url, tmp / "server.log", NEWSMETA_EXTRACT_WORKERS="1") as server:
            posted = httpx.post(f"{server.url}/articles/batch", json={"articles": articles()}, timeout=600)
            assert posted.status_code == 200, posted.text[:500]
            assert all(r["status"] == 201 for r in posted.json()["results"]), posted.text[:1000]
            yield Dashboard(server=server, backend=request.param)


def _database(backend: str, tmp: Path) -> Any:
    if backend == "postgres":
        return fresh_postgres_database()
    from contextlib import nullcontext

    return nullcontext(f"sqlite:///{tmp / 'newsmeta.db'}")

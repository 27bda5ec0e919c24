"""A live newsmeta server per database (uvicorn on a free loopback port) for the client tests."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from app.config import Settings
from tests.conftest import ROOT, SEED, fresh_postgres_database
from tests.reliability.conftest import Server, free_port, migrated, new_key, server_env

RATE_LIMIT_PER_MINUTE = 60


@dataclass
class Live:
    url: str
    settings: Settings
    admin_key: str
    server: Server


def _start(settings: Settings, log: Path) -> Server:
    port = free_port()
    env = server_env(settings.database_url)
    env.update(
        NEWSMETA_AUTH_ENABLED="true",
        NEWSMETA_AUTO_MIGRATE="false",
        NEWSMETA_RATE_LIMIT_PER_MINUTE=str(RATE_LIMIT_PER_MINUTE),
        NEWSMETA_EXTRACT_WORKERS="1",
    )
    command = [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--no-access-log"]
    with log.open("ab") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server(process=process, url=f"http://127.0.0.1:{port}", log=log)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{server.log_text()[-3000:]}")
        try:
            if httpx.get(f"{server.url}/readyz", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    server.kill()
    raise RuntimeError(f"server not ready:\n{server.log_text()[-3000:]}")


@pytest.fixture(scope="package", params=["sqlite", "postgres"])
def live(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """A server with auth on and a rate limit, its database holding the seed article and three more."""
    with ExitStack() as stack:
        folder = tmp_path_factory.mktemp(f"client_{request.param}")
        if request.param == "sqlite":
            url = f"sqlite:///{folder / 'newsmeta.db'}"
        else:
            url = stack.enter_context(fresh_postgres_database())
        settings = migrated(url, auth_enabled=True)
        admin = new_key(settings, "admin")
        server = _start(settings, folder / "server.log")
        stack.callback(server.stop)
        _seed(server.url, admin)
        yield Live(url=server.url, settings=settings, admin_key=admin, server=server)


ARTICLES = [
    {
        "text": "Kremlin spokesperson Dmitry Peskov said on Monday that talks would continue. "
        "“We remain ready for dialogue,” Peskov said.",
        "title": "Peskov on talks",
        "published_at": "2025-03-03T10:00:00Z",
    },
    {
        "text": "“The sanctions will not work,” Dmitry Peskov told reporters in Moscow on Friday.",
        "title": "Peskov on sanctions",
        "published_at": "2025-03-14T10:00:00Z",
    },
    {
        "text": "French President Emmanuel Macron met German Chancellor Olaf Scholz in Paris. "
        "“Europe must stand together,” Macron said.",
        "title": "Macron and Scholz",
        "published_at": "2025-03-20T10:00:00Z",
    },
]


def _seed(url: str, key: str) -> None:
    seed = {"text": SEED.read_text(encoding="utf-8"), "title": "Seed", "published_at": "2025-08-20"}
    response = httpx.post(
        f"{url}/articles/batch",
        json={"articles": [seed, *ARTICLES]},
        headers={"Authorization": f"Bearer {key}"},
        timeout=300,
    )
    response.raise_for_status()
    assert response.json()["failed"] == 0, response.text

"""API keys: writes need a write key, deletes an admin key; keys are stored only as hashes."""

from __future__ import annotations

import io
import stat
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from app import main
from app.config import Settings
from app.db import get_engine, session_scope
from app.models import ApiKey
from app.services import keys
from tests.conftest import make_client

pytestmark = pytest.mark.model

WRITES = [
    ("POST", "/articles", {"text": "Angela Merkel visited Paris."}),
    ("POST", "/articles/batch", {"articles": [{"text": "Angela Merkel visited Paris."}]}),
]
ADMIN = [("DELETE", "/articles/1", None)]


def new_key(settings: Settings, scope: keys.Scope) -> str:
    with session_scope(get_engine(settings), write=True) as session:
        key, _ = keys.create_key(session=session, scope=scope, name=f"test {scope}")
    return key


@pytest.fixture
def secured(settings: Settings) -> Iterator[tuple[TestClient, Settings]]:
    with make_client(settings, auth_enabled=True) as client:
        yield client, settings.model_copy(update={"auth_enabled": True})


def _call(
    client: TestClient,
    method: str,
    path: str,
    body: object,
    key: str | None = None,
    header: str = "authorization",
) -> object:
    headers = {}
    if key:
        headers = {"authorization": f"Bearer {key}"} if header == "authorization" else {"x-api-key": key}
    return client.request(method, path, json=body, headers=headers)


@pytest.mark.parametrize(("method", "path", "body"), WRITES + ADMIN)
def test_writes_and_deletes_without_a_key_are_401(
    secured: tuple[TestClient, Settings], method: str, path: str, body: object
) -> None:
    client, settings = secured
    new_key(settings, "admin")
    for response in (_call(client, method, path, body), _call(client, method, path, body, "nm_wrong")):
        assert response.status_code == 401  # type: ignore[attr-defined]
        assert response.headers["content-type"].startswith("application/problem+json")  # type: ignore[attr-defined]
        assert response.headers["www-authenticate"].startswith("Bearer")  # type: ignore[attr-defined]


@pytest.mark.parametrize(("method", "path", "body"), WRITES + ADMIN)
def test_writes_and_deletes_with_a_read_key_are_403(
    secured: tuple[TestClient, Settings], method: str, path: str, body: object
) -> None:
    client, settings = secured
    response = _call(client, method, path, body, new_key(settings, "read"))
    assert response.status_code == 403  # type: ignore[attr-defined]


@pytest.mark.parametrize("header", ["authorization", "x-api-key"])
def test_a_write_key_posts_but_cannot_delete(secured: tuple[TestClient, Settings], header: str) -> None:
    client, settings = secured
    key = new_key(settings, "write")
    posted = _call(client, "POST", "/articles", {"text": "Angela Merkel visited Paris."}, key, header)
    assert posted.status_code == 201  # type: ignore[attr-defined]
    article_id = posted.json()["id"]  # type: ignore[attr-defined]
    assert _call(client, "DELETE", f"/articles/{article_id}", None, key, header).status_code == 403  # type: ignore[attr-defined]
    admin = new_key(settings, "admin")
    assert _call(client, "DELETE", f"/articles/{article_id}", None, admin, header).status_code == 204  # type: ignore[attr-defined]


def test_reads_are_open_unless_a_read_key_is_required(settings: Settings) -> None:
    with make_client(settings, auth_enabled=True) as open_reads:
        assert open_reads.get("/articles").status_code == 200
    with make_client(settings, auth_enabled=True, require_read_key=True) as closed:
        assert closed.get("/articles").status_code == 401
        assert closed.get("/articles", headers={"x-api-key": new_key(settings, "read")}).status_code == 200
        assert closed.get("/healthz").status_code == 200


def test_a_revoked_key_is_refused(secured: tuple[TestClient, Settings]) -> None:
    client, settings = secured
    key = new_key(settings, "write")
    with session_scope(get_engine(settings), write=True) as session:
        record = keys.find_key(session=session, key=key)
        assert record is not None and record.id is not None
        assert keys.revoke_key(session=session, key_id=record.id)
    assert _call(client, "POST", "/articles", {"text": "x y z"}, key).status_code == 401  # type: ignore[attr-defined]


def test_keys_are_stored_only_as_hashes(settings: Settings) -> None:
    key = new_key(settings, "admin")
    with session_scope(get_engine(settings)) as session:
        rows = session.execute(select(ApiKey)).scalars().all()
    stored = [str(value) for row in rows for value in row.model_dump().values()]
    assert all(key not in value for value in stored)
    assert any(value == keys.hash_key(key) for value in stored)


class _Terminal(io.StringIO):
    """A stand-in for /dev/tty that keeps what was written after the caller closes it."""

    def close(self) -> None:
        pass


def test_first_start_shows_one_admin_key_on_the_terminal_never_in_the_log_stream(
    settings: Settings,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(main, "_open_terminal", lambda: terminal)
    with make_client(settings, auth_enabled=True):
        pass
    key = next(word for word in terminal.getvalue().split() if word.startswith("nm_"))
    streams = capsys.readouterr()
    assert key not in streams.err + streams.out + caplog.text  # the JSON logs go to stderr
    with make_client(settings, auth_enabled=True) as client:
        assert terminal.getvalue().count("nm_") == 1  # shown once only
        response = _call(client, "POST", "/articles", {"text": "Angela Merkel visited Paris."}, key)
        assert response.status_code == 201  # type: ignore[attr-defined]


def test_without_a_terminal_the_first_key_goes_to_a_private_file_and_only_its_path_is_logged(
    settings: Settings,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(main, "_open_terminal", lambda: None)
    target = tmp_path / "secrets" / "first-admin-key.txt"
    with make_client(settings, auth_enabled=True, first_key_file=target) as client:
        key = target.read_text().strip()
        assert key.startswith("nm_") and stat.S_IMODE(target.stat().st_mode) == 0o600
        streams = capsys.readouterr()
        assert key not in streams.err + streams.out + caplog.text
        assert str(target) in streams.err  # the JSON log line says where, not what
        response = _call(client, "POST", "/articles", {"text": "Olaf Scholz visited Rome."}, key)
        assert response.status_code == 201  # type: ignore[attr-defined]


def test_servers_starting_together_on_a_fresh_database_make_one_first_key(settings: Settings) -> None:
    barrier = threading.Barrier(6)

    def start() -> bool:
        barrier.wait()
        with session_scope(get_engine(settings), write=True) as session:
            return keys.create_first_admin_key(session=session) is not None

    with ThreadPoolExecutor(max_workers=6) as pool:
        made = list(pool.map(lambda _: start(), range(6)))
    assert made.count(True) == 1
    with session_scope(get_engine(settings)) as session:
        assert keys.count_live_keys(session=session) == 1


def test_rate_limit_answers_429_with_retry_after(settings: Settings) -> None:
    key = new_key(settings, "read")
    with make_client(settings, auth_enabled=True, require_read_key=True, rate_limit_per_minute=3) as client:
        codes = [client.get("/articles", headers={"x-api-key": key}) for _ in range(5)]
    assert [r.status_code for r in codes[:3]] == [200, 200, 200]
    assert codes[3].status_code == 429
    assert int(codes[3].headers["retry-after"]) >= 1

"""Every operation that writes or deletes, read from the OpenAPI document, refuses a request
without a key (401) and with a read-only key (403): a new write endpoint is checked as it appears."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from tests.reliability.conftest import assert_problem, migrated, new_key

pytestmark = pytest.mark.model

DOC = create_app(Settings(database_url="sqlite://")).openapi()
WRITES = [
    (method.upper(), path)
    for path, operations in DOC["paths"].items()
    for method in operations
    if method in ("post", "put", "patch", "delete")
]


def _url(path: str) -> str:
    """The path with every parameter filled in; the key is checked before the id is looked up."""
    while "{" in path:
        start = path.index("{")
        path = path[:start] + "1" + path[path.index("}", start) + 1 :]
    return path


@pytest.fixture(scope="module")
def secured(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, str]]:
    settings = migrated(f"sqlite:///{tmp_path_factory.mktemp('auth') / 'newsmeta.db'}", auth_enabled=True)
    read_key = new_key(settings, "read")
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client, read_key


def test_the_document_lists_the_known_write_operations() -> None:
    assert {("POST", "/articles"), ("POST", "/articles/batch"), ("DELETE", "/articles/{article_id}")} <= set(
        WRITES
    )


@pytest.mark.parametrize(("method", "path"), WRITES, ids=[f"{m} {p}" for m, p in WRITES])
@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"authorization": "Bearer nm_not_a_key"},
        {"x-api-key": "nm_not_a_key"},
        {"authorization": "Basic eDp5"},
    ],
    ids=["no key", "unknown bearer key", "unknown X-API-Key", "basic auth"],
)
def test_writes_without_a_valid_key_are_401(
    secured: tuple[TestClient, str], method: str, path: str, headers: dict[str, str]
) -> None:
    client, _ = secured
    response = client.request(method, _url(path), json={}, headers=headers)
    assert_problem(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize(("method", "path"), WRITES, ids=[f"{m} {p}" for m, p in WRITES])
def test_writes_with_a_read_key_are_403(secured: tuple[TestClient, str], method: str, path: str) -> None:
    client, read_key = secured
    response = client.request(method, _url(path), json={}, headers={"authorization": f"Bearer {read_key}"})
    assert_problem(response, 403)


def test_a_refused_write_changes_nothing(secured: tuple[TestClient, str]) -> None:
    client, _ = secured
    assert client.post("/articles", json={"text": "Angela Merkel visited Paris."}).status_code == 401
    body: Any = client.get("/articles").json()
    assert body["items"] == []

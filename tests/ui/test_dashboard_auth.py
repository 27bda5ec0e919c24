"""The dashboard and API keys: when reads need a key, no page shows data without one; the key form
keeps a good key in a cookie that counts for reads only."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.db import get_engine, session_scope
from app.services import keys
from tests.conftest import make_client

pytestmark = pytest.mark.model

ARTICLE = {
    "text": "Kremlin spokesperson Dmitry Peskov said on Monday that Russia remains open to talks. "
    "“We are ready,” Peskov said.",
    "title": "Kremlin on talks",
    "published_at": "2024-05-01T09:30:00Z",
}
PAGES = [
    "/ui/",
    "/ui/search?q=Peskov",
    "/ui/people/{pid}",
    "/ui/quotes",
    "/ui/quotes?speaker=Peskov",
    "/ui/network?kind=all",
    "/ui/countries/RU",
    "/ui/organisations/{oid}",
    "/ui/articles/{aid}",
]


def new_key(settings: Settings, scope: keys.Scope) -> str:
    with session_scope(get_engine(settings), write=True) as session:
        key, _ = keys.create_key(session=session, scope=scope, name=f"dashboard {scope}")
    return key


@pytest.fixture
def locked(settings: Settings) -> Iterator[tuple[TestClient, Settings, dict[str, int]]]:
    """An app whose reads need a key, with one article stored."""
    locked_settings = settings.model_copy(update={"auth_enabled": True, "require_read_key": True})
    with make_client(settings, auth_enabled=True, require_read_key=True) as client:
        admin = new_key(locked_settings, "admin")
        posted = client.post("/articles", json=ARTICLE, headers={"authorization": f"Bearer {admin}"})
        assert posted.status_code == 201, posted.text
        extraction = posted.json()["extraction"]
        ids = {
            "aid": posted.json()["id"],
            "pid": next(p["id"] for p in extraction["people"] if p["name"] == "Dmitry Peskov"),
            "oid": extraction["organisations"][0]["id"],
        }
        client.cookies.clear()
        yield client, locked_settings, ids


@pytest.mark.parametrize("page", PAGES)
def test_without_a_key_a_page_asks_for_one_and_shows_no_data(
    locked: tuple[TestClient, Settings, dict[str, int]], page: str
) -> None:
    client, _, ids = locked
    answer = client.get(page.format(**ids))
    assert answer.status_code == 401
    assert answer.headers["content-type"].startswith("text/html")
    assert 'name="key"' in answer.text and 'type="password"' in answer.text
    # (The page's own address, kept for after the form, may echo what was asked: "Peskov".)
    for secret in ("Dmitry Peskov", "Kremlin", "We are ready", "Russian Federation", "Kremlin on talks"):
        assert secret not in answer.text, f"{page} shows {secret!r}"


def test_a_read_key_from_the_form_opens_the_pages_and_their_csv(
    locked: tuple[TestClient, Settings, dict[str, int]],
) -> None:
    client, settings, ids = locked
    wrong = client.post("/ui/key", data={"key": "nm_wrong", "next": "/ui/quotes"}, follow_redirects=False)
    assert wrong.status_code == 401 and "unknown or revoked" in wrong.text
    assert "set-cookie" not in wrong.headers
    key = new_key(settings, "read")
    kept = client.post("/ui/key", data={"key": key, "next": "/ui/quotes"}, follow_redirects=False)
    assert kept.status_code == 303 and kept.headers["location"] == "/ui/quotes"
    cookie = kept.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/" in cookie
    for page in PAGES:
        answer = client.get(page.format(**ids))
        assert answer.status_code == 200, (page, answer.text[:300])
    person = client.get(f"/ui/people/{ids['pid']}")
    assert "We are ready" in person.text
    # The charts' CSV links are API reads: the kept key opens them too.
    timeline = client.get(f"/stats/timeline?metric=mentions&interval=month&person={ids['pid']}&format=csv")
    assert timeline.status_code == 200 and timeline.text.startswith("period,count")
    # Forgetting the key locks the pages again.
    client.post("/ui/key/forget", follow_redirects=False)
    client.cookies.clear()
    assert client.get("/ui/quotes").status_code == 401


def test_the_kept_key_never_counts_for_writes(locked: tuple[TestClient, Settings, dict[str, int]]) -> None:
    client, settings, ids = locked
    admin = new_key(settings, "admin")
    kept = client.post("/ui/key", data={"key": admin}, follow_redirects=False)
    assert kept.status_code == 303
    assert client.get("/quotes").status_code == 200  # the cookie reads
    posted = client.post("/articles", json={"text": "Angela Merkel visited Paris."})
    assert posted.status_code == 401  # but a write must name its key in a header
    deleted = client.delete(f"/articles/{ids['aid']}")
    assert deleted.status_code == 401


@pytest.mark.parametrize(
    "target", ["https://elsewhere.example/ui/", "//elsewhere.example/ui/", "/articles", "/ui\\@x"]
)
def test_the_key_form_sends_back_only_to_a_dashboard_page(
    locked: tuple[TestClient, Settings, dict[str, int]], target: str
) -> None:
    client, settings, _ = locked
    kept = client.post(
        "/ui/key", data={"key": new_key(settings, "read"), "next": target}, follow_redirects=False
    )
    assert kept.status_code == 303 and kept.headers["location"] == "/ui/"


def test_with_reads_open_the_pages_need_no_key(settings: Settings) -> None:
    with make_client(settings, auth_enabled=True) as client:
        admin = new_key(settings, "admin")
        posted = client.post("/articles", json=ARTICLE, headers={"authorization": f"Bearer {admin}"})
        assert posted.status_code == 201
        page = client.get("/ui/quotes?speaker=Peskov")
        assert page.status_code == 200 and "We are ready" in page.text
        # Script-free by policy: nothing on the page may run, whatever slips into it.
        policy = page.headers["content-security-policy"]
        assert "default-src 'none'" in policy and "script-src" not in policy

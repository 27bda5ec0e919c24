"""Dashboard pages in-process: an empty archive, unknown ids, odd parameters, headers."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.model

EVERY_PAGE = [
    "/ui/",
    "/ui/?span=30d",
    "/ui/search",
    "/ui/search?q=Peskov",
    "/ui/quotes",
    "/ui/quotes?speaker=Peskov&speaker_country=RU&q=talks&kind=direct",
    "/ui/network",
    "/ui/network?kind=people&country=RU&min_weight=2&articles=250",
    "/ui/countries/RU",
]


@pytest.mark.parametrize("page", EVERY_PAGE)
def test_every_page_draws_on_an_empty_archive(client: TestClient, page: str) -> None:
    answer = client.get(page)
    assert answer.status_code == 200, answer.text[:500]
    assert answer.headers["content-type"].startswith("text/html")
    assert "<h1>" in answer.text and "</html>" in answer.text


@pytest.mark.parametrize(
    "page", ["/ui/people/999", "/ui/organisations/999", "/ui/articles/999", "/ui/countries/Atlantis"]
)
def test_an_unknown_id_is_a_404_page(client: TestClient, page: str) -> None:
    answer = client.get(page)
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("text/html")
    assert "Not found" in answer.text or "not found" in answer.text.lower()


def test_odd_parameters_fall_back_to_the_defaults(client: TestClient) -> None:
    for page in ("/ui/?span=10y", "/ui/network?kind=galaxies&articles=5000", "/ui/quotes?kind=sung"):
        answer = client.get(page)
        assert answer.status_code == 200, page
    assert 'value="7d" selected' in client.get("/ui/?span=10y").text
    assert "max_articles=100" in client.get("/ui/network?articles=5000").text


def test_root_and_ui_redirect_relatively(client: TestClient) -> None:
    for path in ("/", "/ui"):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 307 and answer.headers["location"] == "ui/"
    assert client.get("/", follow_redirects=True).url.path == "/ui/"


def test_the_stylesheet_is_served_locally(client: TestClient) -> None:
    page = client.get("/ui/").text
    assert 'href="/ui/static/dashboard.css"' in page
    assert "http://" not in page and "https://" not in page  # nothing fetched from elsewhere
    css = client.get("/ui/static/dashboard.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")


def test_the_dashboard_is_not_in_the_api_schema(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert not [p for p in paths if p == "/" or p.startswith("/ui")]

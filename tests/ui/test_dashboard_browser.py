"""The dashboard in a real browser (headless Chromium) against a real server: what a person sees.

Set NEWSMETA_UPDATE_SCREENSHOTS=1 to write the screenshots into docs/img/ (SQLite run) instead of
a temporary directory.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.ui import browser
from tests.ui.conftest import HOSTILE, SEED_TITLE, Dashboard

pytestmark = [pytest.mark.slow, pytest.mark.model]

DOCS_IMG = Path(__file__).resolve().parents[2] / "docs" / "img"
SEED_QUOTE = "Russia remains open to resolving the conflict through political means"


def _csv(dashboard: Dashboard, href: str) -> list[dict[str, str]]:
    """Follow a "Download CSV" link as the browser would: same server, CSV back."""
    answer = httpx.get(dashboard.url + href, timeout=30)
    assert answer.status_code == 200, answer.text[:300]
    assert answer.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(answer.text)))


def test_root_sends_the_browser_to_the_dashboard(dashboard: Dashboard) -> None:
    page = browser.dom(dashboard.url + "/")
    assert page.one("h1").text == "Overview"
    assert httpx.get(dashboard.url + "/").headers["location"] == "ui/"


def test_person_page_lists_the_seed_speakers_quotes_with_their_articles(dashboard: Dashboard) -> None:
    pid = dashboard.person_id("Peskov")
    page = browser.dom(f"{dashboard.url}/ui/people/{pid}")
    assert page.one("h1").text == "Dmitry Peskov"
    quotes = page.one("section", id="quotes").all("li", cls="quote")
    said = [q.one("blockquote").text for q in quotes]
    assert f"“{SEED_QUOTE}”" in said
    assert any("no point in meetings" in s for s in said)  # from the second, invented article
    seed_quote = next(q for q in quotes if SEED_QUOTE in q.text)
    link = seed_quote.one("a", cls="article")
    assert link.text == SEED_TITLE
    assert link.attrs["href"].startswith("/ui/articles/")
    # Every quote the API holds for him is on the page (fewer than a page of them).
    api = dashboard.api("/quotes", speaker=str(pid))["items"]
    assert len(quotes) == len(api) >= 5
    positions = page.one("section", id="positions")
    assert "spokesperson" in positions.text and "Kremlin" in positions.text
    assert positions.all("rect"), "the positions-over-time chart draws a bar per position"
    offices = _csv(dashboard, positions.one("a", cls="csv").attrs["href"])
    assert [r["title"] for r in offices] == ["spokesperson"]
    co = page.one("section", id="co-mentions").text
    assert "Vladimir Putin" in co and "Russian Federation" in co


def test_person_timeline_draws_a_point_per_period_with_its_csv(dashboard: Dashboard) -> None:
    pid = dashboard.person_id("Peskov")
    page = browser.dom(f"{dashboard.url}/ui/people/{pid}")
    chart = page.one("section", id="mentions")
    points = chart.all("circle", cls="point")
    drawn = {(p.attrs["data-period"], int(p.attrs["data-count"])) for p in points}
    # Weeks (the default year's periods): the seed's (from Monday 18 August 2025) and the invented
    # article's (1 September); the weeks between are zeros.
    assert {period for period, count in drawn if count} == {"2025-08-18", "2025-09-01"}
    assert ("2025-08-25", 0) in drawn
    line = chart.one("polyline").attrs["points"].split()
    assert len(points) == len(drawn) and all(f"{p.attrs['cx']},{p.attrs['cy']}" in line for p in points)
    href = chart.one("a", cls="csv").attrs["href"]
    assert urlsplit(href).path == "/stats/timeline"
    assert parse_qs(urlsplit(href).query)["format"] == ["csv"]
    rows = _csv(dashboard, href)
    assert {(r["period"], int(r["count"])) for r in rows} == drawn
    # The chart's total is the person's mention count.
    total = sum(c for _, c in drawn)
    assert f"{total} mentions" in page.one("p", cls="stats").text


def test_search_box_finds_people_countries_and_quotes(dashboard: Dashboard) -> None:
    home = browser.dom(f"{dashboard.url}/ui/")
    form = home.one("form", cls="search")
    assert form.attrs["action"] == "/ui/search" and form.attrs["method"] == "get"
    assert form.one("input").attrs["name"] == "q"
    # What submitting the form with "Peskov" loads.
    found = browser.dom(f"{dashboard.url}/ui/search?q=Peskov")
    people = found.one("section", id="found-people").all("a")
    assert [a.text for a in people] == ["Dmitry Peskov"]
    assert people[0].attrs["href"] == f"/ui/people/{dashboard.person_id('Peskov')}"
    assert found.one("input", cls=None).attrs.get("value") == "Peskov"
    russia = browser.dom(f"{dashboard.url}/ui/search?q=russia")
    assert "Russian Federation" in russia.one("section", id="found-countries").text
    words = browser.dom(f"{dashboard.url}/ui/search?q=reciprocity")
    assert "reciprocity" in words.one("section", id="found-quotes").text
    nothing = browser.dom(f"{dashboard.url}/ui/search?q=Zyxwvut")
    assert nothing.one("section", id="found-people").all("a") == []


def test_quotes_feed_filters_by_speaker_country_and_text(dashboard: Dashboard) -> None:
    everyone = browser.dom(f"{dashboard.url}/ui/quotes").one("div", id="feed").all("li", cls="quote")
    speakers = {q.one("a", cls="speaker").text for q in everyone if q.all("a", cls="speaker")}
    assert {"Dmitry Peskov", "Mary Barra"} <= speakers

    def feed(query: str) -> list[browser.Element]:
        return browser.dom(f"{dashboard.url}/ui/quotes?{query}").one("div", id="feed").all("li", cls="quote")

    by_speaker = feed("speaker=Peskov")
    assert by_speaker and {q.one("a", cls="speaker").text for q in by_speaker} == {"Dmitry Peskov"}
    russians = feed("speaker_country=RU")
    names = {q.one("a", cls="speaker").text for q in russians}
    assert "Dmitry Peskov" in names and "Mary Barra" not in names
    americans = {q.one("a", cls="speaker").text for q in feed("speaker_country=US")}
    assert "Mary Barra" in americans and "Dmitry Peskov" not in americans
    geneva = feed("speaker=Peskov&q=delegation")
    assert len(geneva) == 1 and "delegation" in geneva[0].text
    page = browser.dom(f"{dashboard.url}/ui/quotes?speaker_country=RU")
    chosen = [o for o in page.one("select").all("option") if "selected" in o.attrs]
    assert [o.text for o in chosen] == ["Russian Federation"]
    href = page.one("a", cls="csv").attrs["href"]
    rows = _csv(dashboard, href)
    assert len(rows) == len(russians) and all(r["speaker.name"] in names for r in rows)


def test_overview_shows_top_speakers_and_every_chart_links_its_csv(dashboard: Dashboard) -> None:
    page = browser.dom(f"{dashboard.url}/ui/?span=30d")
    top = page.one("div", id="top-speakers")
    assert top.one("th").text == "Dmitry Peskov"  # the most quoted of the last 30 days
    links = page.all("a", cls="csv")
    assert len(links) == 5
    for link in links:
        assert _csv(dashboard, link.attrs["href"]) is not None
    assert page.one("figure", cls="timeline").all("circle", cls="point")
    # The footer names each API call the page made.
    calls = [a.attrs["href"] for a in page.all("a", cls="api-call")]
    assert any(c.startswith("/stats/top?kind=speakers") for c in calls)


def test_network_draws_entities_and_links(dashboard: Dashboard) -> None:
    page = browser.dom(f"{dashboard.url}/ui/network?kind=all&country=RU")
    svg = page.one("figure", cls="network").one("svg")
    names = {t.text for t in svg.all("text")}
    assert {"Dmitry Peskov", "Russian Federation"} <= names
    edges = svg.all("line", cls="edge")
    rows = _csv(dashboard, page.one("a", cls="csv").attrs["href"])
    assert len(edges) == len(rows) > 0


def test_organisation_and_country_pages_list_who_holds_office_there(dashboard: Dashboard) -> None:
    kremlin = dashboard.api("/organisations", name="Kremlin")["items"][0]["id"]
    org = browser.dom(f"{dashboard.url}/ui/organisations/{kremlin}")
    assert org.one("h1").text == "Kremlin"
    assert "Dmitry Peskov" in org.one("section", id="people").text
    assert org.one("section", id="mentions").all("circle", cls="point")
    country = browser.dom(f"{dashboard.url}/ui/countries/RU")
    assert country.one("h1").text.startswith("Russian Federation")
    assert "Dmitry Peskov" in country.one("section", id="people").text
    assert SEED_TITLE in country.one("section", id="latest").text
    assert country.one("section", id="mentions").all("circle", cls="point")
    missing = httpx.get(f"{dashboard.url}/ui/countries/Atlantis")
    assert missing.status_code == 404 and "Atlantis" in missing.text


def test_markup_in_stored_text_is_shown_as_text_never_run(dashboard: Dashboard) -> None:
    listed = dashboard.api("/articles", q="budget")["items"]
    hostile = next(a for a in listed if a["title"] == HOSTILE["title"])
    page = browser.dom(f"{dashboard.url}/ui/articles/{hostile['id']}")
    main = page.one("main")
    assert main.one("h1").text == HOSTILE["title"]  # shown, character for character
    assert not main.all("script") and not main.all("img")
    assert page.one("title").text.endswith("· newsmeta")  # no script changed it
    assert not [a for a in main.all("a") if a.attrs.get("href", "").startswith("javascript")]
    assert not page.all("b"), "a quote's markup stays text"


@pytest.mark.parametrize(
    ("name", "path", "height"),
    [
        ("overview", "/ui/?span=30d", 1000),
        ("person", "/ui/people/{peskov}", 1500),
        ("search", "/ui/search?q=Russia", 900),
        ("quotes", "/ui/quotes?speaker_country=RU", 1200),
        ("network", "/ui/network?kind=all", 1100),
        ("organisation", "/ui/organisations/{kremlin}", 1200),
        ("country", "/ui/countries/RU", 1400),
    ],
)
def test_screenshot_of_each_page(
    dashboard: Dashboard, tmp_path: Path, name: str, path: str, height: int
) -> None:
    update = os.environ.get("NEWSMETA_UPDATE_SCREENSHOTS") == "1" and dashboard.backend == "sqlite"
    kremlin = dashboard.api("/organisations", name="Kremlin")["items"][0]["id"]
    url = dashboard.url + path.format(peskov=dashboard.person_id("Peskov"), kremlin=kremlin)
    target = (DOCS_IMG if update else tmp_path) / f"dashboard-{name}.png"
    browser.screenshot(url, target, height=height)
    assert target.read_bytes().startswith(b"\x89PNG")

"""The dashboard's chart geometry: where points, bars and nodes land."""

from __future__ import annotations

from datetime import UTC, date, datetime

from app.ui import charts


def test_timeline_places_points_over_the_requested_range_on_a_round_scale() -> None:
    chart = charts.timeline(
        [(date(2025, 2, 1), 3), (date(2025, 3, 1), 7)], start=date(2025, 1, 1), end=date(2025, 12, 31)
    )
    first, second = chart.dots
    assert chart.y_max == 10  # 7 rounds up to 10
    assert chart.left < first.x < second.x < chart.width / 2  # early in a year-long axis
    assert first.y > second.y  # more is higher
    assert second.y > 12  # 7 of 10 stays below the top
    assert (chart.first, chart.last, chart.total) == ("2025-01-01", "2025-12-31", 10)
    # The line runs from the range's start at zero through the points to its end at zero.
    step = round(second.x - first.x, 1)
    assert chart.path.split() == [
        f"{chart.left},{chart.bottom}",
        f"{round(first.x - step, 1)},{chart.bottom}",  # zero until the period before the first
        f"{first.x},{first.y}",
        f"{second.x},{second.y}",
        f"{round(second.x + step, 1)},{chart.bottom}",
        f"708,{chart.bottom}",
    ]
    flush = charts.timeline([(date(2025, 1, 1), 1), (date(2025, 2, 1), 2)])
    assert flush.path.count(",") == 2  # a range that is the points' own adds nothing


def test_timeline_without_points_draws_nothing() -> None:
    chart = charts.timeline([])
    assert chart.dots == [] and chart.path == "" and chart.total == 0


def test_bars_are_relative_to_the_longest() -> None:
    rows = charts.bars([("Peskov", 8, "/ui/people/1"), ("Lavrov", 2, None)])
    assert [(b.label, b.width) for b in rows] == [("Peskov", 100.0), ("Lavrov", 25.0)]


def test_spans_run_from_first_to_last_seen() -> None:
    at = [
        datetime(2020, 1, 1, tzinfo=UTC),
        datetime(2022, 1, 1, tzinfo=UTC),
        datetime(2024, 1, 1, tzinfo=UTC),
    ]
    chart = charts.spans([("minister", at[0], at[1], True, 4), ("president", at[1], at[2], False, 9)])
    old, new = chart.spans
    assert old.x1 < old.x2 <= new.x1 + 0.1 < new.x2
    assert old.former and not new.former and new.y > old.y
    assert (chart.first, chart.last) == ("2020-01-01", "2024-01-01")


def test_circle_puts_every_node_on_the_circle_and_links_the_edges() -> None:
    nodes = [
        ("person:1", "person", "Dmitry Peskov", "/ui/people/1"),
        ("person:2", "person", "Vladimir Putin", "/ui/people/2"),
        ("country:RU", "country", "Russian Federation", "/ui/countries/RU"),
    ]
    drawing = charts.circle(nodes, [("country:RU", "person:1", 4), ("person:1", "person:2", 1)], size=600)
    centre = 300
    radii = {round(((n.x - centre) ** 2 + (n.y - centre) ** 2) ** 0.5) for n in drawing.nodes}
    assert len(radii) == 1  # all on one circle
    by_id = {n.id: n for n in drawing.nodes}
    assert by_id["person:1"].r > by_id["person:2"].r  # more shared articles, larger
    heavy, light = drawing.links
    assert heavy.width > light.width
    assert (heavy.x1, heavy.y1) == (by_id["country:RU"].x, by_id["country:RU"].y)
    assert heavy.title == "Russian Federation and Dmitry Peskov: 4 articles"


def test_a_long_name_is_cut_on_its_label_only() -> None:
    name = "Sao Tome and Principe Democratic Republic"
    drawing = charts.circle(
        [("country:ST", "country", name, None), ("country:RU", "country", "Russia", None)], []
    )
    long = next(n for n in drawing.nodes if n.id == "country:ST")
    assert long.name == name and long.label.endswith("…") and len(long.label) <= charts.LABEL

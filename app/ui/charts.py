"""Chart geometry for the dashboard's hand-written SVG: numbers in, coordinates out.

The templates draw the shapes; nothing here writes markup, so every label reaches the page
through the templates' escaping.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    label: str  # the period, ISO
    count: int


@dataclass(frozen=True)
class TimelineChart:
    width: int
    height: int
    left: int
    bottom: int  # y of the x axis
    dots: list[Dot]
    path: str  # the polyline's points
    y_max: int
    first: str
    last: str

    @property
    def total(self) -> int:
        return sum(d.count for d in self.dots)


def timeline(
    points: Sequence[tuple[date, int]],
    *,
    start: date | None = None,
    end: date | None = None,
    width: int = 720,
    height: int = 200,
) -> TimelineChart:
    """Points (period, count) placed over [start, end] (the points' own span when not given)."""
    left, right, top, bottom = 44, 12, 12, height - 24
    days = [p for p, _ in points]
    lo = start or (min(days) if days else date.today())
    hi = end or (max(days) if days else lo)
    if days:
        lo, hi = min(lo, min(days)), max(hi, max(days))
    span = max((hi - lo).days, 1)
    y_max = max([c for _, c in points] + [1])
    # A round top for the axis: 1, 2 or 5 times a power of ten.
    step = 10 ** math.floor(math.log10(y_max))
    y_top = next(m * step for m in (1, 2, 5, 10) if m * step >= y_max)
    dots = [
        Dot(
            x=round(left + (d - lo).days / span * (width - left - right), 1),
            y=round(bottom - c / y_top * (bottom - top), 1),
            label=d.isoformat(),
            count=c,
        )
        for d, c in sorted(points)
    ]
    return TimelineChart(
        width=width,
        height=height,
        left=left,
        bottom=bottom,
        dots=dots,
        path=_path(
            dots,
            left=left,
            right=width - right,
            bottom=bottom,
            open_start=lo < min(days, default=lo),
            open_end=hi > max(days, default=hi),
        ),
        y_max=y_top,
        first=lo.isoformat(),
        last=hi.isoformat(),
    )


def _path(
    dots: list[Dot], *, left: float, right: float, bottom: float, open_start: bool, open_end: bool
) -> str:
    """The line through the points; where the range runs past them, along zero to its ends (the
    API's timelines have no periods before the first count or after the last), leaving zero one
    period (the points' spacing) before the first point and after the last."""
    if not dots:
        return ""
    step = min((b.x - a.x for a, b in zip(dots, dots[1:], strict=False)), default=0.0)
    line = [(d.x, d.y) for d in dots]
    if open_start:
        line[:0] = [(left, bottom), (max(left, dots[0].x - step), bottom)]
    if open_end:
        line += [(min(right, dots[-1].x + step), bottom), (right, bottom)]
    kept = [p for i, p in enumerate(line) if i == 0 or p != line[i - 1]]
    return " ".join(f"{round(x, 1)},{round(y, 1)}" for x, y in kept)


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    width: float  # percent of the longest
    href: str | None


def bars(items: Sequence[tuple[str, int, str | None]]) -> list[Bar]:
    """(label, count, link) rows as bars, the longest at 100%."""
    most = max([c for _, c, _ in items] + [1])
    return [Bar(label=label, count=c, width=round(100 * c / most, 1), href=h) for label, c, h in items]


@dataclass(frozen=True)
class Span:
    label: str
    x1: float
    x2: float
    y: float
    former: bool
    first: str
    last: str
    articles: int


@dataclass(frozen=True)
class SpanChart:
    width: int
    height: int
    left: int
    spans: list[Span]
    first: str
    last: str


def spans(
    rows: Sequence[tuple[str, datetime, datetime, bool, int]], *, width: int = 720, row: int = 26
) -> SpanChart:
    """Positions over time: (label, first seen, last seen, former, articles) as horizontal bars."""
    left, right = 8, 8
    if not rows:
        return SpanChart(width=width, height=0, left=left, spans=[], first="", last="")
    lo = min(r[1] for r in rows)
    hi = max(r[2] for r in rows)
    span = max((hi - lo).total_seconds(), 1.0)
    inner = width - left - right
    out = []
    for i, (label, first, last, former, articles) in enumerate(rows):
        x1 = left + (first - lo).total_seconds() / span * inner
        x2 = left + (last - lo).total_seconds() / span * inner
        out.append(
            Span(
                label=label,
                x1=round(x1, 1),
                x2=round(max(x2, x1 + 4), 1),  # a single day still shows
                y=8 + i * row,
                former=former,
                first=first.date().isoformat(),
                last=last.date().isoformat(),
                articles=articles,
            )
        )
    return SpanChart(
        width=width,
        height=16 + len(rows) * row,
        left=left,
        spans=out,
        first=lo.date().isoformat(),
        last=hi.date().isoformat(),
    )


LABEL = 22


@dataclass(frozen=True)
class Node:
    id: str
    type: str
    name: str
    label: str  # the name, cut to LABEL characters
    href: str | None
    x: float
    y: float
    r: float
    anchor: str  # text-anchor of its label, which reads outwards along the radius
    lx: float
    ly: float
    rotate: float  # degrees: the label turned to its radius, never upside down


@dataclass(frozen=True)
class Link:
    x1: float
    y1: float
    x2: float
    y2: float
    weight: int
    width: float
    title: str


@dataclass(frozen=True)
class Network:
    size: int
    nodes: list[Node]
    links: list[Link]


def circle(
    nodes: Sequence[tuple[str, str, str, str | None]],
    edges: Sequence[tuple[str, str, int]],
    *,
    size: int = 720,
) -> Network:
    """A circular layout: nodes (id, type, name, link) grouped by type around a circle, edges
    (source, target, weight) as chords, thicker for heavier ones. Labels sit outside the circle."""
    centre = size / 2
    radius = size / 2 - 160  # room for the labels, LABEL characters at most
    degree: dict[str, int] = {}
    for s, t, w in edges:
        degree[s] = degree.get(s, 0) + w
        degree[t] = degree.get(t, 0) + w
    order = {"person": 0, "organisation": 1, "country": 2}
    ranked = sorted(nodes, key=lambda n: (order.get(n[1], 3), -degree.get(n[0], 0), n[2]))
    most = max(list(degree.values()) + [1])
    placed: dict[str, Node] = {}
    for i, (nid, kind, name, href) in enumerate(ranked):
        angle = 2 * math.pi * i / max(len(ranked), 1) - math.pi / 2
        cx, cy = centre + radius * math.cos(angle), centre + radius * math.sin(angle)
        lx, ly = centre + (radius + 14) * math.cos(angle), centre + (radius + 14) * math.sin(angle)
        degrees = math.degrees(angle)
        right = math.cos(angle) >= -1e-9
        placed[nid] = Node(
            id=nid,
            type=kind,
            name=name,
            label=name if len(name) <= LABEL else name[: LABEL - 1].rstrip() + "…",
            href=href,
            x=round(cx, 1),
            y=round(cy, 1),
            r=round(4 + 8 * math.sqrt(degree.get(nid, 0) / most), 1),
            anchor="start" if right else "end",
            lx=round(lx, 1),
            ly=round(ly, 1),
            rotate=round(degrees if right else degrees + 180, 1),
        )
    heaviest = max([w for _, _, w in edges] + [1])
    links = [
        Link(
            x1=placed[s].x,
            y1=placed[s].y,
            x2=placed[t].x,
            y2=placed[t].y,
            weight=w,
            width=round(0.6 + 5 * w / heaviest, 2),
            title=f"{placed[s].name} and {placed[t].name}: {w} article{'s' if w != 1 else ''}",
        )
        for s, t, w in edges
        if s in placed and t in placed
    ]
    return Network(size=size, nodes=list(placed.values()), links=links)

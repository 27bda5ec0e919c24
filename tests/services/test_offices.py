"""The office summary stays what the position rows say: through ingest, a duplicate, delete,
re-extraction and writers racing on the same office, on SQLite and Postgres."""

from __future__ import annotations

from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import col

from app.config import Settings
from app.db import get_engine, session_scope
from app.extraction import Extraction
from app.extraction.records import Person as PersonRecord
from app.extraction.records import Position as PositionRecord
from app.models import Article, Position
from app.models.common import as_utc
from app.models.records import Office, office_key
from app.services import ingest
from tests.api.test_queries import EXTRACTOR, store

Summary = dict[str, tuple[Any, ...]]


def _summary(settings: Settings) -> Summary:
    with session_scope(get_engine(settings)) as session:
        return {
            o.key: (
                as_utc(o.first_seen),
                as_utc(o.last_seen),
                o.article_count,
                as_utc(o.present_first_seen),
                as_utc(o.present_last_seen),
                o.present_count,
                as_utc(o.former_first_seen),
                as_utc(o.former_last_seen),
                o.former_count,
            )
            for o in session.execute(select(Office)).scalars()
        }


def _expected(settings: Settings) -> Summary:
    """The summary recomputed from the position rows, in Python."""
    stated: dict[str, dict[bool, dict[int, datetime]]] = defaultdict(lambda: {False: {}, True: {}})
    with session_scope(get_engine(settings)) as session:
        for p, published, created in session.execute(
            select(Position, col(Article.published_at), col(Article.created_at)).join(
                Article, col(Article.id) == col(Position.article_id)
            )
        ):
            at = as_utc(published or created)
            assert at is not None
            key = office_key(p.person_id, p.title, p.organisation_id, p.country_code)
            stated[key][bool(p.former)][p.article_id] = at
    out: Summary = {}
    for key, kinds in stated.items():
        both = {**kinds[False], **kinds[True]}
        row: list[Any] = [min(both.values()), max(both.values()), len(both)]
        for kind in (False, True):
            seen = kinds[kind]
            row += [min(seen.values()), max(seen.values())] if seen else [None, None]
            row.append(len(seen))
        out[key] = tuple(row)
    return out


def assert_in_step(settings: Settings) -> Summary:
    summary = _summary(settings)
    assert summary == _expected(settings)
    return summary


def _minister(settings: Settings, text: str, published_at: str | None, **kwargs: Any) -> int:
    return store(
        settings,
        text,
        published_at=published_at,
        people={"Sergey Lavrov": ("Lavrov",)},
        countries=(("RU", "Russia"),),
        positions=(("Sergey Lavrov", "foreign minister", None, "RU"),),
        **kwargs,
    )


def test_ingest_adds_to_the_summary_and_a_duplicate_changes_nothing(settings: Settings) -> None:
    first = _minister(settings, "Lavrov of Russia, one.", "2024-03-05T08:30:00+00:00")
    _minister(settings, "Lavrov of Russia, two.", "2020-01-01T00:00:00+00:00")
    _minister(settings, "Former minister Lavrov of Russia.", None, former=("Sergey Lavrov",))
    store(
        settings,
        "Kremlin spokesperson Peskov.",
        published_at="2024-01-01T00:00:00+00:00",
        people={"Dmitry Peskov": ("Peskov",)},
        organisations=("Kremlin",),
        positions=(("Dmitry Peskov", "spokesperson", "Kremlin", None),),
    )
    summary = assert_in_step(settings)
    assert len(summary) == 2
    [lavrov] = [v for k, v in summary.items() if k.endswith(":RU:foreign minister")]
    assert lavrov[2] == 3 and (lavrov[5], lavrov[8]) == (2, 1)
    assert _minister(settings, "Lavrov of Russia, one.", "2024-03-05T08:30:00+00:00") == first
    assert _summary(settings) == summary


def test_delete_takes_an_article_out_of_the_summary(settings: Settings) -> None:
    oldest = _minister(settings, "Lavrov in 2019.", "2019-01-01T00:00:00+00:00")
    middle = _minister(settings, "Lavrov in 2021.", "2021-01-01T00:00:00+00:00")
    newest = _minister(settings, "Lavrov in 2023.", "2023-01-01T00:00:00+00:00")
    former = _minister(
        settings, "Former minister Lavrov.", "2022-01-01T00:00:00+00:00", former=("Sergey Lavrov",)
    )
    engine = get_engine(settings)
    for article_id, left in ((middle, 3), (newest, 2), (former, 1)):  # inner, then both boundaries
        with session_scope(engine, write=True) as session:
            assert ingest.delete_article(session=session, article_id=article_id)
        [row] = assert_in_step(settings).values()
        assert row[2] == left
    [row] = _summary(settings).values()
    assert row[0] == row[1] == as_utc(datetime.fromisoformat("2019-01-01T00:00:00+00:00"))
    assert row[6] is None and row[8] == 0
    with session_scope(engine, write=True) as session:
        ingest.delete_article(session=session, article_id=oldest)
    assert _summary(settings) == {}


def test_reextraction_moves_an_article_from_one_office_to_another(settings: Settings) -> None:
    article_id = _minister(settings, "Lavrov of Russia.", "2024-03-05T08:30:00+00:00")
    _minister(settings, "Lavrov again.", "2024-04-05T08:30:00+00:00")
    corrected = Extraction(
        people=(PersonRecord(name="Sergey Lavrov", aliases=("Lavrov",), mentions=()),),
        positions=(
            PositionRecord(person="Sergey Lavrov", title="prime minister", country="RU", start=0, end=5),
        ),
        extractor=EXTRACTOR,
    )
    with session_scope(get_engine(settings), write=True) as session:
        assert ingest.reextract_article(session=session, article_id=article_id, extraction=corrected)
    summary = assert_in_step(settings)
    assert sorted((k.rsplit(":", 1)[1], v[2]) for k, v in summary.items()) == [
        ("foreign minister", 1),
        ("prime minister", 1),
    ]


def test_writers_racing_on_one_office_all_count(settings: Settings) -> None:
    def post(i: int) -> int:
        return _minister(settings, f"Lavrov of Russia, number {i}.", f"20{10 + i % 15}-06-01T00:00:00+00:00")

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(post, range(40)))
    [row] = assert_in_step(settings).values()
    assert row[2] == 40

    def delete_or_post(i: int) -> None:
        if i % 2:
            with session_scope(get_engine(settings), write=True) as session:
                ingest.delete_article(session=session, article_id=ids[i])
        else:
            post(100 + i)

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(delete_or_post, range(40)))
    [row] = assert_in_step(settings).values()
    assert row[2] == 40

"""Writers create new people and organisations in one global order, so concurrent ingests cannot deadlock."""

from __future__ import annotations

from sqlalchemy import select

from app.config import Settings
from app.db import get_engine, session_scope
from app.extraction import Extraction, ExtractorInfo
from app.extraction import Person as PersonRecord
from app.models import Person
from app.services import resolution

EXTRACTOR = ExtractorInfo(name="test", version="0", model="none")


def test_new_people_are_created_in_key_order_whatever_the_article_order(settings: Settings) -> None:
    names = {"Zoe Walsh": (), "Anna Petrova": ("Petrova",), "Marco Rossi": ()}
    extraction = Extraction(
        people=tuple(PersonRecord(name=n, aliases=a) for n, a in names.items()), extractor=EXTRACTOR
    )
    with session_scope(get_engine(settings), write=True) as session:
        people, _, _, _ = resolution.resolve_article(session, extraction)
        created = session.execute(select(Person.name).order_by(Person.id)).scalars().all()
    assert created == ["Anna Petrova", "Marco Rossi", "Zoe Walsh"]
    assert set(people) == set(names)
    assert {r.reason for r in people.values()} == {"new"}

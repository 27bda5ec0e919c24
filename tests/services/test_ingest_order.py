"""Writers create new people and organisations in one global order, so concurrent ingests cannot deadlock."""

from __future__ import annotations

from sqlalchemy import select

from app.config import Settings
from app.db import get_engine, session_scope
from app.models import Person, PersonAlias
from app.services.ingest import _canonical_ids


def test_new_people_are_created_in_key_order_whatever_the_article_order(settings: Settings) -> None:
    names = {"Zoe Walsh": (), "Anna Petrova": ("Petrova",), "Marco Rossi": ()}
    with session_scope(get_engine(settings), write=True) as session:
        ids = _canonical_ids(session, Person, PersonAlias, "person_id", names)
        created = session.execute(select(Person.name).order_by(Person.id)).scalars().all()
    assert created == ["Anna Petrova", "Marco Rossi", "Zoe Walsh"]
    assert set(ids) == set(names)

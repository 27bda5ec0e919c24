"""Positions: role phrases the first readers left out (issue 13): words of time or rank before
a title in an apposition, entertainment roles, offices stated by a verb of running something,
definite descriptions of an office, and author notes at an article's end.

Every sentence here is invented for the test.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from tests.extraction.positions_found import found


def _titles(nlp: Language, text: str) -> set[tuple[str, str]]:
    return {(person, title) for person, title, _ in found(nlp, text)}


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "person", "title"),
    [
        ("Mara Quill, a top aide to the governor, declined to comment.", "Mara Quill", "aide"),
        ("Owen Tarrant, a longtime adviser to the senator, said little.", "Owen Tarrant", "adviser"),
    ],
)
def test_a_word_of_time_or_rank_opens_an_apposition(nlp: Language, text: str, person: str, title: str) -> None:
    assert (person, title) in _titles(nlp, text)

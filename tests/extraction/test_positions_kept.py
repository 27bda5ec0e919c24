"""Positions: offices a person keeps ("wants to remain as chairman", "from his position as
chairman") and the organisation "the company" stands for.

Every sentence here is invented for the test.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from tests.extraction.positions_found import found as _found


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "person", "title"),
    [
        ("Tom Reed hopes to remain as chairman of Vetra.", "Tom Reed", "chairman"),
        ("Ann Holt said she wanted to carry on as PM.", "Ann Holt", "prime minister"),
        (
            "Bob Lane will continue to steer the firm from his position as chairman.",
            "Bob Lane",
            "chairman",
        ),
    ],
)
def test_keeping_an_office_states_it_even_when_wished(
    nlp: Language, text: str, person: str, title: str
) -> None:
    assert (person, title) in {(p, t) for p, t, _ in _found(nlp, text)}


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        "Jim Ode wants to serve as president.",
        "Jim Ode hopes to become chairman of Vetra.",
    ],
)
def test_an_office_wished_for_is_still_not_held(nlp: Language, text: str) -> None:
    assert not _found(nlp, text)

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
        ("Ann Holt told voters she hoped to carry on as PM for years.", "Ann Holt", "prime minister"),
        (
            "Bob Lane will keep running the firm from his position as chairman.",
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


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "person", "title"),
    [
        (
            "Tom Ode remains a candidate in Peru's presidential election.",
            "Tom Ode",
            "presidential candidate",
        ),
        (
            "Dan Rook became a candidate for the party's presidential nomination.",
            "Dan Rook",
            "presidential candidate",
        ),
        ("Eva Lind is a candidate in the mayoral race.", "Eva Lind", "mayoral candidate"),
    ],
)
def test_the_race_a_candidate_runs_in_names_the_office(
    nlp: Language, text: str, person: str, title: str
) -> None:
    assert (person, title) in {(p, t) for p, t, _ in _found(nlp, text)}


@pytest.mark.model
def test_a_candidate_for_a_job_states_no_office(nlp: Language) -> None:
    assert not _found(nlp, "Ann Lee is a candidate for the job.")

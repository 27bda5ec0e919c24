"""Positions: offices stated by a clause joined to the person through "and" or a relative
clause.

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
        (
            "Morton Grey, the activist who founded the Civic Institute in 1979 and is a longtime "
            "Republican National Committeeman representing Utah, endorsed Ted Cruz.",
            "Morton Grey",
            "national committeeman",
        ),
        (
            "Lee Varga, a pollster who advised the 2008 campaign and is a strategist for Priorities Now, "
            "said the race was close.",
            "Lee Varga",
            "strategist",
        ),
        ("Ann Holt founded the firm in 1990 and is its chairman.", "Ann Holt", "chairman"),
    ],
)
def test_an_office_in_a_clause_joined_by_and_to_the_persons_clause(
    nlp: Language, text: str, person: str, title: str
) -> None:
    assert person in {p for p, t, _ in _found(nlp, text) if t.endswith(title)}


@pytest.mark.model
def test_a_joined_clause_that_denies_the_office_gives_none(nlp: Language) -> None:
    found = _found(nlp, "Ann Holt founded Brightwell in 1990 and is not its chairman.")
    assert not any(title == "chairman" for _, title, _ in found)

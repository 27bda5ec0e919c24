"""Positions: offices whose field or body is written out before the name, in US and UK
styles ("Director of Government Affairs X", "Secretary of the Navy X"), and offices joined
by a hyphen ("Secretary-Treasurer X").

Every sentence here is invented for the test.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from tests.extraction.positions_found import found as _found


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "person", "title", "org"),
    [
        (
            "The union will stay out of the race, UMWA Director of Government Affairs Tom Pell "
            "told reporters on Monday.",
            "Tom Pell",
            "director of government affairs",
            "UMWA",
        ),
        (
            "Secretary of the Navy Karl Weiss said the ships were ready.",
            "Karl Weiss",
            "secretary of navy",
            "Navy",
        ),
        (
            "Deputy director of the Boston chapter of the Harbour Institute Ann Holt said the plan "
            "would fail.",
            "Ann Holt",
            "deputy director",
            "Harbour Institute",
        ),
        (
            "Western Steel Workers Secretary-Treasurer Dan Ode said the deal was poor.",
            "Dan Ode",
            "secretary-treasurer",
            "Western Steel Workers",
        ),
    ],
)
def test_an_office_with_its_field_or_body_before_the_name(
    nlp: Language, text: str, person: str, title: str, org: str
) -> None:
    assert (person, title, org) in _found(nlp, text)


@pytest.mark.model
def test_a_field_never_reaches_over_and_to_a_second_name(nlp: Language) -> None:
    found = _found(nlp, "Ray Colby said the former Secretary of State and Ann Holt had split the vote.")
    assert not any(person == "Ann Holt" for person, _, _ in found)

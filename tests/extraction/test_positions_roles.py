"""Positions: broadcasting and campaign roles, two-word offices and US title abbreviations.

Every sentence here is invented for the test.
"""

from __future__ import annotations

import pytest
from spacy.language import Language


def _found(nlp: Language, text: str) -> set[tuple[str, str]]:
    return {(p.person, p.title) for p in nlp(text)._.newsmeta_positions}


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "person", "title"),
    [
        ("The senators were pressed by moderator Jane Holloway on taxes.", "Jane Holloway", "moderator"),
        ("Northgate News moderator Peter Vance asked the first question.", "Peter Vance", "moderator"),
        ("Sam Ode is joining his running mate Carl Briggs on the trail.", "Carl Briggs", "running mate"),
        ("The inquiry is led by senior civil servant Sir Hugh Marsh.", "Hugh Marsh", "senior civil servant"),
        ("wrote Tom Pell, an instrument technician in Dover.", "Tom Pell", "instrument technician"),
    ],
)
def test_broadcasting_campaign_and_trade_roles_are_titles(
    nlp: Language, text: str, person: str, title: str
) -> None:
    assert (person, title) in _found(nlp, text)


@pytest.mark.model
def test_an_abbreviated_plural_title_goes_to_each_name_it_lists(nlp: Language) -> None:
    found = _found(nlp, "Sens. Ray Colby (Ky.) and Mark Dunne (Fla.) argued about taxes on Tuesday.")
    assert {("Ray Colby", "senator"), ("Mark Dunne", "senator")} <= found


@pytest.mark.model
def test_a_title_word_used_as_a_verb_is_no_title(nlp: Language) -> None:
    found = _found(nlp, "The conference is expected to host Mark Dunne's two rivals next week.")
    assert not any(title == "host" for _, title in found)

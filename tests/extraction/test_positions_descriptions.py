"""Positions: a definite description of an office as a subject stands for the person just named.

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
        (
            "Gordon Brewer has issued a rallying cry to supporters. "
            "The chancellor said the vote would be close.",
            "Gordon Brewer",
            "chancellor",
        ),
        (
            "Bernard Sand won the primary on Tuesday, defeating Helen Carter. "
            "The Vermont senator aimed to win by a large margin.",
            "Bernard Sand",
            "senator",
        ),
    ],
)
def test_the_office_as_subject_goes_to_the_person_the_last_sentence_was_about(
    nlp: Language, text: str, person: str, title: str
) -> None:
    assert (person, title) in _found(nlp, text)


@pytest.mark.model
def test_the_office_goes_to_its_known_holder_not_to_the_last_subject(nlp: Language) -> None:
    text = (
        "Home Secretary David Blunt spoke in Leeds. Tony Blake is to join him on Thursday. "
        "The home secretary has already apologised."
    )
    assert ("Tony Blake", "home secretary") not in _found(nlp, text)


@pytest.mark.model
def test_a_description_inside_a_quotation_is_not_read(nlp: Language) -> None:
    text = 'Gordon Brewer spoke on Monday. "The chancellor has lost his way," a rival said.'
    assert ("Gordon Brewer", "chancellor") not in _found(nlp, text)


@pytest.mark.model
def test_a_person_named_in_a_subordinate_clause_is_not_the_antecedent(nlp: Language) -> None:
    text = (
        "The scene played out in August, when Donald Tramp threw reporter Jorge Ramirez out. "
        "The anchor was trying to ask a question."
    )
    assert ("Donald Tramp", "anchor") not in _found(nlp, text)


@pytest.mark.model
def test_a_person_acted_upon_is_not_the_antecedent(nlp: Language) -> None:
    text = "Donald Tramp was asked a simple question. The moderator then moved on."
    assert ("Donald Tramp", "moderator") not in _found(nlp, text)


@pytest.mark.model
def test_another_subject_in_the_antecedent_sentence_makes_the_description_ambiguous(nlp: Language) -> None:
    text = "Paul Manning said Donald Tramp has several ways to win. The frontrunner needs more delegates."
    assert ("Paul Manning", "frontrunner") not in _found(nlp, text)

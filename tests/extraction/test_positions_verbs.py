"""Positions stated by grammar around the name: "as" phrases and verbs of founding.

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
        ("There is a deep lack of trust in Mark Dunne as prime minister.", "Mark Dunne", "prime minister"),
        (
            "Critics faulted Ann Ross's meetings as secretary of state with donors.",
            "Ann Ross",
            "secretary of state",
        ),
        ("During Ann Ross's tenure as secretary of state, exports grew.", "Ann Ross", "secretary of state"),
        (
            "As star and executive producer of the show, Tom Pell has added lines to the script.",
            "Tom Pell",
            "executive producer",
        ),
        (
            "Sara Lind is the Republican state attorney who brought the charges.",
            "Sara Lind",
            "state attorney",
        ),
    ],
)
def test_an_office_in_an_as_phrase_or_copula_belongs_to_the_name(
    nlp: Language, text: str, person: str, title: str
) -> None:
    assert any(p == person and t == title for p, t, _ in _found(nlp, text))


@pytest.mark.model
def test_an_office_imagined_in_a_fronted_as_phrase_is_not_held(nlp: Language) -> None:
    assert not _found(nlp, "As president, Tom Pell would cut taxes.")


@pytest.mark.model
def test_the_one_succeeded_is_not_given_the_office_of_the_successor(nlp: Language) -> None:
    found = _found(nlp, "Tom Pell succeeded Mark Dunne as chairman.")
    assert ("Tom Pell", "chairman", None) in found
    assert not any(p == "Mark Dunne" for p, _, _ in found)


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "person", "title", "org"),
    [
        (
            "Dan Ode, the activist who founded the Harbour Institute in 1979, has endorsed Ann Ross.",
            "Dan Ode",
            "founder",
            "Harbour Institute",
        ),
        ("Ann Ross founded Brightwell Foods in 2001.", "Ann Ross", "founder", "Brightwell Foods"),
        (
            "Brightwell Foods makes bread. Mr Pell set up the company in the 1990s.",
            "Pell",
            "founder",
            "Brightwell Foods",
        ),
        (
            "Brightwell Foods makes bread. That company was owned by Karl Weiss, a relative.",
            "Karl Weiss",
            "owner",
            "Brightwell Foods",
        ),
    ],
)
def test_a_verb_of_founding_or_owning_gives_the_organisation_its_founder(
    nlp: Language, text: str, person: str, title: str, org: str
) -> None:
    assert (person, title, org) in _found(nlp, text)


@pytest.mark.model
def test_a_denied_founding_is_no_position(nlp: Language) -> None:
    assert not _found(nlp, "Mark Dunne did not found Brightwell Foods.")


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "person", "title"),
    [
        ("He took over from Jack Straw, now foreign secretary.", "Jack Straw", "foreign secretary"),
        (
            "Dick Moss is no ideologue. He has worked as election strategist for many.",
            "Dick Moss",
            "election strategist",
        ),
    ],
)
def test_an_office_held_now_or_worked_in(nlp: Language, text: str, person: str, title: str) -> None:
    assert any(p == person and t == title for p, t, _ in _found(nlp, text))


@pytest.mark.model
def test_an_office_imagined_with_would_in_an_as_phrase_is_not_held(nlp: Language) -> None:
    text = "Many voters would be satisfied with Helen Carter as the party's nominee."
    assert not any(p == "Helen Carter" for p, _, _ in _found(nlp, text))


@pytest.mark.model
def test_creating_something_in_a_charge_is_not_founding(nlp: Language) -> None:
    text = "His accusation that Barry Oman created the Harbour Institute was false."
    assert not any(t == "founder" for _, t, _ in _found(nlp, text))


@pytest.mark.model
def test_an_age_before_an_office_is_not_part_of_it(nlp: Language) -> None:
    text = "The 82-year-old chief executive of Brightwell Foods, Sam Adler, spoke."
    assert ("Sam Adler", "chief executive", "Brightwell Foods") in _found(nlp, text)

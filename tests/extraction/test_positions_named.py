"""Positions: a name that renames a noun ("a cleric named X", "founded by a parent, X") takes
what the sentence says of the noun.

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
            "Donors back a mosque run by a cleric named Selim Varol, who lives in Ohio.",
            "Selim Varol",
            "cleric",
        ),
        ("The leak came from a former staffer named Brad Osei.", "Brad Osei", "staffer"),
    ],
)
def test_a_title_noun_named_by_a_participle_is_the_persons_office(
    nlp: Language, text: str, person: str, title: str
) -> None:
    assert (person, title) in {(p, t) for p, t, _ in _found(nlp, text)}


@pytest.mark.model
def test_a_plain_noun_named_by_a_participle_states_no_office(nlp: Language) -> None:
    assert not _found(nlp, "The letter came from a man named Brad Osei.")


@pytest.mark.model
def test_founded_by_a_noun_in_apposition_to_the_name(nlp: Language) -> None:
    text = (
        "The Pine Creek Ranch opened in May. It is a riding ranch for children founded by a "
        "nurse, Maria Soto."
    )
    assert ("Maria Soto", "founder", "Pine Creek Ranch") in _found(nlp, text)


@pytest.mark.model
def test_an_indefinite_company_founded_by_someone_is_not_the_one_in_the_news(nlp: Language) -> None:
    text = "Vetra Group hired Tom Reed. He once worked at a company founded by a banker, Tim Rowe."
    assert not any(p == "Tim Rowe" and t == "founder" for p, t, _ in _found(nlp, text))


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "person", "title", "org"),
    [
        ("Tom Pell's attorney, Mark Rudd, declined to comment.", "Mark Rudd", "attorney", None),
        (
            'Ann Harper lost. "It was fine," Tim Olsen, Harper\'s campaign manager, said.',
            "Tim Olsen",
            "campaign manager",
            "Harper campaign",
        ),
        ("Ann Holt spoke. Ed Burr, a former Holt aide, said so.", "Ed Burr", "aide", None),
        ("Ann Holt spoke. A former Holt aide, Bo Dee, spoke on Monday.", "Bo Dee", "aide", None),
        (
            "Ann Holt's campaign spokesman, Brian Fay, spoke.",
            "Brian Fay",
            "campaign spokesman",
            "Holt campaign",
        ),
    ],
)
def test_an_apposition_whose_office_a_persons_name_opens(
    nlp: Language, text: str, person: str, title: str, org: str | None
) -> None:
    assert (person, title, org) in _found(nlp, text)


@pytest.mark.model
def test_a_list_of_names_before_a_noun_is_no_apposition(nlp: Language) -> None:
    assert not _found(nlp, "Ann Baxter won. Tom Reed, Baxter delegate fight in Ohio.")


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "person", "title", "org"),
    [
        ("Nora Quill, Mrs. Holt's chief of staff, spoke.", "Nora Quill", "chief of staff", None),
        ("Alan Hart, another partner at Brightwell, spoke.", "Alan Hart", "partner", "Brightwell"),
        ("She met her chief of staff Iris Dunn in April.", "Iris Dunn", "chief of staff", None),
        ("Director of communications Ann Bay spoke.", "Ann Bay", "director of communications", None),
    ],
)
def test_more_offices_around_a_name(
    nlp: Language, text: str, person: str, title: str, org: str | None
) -> None:
    assert (person, title, org) in _found(nlp, text)


@pytest.mark.model
def test_a_country_names_whose_leader_it_is(nlp: Language) -> None:
    found = _found(nlp, "The fall of Chadian leader Oumar Bello was quick.")
    assert ("Oumar Bello", "leader", None) in found
    assert not _found(nlp, "The rally was run by leader Tom Wu.")


@pytest.mark.model
def test_a_staff_office_of_another_person_takes_no_organisation_from_the_sentence(nlp: Language) -> None:
    text = "Vera Lund, Mrs. Holt's communications director, said the European Union was wrong."
    assert ("Vera Lund", "communications director", None) in _found(nlp, text)


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "person", "title"),
    [
        ("Presidential candidate Lou Baines suggests cutting taxes.", "Lou Baines", "presidential candidate"),
        ("Ann Baxter won. Nina Kowalski, a top Baxter aide, declined to comment.", "Nina Kowalski", "aide"),
        ("Polls favour the leading Green candidate, Ina Moss, this week.", "Ina Moss", "candidate"),
        ("Rita Vance, a Central Asia analyst, wrote the report.", "Rita Vance", "analyst"),
    ],
)
def test_words_that_open_or_qualify_an_office(nlp: Language, text: str, person: str, title: str) -> None:
    assert (person, title) in {(p, t) for p, t, _ in _found(nlp, text)}


@pytest.mark.model
def test_a_capitalised_common_noun_opening_a_sentence_is_no_office(nlp: Language) -> None:
    assert not _found(nlp, "Local man Tom Lee spoke.")


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "person", "title"),
    [
        ("Col. Dana Pruitt spoke on Monday.", "Dana Pruitt", "colonel"),
        ("Sgt. Tom Hale spoke on Monday.", "Tom Hale", "sergeant"),
        ("Retired Lt. Gen. Omar Teague spoke.", "Omar Teague", "lieutenant general"),
    ],
)
def test_an_abbreviated_rank_whose_full_stop_the_tokenizer_split_off(
    nlp: Language, text: str, person: str, title: str
) -> None:
    assert (person, title) in {(p, t) for p, t, _ in _found(nlp, text)}

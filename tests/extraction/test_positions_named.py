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
            "Most donors have ties to a movement led by a cleric named Fethullah Kaya, who lives in Ohio.",
            "Fethullah Kaya",
            "cleric",
        ),
        ("The claims came from a former staffer named Brad Pol.", "Brad Pol", "staffer"),
    ],
)
def test_a_title_noun_named_by_a_participle_is_the_persons_office(
    nlp: Language, text: str, person: str, title: str
) -> None:
    assert (person, title) in {(p, t) for p, t, _ in _found(nlp, text)}


@pytest.mark.model
def test_a_plain_noun_named_by_a_participle_states_no_office(nlp: Language) -> None:
    assert not _found(nlp, "The letter came from a man named Brad Pol.")


@pytest.mark.model
def test_founded_by_a_noun_in_apposition_to_the_name(nlp: Language) -> None:
    text = (
        "The Hope Valley Ranch opened in May. It is a working ranch for teenagers founded by a "
        "parent, Maria Soto."
    )
    assert ("Maria Soto", "founder", "Hope Valley Ranch") in _found(nlp, text)


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
            '"It was fine," Jeff Wade, Sanders\' campaign manager, said.',
            "Jeff Wade",
            "campaign manager",
            "Sanders campaign",
        ),
        ("Sam Nun, a former Trump aide, said so.", "Sam Nun", "aide", None),
        ("A former Trump aide, Bo Dee, spoke on Monday.", "Bo Dee", "aide", None),
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
    assert not _found(nlp, "Tom Reed, Cruz wage delegate battle in Ohio.")


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "person", "title", "org"),
    [
        ("Tina Tay, Mrs. Oban's chief of staff, spoke.", "Tina Tay", "chief of staff", None),
        ("Alan Hart, another partner at Centerview, spoke.", "Alan Hart", "partner", "Centerview"),
        ("She met her chief of staff Cheryl Mint in April.", "Cheryl Mint", "chief of staff", None),
        ("Director of communications Ann Bay spoke.", "Ann Bay", "director of communications", None),
    ],
)
def test_more_offices_around_a_name(
    nlp: Language, text: str, person: str, title: str, org: str | None
) -> None:
    assert (person, title, org) in _found(nlp, text)


@pytest.mark.model
def test_a_country_names_whose_leader_it_is(nlp: Language) -> None:
    found = _found(nlp, "The toppling of Libyan leader Muammar Kada was fast.")
    assert ("Muammar Kada", "leader", None) in found
    assert not _found(nlp, "The rally was run by leader Tom Wu.")


@pytest.mark.model
def test_a_staff_office_of_another_person_takes_no_organisation_from_the_sentence(nlp: Language) -> None:
    text = "Jenna Palm, Mrs. Clint's communications director, said the European Union was wrong."
    assert ("Jenna Palm", "communications director", None) in _found(nlp, text)


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "person", "title"),
    [
        ("Presidential candidate Ben Carr suggests cutting taxes.", "Ben Carr", "presidential candidate"),
        ("Of the inquiry, Cheryl Mint, a top Clinton aide, spoke.", "Cheryl Mint", "aide"),
        ("He attacked the leading Republican candidate, Donald Tamm, and left.", "Donald Tamm", "candidate"),
        ('"It is a fact," said Jon Alter, a Middle East analyst.', "Jon Alter", "analyst"),
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
        ("Col. Lawrence Wilk spoke on Monday.", "Lawrence Wilk", "colonel"),
        ("Sgt. Tom Hale spoke on Monday.", "Tom Hale", "sergeant"),
        ("Retired Lt. Gen. Mike Flan spoke.", "Mike Flan", "lieutenant general"),
    ],
)
def test_an_abbreviated_rank_whose_full_stop_the_tokenizer_split_off(
    nlp: Language, text: str, person: str, title: str
) -> None:
    assert (person, title) in {(p, t) for p, t, _ in _found(nlp, text)}

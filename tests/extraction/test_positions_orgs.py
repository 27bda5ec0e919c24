"""Positions: the organisation an office belongs to (a party, a department, a company).

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
        ("Tory leader Ian Marsh spoke in Leeds on Monday.", "Ian Marsh", "leader", "Conservative Party"),
        (
            "Conservative shadow chancellor Ian Marsh said the figures did not add up.",
            "Ian Marsh",
            "shadow chancellor",
            "Conservative Party",
        ),
        (
            "Lib Dem leader Fiona Hale said voters had lost trust.",
            "Fiona Hale",
            "leader",
            "Liberal Democrats",
        ),
        (
            "The group backed Democratic nominee Joan Avery in the race.",
            "Joan Avery",
            "nominee",
            "Democratic Party",
        ),
    ],
)
def test_a_party_word_before_an_office_is_its_organisation(
    nlp: Language, text: str, person: str, title: str, org: str
) -> None:
    assert (person, title, org) in _found(nlp, text)


@pytest.mark.model
def test_a_party_leader_needs_the_party_to_be_read_at_all(nlp: Language) -> None:
    assert not any(t == "leader" for _, t, _ in _found(nlp, "The team leader Ian Marsh spoke."))


@pytest.mark.model
def test_a_seat_in_a_named_body_takes_the_body_over_the_party(nlp: Language) -> None:
    text = "Republican Senator Joan Avery voted against the bill. The Senate passed it on Friday."
    assert ("Joan Avery", "senator", "Senate") in _found(nlp, text)


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "person", "title", "org"),
    [
        (
            "Home Secretary Ian Marsh defended the plan. The Home Office said it would publish figures.",
            "Ian Marsh",
            "home secretary",
            "Home Office",
        ),
        (
            "Foreign Minister Lena Ruiz flew to Madrid. The Foreign Ministry confirmed the visit.",
            "Lena Ruiz",
            "foreign minister",
            "Foreign Ministry",
        ),
    ],
)
def test_an_office_named_by_its_field_belongs_to_the_department_the_article_names(
    nlp: Language, text: str, person: str, title: str, org: str
) -> None:
    assert (person, title, org) in _found(nlp, text)


@pytest.mark.model
def test_a_shadow_office_is_not_given_the_department(nlp: Language) -> None:
    text = "Shadow home secretary Ian Marsh attacked the plan. The Home Office said it would go ahead."
    assert ("Ian Marsh", "shadow home secretary", "Home Office") not in _found(nlp, text)


@pytest.mark.model
def test_of_the_company_after_an_office_is_its_organisation_not_its_field(nlp: Language) -> None:
    text = "Brightwell Foods sells bread. Tom Pell, managing director of the company's bakery arm, spoke."
    assert ("Tom Pell", "managing director", "Brightwell Foods") in _found(nlp, text)


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "org"),
    [
        ("Clinton campaign manager Robert Monk wrote a memo.", "Clinton campaign"),
        ("John Smith's campaign chairman Robert Monk wrote a memo.", "Smith campaign"),
    ],
)
def test_a_campaign_office_belongs_to_the_candidates_campaign(nlp: Language, text: str, org: str) -> None:
    assert any(p == "Robert Monk" and o == org for p, _, o in _found(nlp, text))


@pytest.mark.model
def test_a_spokeswoman_without_an_organisation_speaks_for_the_company_the_story_is_about(
    nlp: Language,
) -> None:
    text = (
        "Brightwell Foods will close its plant in Dover. Brightwell Foods blamed costs. "
        "Spokeswoman Ann Holt said talks with staff would start soon."
    )
    assert ("Ann Holt", "spokeswoman", "Brightwell Foods") in _found(nlp, text)


@pytest.mark.model
def test_an_organisation_named_again_where_the_model_missed_it_is_still_the_organisation(
    nlp: Language,
) -> None:
    text = (
        "The AFL-CIO will endorse the senator next week. "
        "Indeed, AFL-CIO President Richard Trumble felt compelled to issue a memo."
    )
    assert ("Richard Trumble", "president", "AFL-CIO") in _found(nlp, text)


@pytest.mark.model
def test_parties_named_place_the_story_in_their_country(nlp: Language) -> None:
    text = (
        "Chancellor Gordon Brewer will deliver his budget next week. Labour said the economy was "
        "strong. The Tories and Labour traded blows, while the Conservatives promised tax cuts "
        "in Britain. Iraq was not mentioned."
    )
    countries = {(p.person, p.country) for p in nlp(text)._.newsmeta_positions}
    assert ("Gordon Brewer", "GB") in countries

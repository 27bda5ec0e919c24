"""Political parties: the data file's forms and member nouns, and how an article's uses of
them become one organisation. Sentences invented for the tests."""

from __future__ import annotations

import pytest
from entity_tagging import orgs, run
from spacy.language import Language

from app.extraction.people import EntitiesComponent
from app.extraction.people.parties import parties


@pytest.mark.parametrize(
    ("form", "name", "country"),
    [
        ("Tories", "Conservative Party", "GB"),
        ("Lib Dems", "Liberal Democrats", "GB"),
        ("SNP", "Scottish National Party", "GB"),
        ("GOP", "Republican Party", "US"),
        ("UKIP", "UK Independence Party", "GB"),
        ("Democrats", "Democratic Party", "US"),
        ("CDU", "Christian Democratic Union", "DE"),
        ("PSOE", "Spanish Socialist Workers' Party", "ES"),
    ],
)
def test_a_short_form_names_its_party(form: str, name: str, country: str) -> None:
    party = parties().party(form)
    assert party is not None and (party.name, party.country) == (name, country)


@pytest.mark.parametrize(("noun", "name"), [("Tory", "Conservative Party"), ("Democrat", "Democratic Party")])
def test_a_member_noun_names_its_party(noun: str, name: str) -> None:
    party = parties().of_member(noun)
    assert party is not None and party.name == name


def test_a_shared_name_goes_to_the_party_of_the_articles_country() -> None:
    assert parties().party("Labour") is not None
    assert parties().party("Labour", {"NZ"}).name == "New Zealand Labour Party"  # type: ignore[union-attr]
    assert parties().party("Labour").country == "GB"  # type: ignore[union-attr]


def test_every_form_of_a_party_is_one_organisation(blank: Language, component: EntitiesComponent) -> None:
    doc = run(
        blank,
        component,
        "The Tories said Labour had failed. Tory MPs cheered as the Conservative Party rose in the polls, "
        "but the Lib Dems were unmoved.",
        [
            ("Tories", "NORP"),
            ("Labour", "ORG"),
            ("Tory", "NORP"),
            ("Conservative Party", "ORG"),
            ("Lib Dems", "PERSON"),
        ],
    )
    found = orgs(doc)
    assert set(found) == {"Conservative Party", "Labour Party", "Liberal Democrats"}
    assert found["Conservative Party"] == {"Tories", "Tory", "Conservative Party"}
    assert not doc._.newsmeta_people  # "Lib Dems" is the party whatever the model called it


def test_a_party_word_inside_a_longer_name_is_that_names(
    blank: Language, component: EntitiesComponent
) -> None:
    doc = run(
        blank,
        component,
        "The Republican National Committee met Damian Green in the Democratic Republic of Congo.",
        [
            ("Republican National Committee", "ORG"),
            ("Damian Green", "PERSON"),
            ("Democratic Republic of Congo", "GPE"),
        ],
    )
    assert set(orgs(doc)) == {"Republican National Committee"}
    assert {c.name for c in doc._.newsmeta_people} == {"Damian Green"}


def test_the_party_named_in_full_keeps_the_articles_name(
    blank: Language, component: EntitiesComponent
) -> None:
    doc = run(
        blank,
        component,
        "The National Front gained votes in France, and the party's leader spoke.",
        [("National Front", "ORG"), ("France", "GPE")],
    )
    assert orgs(doc) == {"National Front": {"National Front"}}


@pytest.mark.model
def test_labour_at_a_sentence_start_before_a_noun_is_not_the_party(nlp: Language) -> None:
    doc = nlp("Labour costs rose by four percent last year, the ministry said.")
    assert "Labour Party" not in {c.name for c in doc._.newsmeta_orgs}


@pytest.mark.model
def test_labour_mps_and_the_tories_resolve_to_their_parties(nlp: Language) -> None:
    doc = nlp(
        "Labour MPs voted against the plan on Tuesday. The Tories said the vote showed that "
        "the government had lost control of its own benches."
    )
    names = {c.name for c in doc._.newsmeta_orgs}
    assert {"Labour Party", "Conservative Party"} <= names

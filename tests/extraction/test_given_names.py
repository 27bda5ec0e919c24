"""Given names from the Census list (data/people_given_names_census.txt) as evidence of a person,
and the English words and surnames the list leaves out. Sentences and names invented."""

from __future__ import annotations

import pytest
from entity_tagging import orgs, people, run
from spacy.language import Language

from app.extraction.people import EntitiesComponent
from app.extraction.people.lexicon import lexicon


def test_a_census_given_name_makes_a_pair_the_model_calls_an_organisation_a_person(
    blank: Language, component: EntitiesComponent
) -> None:
    assert "darlene" not in lexicon().given_names  # only in the Census list
    doc = run(
        blank,
        component,
        "Darlene Quimby said the plan was sound. Quimby spoke for an hour.",
        [("Darlene Quimby", "ORG"), ("Quimby", "ORG")],
    )
    assert people(doc) == {"Darlene Quimby": {"Darlene Quimby", "Quimby"}}
    assert not orgs(doc)


def test_a_middle_name_from_the_census_list_does_not_cut_off_the_first_name(
    blank: Language, component: EntitiesComponent
) -> None:
    # The wide list is evidence that a name is a person's, never a reason to cut a word: a party
    # word before a name ("Tory Neil Pell") is cut only when the hand-made list knows the name.
    doc = run(
        blank, component, "Dwight Harlan Pell said the vote was lost.", [("Dwight Harlan Pell", "PERSON")]
    )
    assert set(people(doc)) == {"Dwight Harlan Pell"}
    doc = run(blank, component, "Tory Neil Pell said the vote was lost.", [("Tory Neil Pell", "PERSON")])
    assert set(people(doc)) == {"Neil Pell"}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Will Harbor Partners bought the mill.", "Will Harbor Partners"),
        ("Grant Thornley said the fund lost money.", "Grant Thornley"),
        ("Hope Valley Trust opened a branch.", "Hope Valley Trust"),
    ],
)
def test_an_english_word_opening_an_organisation_does_not_make_it_a_person(
    blank: Language, component: EntitiesComponent, text: str, name: str
) -> None:
    doc = run(blank, component, text, [(name, "ORG")])
    assert set(orgs(doc)) == {name}
    assert not people(doc)


def test_the_census_list_leaves_out_words_surnames_places_and_particles() -> None:
    lex = lexicon()
    assert lex.given_names <= lex.given_names_wide
    assert {"darlene", "rhonda", "wendell"} <= lex.given_names_wide
    # English words, a commoner surname, a place in the gazetteer, a two-letter particle
    for word in ("will", "grant", "hope", "rose", "stanford", "georgia", "al"):
        assert word not in lex.given_names_wide - lex.given_names, word

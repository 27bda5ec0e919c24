"""Organisations the model mislabels or misses, and names it calls organisations that are not
(products, places): rules tested on hand-parsed Docs. Sentences invented."""

from __future__ import annotations

import pytest
from entity_tagging import orgs, people
from spacy.language import Language
from spacy.tokens import Doc

from app.extraction.people import EntitiesComponent


def _doc(blank: Language, rows: list[tuple[str, str, int, str, str]]) -> Doc:
    """A Doc from (word, pos, head index, dependency, entity IOB tag) rows."""
    words, pos, heads, deps, ents = (list(col) for col in zip(*rows, strict=True))
    return Doc(blank.vocab, words=words, pos=pos, tags=pos, heads=heads, deps=deps, ents=ents)  # type: ignore[arg-type]


def test_the_name_after_a_staff_noun_and_for_is_the_employer(
    blank: Language, component: EntitiesComponent
) -> None:
    # "Jo Reyes, an analyst for Edmark, spoke": the model called the employer a people (NORP).
    doc = _doc(
        blank,
        [
            ("Jo", "PROPN", 1, "compound", "B-PERSON"),
            ("Reyes", "PROPN", 7, "nsubj", "I-PERSON"),
            (",", "PUNCT", 1, "punct", "O"),
            ("an", "DET", 4, "det", "O"),
            ("analyst", "NOUN", 1, "appos", "O"),
            ("for", "ADP", 4, "prep", "O"),
            ("Edmark", "PROPN", 5, "pobj", "B-NORP"),
            ("spoke", "VERB", 7, "ROOT", "O"),
        ],
    )
    component(doc)
    assert set(orgs(doc)) == {"Edmark"}
    assert set(people(doc)) == {"Jo Reyes"}


def test_a_name_the_model_calls_a_person_after_a_company_office_and_for_is_the_employer(
    blank: Language, component: EntitiesComponent
) -> None:
    # "the technology officer for Vestra Halden spoke"
    doc = _doc(
        blank,
        [
            ("the", "DET", 2, "det", "O"),
            ("technology", "NOUN", 2, "compound", "O"),
            ("officer", "NOUN", 6, "nsubj", "O"),
            ("for", "ADP", 2, "prep", "O"),
            ("Vestra", "PROPN", 5, "compound", "B-PERSON"),
            ("Halden", "PROPN", 3, "pobj", "I-PERSON"),
            ("spoke", "VERB", 6, "ROOT", "O"),
        ],
    )
    component(doc)
    assert set(orgs(doc)) == {"Vestra Halden"}
    assert not people(doc)


@pytest.mark.parametrize(
    ("noun", "name", "label"),
    [
        ("spokesman", "Tarrant", "PERSON"),  # the surname of a person the article names in full
        ("minister", "Europe", "LOC"),  # a portfolio, not an employer
    ],
)
def test_a_person_or_a_portfolio_after_for_is_no_employer(
    blank: Language, component: EntitiesComponent, noun: str, name: str, label: str
) -> None:
    # "a <noun> for <name> spoke and Lena Tarrant agreed"
    doc = _doc(
        blank,
        [
            ("a", "DET", 1, "det", "O"),
            (noun, "NOUN", 4, "nsubj", "O"),
            ("for", "ADP", 1, "prep", "O"),
            (name, "PROPN", 2, "pobj", f"B-{label}"),
            ("spoke", "VERB", 4, "ROOT", "O"),
            ("and", "CCONJ", 4, "cc", "O"),
            ("Lena", "PROPN", 7, "compound", "B-PERSON"),
            ("Tarrant", "PROPN", 8, "nsubj", "I-PERSON"),
            ("agreed", "VERB", 4, "conj", "O"),
        ],
    )
    component(doc)
    assert name not in orgs(doc)


@pytest.mark.parametrize("label", ["LAW", "PERSON", "ORG"])
def test_a_name_ending_in_pac_is_an_organisation_whatever_the_model_called_it(
    blank: Language, component: EntitiesComponent, label: str
) -> None:
    # "The ad was paid for by the Harbor Voices PAC."
    doc = _doc(
        blank,
        [
            ("The", "DET", 1, "det", "O"),
            ("ad", "NOUN", 3, "nsubjpass", "O"),
            ("was", "AUX", 3, "auxpass", "O"),
            ("paid", "VERB", 3, "ROOT", "O"),
            ("by", "ADP", 3, "agent", "O"),
            ("the", "DET", 8, "det", "O"),
            ("Harbor", "PROPN", 7, "compound", f"B-{label}"),
            ("Voices", "PROPN", 8, "compound", f"I-{label}"),
            ("PAC", "PROPN", 4, "pobj", f"I-{label}"),
        ],
    )
    component(doc)
    assert set(orgs(doc)) == {"Harbor Voices PAC"}
    assert not people(doc)


def test_pac_alone_is_no_organisation(blank: Language, component: EntitiesComponent) -> None:
    doc = _doc(
        blank,
        [
            ("The", "DET", 1, "det", "O"),
            ("PAC", "PROPN", 2, "nsubj", "B-ORG"),
            ("spent", "VERB", 2, "ROOT", "O"),
            ("more", "ADJ", 2, "dobj", "O"),
        ],
    )
    component(doc)
    assert not orgs(doc)


def test_the_plural_of_a_listed_product_is_no_organisation(
    blank: Language, component: EntitiesComponent
) -> None:
    # "Fans want more Kindles." ("Kindle" is a product in data/orgs_not.txt)
    doc = _doc(
        blank,
        [
            ("Fans", "NOUN", 1, "nsubj", "O"),
            ("want", "VERB", 1, "ROOT", "O"),
            ("more", "ADJ", 3, "amod", "O"),
            ("Kindles", "PROPN", 1, "dobj", "B-ORG"),
        ],
    )
    component(doc)
    assert not orgs(doc)


@pytest.mark.parametrize(
    ("words", "label"),
    [
        (["Soviet", "Union"], "GPE"),  # a former country ending in an organisation's head word
        (["Granite", "State"], "ORG"),  # a U.S. state's nickname
    ],
)
def test_a_former_country_or_a_state_nickname_is_no_organisation(
    blank: Language, component: EntitiesComponent, words: list[str], label: str
) -> None:
    # "Voters in the <name> agreed."
    doc = _doc(
        blank,
        [
            ("Voters", "NOUN", 5, "nsubj", "O"),
            ("in", "ADP", 0, "prep", "O"),
            ("the", "DET", 4, "det", "O"),
            (words[0], "PROPN", 4, "compound", f"B-{label}"),
            (words[1], "PROPN", 1, "pobj", f"I-{label}"),
            ("agreed", "VERB", 5, "ROOT", "O"),
        ],
    )
    component(doc)
    assert not orgs(doc)


def test_a_college_named_after_a_state_nickname_stays_an_organisation(
    blank: Language, component: EntitiesComponent
) -> None:
    doc = _doc(
        blank,
        [
            ("Evergreen", "PROPN", 2, "compound", "B-ORG"),
            ("State", "PROPN", 2, "compound", "I-ORG"),
            ("College", "PROPN", 3, "nsubj", "I-ORG"),
            ("closed", "VERB", 3, "ROOT", "O"),
        ],
    )
    component(doc)
    assert set(orgs(doc)) == {"Evergreen State College"}


@pytest.mark.parametrize(
    "words",
    [
        ["Pacific", "Free", "Trade", "Agreement"],  # a treaty, named by its last noun
        ["Eastern", "Standard", "Time"],  # a time zone written out
        ["Latinos"],  # a people, not a body
    ],
)
def test_treaties_time_zones_and_peoples_are_no_organisations(
    blank: Language, component: EntitiesComponent, words: list[str]
) -> None:
    # "<name> matters."
    rows = [(w, "PROPN", len(words) - 1, "compound", "I-ORG") for w in words]
    rows[0] = (words[0], "PROPN", len(words) - 1, "compound", "B-ORG")
    rows[-1] = (words[-1], "PROPN", len(words), "nsubj", rows[-1][4] if len(words) > 1 else "B-ORG")
    doc = _doc(blank, [*rows, ("matters", "VERB", len(words), "ROOT", "O")])
    component(doc)
    assert not orgs(doc)


@pytest.mark.parametrize("tag", ["B-PERSON", "O"])
def test_a_body_named_after_a_person_of_the_article_is_an_organisation(
    blank: Language, component: EntitiesComponent, tag: str
) -> None:
    # "Lena Tarrant spoke for the Tarrant Global Initiative": the name tagged as a person, or
    # left untagged while the article names the person elsewhere.
    doc = _doc(
        blank,
        [
            ("Lena", "PROPN", 1, "compound", "B-PERSON"),
            ("Tarrant", "PROPN", 2, "nsubj", "I-PERSON"),
            ("spoke", "VERB", 2, "ROOT", "O"),
            ("for", "ADP", 2, "prep", "O"),
            ("the", "DET", 7, "det", "O"),
            ("Tarrant", "PROPN", 7, "compound", tag),
            ("Global", "PROPN", 7, "compound", "O"),
            ("Initiative", "PROPN", 3, "pobj", "O"),
        ],
    )
    component(doc)
    assert set(orgs(doc)) == {"Tarrant Global Initiative"}
    assert set(people(doc)) == {"Lena Tarrant"}


def test_an_initiative_named_by_no_person_is_no_organisation(
    blank: Language, component: EntitiesComponent
) -> None:
    doc = _doc(
        blank,
        [
            ("the", "DET", 3, "det", "O"),
            ("Strategic", "PROPN", 3, "compound", "O"),
            ("Defense", "PROPN", 3, "compound", "O"),
            ("Initiative", "PROPN", 4, "nsubj", "O"),
            ("failed", "VERB", 4, "ROOT", "O"),
        ],
    )
    component(doc)
    assert not orgs(doc)


def test_names_joined_by_slashes_are_each_an_organisation(
    blank: Language, component: EntitiesComponent
) -> None:
    # "A Harbour Post/KTV News/Marlow poll found it": a poll's partners in one entity.
    doc = Doc(
        blank.vocab,
        words=["A", "Harbour", "Post", "/", "KTV", "News", "/", "Marlow", "poll", "found", "it"],
        spaces=[True, True, False, False, True, False, False, True, True, True, False],
        pos=["DET", "PROPN", "PROPN", "SYM", "PROPN", "PROPN", "SYM", "PROPN", "NOUN", "VERB", "PRON"],
        tags=["DET", "PROPN", "PROPN", "SYM", "PROPN", "PROPN", "SYM", "PROPN", "NOUN", "VERB", "PRON"],
        heads=[8, 2, 8, 2, 5, 2, 7, 5, 9, 9, 9],
        deps=[
            "det",
            "compound",
            "compound",
            "punct",
            "compound",
            "conj",
            "punct",
            "conj",
            "nsubj",
            "ROOT",
            "dobj",
        ],
        ents=["O", "B-ORG", "I-ORG", "I-ORG", "I-ORG", "I-ORG", "I-ORG", "I-ORG", "O", "O", "O"],
    )
    component(doc)
    assert set(orgs(doc)) == {"Harbour Post", "KTV News", "Marlow"}


def test_a_photo_credit_names_only_its_agency(blank: Language, component: EntitiesComponent) -> None:
    # "Photo: Handout/Vetra Images."
    doc = Doc(
        blank.vocab,
        words=["Photo", ":", "Handout", "/", "Vetra", "Images", "."],
        spaces=[False, True, False, False, True, False, False],
        pos=["NOUN", "PUNCT", "PROPN", "SYM", "PROPN", "PROPN", "PUNCT"],
        tags=["NOUN", "PUNCT", "PROPN", "SYM", "PROPN", "PROPN", "PUNCT"],
        heads=[0, 0, 5, 5, 5, 0, 0],
        deps=["ROOT", "punct", "compound", "punct", "compound", "appos", "punct"],
        ents=["O", "O", "B-ORG", "I-ORG", "I-ORG", "I-ORG", "O"],
    )
    component(doc)
    assert set(orgs(doc)) == {"Vetra Images"}

"""Which kind a name is: person or organisation, when the model's tag and the article disagree,
and names that capitals alone do not make (headlines, common nouns). Sentences invented."""

from __future__ import annotations

import pytest
from entity_tagging import orgs, people, run
from spacy.language import Language
from spacy.tokens import Doc

from app.extraction.people import EntitiesComponent


def test_an_honorific_inside_an_organisation_span_makes_a_person(
    blank: Language, component: EntitiesComponent
) -> None:
    doc = run(
        blank,
        component,
        "Ted Harlow wrote the book. Critics say Mr Harlow may be right.",
        [("Ted Harlow", "PERSON"), ("Mr Harlow", "ORG")],
    )
    assert people(doc) == {"Ted Harlow": {"Ted Harlow", "Harlow"}}
    assert not orgs(doc)


def test_a_verb_of_speech_opening_an_inverted_sentence_is_not_part_of_the_name(
    blank: Language, component: EntitiesComponent
) -> None:
    doc = run(blank, component, "Said Mr Quill: we will sell.", [("Said Mr Quill", "PERSON")])
    assert set(people(doc)) == {"Quill"}


def test_a_time_zone_after_a_clock_time_is_not_part_of_the_organisation(
    blank: Language, component: EntitiesComponent
) -> None:
    doc = run(
        blank,
        component,
        "By 1400 GMT Norvane Shipping's shares were flat.",
        [("GMT Norvane Shipping", "ORG")],
    )
    assert set(orgs(doc)) == {"Norvane Shipping"}


def test_an_acronym_after_a_person_and_at_is_their_employer(
    blank: Language, component: EntitiesComponent
) -> None:
    doc = run(
        blank,
        component,
        "It will not last, said analyst Pia Lund at KRV on Monday.",
        [("Pia Lund", "PERSON")],
    )
    assert set(orgs(doc)) == {"KRV"}


def test_a_person_tagged_as_an_organisation_later_stays_the_person(
    blank: Language, component: EntitiesComponent
) -> None:
    doc = run(
        blank,
        component,
        "Governor Dana Whitcombe spoke first. Later Whitcombe stated her plan, and Whitcombe added more. "
        "A statement from Dana Whitcombe followed.",
        [("Dana Whitcombe", "PERSON"), ("Whitcombe", "ORG"), ("Whitcombe", "ORG"), ("Dana Whitcombe", "ORG")],
    )
    assert people(doc) == {"Dana Whitcombe": {"Dana Whitcombe", "Whitcombe"}}
    assert not orgs(doc)


def test_a_company_named_before_a_person_sharing_its_name_stays_a_company(
    blank: Language, component: EntitiesComponent
) -> None:
    doc = run(
        blank,
        component,
        "Halvorsen cut prices. Halvorsen shares fell; Halvorsen shut a plant. Erik Halvorsen founded it.",
        [("Halvorsen", "ORG"), ("Halvorsen", "ORG"), ("Halvorsen", "ORG"), ("Erik Halvorsen", "PERSON")],
    )
    assert set(orgs(doc)) == {"Halvorsen"}
    assert set(people(doc)) == {"Erik Halvorsen"}


def test_a_bare_person_word_that_names_a_company_of_the_article_is_the_company(
    blank: Language, component: EntitiesComponent
) -> None:
    doc = run(
        blank,
        component,
        "Shares in Brannock Energy fell. Brannock said output would rise.",
        [("Brannock Energy", "ORG"), ("Brannock", "PERSON")],
    )
    assert orgs(doc) == {"Brannock Energy": {"Brannock Energy", "Brannock"}}
    assert not people(doc)


def test_a_capitalised_common_noun_the_article_also_writes_in_lower_case_is_no_organisation(
    blank: Language, component: EntitiesComponent
) -> None:
    doc = run(
        blank,
        component,
        "The minister will present the Budget today; this budget is his last. Norvane Shipping agreed.",
        [("Budget", "ORG"), ("Norvane Shipping", "ORG")],
    )
    assert set(orgs(doc)) == {"Norvane Shipping"}


@pytest.mark.model
def test_entities_in_a_title_case_headline_keep_only_names_the_article_uses(nlp: Language) -> None:
    doc = nlp(
        "Senator Alma Verhoeven Slams Budget Plan In Fiery Speech\n\n"
        "Senator Alma Verhoeven criticised the plan on Tuesday. Verhoeven said it would fail."
    )
    assert {c.name for c in doc._.newsmeta_people} == {"Alma Verhoeven"}
    assert not any("Slams" in c.name for c in doc._.newsmeta_orgs)


@pytest.mark.parametrize(
    ("text", "ent", "expected"),
    [
        (
            "Members of the Union of Free Farmers (UFF) met. The UFF agreed.",
            "Union of Free Farmers (UFF",
            {"Union of Free Farmers": {"Union of Free Farmers", "UFF"}},
        ),
        (
            "Members of the Union of Free Farmers ( UFF ) met. The UFF agreed.",
            "Union of Free Farmers ( UFF",
            {"Union of Free Farmers": {"Union of Free Farmers", "UFF"}},
        ),
        ("OSLO (Nordpress) - Prices rose.", "OSLO (Nordpress", {"Nordpress": {"Nordpress"}}),
        (
            "She teaches at the Brill School at Halden University now.",
            "Brill School at Halden University",
            {"Brill School": {"Brill School"}, "Halden University": {"Halden University"}},
        ),
        (
            "A Harbour Post-KTV News poll found a lead.",
            "Harbour Post-KTV News",
            {"Harbour Post": {"Harbour Post"}, "KTV News": {"KTV News"}},
        ),
    ],
)
def test_an_organisation_span_holding_two_names_is_split(
    blank: Language, component: EntitiesComponent, text: str, ent: str, expected: dict[str, set[str]]
) -> None:
    ents = [(ent, "ORG")]
    if "The UFF" in text:
        ents.append(("UFF", "ORG"))
    assert orgs(run(blank, component, text, ents)) == expected


def test_a_name_right_after_a_lower_case_title_is_a_person(
    blank: Language, component: EntitiesComponent
) -> None:
    doc = run(
        blank, component, "Opposition shadow chancellor Lina Marsh warned of debt.", [("Lina Marsh", "ORG")]
    )
    assert set(people(doc)) == {"Lina Marsh"}
    assert not orgs(doc)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Department of Fisheries", "Fisheries Department"),
        ("Institute for Tax Studies", "Institute of Tax Studies"),
    ],
)
def test_word_order_and_small_word_variants_of_a_name_are_one_organisation(
    blank: Language, component: EntitiesComponent, first: str, second: str
) -> None:
    doc = run(
        blank, component, f"The {first} spoke, and the {second} agreed.", [(first, "ORG"), (second, "ORG")]
    )
    assert len(orgs(doc)) == 1


def _parsed(vocab: object, words: list[str], heads: list[int], deps: list[str], ents: list[str]) -> Doc:
    pos = [
        "PROPN" if w[:1].isupper() else "NUM" if w.isdigit() else "CCONJ" if w == "and" else "VERB"
        for w in words
    ]
    return Doc(vocab, words=words, pos=pos, tags=pos, heads=heads, deps=deps, ents=ents)  # type: ignore[arg-type]


def test_a_name_joined_by_and_to_an_organisation_is_an_organisation(
    blank: Language, component: EntitiesComponent
) -> None:
    # "Nordvik Games and Tallow Brightmoor signed": the model called the second name a person.
    doc = _parsed(
        blank.vocab,
        ["Nordvik", "Games", "and", "Tallow", "Brightmoor", "signed"],
        [1, 5, 1, 4, 1, 5],
        ["compound", "nsubj", "cc", "compound", "conj", "ROOT"],
        ["B-ORG", "I-ORG", "O", "B-PERSON", "I-PERSON", "O"],
    )
    component(doc)
    assert set(orgs(doc)) == {"Nordvik Games", "Tallow Brightmoor"}
    assert not people(doc)


def test_a_person_of_a_party_coordinated_after_an_organisation_stays_a_person(
    blank: Language, component: EntitiesComponent
) -> None:
    # "Ko of DAB and Tallow Brightmoor of NPP won": members listed with their parties.
    doc = _parsed(
        blank.vocab,
        ["Ko", "of", "DAB", "and", "Tallow", "Brightmoor", "of", "NPP", "won"],
        [8, 0, 1, 2, 5, 2, 5, 6, 8],
        ["nsubj", "prep", "pobj", "cc", "compound", "conj", "prep", "pobj", "ROOT"],
        ["B-PERSON", "O", "B-ORG", "O", "B-PERSON", "I-PERSON", "O", "B-ORG", "O"],
    )
    component(doc)
    assert "Tallow Brightmoor" in people(doc)


@pytest.mark.model
def test_a_name_in_apposition_with_a_group_is_an_organisation(nlp: Language) -> None:
    doc = nlp("The advocacy group Brightmoor Speaks is sponsoring the event in Ohio this week.")
    assert "Brightmoor Speaks" in {c.name for c in doc._.newsmeta_orgs}
    assert "Brightmoor Speaks" not in {c.name for c in doc._.newsmeta_people}


@pytest.mark.parametrize(
    ("text", "ent", "expected"),
    [
        ("She bought a Norvane PX-7 last year.", "Norvane PX-7", {"Norvane"}),
        ("The film comes out in 3D next year.", "3D", set()),
        (
            "Ann Ho, Norvane Director of Public Affairs, spoke.",
            "Norvane Director of Public Affairs",
            {"Norvane"},
        ),
    ],
)
def test_model_codes_and_offices_are_cut_from_organisation_names(
    blank: Language, component: EntitiesComponent, text: str, ent: str, expected: set[str]
) -> None:
    assert set(orgs(run(blank, component, text, [(ent, "ORG")]))) == expected


def test_a_number_after_a_broadcasters_name_is_part_of_it(
    blank: Language, component: EntitiesComponent
) -> None:
    # "Ann Ho told Radio Halden 4 that it worked": the model stopped the name before the number.
    doc = _parsed(
        blank.vocab,
        ["Ann", "Ho", "told", "Radio", "Halden", "4", "that", "it", "worked"],
        [1, 2, 2, 4, 2, 4, 8, 8, 2],
        ["compound", "nsubj", "ROOT", "compound", "dobj", "nummod", "mark", "nsubj", "ccomp"],
        ["B-PERSON", "I-PERSON", "O", "B-ORG", "I-ORG", "B-CARDINAL", "O", "O", "O"],
    )
    component(doc)
    assert set(orgs(doc)) == {"Radio Halden 4"}


@pytest.mark.model
def test_a_capitalised_name_before_a_kind_of_organisation_is_one(nlp: Language) -> None:
    doc = nlp("He appeared on the Canal Nueve network last week.")
    assert "Canal Nueve" in {c.name for c in doc._.newsmeta_orgs}


def test_letters_in_a_list_of_common_nouns_are_no_organisation(
    blank: Language, component: EntitiesComponent
) -> None:
    # "cuts to every teacher , GP and nurse": the letters stand for a job, like the nouns beside them.
    doc = _parsed(
        blank.vocab,
        ["cuts", "to", "every", "teacher", ",", "GP", "and", "nurse"],
        [0, 0, 3, 1, 3, 3, 5, 5],
        ["ROOT", "prep", "det", "pobj", "punct", "conj", "cc", "conj"],
        ["O", "O", "O", "O", "O", "B-ORG", "O", "O"],
    )
    for tok in doc:
        if tok.text in ("teacher", "nurse"):
            tok.pos_, tok.tag_ = "NOUN", "NN"
    component(doc)
    assert not orgs(doc)


def test_a_faith_at_the_end_of_an_organisation_after_an_office_is_not_a_person(
    blank: Language, component: EntitiesComponent
) -> None:
    doc = run(
        blank,
        component,
        "Ann Ho, president of the Council for Progressive Hinduism, spoke.",
        [("Ann Ho", "PERSON"), ("the Council for Progressive Hinduism", "ORG")],
    )
    assert set(orgs(doc)) == {"Council for Progressive Hinduism"}
    assert set(people(doc)) == {"Ann Ho"}


def test_a_capitalised_web_domain_names_the_sites_organisation(
    blank: Language, component: EntitiesComponent
) -> None:
    doc = run(
        blank,
        component,
        "The rifle was listed on GunTrader.com and later removed. The Vetra news site Vetra.ca covered it, "
        "and Vetra said nothing; see www.example.com for more.",
        [("Vetra", "ORG")],
    )
    found = orgs(doc)
    assert "GunTrader.com" in found
    assert not any("example" in name for name in found)


def test_a_site_address_joins_the_organisation_of_the_same_name(
    blank: Language, component: EntitiesComponent
) -> None:
    doc = run(blank, component, "Vetra reported it first; Vetra.ca has the video.", [("Vetra", "ORG")])
    assert orgs(doc) == {"Vetra": {"Vetra", "Vetra.ca"}}


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "thing"),
    [
        (
            'Said the coach: "Zentrix is a new game and the time is right." Fans of Zentrix cheered.',
            "Zentrix",
        ),
        ("The league picked a one-on-one game such as Zentrix to make it easier.", "Zentrix"),
        (
            "He was in Scotland for the re-opening of his refurbished Trump Castlerock golf course.",
            "Castlerock",
        ),
        ("Critics attacked the Harlow Tax on expensive health plans.", "Harlow"),
        ("The actor reached the 100th episode of his current ABC series, Last Train Home.", "Last Train"),
        (
            'Last year the students staged a comic play called "Los Hijos de Ramirez" at their school.',
            "Hijos",
        ),
    ],
)
def test_a_name_the_article_makes_a_thing_is_neither_person_nor_organisation(
    nlp: Language, text: str, thing: str
) -> None:
    """Products, contests, taxes and shows: described as one ("X is a new game", "a game such
    as X", "his series, X") or modifying a thing's noun ("the X golf course", "the X Tax")."""
    doc = nlp(text)
    names = {c.name for c in doc._.newsmeta_people} | {c.name for c in doc._.newsmeta_orgs}
    assert not any(thing in name for name in names), names


@pytest.mark.model
def test_a_maker_before_a_show_or_product_stays_an_organisation(nlp: Language) -> None:
    doc = nlp("The actor reached the 100th episode of his current ABC series, Last Train Home.")
    assert "ABC" in {c.name for c in doc._.newsmeta_orgs}


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "org", "not_person"),
    [
        ("Julie Burton is president of the Women's Media Center.", "Women's Media Center", "Media Center"),
        ("The UK's P&O Princess group was merged into the firm in 2003.", "P&O Princess", ""),
    ],
)
def test_words_after_a_possessive_or_before_a_noun_stay_in_the_organisation(
    nlp: Language, text: str, org: str, not_person: str
) -> None:
    """The "name swallowed by an organisation" and "title at its end" repairs keep out of
    a possessive's name ("Women's Media Center") and a name before a noun ("Princess group")."""
    doc = nlp(text)
    assert org in {c.name for c in doc._.newsmeta_orgs}
    assert not_person not in {c.name for c in doc._.newsmeta_people}


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        "Sri Lanka's stock market has fallen about 5% since the weekend.",
        "What I'd say is that I'm Muslim, I'm loyal to the country.",
    ],
)
def test_a_country_or_a_pronoun_phrase_is_not_a_person(nlp: Language, text: str) -> None:
    assert [c.name for c in nlp(text)._.newsmeta_people] == []


def test_two_organisations_joined_by_and_are_split_when_one_is_named_alone(
    blank: Language, component: EntitiesComponent
) -> None:
    doc = run(
        blank,
        component,
        "The support from Norvane and Kestrel Arts is a big boost. Norvane said it was pleased.",
        [("Norvane and Kestrel Arts", "ORG"), ("Norvane", "ORG")],
    )
    assert set(orgs(doc)) == {"Norvane", "Kestrel Arts"}


def test_a_name_joined_by_and_that_is_never_named_apart_stays_whole(
    blank: Language, component: EntitiesComponent
) -> None:
    doc = run(blank, component, "Profits at Procter and Gamble rose.", [("Procter and Gamble", "ORG")])
    assert set(orgs(doc)) == {"Procter and Gamble"}


@pytest.mark.model
def test_a_company_called_a_giant_is_an_organisation(nlp: Language) -> None:
    doc = nlp(
        "Several businesses called off projects, including the Mexican entertainment giant "
        "Televisa, which decided against it."
    )
    assert "Televisa" in {c.name for c in doc._.newsmeta_orgs}


@pytest.mark.model
def test_a_capitalised_preposition_marks_a_title_case_line(nlp: Language) -> None:
    """ "Ann Ho Scores Direct Hit On Rival": names in a headline are only those the article
    gives outside such lines."""
    doc = nlp("Dana Whitcombe Scores Direct Hit On Brannock.\n\nDana Whitcombe spoke on Monday.")
    assert {c.name for c in doc._.newsmeta_orgs} == set()
    assert {c.name for c in doc._.newsmeta_people} == {"Dana Whitcombe"}

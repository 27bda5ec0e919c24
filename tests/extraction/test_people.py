"""People and organisations: repairs to the model's entities and merging of name forms.

Rule tests run on `spacy.blank("en")` with entities set by hand, so they pin the rules
down whatever the statistical model does; a few `model` tests check the real pipeline.
"""

from __future__ import annotations

import pytest
from entity_tagging import orgs, people, run
from spacy.language import Language
from spacy.tokens import Doc, Span

from app.extraction.people import EntitiesComponent, EntityCluster, org_at, person_at


def test_titles_and_honorifics_are_stripped_from_names(blank: Language, component: EntitiesComponent) -> None:
    doc = run(
        blank,
        component,
        "President Vladimir Putin met Mr. Smith and Sen. Bob Corker.",
        [("President Vladimir Putin", "PERSON"), ("Mr. Smith", "PERSON"), ("Sen. Bob Corker", "PERSON")],
    )
    assert set(people(doc)) == {"Vladimir Putin", "Smith", "Bob Corker"}


def test_surname_joins_the_full_name_used_elsewhere(blank: Language, component: EntitiesComponent) -> None:
    doc = run(
        blank,
        component,
        "Dmitry Peskov spoke. Later Peskov added more.",
        [("Dmitry Peskov", "PERSON"), ("Peskov", "PERSON")],
    )
    assert people(doc) == {"Dmitry Peskov": {"Dmitry Peskov", "Peskov"}}
    (cluster,) = doc._.newsmeta_people
    assert [doc.text[s:e] for s, e in cluster.spans] == ["Dmitry Peskov", "Peskov"]


def test_two_people_sharing_a_surname_stay_apart(blank: Language, component: EntitiesComponent) -> None:
    text = "Hillary Clinton met Bill Clinton. Clinton said it went well."
    doc = run(
        blank,
        component,
        text,
        [("Hillary Clinton", "PERSON"), ("Bill Clinton", "PERSON"), ("Clinton", "PERSON")],
    )
    found = people(doc)
    assert set(found) == {"Hillary Clinton", "Bill Clinton"}
    # A bare surname goes to the one of them mentioned last before it.
    assert "Clinton" in found["Bill Clinton"]


def test_nicknames_and_spelling_variants_join(blank: Language, component: EntitiesComponent) -> None:
    text = "William Clay Ford Jr. spoke. Bill Ford left. Sergey Lavrov and Sergei Lavrov are one."
    doc = run(
        blank,
        component,
        text,
        [
            ("William Clay Ford Jr.", "PERSON"),
            ("Bill Ford", "PERSON"),
            ("Sergey Lavrov", "PERSON"),
            ("Sergei Lavrov", "PERSON"),
        ],
    )
    assert set(people(doc)) == {"William Clay Ford Jr.", "Sergey Lavrov"}


def test_places_tagged_as_people_are_dropped(blank: Language, component: EntitiesComponent) -> None:
    doc = run(
        blank,
        component,
        "Kyiv must act, and Kiev's position is weak.",
        [("Kyiv", "PERSON"), ("Kiev", "PERSON")],
    )
    assert doc._.newsmeta_people == []


def test_possessive_is_stripped(blank: Language, component: EntitiesComponent) -> None:
    doc = run(blank, component, "Steve Jobs's company grew.", [("Steve Jobs's", "PERSON")])
    assert set(people(doc)) == {"Steve Jobs"}


def test_hyphenated_pair_of_people_is_split(blank: Language, component: EntitiesComponent) -> None:
    text = "Donald Trump met Vladimir Putin. The Putin-Trump summit ended."
    doc = run(
        blank,
        component,
        text,
        [("Donald Trump", "PERSON"), ("Vladimir Putin", "PERSON"), ("Putin-Trump", "PERSON")],
    )
    found = people(doc)
    assert set(found) == {"Donald Trump", "Vladimir Putin"}
    assert "Putin" in found["Vladimir Putin"] and "Trump" in found["Donald Trump"]


def test_surname_tagged_as_organisation_becomes_a_person(
    blank: Language, component: EntitiesComponent
) -> None:
    doc = run(
        blank,
        component,
        "Volodymyr Zelenskiy spoke. Zelenskiy's regime faces pressure.",
        [("Volodymyr Zelenskiy", "PERSON"), ("Zelenskiy", "ORG")],
    )
    assert people(doc) == {"Volodymyr Zelenskiy": {"Volodymyr Zelenskiy", "Zelenskiy"}}
    assert orgs(doc) == {}


def test_known_leader_tagged_as_organisation_alone_is_a_person(
    blank: Language, component: EntitiesComponent
) -> None:
    doc = run(blank, component, "With Zelenskiy's regime facing pressure.", [("Zelenskiy", "ORG")])
    assert set(people(doc)) == {"Zelenskiy"}


def test_company_named_after_a_person_stays_a_company(blank: Language, component: EntitiesComponent) -> None:
    text = "Ford cut jobs. William Clay Ford said Ford would recover and Ford plants close."
    doc = run(
        blank,
        component,
        text,
        [("Ford", "ORG"), ("William Clay Ford", "PERSON"), ("Ford", "ORG"), ("Ford", "ORG")],
    )
    assert set(orgs(doc)) == {"Ford"}
    assert set(people(doc)) == {"William Clay Ford"}


def test_acronym_joins_its_full_name(blank: Language, component: EntitiesComponent) -> None:
    text = "The European Union (EU) and the United Auto Workers met. The EU and UAW agreed."
    doc = run(
        blank,
        component,
        text,
        [
            ("European Union", "ORG"),
            ("EU", "ORG"),
            ("United Auto Workers", "ORG"),
            ("EU", "ORG"),
            ("UAW", "ORG"),
        ],
    )
    assert orgs(doc) == {
        "European Union": {"European Union", "EU"},
        "United Auto Workers": {"United Auto Workers", "UAW"},
    }


def test_short_and_country_prefixed_forms_join(blank: Language, component: EntitiesComponent) -> None:
    text = "The U.S. Treasury lent money. Treasury officials and Ford Motor Company agreed; Ford said so."
    doc = run(
        blank,
        component,
        text,
        [("U.S. Treasury", "ORG"), ("Treasury", "ORG"), ("Ford Motor Company", "ORG"), ("Ford", "ORG")],
    )
    clusters = {c.name: c for c in doc._.newsmeta_orgs}
    assert len(clusters) == 2
    treasury = next(c for c in clusters.values() if "Treasury" in c.aliases)
    assert treasury.country == "US"


def test_a_numbered_channel_is_not_the_name_it_extends(blank: Language, component: EntitiesComponent) -> None:
    text = "Vexa News 24 aired the interview. Vexa News said later that Vexa stood by it."
    doc = run(
        blank,
        component,
        text,
        [("Vexa News 24", "ORG"), ("Vexa News", "ORG"), ("Vexa", "ORG")],
    )
    assert orgs(doc) == {"Vexa News 24": {"Vexa News 24"}, "Vexa News": {"Vexa News", "Vexa"}}


def test_products_time_zones_and_places_are_not_organisations(
    blank: Language, component: EntitiesComponent
) -> None:
    text = "At 16:15 UTC Apple sold the iPod in Herat and Russia."
    doc = run(blank, component, text, [("UTC", "ORG"), ("Apple", "ORG"), ("iPod", "ORG"), ("Russia", "ORG")])
    assert set(orgs(doc)) == {"Apple"}


def test_gazetteer_finds_government_bodies_the_model_missed(
    blank: Language, component: EntitiesComponent
) -> None:
    doc = run(blank, component, "The Kremlin said talks would go on.", [])
    (kremlin,) = doc._.newsmeta_orgs
    assert (kremlin.name, kremlin.country) == ("Kremlin", "RU")


def test_person_at_maps_character_offsets_to_the_cluster(
    blank: Language, component: EntitiesComponent
) -> None:
    text = "Dmitry Peskov spoke. Peskov added that NATO erred."
    doc = run(blank, component, text, [("Dmitry Peskov", "PERSON"), ("Peskov", "PERSON"), ("NATO", "ORG")])
    start = text.index("Peskov added")
    found = person_at(doc, start, start + len("Peskov"))
    assert isinstance(found, EntityCluster) and found.name == "Dmitry Peskov"
    assert person_at(doc, 0, 3) is found
    assert person_at(doc, text.index("spoke"), text.index("spoke") + 5) is None
    nato = text.index("NATO")
    org = org_at(doc, nato, nato + 4)
    assert org is not None and org.name == "NATO"
    assert [(s.text, s.kb_id_) for s in doc.spans["newsmeta_people"]] == [
        ("Dmitry Peskov", "Dmitry Peskov"),
        ("Peskov", "Dmitry Peskov"),
    ]


def test_pronouns_and_lower_case_words_are_never_people(
    blank: Language, component: EntitiesComponent
) -> None:
    doc = run(blank, component, "He said the antenna failed.", [("He", "PERSON"), ("antenna", "PERSON")])
    assert doc._.newsmeta_people == []


# The real pipeline


@pytest.mark.model
def test_seed_style_sentences_on_the_model(nlp: Language) -> None:
    doc = nlp(
        "Kremlin spokesperson Dmitry Peskov said the talks failed. Peskov added that Kyiv must "
        "demonstrate reciprocity, and that Kiev's position was weak."
    )
    names = {c.name: c.aliases for c in doc._.newsmeta_people}
    assert set(names) == {"Dmitry Peskov"}
    assert "Peskov" in names["Dmitry Peskov"]
    assert "Kremlin" in {c.name for c in doc._.newsmeta_orgs}


@pytest.mark.model
def test_kyiv_is_never_a_person(nlp: Language) -> None:
    for text in (
        "Kyiv said it would respond.",
        "The move would only harm Kyiv's position.",
        "Officials in Kiev rejected the plan.",
    ):
        assert [c.name for c in nlp(text)._.newsmeta_people] == []


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("Jack London wrote many novels.", "Jack London"),
        ("Whitney Houston sang at the show.", "Whitney Houston"),
    ],
)
def test_a_city_as_surname_does_not_make_a_person_an_organisation(text: str, person: str) -> None:
    from app.extraction import extract

    result = extract(text)
    assert person in {p.name for p in result.people}
    assert person not in {o.name for o in result.organisations}


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("After the leak, CEO of the Refugee Council Enver Solomon told Sky News so.", "Enver Solomon"),
        ("Localist group Civic Passion's Wong Yeung-tat was defeated.", "Wong Yeung-tat"),
    ],
)
def test_name_parts_the_model_cut_off_are_taken_back(text: str, person: str) -> None:
    from app.extraction import extract

    assert person in {p.name for p in extract(text).people}


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "org"),
    [
        ("The Deseret News observed that the hashtag had spread.", "Deseret News"),
        ("According to the Saudi Interior Ministry over 345 pilgrims died.", "Saudi Interior Ministry"),
    ],
)
def test_untagged_names_ending_in_an_organisation_head_are_organisations(text: str, org: str) -> None:
    from app.extraction import extract

    assert org in {o.name for o in extract(text).organisations}


def test_a_flight_is_its_airline(blank: Language, component: EntitiesComponent) -> None:
    text = "The losses of Adam Air Flight 574 shocked the country."
    doc = run(blank, component, text, [("Adam Air Flight", "ORG")])
    assert set(orgs(doc)) == {"Adam Air"}
    assert people(doc) == {}


def test_a_place_a_people_a_family_and_post_nominals_are_not_organisations(
    blank: Language, component: EntitiesComponent
) -> None:
    text = (
        "Tom Molomby, SC, spoke for Thomas Sam. The Sams left the town of Yeoncheon. "
        "One Rohingya said the Rohingya are persecuted, and Rohingya groups agreed."
    )
    ents = [
        ("Tom Molomby", "PERSON"),
        ("SC", "ORG"),
        ("Thomas Sam", "PERSON"),
        ("Sams", "ORG"),
        ("Yeoncheon", "ORG"),
        ("Rohingya", "ORG"),
        ("Rohingya", "NORP"),
        ("Rohingya", "ORG"),
    ]
    doc = run(blank, component, text, ents)
    assert orgs(doc) == {}


def test_an_untagged_name_with_a_title_in_apposition_or_speaking_is_a_person(
    blank: Language, component: EntitiesComponent
) -> None:
    # Parsed by hand as the model parses it, with no entity on the name.
    words = "Ana Lindqvist , the bank president , warned that rates rise .".split()
    heads = [1, 7, 1, 5, 5, 1, 1, 7, 10, 10, 7, 7]
    deps = "compound nsubj punct det compound appos punct ROOT mark nsubj ccomp punct".split()
    pos = "PROPN PROPN PUNCT DET NOUN NOUN PUNCT VERB SCONJ NOUN VERB PUNCT".split()
    doc = Doc(blank.vocab, words=words, heads=heads, deps=deps, pos=pos)
    assert set(people(component(doc))) == {"Ana Lindqvist"}
    # The same shape without a title or a verb of speech is left alone.
    words2 = "Ana Lindqvist , the old bridge , collapsed when rates rise .".split()
    doc2 = Doc(blank.vocab, words=words2, heads=heads, deps=deps, pos=pos)
    assert people(component(doc2)) == {}


def test_a_person_and_the_organisation_after_them_are_split(
    blank: Language, component: EntitiesComponent
) -> None:
    doc = run(
        blank,
        component,
        "Mark Harlan spoke. According to Harlan the Western Trust was never asked.",
        [("Mark Harlan", "PERSON"), ("Harlan the Western Trust", "ORG")],
    )
    assert set(orgs(doc)) == {"Western Trust"}
    assert people(doc) == {"Mark Harlan": {"Mark Harlan", "Harlan"}}


def test_a_country_before_an_organisation_does_not_make_another_one(
    blank: Language, component: EntitiesComponent
) -> None:
    doc = run(
        blank,
        component,
        "The United States Air Force said the Air Force would bid. "
        "The Indonesian Armed Forces met the Malaysian Armed Forces.",
        [
            ("United States Air Force", "ORG"),
            ("Air Force", "ORG"),
            ("Indonesian Armed Forces", "ORG"),
            ("Malaysian Armed Forces", "ORG"),
        ],
    )
    assert set(orgs(doc)) == {"United States Air Force", "Indonesian Armed Forces", "Malaysian Armed Forces"}


def test_a_misspelt_or_possessive_form_joins_the_organisation(
    blank: Language, component: EntitiesComponent
) -> None:
    doc = run(
        blank,
        component,
        "The Untied Nations and the United Nations met. Acme Motor's chief said Acme Motors was fine.",
        [
            ("Untied Nations", "ORG"),
            ("United Nations", "ORG"),
            ("Acme Motor's", "ORG"),
            ("Acme Motors", "ORG"),
        ],
    )
    assert len(orgs(doc)) == 2
    assert {"Untied Nations", "United Nations"} in [set(a) for a in orgs(doc).values()]


def test_an_acronym_leaves_out_the_corporate_suffix(blank: Language, component: EntitiesComponent) -> None:
    doc = run(
        blank,
        component,
        "The European Space Research Company (ESRC) owns it. ESRC will appeal.",
        [("European Space Research Company", "ORG"), ("ESRC", "ORG"), ("ESRC", "ORG")],
    )
    assert set(orgs(doc)) == {"European Space Research Company"}


def test_stances_model_numbers_and_technical_systems_are_not_organisations(
    blank: Language, component: EntitiesComponent
) -> None:
    doc = run(
        blank,
        component,
        "The pro-Beijing Green Unity Party lost. Two A340s used the Border Information System.",
        [("pro-Beijing Green Unity Party", "ORG"), ("A340s", "ORG"), ("Border Information System", "ORG")],
    )
    assert set(orgs(doc)) == {"Green Unity Party"}


def test_an_acronym_after_a_person_and_of_is_their_organisation(
    blank: Language, component: EntitiesComponent
) -> None:
    doc = run(
        blank,
        component,
        "Voters chose Eddie Lam of NDP and Ann Ho of the FCU over Bo Chan of Kowloon.",
        [("Eddie Lam", "PERSON"), ("Ann Ho", "PERSON"), ("Bo Chan", "PERSON")],
    )
    assert set(orgs(doc)) == {"NDP", "FCU"}


def test_a_name_swallowed_by_an_organisation_is_a_person_when_used_alone_elsewhere(
    blank: Language, component: EntitiesComponent
) -> None:
    doc = run(
        blank,
        component,
        "The director of the Council on Arab Affairs Zainab Karam spoke. Later, Karam left.",
        [("Council on Arab Affairs Zainab Karam", "ORG"), ("Karam", "PERSON")],
    )
    assert set(orgs(doc)) == {"Council on Arab Affairs"}
    assert set(people(doc)) == {"Zainab Karam"}


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "org"),
    [
        (
            "Joint Council for the Welfare of Migrants campaigner Jane Holloway said the plan was cruel.",
            "Joint Council for the Welfare of Migrants",
        ),
        (
            "Officials from the United Nations High Commissioner for Refugees visited the camp.",
            "United Nations High Commissioner for Refugees",
        ),
    ],
)
def test_an_organisation_the_model_cut_short_takes_back_the_rest_of_its_name(
    nlp: Language, text: str, org: str
) -> None:
    assert [c.name for c in nlp(text)._.newsmeta_orgs] == [org]


@pytest.mark.model
def test_a_surname_naming_a_government_is_a_person(nlp: Language) -> None:
    doc = nlp(
        "The tax rules were changed by the Rossi government in 2014, and the Labour government, "
        "the Ontario government and the Bush administration agreed."
    )
    assert {c.name for c in doc._.newsmeta_people} == {"Rossi", "Bush"}


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Workers at Veltria, a Danish shipping company, went on strike on Monday.", "Veltria"),
        ("The carmaker cut 500 jobs at its Asian division, Morvane, last year.", "Morvane"),
        ("The rail union Kestrel called a strike for Friday.", "Kestrel"),
    ],
)
def test_a_name_the_text_calls_an_organisation_is_one(nlp: Language, text: str, name: str) -> None:
    doc = nlp(text)
    assert name in {c.name for c in doc._.newsmeta_orgs}
    assert name not in {c.name for c in doc._.newsmeta_people}


@pytest.mark.model
def test_a_courtesy_title_makes_a_person_of_what_the_model_called_an_organisation(nlp: Language) -> None:
    doc = nlp("Mr MacGregor said the new depot would open in spring.")
    assert "MacGregor" in {c.name for c in doc._.newsmeta_people}
    assert "MacGregor" not in {c.name for c in doc._.newsmeta_orgs}


def test_an_acronym_defined_in_brackets_joins_its_name_whatever_its_letters(
    blank: Language, component: EntitiesComponent
) -> None:
    text = "Ana Pop, head of the National Asset Office (OPAB), spoke. OPAB will sign soon."
    ents = [("National Asset Office", "ORG"), ("OPAB", "ORG"), ("OPAB", "ORG")]
    found = orgs(run(blank, component, text, ents))
    assert found == {"National Asset Office": {"National Asset Office", "OPAB"}}


@pytest.mark.model
def test_a_partys_members_after_the_stand_for_the_party(nlp: Language) -> None:
    alone = nlp("The bill failed because the Democrats refused to support the tax cuts.")
    assert {c.name: c.aliases for c in alone._.newsmeta_orgs}["Democratic Party"] == {"Democrats"}
    joined = nlp("The Democratic Party met on Monday. Later the Democrats refused to support the tax cuts.")
    assert {c.name: c.aliases for c in joined._.newsmeta_orgs}["Democratic Party"] >= {"Democrats"}


@pytest.mark.model
def test_a_name_of_place_words_in_apposition_with_a_person_noun_is_a_person(nlp: Language) -> None:
    doc = nlp(
        "Lorna Paris, a Canadian woman and former nurse, said the clinic had closed. "
        "Paris was born in Quebec. Later Paris's brother sold the house."
    )
    assert {c.name: c.aliases for c in doc._.newsmeta_people}.get("Lorna Paris", set()) >= {"Paris"}


@pytest.mark.model
def test_an_untagged_name_before_a_company_office_and_a_person_is_the_employer(nlp: Language) -> None:
    doc = nlp(
        "Many people use Fotobook every day. Fotobook co-founder Mark Dunne tweeted to the boy. "
        "Longtime chairman Peter Vance also spoke."
    )
    orgs = {c.name for c in doc._.newsmeta_orgs}
    assert "Fotobook" in orgs
    assert "Longtime" not in orgs


@pytest.mark.model
def test_a_name_between_a_bodys_name_and_a_verb_of_speech_is_a_person(nlp: Language) -> None:
    doc = nlp(
        "Executive director of the Council on Asian - Pacific Relations Teodora Vlasic said "
        "the visit would go ahead."
    )
    assert "Teodora Vlasic" in {c.name for c in doc._.newsmeta_people}
    assert "Council on Asian - Pacific Relations" in {c.name for c in doc._.newsmeta_orgs}


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Her father had spoken out against the Unification Church on French television.",
            "Unification Church",
        ),
        ("Source: Calgary Sun, May 2, 2009", "Calgary Sun"),
    ],
)
def test_organisation_names_keep_their_place_word_and_drop_a_trailing_adjective(
    nlp: Language, text: str, name: str
) -> None:
    assert {c.name for c in nlp(text)._.newsmeta_orgs} == {name}


@pytest.mark.model
def test_a_name_after_a_companys_legal_suffix_is_a_person_and_the_suffix_is_the_companys(
    nlp: Language,
) -> None:
    doc = nlp('"Sales are recovering," said the vice president and chairman of Brightwell LLC Jim Press.')
    assert "Jim Press" in {c.name for c in doc._.newsmeta_people}
    assert "Brightwell LLC" in {c.name for c in doc._.newsmeta_orgs}
    found = {(p.person, p.title, p.organisation) for p in doc._.newsmeta_positions}
    assert ("Jim Press", "chairman", "Brightwell LLC") in found


def test_a_one_word_organisation_misspelt_by_two_swapped_letters_is_the_same(
    blank: Language, component: EntitiesComponent
) -> None:
    text = "Brightwell will close plants. Brightwell staff and Brigthwell dealers were told on Monday."
    ents = [("Brightwell", "ORG"), ("Brightwell", "ORG"), ("Brigthwell", "ORG")]
    found = orgs(run(blank, component, text, ents))
    assert list(found) == ["Brightwell"]


def test_untagged_words_before_a_title_comma_and_name_are_the_employer(
    blank: Language, component: EntitiesComponent
) -> None:
    words = ["said", "T", "Vexa", "Price", "Head", "trader", ",", "Ann", "Holt", "."]
    pos = ["VERB", "PROPN", "PROPN", "PROPN", "PROPN", "NOUN", "PUNCT", "PROPN", "PROPN", "PUNCT"]
    tags = ["VBD", "NNP", "NNP", "NNP", "NNP", "NN", ",", "NNP", "NNP", "."]
    spaces = [True] * 5 + [False, True, True, False, False]
    doc = Doc(blank.vocab, words=words, spaces=spaces, pos=pos, tags=tags)
    doc.ents = [Span(doc, 7, 9, label="PERSON")]
    found = orgs(component(doc))
    assert "T Vexa Price" in found


def test_a_name_after_a_product_noun_or_led_by_a_model_number_is_no_organisation(
    blank: Language, component: EntitiesComponent
) -> None:
    text = "Vexa Motors will build its next model Corvan in Ohio. Vexa Motors also showed the 990 Skyline."
    ents = [("Vexa Motors", "ORG"), ("Corvan", "ORG"), ("Vexa Motors", "ORG"), ("990 Skyline", "ORG")]
    assert set(orgs(run(blank, component, text, ents))) == {"Vexa Motors"}


def test_a_name_cut_at_and_runs_on_to_the_acronym_in_brackets(
    blank: Language, component: EntitiesComponent
) -> None:
    text = "The Union of Free Farmers and Growers (UFFG) has launched a petition. UFFG said so."
    ents = [("Union of Free Farmers", "ORG"), ("Growers", "PERSON"), ("UFFG", "ORG"), ("UFFG", "ORG")]
    doc = run(blank, component, text, ents)
    assert orgs(doc) == {"Union of Free Farmers and Growers": {"Union of Free Farmers and Growers", "UFFG"}}
    assert people(doc) == {}


@pytest.mark.model
def test_an_organisation_named_as_an_offices_field_ends_in_the_holders_name(nlp: Language) -> None:
    doc = nlp("Last year the firm hired Assistant Secretary of the Air Force for Logistics Verna Dolby.")
    assert "Verna Dolby" in {c.name for c in doc._.newsmeta_people}
    assert "Air Force for Logistics" in {c.name for c in doc._.newsmeta_orgs}


def _parsed(
    blank: Language, words: list[str], pos: list[str], deps: list[str], heads: list[int], ents: list[str]
) -> Doc:
    """A Doc with the parse and entities a model might give, written by hand."""
    return Doc(blank.vocab, words=words, pos=pos, deps=deps, heads=heads, ents=ents)


def test_a_given_name_the_model_calls_a_place_is_a_person_when_it_speaks(
    blank: Language, component: EntitiesComponent
) -> None:
    """ "says Vetra's Simon Harrowgate", the name tagged GPE: a given name, then a verb of speech."""
    doc = _parsed(
        blank,
        ['"', "Prices", "will", "fall", ",", '"', "says", "Vetra", "'s", "Simon", "Harrowgate", "."],
        [
            "PUNCT",
            "NOUN",
            "AUX",
            "VERB",
            "PUNCT",
            "PUNCT",
            "VERB",
            "PROPN",
            "PART",
            "PROPN",
            "PROPN",
            "PUNCT",
        ],
        [
            "punct",
            "nsubj",
            "aux",
            "ccomp",
            "punct",
            "punct",
            "ROOT",
            "poss",
            "case",
            "compound",
            "nsubj",
            "punct",
        ],
        [6, 3, 3, 6, 6, 6, 6, 10, 7, 10, 6, 6],
        ["O", "O", "O", "O", "O", "O", "O", "B-ORG", "O", "B-GPE", "I-GPE", "O"],
    )
    component(doc)
    assert {c.name for c in doc._.newsmeta_people} == {"Simon Harrowgate"}


def test_an_untagged_name_after_an_office_is_a_person(blank: Language, component: EntitiesComponent) -> None:
    """ "said union Secretary-Treasurer Gary Merriweather", nothing tagged: the office is cut off."""
    doc = _parsed(
        blank,
        ["said", "union", "Secretary", "-", "Treasurer", "Gary", "Merriweather", "."],
        ["VERB", "NOUN", "PROPN", "PUNCT", "PROPN", "PROPN", "PROPN", "PUNCT"],
        ["ROOT", "compound", "compound", "punct", "compound", "compound", "nsubj", "punct"],
        [0, 6, 6, 4, 6, 6, 0, 0],
        ["O"] * 8,
    )
    component(doc)
    assert {c.name for c in doc._.newsmeta_people} == {"Gary Merriweather"}


def test_a_place_name_in_the_model_s_place_entity_stays_a_place(
    blank: Language, component: EntitiesComponent
) -> None:
    """ "says Vetra's Port Harrowgate office": no given name, so the GPE is no person."""
    doc = _parsed(
        blank,
        ["Port", "Harrowgate", "said", "it", "would", "wait", "."],
        ["PROPN", "PROPN", "VERB", "PRON", "AUX", "VERB", "PUNCT"],
        ["compound", "nsubj", "ROOT", "nsubj", "aux", "ccomp", "punct"],
        [1, 2, 2, 5, 5, 2, 2],
        ["B-GPE", "I-GPE", "O", "O", "O", "O", "O"],
    )
    component(doc)
    assert doc._.newsmeta_people == []


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "person"),
    [
        (
            "The preacher Halil Ören lives abroad. Ören-affiliated schools opened in Ohio, and "
            "Ören-linked donors gave money.",
            "Halil Ören",
        ),
        ("Senator Ruth Okafor spoke on Monday. An Okafor-backed bill passed the chamber.", "Ruth Okafor"),
        ("Pro-democracy lawmaker Lau Siu-lai said the vote was unfair.", "Lau Siu-lai"),
    ],
)
def test_a_name_in_a_hyphenated_modifier_is_the_person_not_a_new_name(
    nlp: Language, text: str, person: str
) -> None:
    assert [c.name for c in nlp(text)._.newsmeta_people] == [person]


def test_a_spaced_dash_closes_a_name(blank: Language, component: EntitiesComponent) -> None:
    doc = run(
        blank,
        component,
        "The senator met Deborah Ann Holt - Tate's partner - and Maria Lopez-Tate on Monday.",
        [("Deborah Ann Holt - Tate's", "PERSON"), ("Maria Lopez-Tate", "PERSON")],
    )
    assert set(people(doc)) == {"Deborah Ann Holt", "Maria Lopez-Tate"}

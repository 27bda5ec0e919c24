"""Positions: titles read around a person's name, normalised, with organisation and country."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from app.extraction.people import EntitiesComponent
from app.extraction.positions import PositionsComponent


@pytest.fixture(scope="module")
def blank() -> Language:
    return spacy.blank("en")


@pytest.fixture(scope="module")
def components(blank: Language) -> tuple[EntitiesComponent, PositionsComponent]:
    return EntitiesComponent(blank), PositionsComponent(blank)


def positions(
    blank: Language,
    components: tuple[EntitiesComponent, PositionsComponent],
    text: str,
    ents: list[tuple[str, str]],
) -> set[tuple[str, str, str | None, str | None]]:
    """Tag the entities by hand, run people then positions; (person, title, org, country) found."""
    doc: Doc = blank(text)
    spans = []
    cursor = 0
    for surface, label in ents:
        start = text.index(surface, cursor)
        cursor = start + len(surface)
        span = doc.char_span(start, start + len(surface), label=label)
        assert span is not None, surface
        spans.append(span)
    doc.ents = sorted(spans, key=lambda s: s.start)
    entities, finder = components
    doc = finder(entities(doc))
    return {(p.person, p.title, p.organisation, p.country) for p in doc._.newsmeta_positions}


Components = tuple[EntitiesComponent, PositionsComponent]


def test_organisation_premodifier_gives_its_country(blank: Language, components: Components) -> None:
    found = positions(
        blank,
        components,
        "Kremlin spokesperson Dmitry Peskov said so.",
        [("Kremlin", "ORG"), ("Dmitry Peskov", "PERSON")],
    )
    assert found == {("Dmitry Peskov", "spokesperson", "Kremlin", "RU")}


def test_country_premodifier_is_left_out_of_the_title(blank: Language, components: Components) -> None:
    text = "UK Prime Minister Keir Starmer and Russian Foreign Minister Sergey Lavrov met."
    found = positions(
        blank,
        components,
        text,
        [("UK", "GPE"), ("Keir Starmer", "PERSON"), ("Russian", "NORP"), ("Sergey Lavrov", "PERSON")],
    )
    assert found == {
        ("Keir Starmer", "prime minister", None, "GB"),
        ("Sergey Lavrov", "foreign minister", None, "RU"),
    }


def test_abbreviated_titles_are_spelled_out(blank: Language, components: Components) -> None:
    found = positions(
        blank,
        components,
        "GM CEO Fritz Henderson spoke, and PM Keir Starmer listened.",
        [("GM", "ORG"), ("Fritz Henderson", "PERSON"), ("Keir Starmer", "PERSON")],
    )
    assert found == {
        ("Fritz Henderson", "chief executive officer", "GM", "US"),
        ("Keir Starmer", "prime minister", None, None),
    }


def test_apposition_after_the_name(blank: Language, components: Components) -> None:
    text = (
        "Sergey Lavrov, Russia's foreign minister, said no. "
        "Khaled Al-Maeena, editor at large at the Saudi Gazette, said yes."
    )
    found = positions(
        blank,
        components,
        text,
        [
            ("Sergey Lavrov", "PERSON"),
            ("Russia", "GPE"),
            ("Khaled Al-Maeena", "PERSON"),
            ("Saudi Gazette", "ORG"),
        ],
    )
    assert found == {
        ("Sergey Lavrov", "foreign minister", None, "RU"),
        ("Khaled Al-Maeena", "editor at large", "Saudi Gazette", "SA"),
    }


def test_apposition_before_the_name_takes_the_organisation_and_its_country(
    blank: Language, components: Components
) -> None:
    text = "The director of Saudi Arabia's Civil Defense Authority, Suleiman al-Amr, said so."
    found = positions(
        blank,
        components,
        text,
        [("Saudi Arabia", "GPE"), ("Civil Defense Authority", "ORG"), ("Suleiman al-Amr", "PERSON")],
    )
    assert found == {("Suleiman al-Amr", "director", "Civil Defense Authority", "SA")}


def test_office_named_by_its_field(blank: Language, components: Components) -> None:
    text = "Jusman Syafii Djamal, minister of transport for Indonesia, spoke."
    found = positions(blank, components, text, [("Jusman Syafii Djamal", "PERSON"), ("Indonesia", "GPE")])
    assert found == {("Jusman Syafii Djamal", "minister of transport", None, "ID")}


def test_coordinated_offices_share_the_organisation(blank: Language, components: Components) -> None:
    text = "The UAW President Ron Gettelfinger and Vice President Gerald Bantom objected."
    found = positions(
        blank, components, text, [("UAW", "ORG"), ("Ron Gettelfinger", "PERSON"), ("Gerald Bantom", "PERSON")]
    )
    assert found == {
        ("Ron Gettelfinger", "president", "UAW", None),
        ("Gerald Bantom", "vice president", "UAW", None),
    }


def test_former_titles_are_marked(blank: Language, components: Components) -> None:
    doc = blank("Former Microsoft CEO Bill Gates responded.")
    doc.ents = [Span(doc, 1, 2, "ORG"), Span(doc, 3, 5, "PERSON")]
    entities, finder = components
    (found,) = finder(entities(doc))._.newsmeta_positions
    assert (found.person, found.title, found.organisation, found.former) == (
        "Bill Gates",
        "chief executive officer",
        "Microsoft",
        True,
    )
    assert doc.text[found.start : found.end] == "Former Microsoft CEO Bill Gates"


def test_positions_name_people_as_in_people(blank: Language, components: Components) -> None:
    text = "Dmitry Peskov spoke first. Later Kremlin spokesman Peskov said more."
    found = positions(
        blank, components, text, [("Dmitry Peskov", "PERSON"), ("Kremlin", "ORG"), ("Peskov", "PERSON")]
    )
    assert ("Dmitry Peskov", "spokesman", "Kremlin", "RU") in found


def test_a_word_that_is_only_sometimes_a_title_needs_more(blank: Language, components: Components) -> None:
    text = "Psychology major at Texas University Amneh Jafari heard of it."
    found = positions(blank, components, text, [("Texas University", "ORG"), ("Amneh Jafari", "PERSON")])
    assert found == set()


def test_a_plural_title_before_a_list_of_names_gives_each_the_office(
    blank: Language, components: Components
) -> None:
    text = "Voters returned senators Maria Lopez of the Green Party, Tom Reed (UP) and Ann Holt."
    ents = [("Maria Lopez", "PERSON"), ("Green Party", "ORG"), ("Tom Reed", "PERSON"), ("Ann Holt", "PERSON")]
    found = positions(blank, components, text, ents)
    assert {(p, t) for p, t, _, _ in found} == {
        ("Maria Lopez", "senator"),
        ("Tom Reed", "senator"),
        ("Ann Holt", "senator"),
    }


def test_a_list_ends_where_the_sentence_goes_on(blank: Language, components: Components) -> None:
    text = "Senators Maria Lopez and Tom Reed met Ann Holt."
    ents = [("Maria Lopez", "PERSON"), ("Tom Reed", "PERSON"), ("Ann Holt", "PERSON")]
    found = positions(blank, components, text, ents)
    assert {p for p, _, _, _ in found} == {"Maria Lopez", "Tom Reed"}


@pytest.mark.parametrize(
    ("text", "person", "title"),
    [
        ("Minister of Health Paolo Ferri spoke.", "Paolo Ferri", "minister of health"),
        ("Undersecretary for Health Mr. Bellini spoke.", "Bellini", "undersecretary for health"),
        ("The musician Pietro Gallo and actor Dan Rusk came.", "Dan Rusk", "actor"),
        ("Refugee Action campaigner Jane Holloway spoke.", "Jane Holloway", "campaigner"),
    ],
)
def test_field_titles_honorifics_and_occupations_before_a_name(
    blank: Language, components: Components, text: str, person: str, title: str
) -> None:
    ents = [(person, "PERSON")]
    if "Pietro" in text:
        ents = [("Pietro Gallo", "PERSON"), (person, "PERSON")]
    assert (person, title) in {(p, t) for p, t, _, _ in positions(blank, components, text, ents)}


def test_a_left_apposition_reads_past_a_parenthesis(blank: Language, components: Components) -> None:
    text = "The director general of Rail Agency (RA), Carlo Verdi, spoke."
    ents = [("Rail Agency", "ORG"), ("Carlo Verdi", "PERSON")]
    found = positions(blank, components, text, ents)
    assert found == {("Carlo Verdi", "director general", "Rail Agency", None)}


# The real pipeline


@pytest.mark.model
def test_copula_and_apposition_on_the_model(nlp: Language) -> None:
    doc = nlp(
        "Fritz Henderson is chief executive of General Motors. "
        "Peter Boockvar, an equity strategist at Miller Tabak, said shares fell."
    )
    found = {(p.person, p.title, p.organisation) for p in doc._.newsmeta_positions}
    assert ("Fritz Henderson", "chief executive", "General Motors") in found
    assert ("Peter Boockvar", "equity strategist", "Miller Tabak") in found


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "person", "title"),
    [
        ("Maria Lopez will succeed Tom Hart as chairman of the bank.", "Maria Lopez", "chairman"),
        ("Gina Ross was forced to resign as defence minister in May.", "Gina Ross", "defence minister"),
        ("Ravi Shah stepped down from his post as CEO on Monday.", "Ravi Shah", "chief executive officer"),
    ],
)
def test_taking_or_leaving_an_office_as_a_title(nlp: Language, text: str, person: str, title: str) -> None:
    found = {(p.person, p.title) for p in nlp(text)._.newsmeta_positions}
    assert (person, title) in found


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "person", "title"),
    [
        ("Ann Cole, a Toronto New Democrat MP, said the plan failed.", "Ann Cole", "mp"),
        ("Republican Senator Bob Corker spoke.", "Bob Corker", "senator"),
        (
            "In the words of the Crown prosecutor, Mark Tedeschi, the case was clear.",
            "Mark Tedeschi",
            "crown prosecutor",
        ),
    ],
)
def test_party_words_and_crown_offices_stay_in_the_title_phrase(
    nlp: Language, text: str, person: str, title: str
) -> None:
    found = {(p.person, p.title) for p in nlp(text)._.newsmeta_positions}
    assert (person, title) in found


@pytest.mark.model
def test_seeing_someone_as_something_is_no_office(nlp: Language) -> None:
    assert nlp("Anna Berg described him as a hero.")._.newsmeta_positions == []


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "person", "title", "org"),
    [
        (
            "Acme Motors today named Laura Finch as its new chief executive.",
            "Laura Finch",
            "chief executive",
            "Acme Motors",
        ),
        (
            "Acme Motors makes cars. The company also announced Peter Voss as its new president.",
            "Peter Voss",
            "president",
            "Acme Motors",
        ),
        ("The board will name Ann Price as interim chairwoman.", "Ann Price", "interim chairwoman", None),
    ],
)
def test_naming_someone_as_an_office_and_its_means_the_subject(
    nlp: Language, text: str, person: str, title: str, org: str | None
) -> None:
    found = {(p.person, p.title, p.organisation) for p in nlp(text)._.newsmeta_positions}
    assert (person, title, org) in found


@pytest.mark.model
def test_both_offices_of_a_conjoined_as_phrase(nlp: Language) -> None:
    doc = nlp("She replaces Mark Olsen, who was appointed by the board as both chief executive and chairman.")
    found = {(p.person, p.title) for p in doc._.newsmeta_positions}
    assert found == {("Mark Olsen", "chief executive"), ("Mark Olsen", "chairman")}


@pytest.mark.model
def test_seed_sentence_on_the_model(nlp: Language) -> None:
    doc = nlp("Kremlin spokesperson Dmitry Peskov said UK Prime Minister Keir Starmer was wrong.")
    found = {(p.person, p.title, p.organisation, p.country) for p in doc._.newsmeta_positions}
    assert found == {
        ("Dmitry Peskov", "spokesperson", "Kremlin", "RU"),
        ("Keir Starmer", "prime minister", None, "GB"),
    }


def test_a_position_without_a_country_takes_the_article_country_when_one_dominates() -> None:
    from app.extraction.positions import _with_article_country
    from app.extraction.records import Position

    senator = Position(person="Bob Corker", title="senator", start=0, end=10)
    minister = Position(person="Sergey Lavrov", title="foreign minister", country="RU", start=20, end=40)
    filled = _with_article_country(
        [senator, minister], {"US": [(0, 2), (50, 52), (90, 92)], "JP": [(70, 75)]}
    )
    assert [p.country for p in filled] == ["US", "RU"]


@pytest.mark.parametrize(
    "countries",
    [
        {},
        {"US": [(0, 2)], "FR": [(5, 7)]},
        {"US": [(0, 2), (3, 4)], "FR": [(5, 7), (8, 9)], "DE": [(10, 12)]},
    ],
)
def test_no_article_country_is_guessed_without_a_clear_majority(
    countries: dict[str, list[tuple[int, int]]],
) -> None:
    from app.extraction.positions import _with_article_country
    from app.extraction.records import Position

    senator = Position(person="Bob Corker", title="senator", start=0, end=10)
    assert _with_article_country([senator], countries)[0].country is None


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "org"),
    [
        ("Acme Motors reported losses. Jane Roe, chief executive of the company, said so.", "Acme Motors"),
        (
            "Acme and Bolt Bank signed. Acme pays. Jane Roe, chairwoman of the bank, said so.",
            "Bolt Bank",
        ),
    ],
)
def test_the_company_in_a_title_is_the_organisation_the_story_named(
    nlp: Language, text: str, org: str
) -> None:
    found = {(p.person, p.organisation) for p in nlp(text)._.newsmeta_positions}
    assert ("Jane Roe", org) in found


def test_a_title_word_taken_for_an_organisation_stays_in_the_title(
    blank: Language, components: Components
) -> None:
    text = "The Home Office wrote. Home Secretary Janet Morley spoke."
    found = positions(
        blank, components, text, [("Home Office", "ORG"), ("Home", "ORG"), ("Janet Morley", "PERSON")]
    )
    assert ("Janet Morley", "home secretary") in {(p, t) for p, t, _, _ in found}


def test_a_country_named_far_more_often_than_any_other_is_the_article_country() -> None:
    from app.extraction.positions import _with_article_country
    from app.extraction.records import Position

    minister = Position(person="Jane Roe", title="home secretary", start=0, end=10)
    many = {"GB": [(0, 2), (10, 12), (20, 22), (30, 32)], "FR": [(5, 7)], "SY": [(8, 9)], "YE": [(40, 41)]}
    many |= {"AF": [(50, 51), (60, 61)], "ER": [(70, 71)], "LY": [(80, 81)]}
    assert _with_article_country([minister], many)[0].country == "GB"
    close = {"GB": [(0, 2), (10, 12), (20, 22)], "FR": [(5, 7), (8, 9)], "SY": [(30, 31)], "YE": [(40, 41)]}
    assert _with_article_country([minister], close)[0].country is None


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "person", "title", "org"),
    [
        (
            "Chief executive Laura Penn said Brightwell Foods would recover by spring.",
            "Laura Penn",
            "chief executive",
            "Brightwell Foods",
        ),
        (
            "Brightwell Foods reported a loss on Monday. Shares of Brightwell Foods fell. "
            "The chairman, Laura Penn, said sales would recover by spring.",
            "Laura Penn",
            "chairman",
            "Brightwell Foods",
        ),
    ],
)
def test_a_company_office_without_its_organisation_takes_the_one_the_text_points_to(
    nlp: Language, text: str, person: str, title: str, org: str
) -> None:
    found = {(p.person, p.title, p.organisation) for p in nlp(text)._.newsmeta_positions}
    assert (person, title, org) in found


@pytest.mark.model
def test_its_before_a_title_stands_for_the_organisation_named_last(nlp: Language) -> None:
    doc = nlp("Regulators fined Brightwell Foods and its chief executive Laura Penn on Monday.")
    found = {(p.person, p.title, p.organisation) for p in doc._.newsmeta_positions}
    assert ("Laura Penn", "chief executive", "Brightwell Foods") in found


@pytest.mark.model
def test_the_company_before_a_title_is_the_company_the_story_is_about(nlp: Language) -> None:
    doc = nlp(
        "Halden Motors said it would close two plants in Sweden. "
        "According to the company's vice president Anna Berg, the cuts will start in May."
    )
    found = {(p.person, p.title, p.organisation) for p in doc._.newsmeta_positions}
    assert ("Anna Berg", "vice president", "Halden Motors") in found


@pytest.mark.model
def test_offices_joined_by_and_before_a_name_share_the_organisation(nlp: Language) -> None:
    doc = nlp("Brightwell Foods chief executive and co-founder Laura Penn opened the new plant.")
    found = {(p.person, p.title, p.organisation) for p in doc._.newsmeta_positions}
    assert ("Laura Penn", "chief executive", "Brightwell Foods") in found
    assert ("Laura Penn", "co-founder", "Brightwell Foods") in found


def test_an_office_after_a_preposition_is_not_joined_to_the_next(
    blank: Language, components: Components
) -> None:
    text = "Adviser to the Minister and Director of Planning Tom Reyes spoke."
    found = positions(blank, components, text, [("Tom Reyes", "PERSON")])
    assert all(title != "minister" for _, title, _, _ in found)


@pytest.mark.model
def test_the_organisation_named_by_its_head_noun_after_of_the(nlp: Language) -> None:
    doc = nlp(
        "The Harbour Renewal Project opened an office in May. "
        "Ann Ross, the chairman of the project's panel, said work would start soon."
    )
    found = {(p.person, p.title, p.organisation) for p in doc._.newsmeta_positions}
    assert ("Ann Ross", "chairman", "Harbour Renewal Project") in found


@pytest.mark.model
def test_a_newspaper_cited_as_the_source_is_not_the_office_holders_organisation(nlp: Language) -> None:
    doc = nlp(
        "Brightwell Foods reported a loss on Monday. Shares of Brightwell Foods fell sharply. "
        "According to the Daily Courier, director Laura Penn will leave in June."
    )
    found = {(p.person, p.title, p.organisation) for p in doc._.newsmeta_positions}
    assert ("Laura Penn", "director", "Brightwell Foods") in found


def test_a_seat_in_a_body_the_article_names_belongs_to_that_body(
    blank: Language, components: Components
) -> None:
    text = "The Senate voted on Friday. Senator Ruth Hale said the bill failed."
    found = positions(blank, components, text, [("Senate", "ORG"), ("Ruth Hale", "PERSON")])
    assert found == {("Ruth Hale", "senator", "Senate", None)}


@pytest.mark.model
def test_a_country_named_as_a_stance_does_not_set_the_articles_country(nlp: Language) -> None:
    doc = nlp(
        "The pro-Moscow bloc gained seats as pro-Moscow parties, pro-Moscow unions and pro-Moscow "
        "voters rallied. Turnout in Latvia was high. Anna Ozola, a city councillor, said Latvian voters had "
        "spoken in Riga."
    )
    found = {(p.person, p.title, p.country) for p in doc._.newsmeta_positions}
    assert ("Anna Ozola", "city councillor", "LV") in found


@pytest.mark.model
def test_an_organisation_named_in_someone_elses_quoted_words_is_not_the_employer(nlp: Language) -> None:
    doc = nlp(
        'Chairman Laura Penn said, "We will beat Vantor Systems this year," at a Brightwell Foods event.'
    )
    found = {(p.person, p.title, p.organisation) for p in doc._.newsmeta_positions}
    assert ("Laura Penn", "chairman", "Brightwell Foods") in found


@pytest.mark.model
def test_said_may_open_a_title_phrase_in_apposition_before_the_name(nlp: Language) -> None:
    doc = nlp('"Prices will settle soon," said Vexa Trading Head trader, Ann Holt.')
    found = {(p.person, p.title, p.organisation) for p in doc._.newsmeta_positions}
    assert ("Ann Holt", "head trader", "Vexa Trading") in found


def test_a_common_noun_between_title_words_stays_in_the_title(
    blank: Language, components: Components
) -> None:
    doc = blank("Ann Holt, chief strategy expert at Vexa Trading, spoke.")
    pos = [
        "PROPN",
        "PROPN",
        "PUNCT",
        "ADJ",
        "NOUN",
        "NOUN",
        "ADP",
        "PROPN",
        "PROPN",
        "PUNCT",
        "VERB",
        "PUNCT",
    ]
    for tok, tag in zip(doc, pos, strict=True):
        tok.pos_ = tag
    doc.ents = [Span(doc, 0, 2, label="PERSON"), Span(doc, 7, 9, label="ORG")]
    entities, finder = components
    found = {(p.person, p.title, p.organisation) for p in finder(entities(doc))._.newsmeta_positions}
    assert found == {("Ann Holt", "chief strategy expert", "Vexa Trading")}


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "person", "title", "org"),
    [
        (
            "Greta Holm is the chief executive of Northgate Bank.",
            "Greta Holm",
            "chief executive",
            "Northgate Bank",
        ),
        (
            "Karl Weiss was promoted to chief operating officer of Northgate Bank.",
            "Karl Weiss",
            "chief operating officer",
            "Northgate Bank",
        ),
        ("Karl Weiss, who was elected mayor in 2018, spoke on Monday.", "Karl Weiss", "mayor", None),
    ],
)
def test_an_office_stated_by_a_verb_of_being_or_appointing(
    nlp: Language, text: str, person: str, title: str, org: str | None
) -> None:
    found = {(p.person, p.title, p.organisation) for p in nlp(text)._.newsmeta_positions}
    assert (person, title, org) in found


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "person", "title"),
    [
        (
            "Greta Holm toured the harbour in Porto. She is the leader of the Harbour Union.",
            "Greta Holm",
            "leader",
        ),
        (
            "Tomas Reyes spoke to farmers on Tuesday. He has been the mayor of Evora since 2015.",
            "Tomas Reyes",
            "mayor",
        ),
    ],
)
def test_an_office_stated_of_a_pronoun_goes_to_the_person_it_stands_for(
    nlp: Language, text: str, person: str, title: str
) -> None:
    found = {(p.person, p.title) for p in nlp(text)._.newsmeta_positions}
    assert (person, title) in found


@pytest.mark.model
def test_a_pronoun_with_two_people_in_reach_gives_no_office(nlp: Language) -> None:
    doc = nlp("Greta Holm thanked Karl Weiss for his work. He is the chairman of Northgate Bank.")
    assert doc._.newsmeta_positions == []


@pytest.mark.model
def test_a_pronoun_inside_someone_elses_quotation_gets_no_office(nlp: Language) -> None:
    doc = nlp('Greta Holm met Karl Weiss. "He is the best chairman we ever had," she said.')
    assert doc._.newsmeta_positions == []


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        "Karl Weiss is not the chief executive of Northgate Bank.",
        "Karl Weiss was never the finance minister.",
        "Karl Weiss would become president if the vote went his way.",
        "Karl Weiss could be named chief executive of Northgate Bank.",
        "If Karl Weiss is elected mayor, taxes will rise.",
        "Karl Weiss will become chairman of Northgate Bank if the board agrees.",
        "Karl Weiss wants to be president of Austria.",
        "Karl Weiss wants to serve as president of Austria.",
        "Ute Lang said Karl Weiss would not step down as chairman.",
    ],
)
def test_an_office_denied_imagined_or_wished_for_is_no_position(nlp: Language, text: str) -> None:
    assert nlp(text)._.newsmeta_positions == []


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        "Karl Weiss named the finance minister on Friday.",
        "Karl Weiss, who appointed the finance minister, spoke.",
    ],
)
def test_whoever_appoints_does_not_hold_the_office(nlp: Language, text: str) -> None:
    assert nlp(text)._.newsmeta_positions == []


@pytest.mark.model
def test_succeeding_someone_as_an_office_gives_it_to_the_successor_only(nlp: Language) -> None:
    doc = nlp("Karl Weiss succeeded Ute Lang as chairman of Northgate Bank.")
    found = {(p.person, p.title) for p in doc._.newsmeta_positions}
    assert found == {("Karl Weiss", "chairman")}


@pytest.mark.model
def test_would_later_become_narrates_an_office_held(nlp: Language) -> None:
    doc = nlp("After law school, Karl Weiss would later become mayor of Graz.")
    assert ("Karl Weiss", "mayor") in {(p.person, p.title) for p in doc._.newsmeta_positions}

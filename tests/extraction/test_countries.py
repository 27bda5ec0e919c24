"""The countries component: which words refer to a country, and which only look like one."""

from __future__ import annotations

from importlib import resources

import pycountry
import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from app.extraction.countries import country_name, gazetteer, lookup, lookup_entry, lookup_span


@pytest.fixture(scope="module")
def blank() -> Language:
    """Tokenizer and the countries component only: no NER, so words with other senses never count."""
    nlp = spacy.blank("en")
    nlp.add_pipe("newsmeta_countries")
    return nlp


def codes(nlp: Language, text: str) -> list[str]:
    return list(nlp(text)._.newsmeta_countries)


def surfaces(doc: Doc) -> dict[str, list[str]]:
    return {code: [doc.text[s:e] for s, e in spans] for code, spans in doc._.newsmeta_countries.items()}


# Rules, on the blank pipeline


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Kremlin said on Tuesday.", ["RU"]),
        ("Kremlin spokesperson Dmitry Peskov spoke.", ["RU"]),
        ("UK Prime Minister Keir Starmer and French President Emmanuel Macron met.", ["GB", "FR"]),
        ("Talks with the U.S. and the U.K. resumed.", ["US", "GB"]),
        ("A group of Afghans and Iraqis arrived.", ["AF", "IQ"]),
        ("The summit in Alaska ended.", ["US"]),
        ("A crane fell into Mecca's Grand Mosque.", ["SA"]),
        ("The White House and Downing Street disagreed.", ["US", "GB"]),
        ("He flew to New Mexico.", ["US"]),
        ("Next year's contest is in Mexico City.", ["MX"]),
        ("The Ivory Coast and Côte d\u2019Ivoire are one country.", ["CI"]),
        ("MOSCOW (Reuters) - Officials met.", ["RU"]),
        ("US-led talks stalled.", ["US"]),
    ],
)
def test_names_demonyms_capitals_seats_and_places_are_read(
    blank: Language, text: str, expected: list[str]
) -> None:
    assert codes(blank, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Western leaders met in Europe.",
        "The EU and the Middle East were discussed.",
        "Latin American and North American markets fell.",
        "Ships crossed the Indian Ocean and the South China Sea.",
        "African American voters turned out.",
        "Let us go, he told us.",
        "The deal is worth US$14 billion.",
        "French fries and Swiss cheese were served.",
    ],
)
def test_regions_blocs_and_lookalike_phrases_are_not_countries(blank: Language, text: str) -> None:
    assert codes(blank, text) == []


def test_words_with_other_senses_need_the_ner_so_a_bare_tokenizer_finds_none(blank: Language) -> None:
    assert codes(blank, "Jordan, Chad and Georgia were mentioned.") == []


def test_mentions_are_grouped_by_country_in_order_of_first_mention(blank: Language) -> None:
    doc = blank("Moscow rejected it; Kyiv and Kiev agreed, and Russia said so.")
    assert surfaces(doc) == {"RU": ["Moscow", "Russia"], "UA": ["Kyiv", "Kiev"]}
    start, end = doc._.newsmeta_countries["RU"][0]
    assert doc.text[start:end] == "Moscow"


def test_a_doc_without_any_country_gets_an_empty_dict(blank: Language) -> None:
    assert blank("Nothing to see here.")._.newsmeta_countries == {}


# lookup, lookup_span, country_name


@pytest.mark.parametrize(
    ("surface", "code"),
    [
        ("UK", "GB"),
        ("U.K.", "GB"),
        ("U.S.", "US"),
        ("Russian", "RU"),
        ("French", "FR"),
        ("Kremlin", "RU"),
        ("the Kremlin", "RU"),
        ("Moscow", "RU"),
        ("Ukraine\u2019s", "UA"),
        ("Britons", "GB"),
        ("The Hague", "NL"),
        ("Holy See", "VA"),
        ("South Korea", "KR"),
        ("russian", "RU"),
    ],
)
def test_lookup_reads_a_surface_form(surface: str, code: str) -> None:
    assert lookup(surface) == code


@pytest.mark.parametrize("surface", ["us", "Us", "Europe", "EU", "Western", "Latin American", "chad", ""])
def test_lookup_returns_none_for_what_is_not_a_country(surface: str) -> None:
    assert lookup(surface) is None


def test_lookup_can_leave_out_places_that_double_as_surnames() -> None:
    assert lookup("Houston") == "US"
    assert lookup("Houston", places=False) is None
    assert lookup("Moscow", places=False) == "RU"


def test_lookup_entry_tells_callers_which_readings_need_context() -> None:
    jordan = lookup_entry("Jordan")
    assert jordan is not None and jordan.code == "JO" and jordan.needs_ner
    russian = lookup_entry("Russian")
    assert russian is not None and russian.kind == "demonym" and not russian.needs_ner
    assert lookup_entry("Latin American") is None


def test_lookup_span_prefers_the_mention_the_component_found(blank: Language) -> None:
    doc = blank("UK Prime Minister Keir Starmer spoke.")
    assert lookup_span(doc, 0, len("UK Prime Minister")) == "GB"
    assert lookup_span(doc, len("UK "), len("UK Prime Minister")) is None


def test_lookup_span_falls_back_to_the_text_when_the_doc_was_not_annotated() -> None:
    doc = spacy.blank("en")("Russian Foreign Minister")
    assert lookup_span(doc, 0, len("Russian")) == "RU"


@pytest.mark.parametrize(
    ("code", "name"), [("RU", "Russia"), ("GB", "United Kingdom"), ("XK", "Kosovo"), ("CD", "DR Congo")]
)
def test_country_name_gives_the_common_name(code: str, name: str) -> None:
    assert country_name(code) == name


def test_country_name_of_an_unknown_code_is_the_code() -> None:
    assert country_name("ZZ") == "ZZ"


# The data files


def test_every_gazetteer_code_is_an_iso_alpha2_code_or_kosovo() -> None:
    known = {c.alpha_2 for c in pycountry.countries} | {"XK"}
    bad = {s: e.code for s, e in gazetteer().entries.items() if e.kind != "not" and e.code not in known}
    assert bad == {}


def test_no_surface_is_given_two_countries_across_the_data_files() -> None:
    seen: dict[str, tuple[str, str]] = {}
    clashes = []
    data = resources.files("app.extraction").joinpath("data")
    files = sorted(p for p in data.iterdir() if p.name.startswith("countries_") and p.name.endswith(".tsv"))
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.split("\t")
            code = cells[1] if len(cells) > 1 else "-"
            if cells[0] in seen and seen[cells[0]][0] != code:
                clashes.append((cells[0], seen[cells[0]], (code, path.name)))
            seen.setdefault(cells[0], (code, path.name))
    assert clashes == []


# With the statistical model


def model_surfaces(nlp: Language, text: str) -> dict[str, list[str]]:
    return surfaces(nlp(text))


@pytest.mark.model
def test_the_seed_sentence_reads_seat_leader_titles_and_capitals(nlp: Language) -> None:
    text = (
        "Kremlin spokesperson Dmitry Peskov said UK Prime Minister Keir Starmer and French President "
        "Emmanuel Macron want troops in Ukraine, a move opposed by Moscow, and that Kiev must compromise."
    )
    assert model_surfaces(nlp, text) == {
        "RU": ["Kremlin", "Moscow"],
        "GB": ["UK"],
        "FR": ["French"],
        "UA": ["Ukraine", "Kiev"],
    }


@pytest.mark.model
def test_ambiguous_country_words_count_where_the_ner_sees_places(nlp: Language) -> None:
    assert list(nlp("Officials in Chad and Turkey disagreed.")._.newsmeta_countries) == ["TD", "TR"]


@pytest.mark.model
def test_a_country_word_in_a_persons_name_is_not_a_country(nlp: Language) -> None:
    assert model_surfaces(nlp, "Michael Jordan scored 30 points. Jordan later thanked the fans.") == {}
    assert model_surfaces(nlp, "Chad Smith played the drums.") == {}


@pytest.mark.model
def test_a_city_used_as_a_surname_is_not_the_city(nlp: Language) -> None:
    text = "Valeska Paris, an Australian woman, was held on a ship. Paris claims she was forced to work."
    assert model_surfaces(nlp, text) == {"AU": ["Australian"]}


@pytest.mark.model
def test_a_capital_inside_an_organisation_name_is_not_a_reference(nlp: Language) -> None:
    assert model_surfaces(nlp, "The Washington Post reported that the storm hit.") == {}


@pytest.mark.model
def test_a_demonym_used_as_a_language_is_not_a_country(nlp: Language) -> None:
    assert model_surfaces(nlp, "He gave the speech in French.") == {}
    assert model_surfaces(nlp, "A French-language newspaper closed.") == {}
    assert list(nlp("In French politics, the left won.")._.newsmeta_countries) == ["FR"]


@pytest.mark.model
def test_georgia_is_the_country_unless_the_article_names_us_places(nlp: Language) -> None:
    invasion = nlp("After Russia's invasion of neighbouring Georgia, investors left.")
    assert list(invasion._.newsmeta_countries) == ["RU", "GE"]
    assert model_surfaces(nlp, "The plant in Atlanta, Georgia will close.") == {"US": ["Atlanta", "Georgia"]}

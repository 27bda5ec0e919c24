"""Positions: role phrases the first readers left out (issue 13): words of time or rank before
a title in an apposition, entertainment roles, offices stated by a verb of running something,
definite descriptions of an office, and author notes at an article's end.

Every sentence here is invented for the test.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from tests.extraction.positions_found import found


def _titles(nlp: Language, text: str) -> set[tuple[str, str]]:
    return {(person, title) for person, title, _ in found(nlp, text)}


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "person", "title"),
    [
        ("Mara Quill, a top aide to the governor, declined to comment.", "Mara Quill", "aide"),
        ("Owen Tarrant, a longtime adviser to the senator, said little.", "Owen Tarrant", "adviser"),
    ],
)
def test_a_word_of_time_or_rank_opens_an_apposition(
    nlp: Language, text: str, person: str, title: str
) -> None:
    assert (person, title) in _titles(nlp, text)


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "person", "title"),
    [
        (
            "As star and executive producer of the show, Dana Pruitt has changed its tone.",
            "Dana Pruitt",
            "star",
        ),
        (
            '"We laugh at ourselves," said Carlos Ibarra, one of the stars of the play.',
            "Carlos Ibarra",
            "star",
        ),
        ("Ann Holt, one of the founders of Brightwell Labs, agreed.", "Ann Holt", "founder"),
    ],
)
def test_a_lead_performer_and_one_of_a_plural_office(
    nlp: Language, text: str, person: str, title: str
) -> None:
    assert (person, title) in _titles(nlp, text)


@pytest.mark.model
def test_star_stays_part_of_an_organisations_name(nlp: Language) -> None:
    doc = nlp("Ann Holt told the Toronto Star that the plan would fail.")
    assert "Toronto Star" in {c.name for c in doc._.newsmeta_orgs}


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "person", "title", "org"),
    [
        (
            "Philip Marsh, who heads the Harbour Institute, said the plan was sound.",
            "Philip Marsh",
            "head",
            "Harbour Institute",
        ),
        ("Ann Holt hosts a weekly talk show on Sundays.", "Ann Holt", "host", None),
        (
            "Lena Ortiz became a journalist at Telemundo in 1990.\n\n"
            "She has anchored the channel's evening news program since 1995.",
            "Lena Ortiz",
            "anchor",
            "Telemundo",
        ),
    ],
)
def test_a_verb_of_running_something_states_an_office(
    nlp: Language, text: str, person: str, title: str, org: str | None
) -> None:
    assert (person, title, org) in found(nlp, text)


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        "Ann Holt leads the polls in Ohio by six points.",
        "Ann Holt hosted a dinner for donors on Friday.",
        "Judge Tom Pell said he owns a music player, which is made by Brightwell Labs.",
        "Ann Holt directed the agency to review the rules.",
        "In the poll, Ann Holt led Tom Pell 47 percent to 39 percent.",
    ],
)
def test_a_verb_of_running_with_another_object_states_none(nlp: Language, text: str) -> None:
    assert not {t for _, t in _titles(nlp, text)} & {"leader", "host", "owner", "director"}


@pytest.mark.model
def test_a_note_on_the_author_closing_the_article_states_no_position(nlp: Language) -> None:
    text = (
        "Governor Ray Colby signed the budget on Monday. Colby said it would pass.\n\n"
        "The cuts will hurt families in the north of the state.\n\n"
        "Mara Quill is director of the Harbour Institute. Owen Tarrant is president of Brightwell Labs."
    )
    people = {person for person, _ in _titles(nlp, text)}
    assert "Ray Colby" in people
    assert not people & {"Mara Quill", "Owen Tarrant"}


@pytest.mark.model
def test_a_last_paragraph_about_someone_named_before_keeps_the_position(nlp: Language) -> None:
    text = (
        "Mara Quill spoke to the council on Monday about the plan.\n\n"
        "Mara Quill is director of the Harbour Institute."
    )
    assert ("Mara Quill", "director") in _titles(nlp, text)


STORY = (
    "Mara Quill campaigned in Dayton on Monday. Quill promised lower taxes and more jobs. "
    "Reporters asked Ray Colby about the race. Crowds cheered Mara Quill in Toledo.\n\n"
)


@pytest.mark.model
def test_a_definite_description_stands_for_the_storys_principal(nlp: Language) -> None:
    text = STORY + "Polls show voters trust the former secretary of state more than her rivals."
    assert ("Mara Quill", "secretary of state") in _titles(nlp, text)


@pytest.mark.model
@pytest.mark.parametrize(
    "ending",
    [
        "Polls show voters expect the next secretary of state to cut costs.",  # not yet anyone
        "Quill criticised the former secretary of state on Tuesday.",  # a participant is someone else
        "Voters met Tom Pell, the former secretary of state, on Tuesday.",  # an apposition's
        "Polls show voters trust the secretary more than her rivals.",  # many hold it
    ],
)
def test_a_description_that_is_not_the_principal_gives_them_no_office(nlp: Language, ending: str) -> None:
    assert ("Mara Quill", "secretary of state") not in _titles(nlp, STORY + ending)


@pytest.mark.model
def test_a_founder_of_one_company_and_co_founder_of_another_are_two_offices(nlp: Language) -> None:
    text = (
        "Ann Holt, the co-founder of Brightwell Software Inc., left the company in 1990. "
        "In 1991 she founded Harbour Analytics Corp. in Boston."
    )
    records = found(nlp, text)
    assert ("Ann Holt", "co-founder", "Brightwell Software Inc.") in records
    assert ("Ann Holt", "founder", "Harbour Analytics Corp.") in records


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "person", "title"),
    [
        (
            '"It is satire," said Tomas Ibarra, Carla\'s brother and fellow television comedian.',
            "Tomas Ibarra",
            "television comedian",
        ),
        (
            "The plan was drafted by Owen Tarrant, a friend and adviser of the governor.",
            "Owen Tarrant",
            "adviser",
        ),
    ],
)
def test_an_office_joined_to_an_apposition_that_names_none(
    nlp: Language, text: str, person: str, title: str
) -> None:
    assert (person, title) in _titles(nlp, text)


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "person", "title", "org"),
    [
        (
            "Tom Pell was the head of congressional affairs at the embassy.",
            "Tom Pell",
            "head of congressional affairs",
            None,
        ),
        (
            "Mara Quill spoke on Monday. She has been with Brightwell Motors for 20 years, and is now "
            "the global head of product development.",
            "Mara Quill",
            "global head of product development",
            "Brightwell Motors",
        ),
    ],
)
def test_a_field_of_two_words_and_an_office_in_a_joined_clause(
    nlp: Language, text: str, person: str, title: str, org: str | None
) -> None:
    assert (person, title, org) in found(nlp, text)

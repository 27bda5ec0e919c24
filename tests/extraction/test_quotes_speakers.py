"""Speakers and the per-Doc salience reading: one resolution shared by positions and quotes,
same-surname people, cue choice, and where reported content ends. Invented sentences only."""

from __future__ import annotations

import pytest
from spacy.language import Language

from app.extraction.quotes import QuoteFinder, pronoun_resolver
from app.extraction.quotes.salience import salience
from app.extraction.records import Quote

pytestmark = pytest.mark.model


def quotes_of(nlp: Language, text: str) -> list[Quote]:
    doc = nlp(text)
    found: list[Quote] = doc._.newsmeta_quotes
    for q in found:
        assert doc.text[q.start : q.end] == q.text
    return found


def test_the_salience_reading_is_built_once_per_doc_and_serves_the_pronoun_resolver(
    nlp: Language,
) -> None:
    doc = nlp("Ann Holt chaired the meeting on Monday. She is the head of the council.")
    reading = salience(doc)
    assert salience(doc) is reading
    she = next(t for t in doc if t.lower_ == "she")
    assert pronoun_resolver(doc, QuoteFinder())(she) == "Ann Holt"
    assert salience(doc) is reading


def test_a_description_resolves_to_the_person_its_title_and_qualifier_introduce(nlp: Language) -> None:
    doc = nlp(
        "Home Secretary Ann Holt visited Leeds on Monday. Tom Reyes took over the office from "
        "Bill Barker, now foreign secretary. The home secretary has said she regrets the delay."
    )
    secretary = [t for t in doc if t.lower_ == "secretary"][-1]
    assert salience(doc).person_of(secretary) == "Ann Holt"


def test_a_surname_two_people_share_alone_is_the_principals(nlp: Language) -> None:
    text = (
        "Carla Mendez led the company for six years and Mendez fought the merger. Her husband, "
        "Frank Mendez, ran a bakery in town.\n\n"
        '"The merger was the best option for all of us," Mendez told the crowd.'
    )
    speakers = {q.speaker for q in quotes_of(nlp, text) if q.kind == "direct"}
    assert speakers == {"Carla Mendez"}


def test_a_participle_used_as_an_adjective_is_no_cue(nlp: Language) -> None:
    text = (
        "Ann Holt won the vote on Tuesday.\n\n"
        "Holt told the Daily Courier in a written statement, “I really do not want his support, "
        "because he does not stand for the values our town needs.”"
    )
    [quote] = quotes_of(nlp, text)
    assert (quote.speaker, quote.cue) == ("Ann Holt", "told")


@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            "Ann Holt said the budget forecasts were too optimistic but refused to rule out new taxes.",
            "the budget forecasts were too optimistic",
        ),
        (
            "Tom Reyes said he did not want to think about a defeat and predicted that his party "
            "would win the seat.",
            "he did not want to think about a defeat",
        ),
        (
            "Ann Holt said the mayor has the experience to lead the city -- having suggested in a "
            "speech last week that he does not.",
            "the mayor has the experience to lead the city",
        ),
    ],
)
def test_reported_content_ends_where_the_speakers_next_act_begins(
    nlp: Language, text: str, content: str
) -> None:
    first = quotes_of(nlp, text)[0]
    assert (first.kind, first.text) == ("indirect", content)


def test_a_reporting_aside_followed_by_and_closes_the_clause_before_it(nlp: Language) -> None:
    text = (
        "The point of those rules is usually to keep the records safe, Ann Holt said, and with "
        "the vote over, the council can move on."
    )
    [quote] = [q for q in quotes_of(nlp, text) if q.kind == "indirect"]
    assert quote.text == "The point of those rules is usually to keep the records safe"
    assert quote.speaker == "Ann Holt"


@pytest.mark.parametrize(
    "text",
    [
        "Ann Holt, who co-manages the Four Rivers team, said online heats will be held in November "
        "to find the best eight players.",
        "Tom Reyes chairs the bank. A day earlier, Mr Reyes - keen to reassure nervous investors - "
        "had said only 30 to 40 large firms would be reviewed.",
    ],
)
def test_a_speaker_before_an_aside_set_off_by_commas_or_dashes_keeps_their_words(
    nlp: Language, text: str
) -> None:
    quotes = quotes_of(nlp, text)
    assert len(quotes) == 1
    assert quotes[0].kind == "indirect"
    assert quotes[0].speaker in ("Ann Holt", "Tom Reyes")
    assert "co-manages" not in quotes[0].text and "keen" not in quotes[0].text


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "The host asked Lena Brody about the repairs. “Why did the council wait so long to fix "
            "the bridge?” Brody questioned.",
            "Lena Brody",
        ),
        (
            "Radio host Carl Dempsey spoke to the mayor. “Then the harbour plan is dead for good?” "
            "Dempsey interjected.",
            "Carl Dempsey",
        ),
        (
            "Former mayor Tom Grady criticized the governor during the debate, and Lena Brody shot "
            "back, “My record on roads speaks for itself, and his record does not.”",
            "Lena Brody",
        ),
        (
            "When Tom Grady proposed a merger of the two schools, Lena Brody fired back: “Parents in "
            "this county will never accept a longer bus ride.”",
            "Lena Brody",
        ),
    ],
)
def test_a_turn_in_an_exchange_cues_the_quotation(nlp: Language, text: str, speaker: str) -> None:
    [quote] = quotes_of(nlp, text)
    assert (quote.kind, quote.speaker) == ("direct", speaker)


@pytest.mark.parametrize(
    "text",
    [
        "Senator Paul Abernathy spoke to a small crowd. “We will not give up on this bill,”Abernathy "
        "said. “Nobody in this town will stop us now.”",
        "Senator Paul Abernathy spoke on Tuesday. Abernathy said,“The vote on the canal budget comes "
        "next week, and we have the numbers.”",
    ],
)
def test_quotation_marks_typed_without_a_space_still_attribute(nlp: Language, text: str) -> None:
    quotes = quotes_of(nlp, text)
    assert quotes and all(q.speaker == "Paul Abernathy" for q in quotes)


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "Painter Nadia D’Amico opened the show on Monday. “Every canvas starts with a map of a "
            "city I have never seen,” D’Amico said.",
            "Nadia D’Amico",
        ),
        (
            "In an interview with Harbor Radio’s Sean Dempsey on Friday, the mayor took calls from "
            "listeners. “People want to know when the pool reopens,” Dempsey said.",
            "Sean Dempsey",
        ),
        (
            "“The tour cost us a month of fundraising,” said Keith O’Rourke, a strategist for the "
            "campaign. “Nobody asked whether the small towns mattered?” O’Rourke said.",
            "Keith O’Rourke",
        ),
    ],
)
def test_a_name_whose_surname_speaks_alone_is_a_person(nlp: Language, text: str, speaker: str) -> None:
    doc = nlp(text)
    assert speaker in {p.name for p in doc._.newsmeta_people}
    quotes = [q for q in doc._.newsmeta_quotes if q.kind == "direct"]
    assert quotes and all(q.speaker == speaker for q in quotes)


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "Aide Nora Pell emailed the mayor about the flood. Mayor Ruth Okafor’s response was: “Can "
            "the bakery on Elm Street stay open?” The bakery closed a week later.",
            "Ruth Okafor",
        ),
        (
            "Volunteers gathered at the library on Sunday. From Dale Munro's Facebook post: "
            '"Thank you to everyone who carried sandbags through the night."',
            "Dale Munro",
        ),
    ],
)
def test_the_possessor_of_a_statement_before_the_quotation_speaks(
    nlp: Language, text: str, speaker: str
) -> None:
    [quote] = [q for q in quotes_of(nlp, text) if q.kind == "direct"]
    assert quote.speaker == speaker


def test_a_participle_hung_on_the_quotations_verb_takes_the_sentences_subject(nlp: Language) -> None:
    text = (
        "Lena Brody spoke on the radio.\n\nOn Sunday morning, she stated, “When I read the report, "
        "the failure of the water board to act would have left the valley without a reservoir, "
        "which I think would have been a far worse result,” adding, “I think maybe 40 farms were "
        "flooded last spring in the valley.”"
    )
    quotes = quotes_of(nlp, text)
    assert [(q.speaker, q.cue) for q in quotes] == [("Lena Brody", "stated"), ("Lena Brody", "adding")]

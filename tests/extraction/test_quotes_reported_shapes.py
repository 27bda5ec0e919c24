"""Reported speech whose shape the parse misreads: fronted content, asides before and after
the content, a gerund subject, a subject read as the verb's object, a second reporting verb
cut off the first one's content. Invented sentences only."""

from __future__ import annotations

import pytest
from reported_reading import reported
from spacy.language import Language

pytestmark = pytest.mark.model


def test_fronted_content_keeps_its_second_verb(nlp: Language) -> None:
    # Before its reporting verb, "but left ..." is what was said, not the speaker's next act.
    text = (
        "Omar Castell said that many neighbours came to the hall. "
        "The driver did not stay but drove off as soon as the rain stopped, Castell said."
    )
    assert ("Omar Castell", "The driver did not stay but drove off as soon as the rain stopped") in reported(
        nlp, text
    )


def test_content_after_the_verb_is_still_cut_at_the_next_act(nlp: Language) -> None:
    text = "Omar Castell said the hall was full but refused to name the organisers."
    assert reported(nlp, text) == [("Omar Castell", "the hall was full")]


def test_a_second_reporting_verb_cut_off_the_content_keeps_the_speaker(nlp: Language) -> None:
    text = (
        "Lena Marsh said Tom Brill had begun calling council members - there are two from each ward - "
        "but said the final outcome was still uncertain."
    )
    found = reported(nlp, text)
    assert ("Lena Marsh", "the final outcome was still uncertain") in found
    assert all(speaker == "Lena Marsh" for speaker, _ in found)


def test_an_aside_with_a_participle_after_it_closes_fronted_content(nlp: Language) -> None:
    text = (
        "Senator Paul Ferrand said he knows the cost of the crisis firsthand. "
        "His cousin had struggled for years, Ferrand explained, recalling the time they visited her."
    )
    assert ("Paul Ferrand", "His cousin had struggled for years") in reported(nlp, text)


def test_an_opening_clause_before_the_aside_is_content(nlp: Language) -> None:
    text = (
        "When the council passed the budget last spring, Dunn said, most of the depots were "
        "considered safe from closure."
    )
    found = reported(nlp, text)
    assert len(found) == 1
    speaker, clause = found[0]
    assert speaker == "Dunn"
    assert clause.startswith("When the council passed the budget")
    assert clause.endswith("were considered safe from closure")


def test_a_gerund_subject_opens_the_content(nlp: Language) -> None:
    # The parse makes "seeing" the verb's complement and hangs "was" on it.
    text = "Carla Munoz said seeing so many police officers at the festival was a welcome sight."
    clause = "seeing so many police officers at the festival was a welcome sight"
    assert reported(nlp, text) == [("Carla Munoz", clause)]


def test_a_subject_the_parse_read_as_an_object_opens_the_content(nlp: Language) -> None:
    # The parse makes "refusal" the object of "insisted", leaving "is" without a subject.
    text = "Hal Morgan insisted the board's failure to call the vote a mistake is a scandal."
    assert reported(nlp, text) == [
        ("Hal Morgan", "the board's failure to call the vote a mistake is a scandal")
    ]


def test_a_misread_subject_keeps_a_clause_joined_in_another_tense(nlp: Language) -> None:
    # With a curly apostrophe the parse makes "decision" the object of "explained".
    text = (
        "Hal Morgan explained the mayor\u2019s decision to call the flood a minor event is a mistake "
        "and she should apologise."
    )
    clause = "the mayor\u2019s decision to call the flood a minor event is a mistake and she should apologise"
    assert reported(nlp, text) == [("Hal Morgan", clause)]


def test_a_closing_as_clause_reports_the_clause_before_it(nlp: Language) -> None:
    text = (
        "Senator Ruth Holt relies on an old figure. "
        "The figures changed over the summer, as Holt has sometimes acknowledged."
    )
    assert reported(nlp, text) == [("Ruth Holt", "The figures changed over the summer")]


def test_a_closing_as_clause_hung_inside_the_statement_reports_the_whole_clause(nlp: Language) -> None:
    text = (
        "It does not help that calling the plan a tax is a classic scare tactic, "
        "as Ann Holt noted in the Gazette."
    )
    assert reported(nlp, text) == [
        ("Ann Holt", "It does not help that calling the plan a tax is a classic scare tactic")
    ]


def test_a_question_with_a_closing_as_clause_reports_nothing(nlp: Language) -> None:
    text = "So is the party's job to defeat the council, as former member Ann Holt once declared?"
    assert reported(nlp, text) == []


def test_a_gerund_subject_with_its_verb_joined_to_the_reporting_verb(nlp: Language) -> None:
    # The parse joins "could hurt" to "said" after the gerund's clause and an aside.
    text = (
        "Lina Ferro said cutting the bus routes before a new plan could be drafted, "
        "and without asking riders, could badly hurt families."
    )
    clause = (
        "cutting the bus routes before a new plan could be drafted, and without asking riders, "
        "could badly hurt families"
    )
    assert reported(nlp, text) == [("Lina Ferro", clause)]


def test_a_gerund_subject_with_a_relative_clause_opens_the_content(nlp: Language) -> None:
    text = "Tom Ruiz said raising the fees, which the council proposed last year, would hurt small shops."
    clause = "raising the fees, which the council proposed last year, would hurt small shops"
    assert reported(nlp, text) == [("Tom Ruiz", clause)]


def test_a_reporting_verb_joined_to_the_content_as_a_second_clause(nlp: Language) -> None:
    # The parse makes "told" a conjunct of "includes", with no clause of its own.
    text = (
        "The agency is gradually increasing staff on the ground in the region. This includes a "
        "special team to assist Kurdish doctors, Health Secretary Lena Ostrova told a Senate panel Wednesday."
    )
    assert reported(nlp, text) == [("Lena Ostrova", "This includes a special team to assist Kurdish doctors")]


def test_a_clause_joined_by_and_with_its_own_reporting_verb_is_not_its_content(nlp: Language) -> None:
    text = "The plan includes a new clinic for the valley, and Mara Quinn told a Senate panel about it."
    assert reported(nlp, text) == []


def test_a_gerund_subject_whose_modal_verb_the_parse_joined_to_the_reporting_verb(nlp: Language) -> None:
    # The parse makes "close" a conjunct of "said", without a subject of its own.
    text = (
        "Lena Ostrova said stopping private gifts before new grants were secured, and without knowing "
        "who will run the trust, might quickly close clinics that treat children."
    )
    found = reported(nlp, text)
    assert len(found) == 1
    speaker, clause = found[0]
    assert speaker == "Lena Ostrova"
    assert clause.startswith("stopping private gifts")
    assert clause.endswith("might quickly close clinics that treat children")


def test_a_headline_verb_the_name_swallowed_is_cut_off_the_speaker(nlp: Language) -> None:
    # Headline case caps "Tells" too, and the entity recogniser reads it into the name.
    text = (
        "Brenner Tells Guest Rural Schools Are Beyond Repair.\n\n"
        "When guests on his radio show said otherwise, host Carl Brenner said the schools had failed."
    )
    doc = nlp(text)
    assert {q.speaker for q in doc._.newsmeta_quotes} == {"Carl Brenner"}
    assert all("Tells" not in s.text for s in doc.spans["newsmeta_people"])


def test_a_given_name_said_stays_in_a_name(nlp: Language) -> None:
    text = "Omar Said told reporters on Monday that the bridge would reopen in May."
    assert reported(nlp, text) == [("Omar Said", "the bridge would reopen in May")]


@pytest.mark.parametrize(
    "gloss",
    [", an acknowledgment that his rivals quickly seized on", ' — a play on words with the "tax man" label'],
)
def test_a_trailing_noun_naming_the_speech_act_is_the_narrators_gloss(nlp: Language, gloss: str) -> None:
    content = 'some families would pay "a little more" in fees'
    assert reported(nlp, f"Senator Tom Hale said that {content}{gloss}.") == [("Tom Hale", content)]


def test_a_trailing_noun_phrase_about_the_content_stays(nlp: Language) -> None:
    content = "she would build a bridge, a project that would cost millions"
    assert reported(nlp, f"Mayor Ann Reyes said {content}.") == [("Ann Reyes", content)]

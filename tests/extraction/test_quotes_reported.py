"""Reported speech: where the content clause ends and which statements the finder reads.
Invented sentences only."""

from __future__ import annotations

import pytest
from reported_reading import reported
from spacy.language import Language

pytestmark = pytest.mark.model


@pytest.mark.parametrize(
    "tail",
    [
        "even though three members of her own party voted against it in March",
        "despite a late objection from the finance committee",
        "without naming the members who would draft it",
        "as was the case with last year's transport bill",
    ],
)
def test_a_trailing_contrast_is_the_narrators_not_the_speakers(nlp: Language, tail: str) -> None:
    text = f"Senator Ann Holt said the budget would pass before the end of the week, {tail}."
    assert reported(nlp, text) == [("Ann Holt", "the budget would pass before the end of the week")]


def test_a_causal_as_clause_stays_in_what_was_reported(nlp: Language) -> None:
    text = "Mayor Tom Reyes said the bridge would reopen in May, as the repairs were nearly finished."
    clause = "the bridge would reopen in May, as the repairs were nearly finished"
    assert reported(nlp, text) == [("Tom Reyes", clause)]


def test_a_contrast_inside_the_content_is_kept(nlp: Language) -> None:
    text = "Mayor Tom Reyes said that, despite the storm, the bridge would reopen in May."
    assert reported(nlp, text) == [("Tom Reyes", "despite the storm, the bridge would reopen in May")]


@pytest.mark.parametrize("verb", ["vowed", "promised", "pledged", "threatened"])
def test_a_verb_of_commitment_reports_its_infinitive(nlp: Language, verb: str) -> None:
    text = f"Governor Helen Marsh {verb} to veto any bill that raised the fuel tax."
    assert reported(nlp, text) == [("Helen Marsh", "to veto any bill that raised the fuel tax")]


def test_an_infinitive_after_another_verb_is_no_statement(nlp: Language) -> None:
    assert reported(nlp, "Governor Helen Marsh wanted to veto any bill that raised the fuel tax.") == []


def test_a_statement_the_parse_hangs_on_the_occasion_noun_is_still_reported(nlp: Language) -> None:
    # The parse reads "that her opponent is unqualified" as a relative clause on "speech".
    text = "Mayor Ruth Daley argued in a recent speech that her opponent is unqualified."
    assert reported(nlp, text) == [("Ruth Daley", "her opponent is unqualified")]


def test_a_relative_clause_on_the_occasion_noun_is_no_statement(nlp: Language) -> None:
    assert reported(nlp, "Mayor Ruth Daley spoke at length in a speech that she gave at the library.") == []


@pytest.mark.parametrize("join", [", while", " and", ", but"])
def test_a_second_persons_report_joined_to_the_content_is_their_own(nlp: Language, join: str) -> None:
    text = f"Mayor Ruth Daley said the tax was fair{join} Councillor Owen Pratt said it would hurt shops."
    assert reported(nlp, text) == [("Ruth Daley", "the tax was fair"), ("Owen Pratt", "it would hurt shops")]


def test_a_backshifted_report_inside_the_content_stays_reported(nlp: Language) -> None:
    text = "Mayor Ruth Daley said the review was under way and the court had stressed the need for speed."
    assert reported(nlp, text) == [
        ("Ruth Daley", "the review was under way and the court had stressed the need for speed")
    ]


@pytest.mark.parametrize(
    ("verb", "message"),
    [("predicted", "a narrow win for his team"), ("has acknowledged", "the difficulties of the schedule")],
)
def test_the_object_of_a_verb_whose_object_is_the_message_is_reported(
    nlp: Language, verb: str, message: str
) -> None:
    assert reported(nlp, f"Coach Ivan Petrov {verb} {message}.") == [("Ivan Petrov", message)]


@pytest.mark.parametrize(
    "text",
    [
        "Coach Ivan Petrov explained the new training plan to the players.",  # the topic
        "Coach Ivan Petrov left the stadium, tweeting a photo of the empty stands.",  # a participle
    ],
)
def test_a_topic_or_a_participles_object_is_no_statement(nlp: Language, text: str) -> None:
    assert reported(nlp, text) == []


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("Despite Ivan Petrov's claim that the team was ready, the match was off.", "the team was ready"),
        ("Ivan Petrov's promise to rebuild the stadium won him votes.", "to rebuild the stadium"),
        ("Ivan Petrov made repeated promises to rebuild the stadium.", "to rebuild the stadium"),
    ],
)
def test_a_named_persons_claim_or_promise_reports_its_clause(nlp: Language, text: str, content: str) -> None:
    assert reported(nlp, text) == [("Ivan Petrov", content)]


def test_a_pledge_someone_else_asks_about_is_no_statement(nlp: Language) -> None:
    text = "Voters asked whether Ivan Petrov would honor a pledge to rebuild the stadium."
    assert reported(nlp, text) == []


def test_a_progressive_verb_of_speech_heading_the_content_is_content(nlp: Language) -> None:
    text = "Councillor Owen Pratt noted that the mayor was speaking in the hall where the union began."
    assert reported(nlp, text) == [("Owen Pratt", "the mayor was speaking in the hall where the union began")]


def test_an_as_clause_of_speech_reports_the_clause_it_modifies(nlp: Language) -> None:
    text = "But as Councillor Owen Pratt noted, the new road will cut the journey to the coast by an hour."
    content = "the new road will cut the journey to the coast by an hour"
    assert reported(nlp, text) == [("Owen Pratt", content)]


def test_an_as_clause_with_its_own_content_is_not_an_aside(nlp: Language) -> None:
    text = "As Councillor Owen Pratt said that the road was late, the mayor left the hall."
    assert [s for s, _ in reported(nlp, text)] == ["Owen Pratt"]
    assert reported(nlp, text)[0][1] == "the road was late"


@pytest.mark.parametrize(
    "content",
    [
        "the plan could pass in the spring, but would fail in the autumn",
        "the budget should not be cut but raised by a tenth",
        "she would like a vote on the plan but supports the mayor",
    ],
)
def test_a_but_phrase_in_another_form_than_the_reporting_verb_is_still_reported(
    nlp: Language, content: str
) -> None:
    assert reported(nlp, f"Councillor Ann Reyes said {content}.") == [("Ann Reyes", content)]


def test_a_but_phrase_in_the_reporting_verbs_form_is_the_narrators(nlp: Language) -> None:
    text = "Councillor Ann Reyes said the plan was fair but refused to back it in the vote."
    assert reported(nlp, text) == [("Ann Reyes", "the plan was fair")]


def test_a_verb_of_speech_under_the_contents_modal_is_still_reported(nlp: Language) -> None:
    content = "she would meet the minister and tell him the plan had failed"
    assert reported(nlp, f"Councillor Ann Reyes says {content}.") == [("Ann Reyes", content)]


def test_a_verb_of_speech_in_the_reporting_verbs_form_is_the_next_statement(nlp: Language) -> None:
    text = "Councillor Ann Reyes said the plan had failed and predicted that the mayor would resign."
    assert reported(nlp, text)[0] == ("Ann Reyes", "the plan had failed")


def test_a_condition_the_parse_hangs_on_a_noun_is_no_indirect_question(nlp: Language) -> None:
    content = "if elected president she could work well with the council"
    assert reported(nlp, f"Councillor Ann Reyes said {content}.") == [("Ann Reyes", content)]


@pytest.mark.parametrize("verb", ["Says", "Just Said", "Promises"])
def test_a_title_case_headline_naming_a_speaker_reports_the_line(nlp: Language, verb: str) -> None:
    text = f"Ann Reyes {verb} Fuel Tax Will Fall Next Year\n\nMayor Ann Reyes spoke to the council on Monday."
    assert reported(nlp, text) == [("Ann Reyes", "Fuel Tax Will Fall Next Year")]


def test_a_headline_without_a_person_before_the_verb_reports_nothing(nlp: Language) -> None:
    text = "City Council Says Fuel Tax Will Fall Next Year\n\nMayor Ann Reyes spoke to the council on Monday."
    assert reported(nlp, text) == []


def test_a_clause_opening_on_he_or_she_in_the_plain_past_is_the_narrators(nlp: Language) -> None:
    text = "Senator Tom Hale said the real problem is the budget, and he railed against the committee."
    assert reported(nlp, text) == [("Tom Hale", "the real problem is the budget")]


def test_a_clause_opening_on_he_or_she_with_a_modal_is_still_reported(nlp: Language) -> None:
    content = "the new tax was fair, and she would vote for it in the spring"
    assert reported(nlp, f"Mayor Ann Reyes said {content}.") == [("Ann Reyes", content)]


def test_a_gerund_object_of_suggest_is_what_was_suggested(nlp: Language) -> None:
    content = "closing the old bridge until the repairs are done"
    assert reported(nlp, f"Councillor Ann Reyes suggested {content}.") == [("Ann Reyes", content)]


def test_a_participle_after_a_verb_of_manner_is_no_statement(nlp: Language) -> None:
    assert reported(nlp, "Councillor Ann Reyes tweeted using her council account on Monday.") == []


def test_a_cue_the_tagger_took_for_a_noun_is_a_verb_when_it_has_a_subject_and_a_clause() -> None:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from app.extraction.quotes.reported import ReportedSpeech

    def doc(pos: str, deps: list[str]) -> Doc:
        words = ["Hale", "claims", "he", "won"]
        return Doc(Vocab(), words=words, pos=["PROPN", pos, "PRON", "VERB"], deps=deps, heads=[1, 1, 3, 1])

    assert ReportedSpeech._verb_of_speech(doc("NOUN", ["nsubj", "ROOT", "nsubj", "ccomp"])[1])
    assert not ReportedSpeech._verb_of_speech(doc("NOUN", ["compound", "ROOT", "nsubj", "acl"])[1])


@pytest.mark.parametrize(
    "text, content",
    [
        (
            'Senator Ann Holt summed up the plan as "reckless," denounced its cost and said the governor '
            "should withdraw it.",
            "the governor should withdraw it",
        ),
        (
            "Governor Tom Reyes jokingly offered the man a job as his driver, then says he will welcome "
            "advice from anyone.",
            "he will welcome advice from anyone",
        ),
    ],
)
def test_a_chain_of_verbs_keeps_the_first_verbs_subject(nlp: Language, text: str, content: str) -> None:
    # The parse makes the first verb a clause of the next one, which then has no subject.
    speaker = " ".join(text.split(" ")[1:3])
    assert reported(nlp, text) == [(speaker, content)]


@pytest.mark.parametrize(
    "text, content, quote",
    [
        (
            'Mayor Ruth Daley suggested that the new budget was careless - "We need to start again from '
            'the beginning," she said.',
            "the new budget was careless",
            "We need to start again from the beginning",
        ),
        (
            "Soon after the vote, Mayor Ruth Daley asserted that the city had lost its way: "
            '"This is no longer our city, it is theirs," she added.',
            "the city had lost its way",
            "This is no longer our city, it is theirs",
        ),
    ],
)
def test_a_report_leading_in_to_a_quotation_is_its_own(
    nlp: Language, text: str, content: str, quote: str
) -> None:
    doc = nlp(text)
    got = {(q.speaker, q.kind, q.text) for q in doc._.newsmeta_quotes}
    assert got == {("Ruth Daley", "indirect", content), ("Ruth Daley", "direct", quote)}


@pytest.mark.parametrize(
    "text, content",
    [
        (
            "Councillor Ann Reyes said, when she was earning $20,000 a year, a manager invited her to lunch.",
            "when she was earning $20,000 a year, a manager invited her to lunch",
        ),
        (
            "Councillor Ann Reyes said what the city needs most is a plan and a budget.",
            "what the city needs most is a plan and a budget",
        ),
    ],
)
def test_a_wh_clause_inside_the_statement_is_no_question(nlp: Language, text: str, content: str) -> None:
    assert reported(nlp, text) == [("Ann Reyes", content)]


@pytest.mark.parametrize(
    "text",
    [
        "Councillor Ann Reyes declined to say when the vote would be held.",
        "Councillor Ann Reyes would not say whether she would run again.",
    ],
)
def test_an_indirect_question_is_no_statement(nlp: Language, text: str) -> None:
    assert reported(nlp, text) == []


@pytest.mark.parametrize(
    "tail",
    ["echoing a letter from the finance committee last week", "pointing to her record on housing"],
)
def test_a_trailing_echoing_or_pointing_aside_is_the_narrators(nlp: Language, tail: str) -> None:
    text = f"Councillor Ann Reyes said the council should approve the budget, {tail}."
    assert reported(nlp, text) == [("Ann Reyes", "the council should approve the budget")]


@pytest.mark.parametrize(
    "prep, content",
    [("against", "the dangers of a rushed vote on the budget"), ("of", "the risks of a long trade war")],
)
def test_what_a_speaker_warned_against_or_of_is_reported(nlp: Language, prep: str, content: str) -> None:
    text = f"Senator Ann Holt warned {prep} {content}."
    assert reported(nlp, text) == [("Ann Holt", content)]


def test_whom_a_speaker_warned_is_no_statement(nlp: Language) -> None:
    assert reported(nlp, "Senator Ann Holt warned the committee about the vote.") == []

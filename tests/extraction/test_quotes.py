"""Quotes: pairing quotation marks, the cue lexicon, and attribution on the real model."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from app.extraction.quotes import QuotedSpan, find_quoted_spans, load_cues, parse_cues, quoted_spans
from app.extraction.records import Quote


def quoted(text: str) -> list[str]:
    return [text[s.start : s.end] for s in find_quoted_spans(text)]


# --------------------------------------------------------------------------- quotation marks


def test_curly_and_straight_double_quotes_are_paired() -> None:
    text = '“We will win,” he said. She replied: "Not this year."'
    assert quoted(text) == ["We will win,", "Not this year."]


def test_offsets_exclude_the_marks() -> None:
    text = 'He said "yes, indeed" twice.'
    [span] = find_quoted_spans(text)
    assert span == QuotedSpan(start=9, end=20)


def test_apostrophes_are_not_quotation_marks() -> None:
    text = "The minister's view wasn't shared by the players' union in the '90s."
    assert quoted(text) == []


def test_single_marks_delimit_speech_where_they_cannot_be_apostrophes() -> None:
    text = "‘We don’t negotiate,’ she said, calling it a 'reckless' plan."
    assert quoted(text) == ["We don’t negotiate,", "reckless"]


def test_single_marks_inside_double_quotes_are_left_to_the_outer_quote() -> None:
    text = "He wrote: \"They call these 'events' now.\""
    assert quoted(text) == ["They call these 'events' now."]


def test_balanced_straight_marks_pair_in_order_despite_odd_spacing() -> None:
    text = 'He said kits would be ready," For example, schools can vote". Then "more".'
    assert quoted(text) == [" For example, schools can vote", "more"]


def test_stray_closing_mark_does_not_swallow_the_paragraph() -> None:
    text = 'it is time to say goodbye," Microsoft says on "The Countdown".'
    assert quoted(text) == ["The Countdown"]


def test_quotation_continued_over_paragraphs_runs_to_the_paragraph_end() -> None:
    text = '"First part of the speech.\n"Second part," he said.'
    assert quoted(text) == ["First part of the speech.", "Second part,"]


def test_unclosed_mark_without_continuation_is_dropped() -> None:
    assert quoted('He said "this never ends.\nNext paragraph.') == []


def test_paragraphs_of_speech_flattened_onto_one_line_are_one_quote_each() -> None:
    # Reopening each paragraph with a mark, with the line breaks lost: `"A. "B. "C."`.
    text = 'Ann Holt said: "We won. "The count is over. "Now we govern." Then she left.'
    assert quoted(text) == ["We won. ", "The count is over. ", "Now we govern."]
    curly = "She said: “We won. “Now we govern.” Then she left."
    assert quoted(curly) == ["We won. ", "Now we govern."]


def test_a_mark_after_a_word_still_closes_the_quotation() -> None:
    text = 'He called it "a plan that works" and left. She said "no".'
    assert quoted(text) == ["a plan that works", "no"]


def test_two_apostrophes_typed_for_a_double_mark_pair_as_one() -> None:
    text = "''We will not wait,'' Mr. Reyes said. ''The players' union agrees.''"
    assert quoted(text) == ["We will not wait,", "The players' union agrees."]


def test_quoted_spans_are_paired_once_per_doc() -> None:
    doc = spacy.blank("en")('She said "yes" and "no".')
    first = quoted_spans(doc)
    assert [doc.text[s.start : s.end] for s in first] == ["yes", "no"]
    doc.user_data["newsmeta.quoted_spans"].append(QuotedSpan(0, 3))  # what the cache holds is used
    assert len(quoted_spans(doc)) == 3


# --------------------------------------------------------------------------- cue lexicon


def test_cue_sections_and_aside_participles() -> None:
    lines = ["# comment", "[reporting]", "say said says saying", "[framing]", "cite cited citing"]
    cues = parse_cues([*lines, "[aside]", "cite"])
    assert "said" in cues.reporting and "cited" in cues.framing
    assert cues.aside == frozenset({"citing"})
    assert "cited" in cues.any


def test_commissive_section_lists_every_form_of_its_base_verbs() -> None:
    cues = parse_cues(["[reporting]", "vow vowed vows vowing", "say said", "[commissive]", "vow"])
    assert cues.commissive == frozenset({"vow", "vowed", "vows", "vowing"})
    assert "vowed" in load_cues().commissive and "said" not in load_cues().commissive
    assert "predicted" in load_cues().message and "explained" not in load_cues().message
    assert {"claim", "insistence", "vows"} <= load_cues().nominal
    assert "suggested" in load_cues().gerund and "tweeted" not in load_cues().gerund


def test_shipped_cue_list_covers_the_common_reporting_verbs() -> None:
    cues = load_cues()
    for form in ("said", "says", "told", "warned", "insisting", "asserting", "claimed"):
        assert form in cues.reporting
    assert "calling" in cues.aside and "continuing" not in cues.aside


def test_cue_outside_a_section_is_an_error() -> None:
    with pytest.raises(ValueError):
        parse_cues(["said"])


# --------------------------------------------------------------------------- component without a parse


def test_component_runs_on_a_blank_pipeline_and_keeps_quotes_unattributed() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("newsmeta_quotes")
    doc = nlp('The report was short. "Nothing about this plan will survive the winter," it read.')
    [quote] = doc._.newsmeta_quotes
    assert quote.kind == "direct" and quote.speaker is None
    assert quote.text == "Nothing about this plan will survive the winter"
    assert doc.text[quote.start : quote.end] == quote.text


# --------------------------------------------------------------------------- on the model


def quotes_of(nlp: Language, text: str) -> list[Quote]:
    doc = nlp(text)
    found: list[Quote] = doc._.newsmeta_quotes
    for q in found:
        assert doc.text[q.start : q.end] == q.text
    return found


def attributed(nlp: Language, text: str) -> list[tuple[str | None, str, str]]:
    return [(q.speaker, q.kind, q.text) for q in quotes_of(nlp, text) if q.speaker]


@pytest.mark.model
def test_pronoun_speaker_resolves_to_the_person_named_before(nlp: Language) -> None:
    text = "Kremlin spokesperson Dmitry Peskov spoke to reporters on Monday. “We will win,” he said."
    assert attributed(nlp, text) == [("Dmitry Peskov", "direct", "We will win")]


@pytest.mark.model
def test_reported_clause_is_the_quote_text(nlp: Language) -> None:
    text = "Russian Foreign Minister Sergey Lavrov said European nations lack genuine interest in peace."
    [quote] = quotes_of(nlp, text)
    assert (quote.speaker, quote.kind, quote.cue) == ("Sergey Lavrov", "indirect", "said")
    assert quote.text == "European nations lack genuine interest in peace"


@pytest.mark.model
def test_split_quote_gives_two_quotes_by_one_speaker(nlp: Language) -> None:
    text = (
        '"We came a long way to show what we can do," team member Rodaba Noori told the press, '
        '"and we will come back next year with a better robot."'
    )
    assert attributed(nlp, text) == [
        ("Rodaba Noori", "direct", "We came a long way to show what we can do"),
        ("Rodaba Noori", "direct", "and we will come back next year with a better robot."),
    ]


@pytest.mark.model
def test_unattributed_paragraph_continues_the_previous_speaker(nlp: Language) -> None:
    text = (
        '"The market is now realizing how deep the problem is," said analyst Peter Boockvar.\n\n'
        '"Europe is a major trading partner of ours, and this threatens the entire growth story."'
    )
    speakers = [q.speaker for q in quotes_of(nlp, text)]
    assert speakers == ["Peter Boockvar", "Peter Boockvar"]


@pytest.mark.model
def test_colon_introduces_a_direct_quote(nlp: Language) -> None:
    text = 'Procter & Gamble spokeswoman Jennifer Chelune said: "We don\'t know what caused it yet."'
    assert attributed(nlp, text) == [("Jennifer Chelune", "direct", "We don't know what caused it yet.")]


@pytest.mark.model
def test_according_to_a_person_reports_the_rest_of_the_sentence(nlp: Language) -> None:
    text = "According to coach Alireza Mehraban, the robot scored two points in the first match."
    assert attributed(nlp, text) == [
        ("Alireza Mehraban", "indirect", "the robot scored two points in the first match")
    ]


@pytest.mark.model
def test_participle_reports_for_the_subject_of_its_clause(nlp: Language) -> None:
    text = (
        "French President Emmanuel Macron reiterated his stance on Tuesday, "
        "insisting Europe would need to provide support for Ukraine."
    )
    assert attributed(nlp, text) == [
        ("Emmanuel Macron", "indirect", "Europe would need to provide support for Ukraine")
    ]


@pytest.mark.model
def test_trailing_aside_is_cut_from_the_reported_clause(nlp: Language) -> None:
    text = (
        "Russian Foreign Minister Sergey Lavrov said that European nations lack genuine interest in peace, "
        "citing their response to the summit."
    )
    [(_, _, clause)] = attributed(nlp, text)
    assert clause == "European nations lack genuine interest in peace"


@pytest.mark.model
def test_an_aside_after_a_closing_quotation_mark_is_cut_too(nlp: Language) -> None:
    text = 'Analyst Ken Lowe says the company "priced it really aggressively," referring to its base price.'
    [(_, _, clause)] = attributed(nlp, text)
    assert clause.startswith("the company") and clause.endswith("aggressively")


@pytest.mark.model
def test_speaking_out_that_reports_a_statement(nlp: Language) -> None:
    text = (
        "Peter Novak spoke out on Tuesday that the firm has submitted a plan which would close five plants."
    )
    assert attributed(nlp, text) == [
        ("Peter Novak", "indirect", "the firm has submitted a plan which would close five plants")
    ]
    assert attributed(nlp, "Anna Berg spoke to reporters after the vote.") == []


@pytest.mark.model
def test_two_that_clauses_are_two_statements(nlp: Language) -> None:
    text = (
        "General Motors chief executive Fritz Henderson stated that the company would keep its plants open, "
        "and that the process would be executed quickly."
    )
    texts = [t for _, _, t in attributed(nlp, text)]
    assert texts == ["the company would keep its plants open", "the process would be executed quickly"]


@pytest.mark.model
def test_role_description_resolves_to_the_person_with_that_title(nlp: Language) -> None:
    text = (
        "Kremlin spokesperson Dmitry Peskov met journalists in Moscow. "
        "Western leaders had criticised the plan. "
        "The Kremlin spokesperson said that the talks would continue next week."
    )
    assert attributed(nlp, text) == [("Dmitry Peskov", "indirect", "the talks would continue next week")]


@pytest.mark.model
def test_reporting_verb_inside_reported_content_is_not_a_second_quote(nlp: Language) -> None:
    text = "Prime Minister John Key said he believes redesigning the flag now has a strong rationale."
    assert attributed(nlp, text) == [
        ("John Key", "indirect", "he believes redesigning the flag now has a strong rationale")
    ]


@pytest.mark.model
def test_clause_that_is_all_quotation_is_a_direct_quote(nlp: Language) -> None:
    text = "Chief executive Fritz Henderson stated that \"I don't think it's going to happen.\""
    assert attributed(nlp, text) == [("Fritz Henderson", "direct", "I don't think it's going to happen.")]


@pytest.mark.model
def test_indirect_question_is_not_a_statement(nlp: Language) -> None:
    text = "Chief executive Fritz Henderson declined to predict when the company would return to profit."
    assert attributed(nlp, text) == []


@pytest.mark.model
def test_organisation_speaker_leaves_reported_speech_out(nlp: Language) -> None:
    text = "Microsoft said that the latest versions of its browser provide better protection."
    assert attributed(nlp, text) == []


@pytest.mark.model
def test_short_scare_quote_is_not_a_quote(nlp: Language) -> None:
    text = "Kremlin spokesperson Dmitry Peskov described the plan as “reckless” on Monday."
    assert attributed(nlp, text) == []


@pytest.mark.model
def test_quoted_as_saying_attributes_to_the_person_quoted(nlp: Language) -> None:
    text = (
        '"We do not need to buy aircraft from Europe," the newspaper Kompas quoted Jusman Djamal as saying.'
    )
    assert attributed(nlp, text) == [
        ("Jusman Djamal", "direct", "We do not need to buy aircraft from Europe")
    ]


@pytest.mark.model
def test_name_after_the_closing_mark_attributes_without_a_verb(nlp: Language) -> None:
    text = '"Auto makers are pulling every lever to attract buyers," Jesse Toprak, an analyst for Edmunds.'
    assert [q.speaker for q in quotes_of(nlp, text)] == ["Jesse Toprak"]


@pytest.mark.model
def test_quote_followed_by_a_new_sentence_is_not_attributed_to_its_subject(nlp: Language) -> None:
    text = (
        'Officials called it a tragedy. "The girl suffered for five months before she died." '
        "Gloria Sam was nine months old."
    )
    assert attributed(nlp, text) == []


@pytest.mark.model
def test_who_after_an_apposition_refers_back_to_the_person(nlp: Language) -> None:
    text = (
        "A contrary view is offered by Charles Whitman, a management expert at Stanford University, "
        'who stated, "Great companies rarely go from strength to strength".'
    )
    assert [(q.speaker, q.kind) for q in quotes_of(nlp, text)] == [("Charles Whitman", "direct")]


@pytest.mark.model
def test_in_the_words_of_names_the_speaker_of_the_quotation(nlp: Language) -> None:
    text = 'In the words of the prosecutor, Mark Tedeschi, "The child spent months in pain."'
    assert [(q.speaker, q.kind) for q in quotes_of(nlp, text)] == [("Mark Tedeschi", "direct")]


@pytest.mark.model
def test_reporting_aside_inside_the_clause_reports_it(nlp: Language) -> None:
    text = "The economy, Ann Smith said, is strong and growing fast this year."
    found = attributed(nlp, text)
    assert [(s, k) for s, k, _ in found] == [("Ann Smith", "indirect")]
    assert found[0][2].startswith("The economy")


@pytest.mark.model
def test_reporting_aside_before_a_quotation_leaves_it_direct(nlp: Language) -> None:
    text = 'Of the public process, Ann Smith said, "In the end I will have one vote like everyone else."'
    assert [(s, k) for s, k, _ in attributed(nlp, text)] == [("Ann Smith", "direct")]


@pytest.mark.model
def test_a_role_opening_the_next_paragraph_does_not_name_the_person_before_it(nlp: Language) -> None:
    text = (
        '"Prices will rise," said economy minister Karl Brandt.\n\n'
        'The mayor of the city of Lindau remarked that "the plan will ruin our harbour."'
    )
    speakers = {q.text: q.speaker for q in quotes_of(nlp, text)}
    assert speakers.get("Prices will rise") == "Karl Brandt"
    assert all(speaker != "Karl Brandt" for text, speaker in speakers.items() if "harbour" in text)


@pytest.mark.model
def test_a_reporting_aside_reports_a_clause_holding_a_scare_quote(nlp: Language) -> None:
    text = (
        "Tom Price announced that the firm would build its own chips.\n\n"
        "This 'upgrade', he said, would reach shops within two years."
    )
    assert ("Tom Price", "indirect") in {(s, k) for s, k, t in attributed(nlp, text) if "upgrade" in t}


@pytest.mark.model
def test_a_colon_fused_with_a_bracket_still_introduces_the_next_paragraph(nlp: Language) -> None:
    text = (
        'The chairman of the Lakeside Trust, Paolo Verri, has called the ruling "reckless" ((it)):\n\n'
        '"The town cannot afford this. Those in charge should think again before the winter."'
    )
    found = {(s, k) for s, k, t in attributed(nlp, text) if t.startswith("The town")}
    assert ("Paolo Verri", "direct") in found


@pytest.mark.model
def test_a_paragraph_of_first_person_speech_signed_with_a_name_is_a_direct_quote(nlp: Language) -> None:
    text = (
        "Lorna Hale, a former nurse, said the clinic had closed without warning.\n\n"
        "I was told to pack my things and leave by the end of the day. Lorna Hale\n\n"
        "The clinic did not respond to questions."
    )
    assert (
        "Lorna Hale",
        "direct",
        "I was told to pack my things and leave by the end of the day.",
    ) in attributed(nlp, text)


@pytest.mark.model
def test_a_clause_joined_in_another_tense_continues_the_reported_content(nlp: Language) -> None:
    text = (
        "Maria Lopez also claims that her wages were withheld from her and she was made to sleep in "
        "the office. Carl Weber told staff on Monday that the firm will shut the mill in May, and output "
        "may fall further next year. Tom Hardy said that the plan failed, and the "
        "board agreed."
    )
    clauses = {speaker: clause for speaker, _, clause in attributed(nlp, text)}
    assert clauses["Maria Lopez"].endswith("she was made to sleep in the office")
    assert clauses["Carl Weber"].endswith("output may fall further next year")
    assert clauses["Tom Hardy"] == "the plan failed"


@pytest.mark.model
def test_according_to_a_name_the_parse_reads_as_a_verb_still_reports_the_rest(nlp: Language) -> None:
    # The parse the model gives "According to X the ..." without a comma, built by hand.
    words = "Karl Dunmore left in 2004 . According to Dunmore the Vexa archive was returned by post .".split()
    heads = [1, 2, 2, 2, 3, 2, 13, 6, 7, 11, 11, 13, 13, 13, 13, 14, 13]
    deps = (
        "compound nsubj ROOT prep pobj punct prep prep pcomp det compound nsubjpass auxpass ROOT agent pobj"
    )
    deps += " punct"
    pos = "PROPN PROPN VERB ADP NUM PUNCT VERB ADP VERB DET PROPN NOUN AUX VERB ADP NOUN PUNCT"
    tags = "NNP NNP VBD IN CD . VBG IN VB DT NNP NN VBD VBN IN NN ."
    doc = Doc(
        nlp.vocab,
        words=words,
        spaces=[nxt != "." for nxt in words[1:]] + [False],
        heads=heads,
        deps=deps.split(),
        pos=pos.split(),
        tags=tags.split(),
        ents=["B-PERSON", "I-PERSON"] + ["O"] * 6 + ["B-ORG", "I-ORG", "I-ORG"] + ["O"] * 6,
    )
    for name in ("newsmeta_entities", "newsmeta_countries", "newsmeta_positions", "newsmeta_quotes"):
        doc = nlp.get_pipe(name)(doc)
    found = {(q.speaker, q.kind) for q in doc._.newsmeta_quotes}
    assert ("Karl Dunmore", "indirect") in found


# --------------------------------------------------------------------------- speakers by salience


@pytest.mark.model
def test_a_programme_title_in_marks_does_not_break_a_continued_quote(nlp: Language) -> None:
    text = (
        '"We are not winning yet," Ann Holt said on "Morning Talk" on Sunday. '
        '"I think the plan needs more time and more money."'
    )
    speakers = [(q.speaker, q.text[:9]) for q in quotes_of(nlp, text) if len(q.text) > 20]
    assert speakers == [("Ann Holt", "We are no"), ("Ann Holt", "I think t")]


@pytest.mark.model
def test_quote_after_narration_about_one_person_is_that_persons(nlp: Language) -> None:
    text = (
        "Tom Reyes has run the city's budget office for a decade. On the new plan, Reyes is blunt.\n\n"
        '"Nobody in this city has ever seen a budget like it. It will not pass."'
    )
    assert [q.speaker for q in quotes_of(nlp, text)] == ["Tom Reyes"]


@pytest.mark.model
def test_quote_after_narration_naming_two_people_stays_unattributed(nlp: Language) -> None:
    text = (
        "Tom Reyes met Ann Holt at the budget office on Monday.\n\n"
        '"Nobody in this city has ever seen a budget like it. It will not pass."'
    )
    assert [q.speaker for q in quotes_of(nlp, text)] == [None]


@pytest.mark.model
def test_interview_quotes_keep_their_speaker_while_nobody_else_is_named(nlp: Language) -> None:
    text = (
        'On the election, Ann Holt is almost evangelical. "I was on a train and met a voter."\n\n'
        "But what does she see in the party? Many might think it is simply a chance to practise her art. "
        '"I think the greatest threat to this country is apathy".'
    )
    assert [q.speaker for q in quotes_of(nlp, text)] == ["Ann Holt", "Ann Holt"]


@pytest.mark.model
def test_a_paragraph_after_a_colon_closing_said_is_a_block_quote(nlp: Language) -> None:
    text = (
        "Asked about the strike, the minister Ann Holt replied:\n\n"
        "We have offered the union everything we can afford. The rest is up to them.\n\n"
        "The talks resume on Monday."
    )
    assert attributed(nlp, text) == [
        ("Ann Holt", "direct", "We have offered the union everything we can afford. The rest is up to them.")
    ]


@pytest.mark.model
def test_a_list_after_a_colon_without_a_speaker_is_no_quote(nlp: Language) -> None:
    text = "The budget has three parts:\n\nSchools get more money, roads get less and taxes stay flat."
    assert attributed(nlp, text) == []


# --------------------------------------------------------------------------- same-surname people, gender


@pytest.mark.model
def test_mrs_and_mr_with_one_surname_each_get_their_own_words(nlp: Language) -> None:
    text = (
        "Senator Paul Whitlow and his wife, Margaret Whitlow, arrived in Dover on Monday. "
        "Mrs Whitlow said the campaign had been exhausting for the whole family. "
        "Mr Whitlow said the campaign would go on until the vote."
    )
    assert [q.speaker for q in quotes_of(nlp, text)] == ["Margaret Whitlow", "Paul Whitlow"]


@pytest.mark.model
def test_she_after_two_people_goes_to_the_woman_by_her_given_name(nlp: Language) -> None:
    text = (
        "Robert Haines debated Susan Marlow in Ohio on Tuesday. "
        "She said the state needed new roads more than new taxes."
    )
    assert [q.speaker for q in quotes_of(nlp, text)] == ["Susan Marlow"]


@pytest.mark.model
def test_a_full_name_that_is_not_the_articles_person_is_not_given_their_words(nlp: Language) -> None:
    # "said Pedro Ortiz" names someone other than the article's first Ortiz.
    text = (
        'Maria Ortiz runs a bakery in the old town. "Business has never been better this year," '
        "said Pedro Ortiz, her cousin."
    )
    assert [q.speaker for q in quotes_of(nlp, text)] == ["Pedro Ortiz"]


@pytest.mark.model
def test_the_chancellor_is_not_the_shadow_chancellor_named_later(nlp: Language) -> None:
    text = (
        "The chancellor said the budget would cut taxes for working families. "
        "He attacked shadow chancellor Peter Langley, who said the sums did not add up."
    )
    speakers = [q.speaker for q in quotes_of(nlp, text) if q.text.startswith("the budget")]
    assert speakers in ([], [None])


@pytest.mark.model
def test_he_after_according_to_a_person_is_that_person(nlp: Language) -> None:
    text = (
        "Governor Alan Pryce said on Monday that the mine would reopen. "
        "Prices could double, according to the analyst Tom Breck. "
        "But he warned that the company might sell the mine instead."
    )
    speakers = [q.speaker for q in quotes_of(nlp, text) if "sell the mine" in q.text]
    assert speakers == ["Tom Breck"]


# --------------------------------------------------------------------------- cues and misread speakers


@pytest.mark.model
def test_a_surname_the_tagger_reads_as_a_common_noun_still_names_the_speaker(nlp: Language) -> None:
    text = 'Jim Sanders runs it. "It shows you which of us stands with the bosses," Sanders remarked.'
    assert [q.speaker for q in quotes_of(nlp, text)] == ["Jim Sanders"]


@pytest.mark.model
def test_a_reporting_verb_hung_loosely_on_a_participle_keeps_its_subject(nlp: Language) -> None:
    text = 'Ann Holt, exasperated, famously responded: "What difference does it make to anyone now?"'
    assert [q.speaker for q in quotes_of(nlp, text)] == ["Ann Holt"]


@pytest.mark.model
def test_a_verb_that_opens_the_next_quotation_is_not_the_cue_of_the_one_before(nlp: Language) -> None:
    text = (
        'Tom Reyes writes to Ann Holt with a question: "Why now? Was that the plan all along?" '
        'Holt then writes back, "You look tired today, my friend."'
    )
    assert [q.speaker for q in quotes_of(nlp, text)] == ["Tom Reyes", "Ann Holt"]


@pytest.mark.model
def test_a_statement_issued_by_a_person_is_that_persons(nlp: Language) -> None:
    text = (
        "Ann Holt, who said last week that the judge was biased against her, issued a statement "
        'Tuesday saying, "I have never once questioned the fairness of this court."'
    )
    assert [q.speaker for q in quotes_of(nlp, text)] == ["Ann Holt", "Ann Holt"]


@pytest.mark.model
def test_a_party_state_tag_between_name_and_verb_keeps_the_speaker(nlp: Language) -> None:
    text = (
        "At the state party convention on Saturday Sen. Ann Holt (D-Ore.) said "
        "the governor was a failure in business."
    )
    assert attributed(nlp, text) == [("Ann Holt", "indirect", "the governor was a failure in business")]


@pytest.mark.model
def test_a_condition_opening_reported_content_is_no_indirect_question(nlp: Language) -> None:
    stated = (
        "Tom Reyes says if he spent the day in the capital he would be doing nothing more than shaking hands."
    )
    assert [q.speaker for q in quotes_of(nlp, stated)] == ["Tom Reyes"]
    asked = "Tom Reyes declined to say if he would run for the seat again next year."
    assert quotes_of(nlp, asked) == []


@pytest.mark.model
def test_a_quotation_signed_with_a_dash_on_the_next_line_is_the_signers(nlp: Language) -> None:
    text = (
        "Critics attacked Ann Holt and Tom Reyes on Monday.\n\n"
        '"The roads in this county are worse than they have ever been in my lifetime."\n\n'
        "- Tom Reyes.\n\n"
        "The claim is exaggerated: the roads were worse in 1990."
    )
    assert [q.speaker for q in quotes_of(nlp, text)] == ["Tom Reyes"]


@pytest.mark.model
def test_the_verb_a_colon_closes_attributes_the_quotation_after_it(nlp: Language) -> None:
    text = 'Ann Holt has since apologized for what happened: "Yes, I should have used two phones. Sorry."'
    assert [q.speaker for q in quotes_of(nlp, text)] == ["Ann Holt"]


@pytest.mark.model
def test_a_name_after_the_reporting_verbs_clause_is_not_its_inverted_subject(nlp: Language) -> None:
    text = (
        'Bill Pelly runs the data team. "Having two people who know the data is valuable," said Pelly, '
        'explaining he worked with Ann Holt, who cleaned the data: "She is outstanding with numbers."'
    )
    assert [q.speaker for q in quotes_of(nlp, text)] == ["Bill Pelly"] * 3


@pytest.mark.model
def test_he_after_a_quotation_continues_its_speaker_when_nobody_else_is_named(nlp: Language) -> None:
    text = (
        "Bill Pratt threw Tom Reyes out of the news conference in August.\n\n"
        "“We were tremendously wrong to not have challenged him from the start,” Reyes, 58, "
        "told AFP in an interview in Boston on Monday.\n\n"
        "“Many people simply did not react to the danger of a man who was attacking everyone,” he said."
    )
    assert [q.speaker for q in quotes_of(nlp, text)] == ["Tom Reyes", "Tom Reyes"]


@pytest.mark.model
def test_the_subject_of_a_passive_is_salient_for_the_next_pronoun(nlp: Language) -> None:
    text = (
        "Senators Bill Pratt and Tom Reyes debated taxes on Tuesday. Reyes was asked by the moderator "
        'about his plan to cut them. "Families come first, and the budget must reflect that," he said.'
    )
    assert [q.speaker for q in quotes_of(nlp, text)] == ["Tom Reyes"]

"""People whose names the model or the rules cut, and the speakers that depend on them: given
names that are also country words, relatives sharing a surname. Invented sentences only."""

from __future__ import annotations

import pytest
from entity_tagging import people, run
from spacy.language import Language

from app.extraction.people import EntitiesComponent


def test_a_country_word_that_is_a_given_name_keeps_a_two_word_name(
    blank: Language, component: EntitiesComponent
) -> None:
    doc = run(
        blank,
        component,
        "Jordan Whitley, a farmer, spoke first. Then Russian Ivan Petrov answered.",
        [("Jordan Whitley", "PERSON"), ("Russian Ivan Petrov", "PERSON")],
    )
    assert set(people(doc)) == {"Jordan Whitley", "Ivan Petrov"}


def test_a_surname_takes_back_the_given_name_the_article_pairs_it_with(
    blank: Language, component: EntitiesComponent
) -> None:
    doc = run(
        blank,
        component,
        "Israel Quintero and his brother Rafael Quintero wrote the play. Israel Quintero says it works.",
        [
            ("Israel Quintero", "PERSON"),
            ("Rafael Quintero", "PERSON"),
            ("Israel", "GPE"),
            ("Quintero", "PERSON"),
        ],
    )
    found = people(doc)
    assert found == {"Israel Quintero": {"Israel Quintero"}, "Rafael Quintero": {"Rafael Quintero"}}
    israel = next(c for c in doc._.newsmeta_people if c.name == "Israel Quintero")
    assert len(israel.spans) == 2  # the second mention is his, not his brother's


@pytest.mark.model
def test_brothers_with_a_country_word_given_name_keep_their_own_quotes(nlp: Language) -> None:
    doc = nlp(
        '"The jokes write themselves," said Israel Quintero, one of the stars of the revue. '
        '"This is satire about power," said Rafael Quintero, his brother and fellow comedian.\n\n'
        "Israel Quintero says that the audience reaction has been warm.\n\n"
        '"It brought everyone together," he said.'
    )
    speakers = {q.text: q.speaker for q in doc._.newsmeta_quotes}
    assert speakers["The jokes write themselves"] == "Israel Quintero"
    assert speakers["This is satire about power"] == "Rafael Quintero"
    assert speakers["the audience reaction has been warm"] == "Israel Quintero"
    assert speakers["It brought everyone together"] == "Israel Quintero"


@pytest.mark.model
def test_a_given_name_that_names_a_country_still_speaks(nlp: Language) -> None:
    doc = nlp('"Our crews are exhausted," said Chad Brennan, a fire chief. Brennan said the blaze was out.')
    assert {c.name for c in doc._.newsmeta_people} == {"Chad Brennan"}
    assert {q.speaker for q in doc._.newsmeta_quotes} == {"Chad Brennan"}


def test_the_first_of_two_surnames_alone_names_the_person(
    blank: Language, component: EntitiesComponent
) -> None:
    doc = run(
        blank,
        component,
        "The envoy, Lucía Marín Echeverri, left in May. Marín later denied the report.",
        [("Lucía Marín Echeverri", "PERSON"), ("Marín", "PERSON")],
    )
    assert people(doc) == {"Lucía Marín Echeverri": {"Lucía Marín Echeverri", "Marín"}}


def test_both_surnames_without_the_given_name_are_the_same_person(
    blank: Language, component: EntitiesComponent
) -> None:
    doc = run(
        blank,
        component,
        "President Tomás Ibarra Solís spoke first. Later, Ibarra Solís toured the port.",
        [("Tomás Ibarra Solís", "PERSON"), ("Ibarra Solís", "PERSON")],
    )
    assert people(doc) == {"Tomás Ibarra Solís": {"Tomás Ibarra Solís", "Ibarra Solís"}}


def test_a_middle_given_name_alone_does_not_take_the_person(
    blank: Language, component: EntitiesComponent
) -> None:
    doc = run(
        blank,
        component,
        "Anna Maria Kessler chaired the panel. Maria said nothing.",
        [("Anna Maria Kessler", "PERSON"), ("Maria", "PERSON")],
    )
    assert "Maria" not in people(doc)["Anna Maria Kessler"]


@pytest.mark.model
def test_a_pronoun_after_a_lone_first_surname_is_that_person(nlp: Language) -> None:
    doc = nlp(
        "After seven months on the job, Jorge Marín Echeverri, the country's envoy to Ottawa, will be "
        "replaced by Pedro Ortiz Luna, the consul in Vancouver. The rise of Carl Dunn has alarmed the "
        "government.\n\nMarín took over the embassy last year after teaching at a university. In his "
        "brief tenure, he earned a reputation as a quiet leader. Last year, he played down Dunn's "
        'comments as "just part of the campaign" and reportedly argued that attacking the mayor would '
        "only help him."
    )
    speakers = {q.text: q.speaker for q in doc._.newsmeta_quotes}
    assert speakers.get("just part of the campaign") == "Jorge Marín Echeverri"


@pytest.mark.model
def test_a_pronoun_takes_the_subject_of_a_later_sentence_over_an_earlier_main_subject(nlp: Language) -> None:
    doc = nlp(
        "Governor Paul Brandt has repeatedly asked the neighbouring state to hand over Omar Haddad. "
        "After the riot on Friday, the state police declared Ivan Kovac was a leader of the group. "
        "He was briefly detained. He denied any role, telling reporters he had never met the "
        "organisers."
    )
    speakers = {q.text: q.speaker for q in doc._.newsmeta_quotes}
    assert speakers.get("he had never met the organisers") == "Ivan Kovac"


@pytest.mark.model
def test_a_pronoun_still_takes_the_main_subject_of_its_own_sentence(nlp: Language) -> None:
    doc = nlp("Tom Avery said on Monday that Carl Dunn was wrong. He added that the vote would be close.")
    speakers = {q.text: q.speaker for q in doc._.newsmeta_quotes}
    assert speakers.get("the vote would be close") == "Tom Avery"


@pytest.mark.model
def test_a_name_closing_an_aside_with_a_verb_does_not_speak(nlp: Language) -> None:
    doc = nlp(
        "Ann Avery and Tom Dunn met in May. The issue came up after Ms. Avery, asked about the "
        'arrests of reporters under Mr. Dunn, had said, "I think our city does plenty of arresting also."'
    )
    speakers = {q.text: q.speaker for q in doc._.newsmeta_quotes}
    assert speakers.get("I think our city does plenty of arresting also.") == "Ann Avery"


@pytest.mark.model
def test_a_name_in_apposition_before_said_still_speaks(nlp: Language) -> None:
    doc = nlp('Responding to the plan, the shadow housing minister, Carl Dunn, said: "This is more talk."')
    assert [q.speaker for q in doc._.newsmeta_quotes] == ["Carl Dunn"]


@pytest.mark.model
def test_a_quote_after_a_frame_with_a_reported_clause_in_it_stays_with_the_framer(nlp: Language) -> None:
    doc = nlp(
        "The mayor and the talk show host shared a stage last week. "
        '"Your program is terrific," Carl Dunn assured Tom Avery, after Avery assured Dunn that most '
        'of his audience backed his campaign. "I will never forget it."'
    )
    speakers = {q.text: q.speaker for q in doc._.newsmeta_quotes}
    assert speakers.get("Your program is terrific") == "Carl Dunn"
    assert speakers.get("I will never forget it.") == "Carl Dunn"


@pytest.mark.model
def test_a_quotation_paragraph_goes_to_the_subject_of_the_sentence_right_before_it(nlp: Language) -> None:
    doc = nlp(
        "Carl Dunn sued Tom Avery in 2019 but lost the case the following year. "
        "He is now auctioning the painting at the centre of the dispute.\n\n"
        '"It has finally been returned to me by the court. Many collectors have shown interest in it."'
    )
    assert [q.speaker for q in doc._.newsmeta_quotes if q.kind == "direct"] == ["Carl Dunn"]


@pytest.mark.model
def test_a_quotation_paragraph_after_someone_else_is_named_stays_open(nlp: Language) -> None:
    doc = nlp(
        "Carl Dunn sued Tom Avery in 2019 but lost the case the following year. "
        "He is now auctioning the painting, which Ann Holt once owned.\n\n"
        '"It has finally been returned to me by the court. Many collectors have shown interest in it."'
    )
    assert [q.speaker for q in doc._.newsmeta_quotes if q.kind == "direct"] in ([], [None])


@pytest.mark.model
def test_a_closed_quotation_is_not_cued_by_the_next_sentences_verb_with_its_own_content(
    nlp: Language,
) -> None:
    doc = nlp(
        'The rivals attacked the campaign on Tuesday. "It is a sad day," Ann Holt told reporters in '
        'Dover. "This is what a culture of insults brings. It has no place in politics." Governor '
        "Carl Dunn said he would have fired the manager if it had happened in his campaign."
    )
    speakers = {q.text: q.speaker for q in doc._.newsmeta_quotes}
    assert (
        speakers.get("This is what a culture of insults brings. It has no place in politics.") == "Ann Holt"
    )
    assert speakers.get("he would have fired the manager if it had happened in his campaign") == "Carl Dunn"


def test_a_nickname_in_quotation_marks_stays_inside_the_name(
    blank: Language, component: EntitiesComponent
) -> None:
    doc = run(
        blank,
        component,
        'Former contractor Paul "Red" Haskins spoke on Monday. Later Haskins left.',
        [("Paul", "PERSON"), ("Haskins", "PERSON")],
    )
    assert people(doc) == {'Paul "Red" Haskins': {'Paul "Red" Haskins', "Haskins"}}


@pytest.mark.model
def test_a_speaker_with_a_nickname_is_found_by_surname(nlp: Language) -> None:
    doc = nlp(
        'Former contractor Paul "Red" Haskins spoke at the rally on Monday. "Instead of helping us, '
        'the agency left us there to fend for ourselves," Haskins said.'
    )
    speakers = [q.speaker for q in doc._.newsmeta_quotes if q.kind == "direct"]
    assert speakers == ['Paul "Red" Haskins']


@pytest.mark.model
def test_a_quote_after_a_frame_whose_reported_clause_is_the_same_speakers_stays_with_him(
    nlp: Language,
) -> None:
    doc = nlp(
        '"If he wins, there is nothing you can do, folks," Carl Dunn told a rally in Dover, saying '
        'the mayor would "close every library."\n\n'
        '"Although the readers, maybe there is a way. I don\'t know. That will be a sad day."'
    )
    direct = [
        q.speaker for q in doc._.newsmeta_quotes if q.kind == "direct" and q.text.startswith("Although")
    ]
    assert direct == ["Carl Dunn"]

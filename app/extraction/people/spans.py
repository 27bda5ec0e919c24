"""Repairs of a mention's token span: titles, honorifics, determiners and possessives cut off
its ends, name parts the model cut off taken back, a flight's number or a leading country set
apart."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from app.extraction.countries import lookup as country_lookup
from app.extraction.people.lexicon import (
    CORPORATE_SUFFIXES,
    DETERMINERS,
    LEGAL_SUFFIXES,
    PERSON_VERBS,
    POSSESSIVE,
    PRONOUNS,
    STANCE_PREFIXES,
    Lexicon,
    _cap,
    fold,
)


def _strip_flight(doc: Doc, start: int, end: int) -> tuple[int, int, bool]:
    """An airline's flight is not an organisation: "Garuda Indonesia Flight 200" -> the airline."""
    for i in range(start + 1, end):
        if doc[i].lower_ == "flight" and i + 1 < len(doc) and doc[i + 1].like_num:
            return start, i, True
    return start, end, False


def _strip_person(doc: Doc, start: int, end: int, lex: Lexicon) -> tuple[int, int, bool]:
    """Trim titles, honorifics, determiners and possessives off a PERSON span."""
    titled = False
    while end - start > 1:
        tok = doc[start]
        low = tok.lower_.rstrip(".")
        if low in lex.honorifics or lex.is_title_word(tok.text):
            titled = True
        elif not (
            tok.is_punct
            or tok.lower_ in DETERMINERS
            or tok.is_lower
            or tok.like_num
            or (
                country_lookup(tok.text)
                and _cap(doc[start + 1].text)
                and not _given_like_place(doc, start, end, lex)
            )
            or tok.lower_ in PERSON_VERBS  # "Said Mr Ho": a verb opening an inverted sentence
            or tok.lower_ in PRONOUNS  # "I'm Muslim": a pronoun and its verb are no name
        ):
            break
        start += 1
    for i in range(start + 1, end):
        # Headline case caps the verb too: "Holt Tells Panel ..." is Holt. Only a verb's
        # present "-s" form: "Said" is also a name ("Omar Said").
        if doc[i].lower_ in PERSON_VERBS and doc[i].lower_.endswith("s") and _cap(doc[i].text):
            end = i
            break
    while end > start and (
        doc[end - 1].text in POSSESSIVE or (doc[end - 1].is_punct and doc[end - 1].text != ".")
    ):
        end -= 1
    if start > 0 and end > start:
        prev = doc[start - 1]
        if prev.lower_.rstrip(".") in lex.honorifics or lex.is_title_word(prev.text):
            titled = True
    return start, end, titled


def _given_like_place(doc: Doc, start: int, end: int, lex: Lexicon) -> bool:
    """ "Israel Vidal", "Jordan Ames": a country word that is also a given name, before a lone
    capitalised word, opens the name rather than modifying it (sourced list, see its header)."""
    return (
        end - start == 2 and fold(doc[start].text) in lex.given_names_like_places and doc[start + 1].is_alpha
    )


# Participles and adjectives after a name and a hyphen ("-linked", "-backed", "-friendly").
_MODIFIER_TAGS = frozenset({"VBN", "VBD", "VBG", "JJ"})


def _widen_person(doc: Doc, start: int, end: int, lex: Lexicon, tagged: bool = True) -> tuple[int, int]:
    """Take back name parts the model cut off a PERSON span.

    A lone surname preceded by a capitalised proper noun that no entity claims gets it as
    a given name ("the Refugee Council Enver Solomon" tagged as ORG + "Solomon"); a name
    that stops at a hyphen keeps the rest of the hyphenated word ("Wong Yeung" + "-tat").
    """
    # Only with part-of-speech tags: an untagged "Later Peskov" cannot be told from "Enver Solomon".
    if end - start == 1 and start > 0 and tagged:
        prev = doc[start - 1]
        before = doc[start - 2].text if start > 1 else "."
        if (
            prev.is_alpha
            and prev.is_title
            and not prev.ent_type_
            and not prev.is_sent_start
            and before not in {".", "!", "?", "\n", ":", ";"}
            and prev.pos_ == "PROPN"
            and prev.lower_ not in DETERMINERS
            and prev.lower_.rstrip(".") not in lex.honorifics
            and not lex.is_title_word(prev.text)
            and country_lookup(prev.text) is None
        ):
            start -= 1
    if (
        end + 1 < len(doc)
        and doc[end].text == "-"
        and not doc[end - 1].whitespace_
        and not doc[end].whitespace_
        and doc[end + 1].is_alpha
        and not doc[end + 1].ent_type_
        # "Okafor-affiliated groups", "Müller-led": a compound modifier made of the name, no name part.
        and not (doc[end + 1].is_lower and doc[end + 1].tag_ in _MODIFIER_TAGS)
    ):
        end += 2
    return start, end


def _strip_org(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Trim determiners, lower-case words and possessives off the ends of an ORG span."""
    if (
        end - start > 3
        and doc[start].lower_ in STANCE_PREFIXES
        and doc[start + 1].text == "-"
        and not doc[start].whitespace_
        and not doc[start + 1].whitespace_
    ):
        start += 3  # "pro-Beijing Green Unity Party": a stance, then the party
    while start < end and (doc[start].is_lower or doc[start].is_punct or doc[start].lower_ in DETERMINERS):
        particle = not doc[start].whitespace_ and start + 1 < end and doc[start + 1].text == "-"
        if doc[start].is_lower and particle:
            break  # a name particle: "al-Ikhbariya"
        start += 1
    while end > start and (
        doc[end - 1].is_lower
        or doc[end - 1].text in POSSESSIVE
        or (doc[end - 1].is_punct and doc[end - 1].text not in {".", ")"})
    ):
        end -= 1
    return start, end


def _after_legal_suffix(words: list[str]) -> bool:
    """ "Chrysler LLC Jim Press": a name cannot go on past its legal suffix, so two more
    capitalised words after one are someone else's name."""
    return (
        len(words) >= 4
        and fold(words[-3]) in LEGAL_SUFFIXES
        and not any(fold(w) in CORPORATE_SUFFIXES for w in words[-2:])
    )


def _strip_org_text(span: Span) -> str:
    start, end = _strip_org(span.doc, span.start, span.end)
    return span.doc[start:end].text


def _leading_country(doc: Doc, start: int, end: int) -> tuple[str | None, int]:
    """A country named at the front of an organisation ("U.S. Treasury", "Saudi Arabia's ...")."""
    for n in (3, 2, 1):
        if end - start > n:
            code = country_lookup(doc[start : start + n].text)
            if code:
                skip = start + n
                if doc[skip].text in POSSESSIVE:
                    skip += 1
                if skip < end and _cap(doc[skip].text):
                    return code, skip
    return None, start

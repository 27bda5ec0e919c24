"""Organisations named as someone's employer: the name after a staff noun and "for" or "at"
("an analyst for Vetra") is an organisation, whatever the model called it."""

from __future__ import annotations

from spacy.tokens import Span

from app.extraction.countries import lookup as country_lookup
from app.extraction.people.lexicon import _cap, fold
from app.extraction.people.mentions import _State
from app.extraction.people.names import _name_parts

# What the model may call an employer's name besides an organisation: a people ("Vexa"
# tagged NORP), a person ("Halden Mercer" tagged PERSON), or nothing.
_MISTAKEN_LABELS = frozenset({"PERSON", "NORP", ""})


class _Employers(_State):
    """The recovery pass for employers named after a staff noun."""

    def _employers_after_staff(self, org_ents: list[Span]) -> list[Span]:
        """ "Jo Reyes, an analyst for Vetra", "Ann Ho, chief technology officer for Nord
        Vetra": a capitalised name right after a staff noun (data/orgs_staff_nouns.txt) in
        lower case and "for" or "at", and the object of that preposition in the parse, is the
        body the person works for.

        Left alone: a place ("an analyst at London"), a country's people, and a name the
        article gives a person ("a spokesman for Sanders" beside "Bernie Sanders"; a given
        name first, an honorific before it)."""
        doc, lex = self.doc, self.lex
        if not self.parsed:
            return []
        claimed = {i for span in org_ents for i in range(span.start, span.end)}
        people = [ent for ent in doc.ents if ent.label_ == "PERSON"]
        out: list[Span] = []
        n = len(doc)
        for prep in doc[1:]:
            noun = doc[prep.i - 1]
            if (
                prep.lower_ not in ("for", "at")
                or noun.lower_ not in lex.staff_nouns
                or not noun.is_lower
                or noun.pos_ != "NOUN"
                or prep.head.i != noun.i
            ):
                continue
            k = prep.i + 1
            if k < n and doc[k].lower_ == "the":
                k += 1
            if (
                k >= n
                or k in claimed
                or not (doc[k].is_alpha and _cap(doc[k].text) and doc[k].pos_ == "PROPN")
            ):
                continue
            ent = self._ent_at(k)
            if ent is not None:
                if ent.start != k or ent.label_ not in _MISTAKEN_LABELS:
                    continue
                span = doc[ent.start : ent.end]
            else:
                end = k + 1
                while end < n and doc[end].pos_ == "PROPN" and _cap(doc[end].text) and not doc[end].ent_type_:
                    end += 1
                span = doc[k:end]
            if not any(t.dep_ == "pobj" and t.head.i == prep.i for t in span):
                continue
            if (
                country_lookup(span.text) is not None
                or any(country_lookup(t.text) is not None for t in span)
                or fold(span.text) in lex.orgs_not
                or any(lex.is_title_word(t.text) for t in span)
                or self._a_persons_name(span, people)
            ):
                continue
            claimed.update(range(span.start, span.end))
            out.append(span)
        return out

    def _a_persons_name(self, span: Span, people: list[Span]) -> bool:
        """Whether `span` reads as a person's name: it opens with a given name, or one of its
        words is part of a name the model gives a person elsewhere in the article."""
        lex = self.lex
        if fold(span[0].text) in lex.given_names_wide or fold(span[0].text) in lex.known_people:
            return True
        words = {fold(t.text) for t in span}
        for ent in people:
            if ent.start == span.start:
                continue
            if words & {fold(p) for p in _name_parts([t.text for t in ent])}:
                return True
        return False

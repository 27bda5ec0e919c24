"""The candidate pass and the kind decisions run in order over one Doc."""

from __future__ import annotations

from collections import Counter

from spacy.tokens import Doc, Span

from app.extraction.people.candidates import _Candidates
from app.extraction.people.employers import _Employers
from app.extraction.people.founders import _Founders
from app.extraction.people.kinds import _Kinds
from app.extraction.people.lexicon import _cap, fold
from app.extraction.people.names import _name_parts
from app.extraction.people.spans import _strip_org_text, _widen_person


class _Collector(_Candidates, _Employers, _Founders, _Kinds):
    """Turns the model's entities into cleaned person and organisation mentions."""

    def run(self) -> None:
        doc, lex = self.doc, self.lex
        taken: set[int] = set()
        person_ents: list[Span] = []
        org_ents: list[Span] = []
        for ent in doc.ents:
            if ent.label_ == "PERSON":
                person_ents.append(ent)
            elif ent.label_ == "ORG":
                org_ents.append(ent)
            elif ent.label_ in ("FAC", "GPE", "LOC", "NORP", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW"):
                # "the Harbor Voices PAC" tagged a law, "Civil Defense Authority" a place
                if ent[-1].lower_ in lex.org_heads and len(ent) > 1 and _cap(ent[-1].text):
                    org_ents.append(ent)
        # Gazetteer organisations the model missed or called something else.
        for s, e in self.org_matches:
            span = doc[s:e]
            if any(t.ent_type_ in ("PERSON", "ORG") for t in span):
                continue
            tagged = self.tagged
            if len(span) == 1 and (span[0].pos_ != "PROPN" if tagged else span[0].is_sent_start):
                continue
            org_ents.append(span)
        # What the party matcher took is the party's, whatever the model called it ("Lib Dems").
        org_ents = [span for span in org_ents if not self._in_party(span)]
        org_ents, person_ents = self._in_headlines(org_ents, person_ents)
        coordinated = self._coordinated_with_orgs(person_ents, org_ents)
        moved = {(ent.start, ent.end) for ent in coordinated}
        person_ents = [ent for ent in person_ents if (ent.start, ent.end) not in moved]
        org_ents.extend(coordinated)
        employed = self._employers_after_staff(org_ents)
        hired = {(span.start, span.end) for span in employed}
        person_ents = [ent for ent in person_ents if (ent.start, ent.end) not in hired]
        org_ents.extend(employed)
        person_ents = [ent for ent in person_ents if not self._in_party(ent)]
        org_ents = [part for span in org_ents for part in self._split_at_the(span)]
        org_ents = [self._extend_org(span) for span in org_ents]
        org_ents = [self._through_and(span) for span in org_ents]
        org_ents.extend(self._named_after_people(org_ents))
        in_orgs = {i for span in org_ents for i in range(span.start, span.end)}
        person_ents = [ent for ent in person_ents if not any(i in in_orgs for i in range(ent.start, ent.end))]
        org_ents.extend(self._headed_chains(org_ents))
        org_ents.extend(self._site_names(org_ents))
        org_ents.extend(self._employers_before_titles(org_ents, person_ents))
        described = self._described_orgs(org_ents)
        if described:
            names = {fold(span.text) for span in described}
            person_ents = [ent for ent in person_ents if fold(ent.text) not in names]
            org_ents.extend(described)
            org_ents.extend(ent for ent in doc.ents if ent.label_ == "PERSON" and fold(ent.text) in names)
        org_ents.extend(self._acronyms_after_people(person_ents, org_ents))
        person_ents.extend(self._untagged_people())
        surnames = {
            _name_parts([t.text for t in ent])[-1]
            for ent in person_ents
            if len(_name_parts([t.text for t in ent])) > 1
        }
        self.person_votes = Counter(p for ent in person_ents for p in _name_parts([t.text for t in ent]))
        for word in self.person_votes:
            self.person_words.add(word, word)
        for word in surnames:
            self.surnames.add(word, word)
        self.org_votes = Counter(fold(_strip_org_text(ent)) for ent in org_ents)
        # What else the model calls a one-word name: a people ("Rohingya") or a person ("Gloria").
        self.norp_votes = Counter(
            fold(ent.text)
            for ent in doc.ents
            if len(ent) == 1 and ent.label_ == "NORP" and (ent.start, ent.end) not in hired
        )
        self.single_person_votes = Counter(
            fold(ent.text) for ent in doc.ents if len(ent) == 1 and ent.label_ == "PERSON"
        )
        # "Ann Vidal ... Israel Vidal said": pairs of words the model tags as one person's name.
        pairs = {(fold(ent[-2].text), fold(ent[-1].text)) for ent in person_ents if len(ent) >= 2}
        for ent in person_ents:
            start, end = _widen_person(doc, ent.start, ent.end, lex, self.tagged)
            if end - start == 1 and start > 0 and (fold(doc[start - 1].text), fold(doc[start].text)) in pairs:
                start -= 1  # a given name the model took for a people's word ("Israel" as a place) this time
            end = _nickname_and_surname(doc, end)
            self._person(start, end, surnames)
            taken.update(range(start, end))
        for span in org_ents:
            self._org(span.start, span.end, surnames)
        self._hyphen_pairs(surnames, taken)
        self._leaders_of_governments()
        self._people_named_like_places(taken)


def _nickname_and_surname(doc: Doc, end: int) -> int:
    """'Paul "Red" Haskins': a given name, a one-word nickname in quotation marks and a
    surname are one name, where the model stopped at the marks."""
    if end + 3 >= len(doc):
        return end
    open_, nick, close, surname = doc[end : end + 4]
    if (
        open_.is_quote
        and close.is_quote
        and nick.is_alpha
        and nick.is_title
        and surname.is_alpha
        and surname.is_title
        and not open_.whitespace_
        and not nick.whitespace_
        and not surname.is_sent_start
        and (end + 4 == len(doc) or not doc[end + 4].is_quote)
    ):
        return end + 4
    return end

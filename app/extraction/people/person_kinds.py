"""Person decisions: whether a PERSON candidate is a person (or an organisation, a thing, a
place), and people the model missed that the grammar shows (names made of place words, a
leader's surname before "government", "Putin-Trump")."""

from __future__ import annotations

from spacy.tokens import Token

from app.extraction.countries import lookup as country_lookup
from app.extraction.countries import lookup_entry
from app.extraction.people.lexicon import (
    DETERMINERS,
    GOVERNMENT_NOUNS,
    PERSON_NOUNS,
    PLACE_ENTS,
    PLACE_HEADS,
    POSSESSIVE,
    PRONOUNS,
    _cap,
    fold,
)
from app.extraction.people.mentions import _Mention
from app.extraction.people.spans import (
    _strip_person,
)
from app.extraction.people.things import _Things


class _PersonKinds(_Things):
    """Decide each person candidate's kind and recover people from the parse."""

    def _person(self, start: int, end: int, surnames: set[str]) -> None:
        doc, lex = self.doc, self.lex
        opening = start
        while opening < end and (doc[opening].lower_ in DETERMINERS or doc[opening].is_punct):
            opening += 1
        whole = doc[opening:end]
        if len(whole) > 1 and whole[-1].text in POSSESSIVE:
            whole = whole[:-1]
        if len(whole) > 1 and country_lookup(whole.text):
            return  # "Sri Lanka's": a country, whatever an honorific-like first word suggests
        start, end, titled = _strip_person(doc, start, end, lex)
        # "Ann Holt - Tate's girlfriend - said": a dash set off by spaces closes the name.
        end = next((k for k in range(start + 1, end) if _spaced_dash(doc[k])), end)
        if end <= start:
            return
        if self._a_thing(start, end, person=True):
            return
        if end - opening > 1 and opening < start and doc[end - 1].lower_ in lex.org_heads and not titled:
            # "Edmonton Sun": a place word opening an organisation's name is part of it.
            self.orgs.append(_Mention(opening, end, "ORG"))
            return
        words = [t.text for t in doc[start:end]]
        text = doc[start:end].text
        low = fold(text)
        if not _cap(words[0]) or low in PRONOUNS or len(words) > 6:
            return
        if any(any(c.isdigit() for c in w) for w in words):
            return
        # "Putin-Trump": a hyphenated pair of known surnames is two people.
        if "-" in words and len(words) == 3 and words[1] == "-":
            first, second = fold(words[0]), fold(words[2])
            known = surnames | lex.known_people
            if first in known and second in known:
                self.people.append(_Mention(start, start + 1, "PERSON", titled))
                self.people.append(_Mention(start + 2, end, "PERSON", titled))
                return
        given_and_surname = (
            len(words) == 2 and fold(words[0]) in lex.given_names_wide and country_lookup(words[0]) is None
        )
        if text in lex.orgs_known or (doc[end - 1].lower_ in lex.org_heads and not given_and_surname):
            self.orgs.append(_Mention(start, end, "ORG"))  # "Deseret News", not "Jim Press"
            return
        if low in lex.orgs_not or doc[end - 1].lower_ in PLACE_HEADS:
            return
        if country_lookup(text) and not titled:
            return
        last = lookup_entry(words[-1]) if len(words) > 1 else None
        if last is not None and last.kind in ("name", "demonym") and fold(words[0]) not in lex.given_names:
            # "Garuda Indonesia", "Royal Dutch": a country word ends an organisation's name, but a
            # city or state ending a name after a given name is a surname ("Jack London").
            self.orgs.append(_Mention(start, end, "ORG"))
            return
        if len(words) > 1 and words[-1].isupper() and len(words[-1]) > 1 and "." not in words[-1]:
            return  # "Pro-Beijing DAB": a party's acronym
        if (
            len(words) > 2
            and fold(words[1]) in lex.given_names
            and fold(words[0]) not in lex.given_names
            and words[0].isalpha()
            and not words[0].isupper()
            and fold(words[0]) not in lex.known_people
        ):
            start += 1  # "Nonpartisan Paul Tse"
            words, text = words[1:], doc[start:end].text
        if start > 0 and doc[start - 1].lower_ == "the" and not titled:
            return
        if len(words) > 1 and all(w.isupper() for w in words if w.isalpha()):
            return  # headings and acronyms in capitals are not names
        self.people.append(_Mention(start, end, "PERSON", titled))

    def _people_named_like_places(self, taken: set[int]) -> None:
        """ "Lorna Paris, a Canadian woman, said ...": a full name in apposition with a noun for a
        person is a person even when its words name places, and so is its last word where it
        then acts alone ("Paris said", "Paris's father")."""
        doc, lex = self.doc, self.lex
        if not self.parsed:
            return
        surnames: set[str] = set()
        appos = doc.vocab.strings.add("appos")
        for i in [k for k, v in enumerate(doc.to_array("DEP").tolist()) if v == appos]:
            tok = doc[i]
            if tok.head.i >= tok.i or tok.pos_ != "NOUN":
                continue
            if tok.lower_ not in PERSON_NOUNS and not lex.is_title_head(tok.text):
                continue
            head = tok.head
            start = head.i
            while (
                start > 0
                and doc[start - 1].dep_ == "compound"
                and doc[start - 1].head.i == head.i
                and doc[start - 1].pos_ == "PROPN"
            ):
                start -= 1
            span = doc[start : head.i + 1]
            if len(span) >= 2 and all(i in taken for i in range(span.start, span.end)):
                surnames.add(head.text)  # the model saw the person; the lone surname may still be missed
                continue
            if (
                len(span) < 2
                or any(i in taken for i in range(span.start, span.end))
                or not all(t.is_alpha and _cap(t.text) for t in span)
                or any(t.ent_type_ not in PLACE_ENTS for t in span)
                or country_lookup(span.text)
                or any(lex.is_title_word(t.text) or fold(t.text) in lex.honorifics for t in span)
            ):
                continue
            self.people.append(_Mention(span.start, span.end, "PERSON", titled=True))
            taken.update(range(span.start, span.end))
            surnames.add(head.text)
        if not surnames:
            return
        for tok in doc:
            if (
                tok.text in surnames
                and tok.i not in taken
                and tok.ent_type_ in PLACE_ENTS
                and tok.dep_ in ("nsubj", "nsubjpass", "poss")
            ):
                self.people.append(_Mention(tok.i, tok.i + 1, "PERSON", titled=True))
                taken.add(tok.i)

    def _leaders_of_governments(self) -> None:
        """ "the Rossi government", "the Bush administration": a surname naming a government is a
        person (not a party, people, place or known organisation)."""
        doc, lex = self.doc, self.lex
        in_orgs = {i for m in self.orgs for i in range(m.start, m.end)}
        for noun in doc[2:]:
            if noun.lower_ not in GOVERNMENT_NOUNS:
                continue
            tok = doc[noun.i - 1]
            if (
                doc[noun.i - 2].lower_ == "the"
                and tok.is_alpha
                and tok.is_title
                and tok.ent_type_ in ("", "PERSON", "GPE")
                and country_lookup(tok.text) is None
                and tok.text not in lex.orgs_known
                and fold(tok.text) not in lex.orgs_not
                and not lex.is_title_word(tok.text)
                and tok.i not in in_orgs
            ):
                self.people.append(_Mention(tok.i, tok.i + 1, "PERSON", titled=True))

    def _hyphen_pairs(self, surnames: set[str], taken: set[int]) -> None:
        """Catch "Putin-Trump summit" where the model tagged neither side as a person."""
        doc = self.doc
        known = surnames | self.lex.known_people
        for tok in doc:
            if tok.text != "-" or tok.i in taken or tok.i == 0 or tok.i + 1 >= len(doc):
                continue
            left, right = doc[tok.i - 1], doc[tok.i + 1]
            if left.whitespace_ or tok.whitespace_:
                continue
            if (
                fold(left.text) in known
                and fold(right.text) in known
                and _cap(left.text)
                and _cap(right.text)
                and left.i not in taken
                and right.i not in taken
            ):
                self.people.append(_Mention(left.i, left.i + 1, "PERSON"))
                self.people.append(_Mention(right.i, right.i + 1, "PERSON"))


def _spaced_dash(t: Token) -> bool:
    """A dash with a space on each side: punctuation between phrases, never inside a name."""
    return (
        t.text in ("-", "--", "\u2013", "\u2014")
        and bool(t.whitespace_)
        and t.i > 0
        and bool(t.doc[t.i - 1].whitespace_)
    )

"""Kind decisions: whether a candidate is a person, an organisation, or neither (a product,
place, title, common noun); and, after clustering, one kind per name across the article."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from spacy.tokens import Doc, Token

from app.extraction.countries import lookup as country_lookup
from app.extraction.countries import lookup_entry
from app.extraction.people.lexicon import (
    ACRONYM_SKIP,
    CHAIN_JOINERS,
    CORPORATE_SUFFIXES,
    DETERMINERS,
    GOVERNMENT_NOUNS,
    PERSON_NOUNS,
    PERSON_VERBS,
    PERSONAL_HONORIFICS,
    PLACE_ENTS,
    PLACE_HEADS,
    PLACE_KINDS,
    POSSESSIVE,
    PRONOUNS,
    Lexicon,
    _cap,
    _model_code,
    _with_common_nouns,
    fold,
    is_acronym,
    name_word,
)
from app.extraction.people.mentions import EntityCluster, _Mention, _State
from app.extraction.people.names import _name_parts
from app.extraction.people.spans import (
    _after_legal_suffix,
    _leading_country,
    _strip_flight,
    _strip_org,
    _strip_person,
)

# Small words inside the title of a work or contest ("the House to Home Prize").
_TITLE_JOINERS = frozenset({"to", "of", "for", "and", "the", "on", "in"})
# Named things whose nouns also end the names of shops and clubs ("Marshall Field's").
_PLACE_THINGS = frozenset({"field", "fields", "course"})
# Forms of "be" (the pipeline runs without a lemmatiser).
_COPULAS = frozenset({"is", "are", "was", "were", "be", "been", "being", "'s", "\u2019s"})


class _Kinds(_State):
    """Decide each candidate's kind and record it as a person or organisation mention."""

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
            len(words) == 2 and fold(words[0]) in lex.given_names and country_lookup(words[0]) is None
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

    def _org(self, start: int, end: int, surnames: set[str]) -> None:
        for s, e in self._org_parts(start, end):
            self._org_part(s, e, surnames)

    def _org_parts(self, start: int, end: int) -> list[tuple[int, int]]:
        """Split an ORG span that holds two names.

        An acronym in brackets is an alias, never part of the name ("the Union of Free Farmers
        (UFF" or tokenised "( UFF )"), and an agency in brackets after a dateline is the
        agency only ("LONDON (Reuters"); "X at Y University" is a school at a university;
        "Harbour Post-KTV News" (no spaces round the hyphen, two words or more before it) is a
        poll's two partners.
        """
        doc = self.doc
        start, end = _strip_org(doc, start, end)
        for k in range(start + 1, end):
            if doc[k].text != "(":
                continue
            close = next((j for j in range(k + 1, end) if doc[j].text == ")"), end)
            left, inside = (start, k), (k + 1, close)
            if all(t.is_upper or not t.is_alpha for t in doc[start:k]):
                return [inside] if inside[1] > inside[0] else []  # a dateline
            if close - k == 2 and is_acronym(doc[k + 1].text):
                return [left, inside]
            return [left]
        for k in range(start + 2, end - 2):
            if (
                doc[k].lower_ == "at"
                and doc[end - 1].lower_ in self.lex.org_heads
                and all(_cap(t.text) for t in (doc[k - 1], doc[k + 1]))
            ):
                return [(start, k), (k + 1, end)]
        for k in range(start + 2, end - 1):
            if (
                doc[k].text == "-"
                and not doc[k - 1].whitespace_
                and not doc[k].whitespace_
                and all(t.is_alpha and _cap(t.text) for t in doc[start:k])
                and all(t.is_alpha and _cap(t.text) for t in doc[k + 1 : end])
            ):
                return [(start, k), (k + 1, end)]
        joint = next((j for j in range(start + 1, end - 1) if doc[j].lower_ == "and"), None)
        if joint is not None and self._two_names(start, joint, end):
            return [(start, joint), (joint + 1, end)]
        return [(start, end)]

    def _two_names(self, start: int, k: int, end: int) -> bool:
        """ "support from Vetra and Nordic Arts" where the article names Vetra alone, "the
        schools Santo Marco and Immacolata" after a plural noun: an ORG span joined by "and"
        is two organisations ("Procter and Gamble" named only whole stays one)."""
        doc = self.doc
        if not all(t.is_alpha and _cap(t.text) for t in (*doc[start:k], *doc[k + 1 : end])):
            return False
        if start > 0 and doc[start - 1].tag_ == "NNS" and doc[start - 1].is_lower:
            return True
        if self._ent_texts is None:
            self._ent_texts = Counter(fold(ent.text) for ent in doc.ents)
        return bool(self._ent_texts[fold(doc[start:k].text)] or self._ent_texts[fold(doc[k + 1 : end].text)])

    def _org_part(self, start: int, end: int, surnames: set[str]) -> None:
        doc, lex = self.doc, self.lex
        start, end = _strip_org(doc, start, end)
        if end <= start:
            return
        if end - start >= 4 and doc[end - 3].text in POSSESSIVE and self._holder(end - 2, end):
            # "Harbor Radio's Ann Holt", "the Courier's Ann Holt": an employer, then its person.
            self.people.append(_Mention(end - 2, end, "PERSON"))
            end -= 3
        if self._a_thing(start, end, person=False):
            return
        start, end, flight = _strip_flight(doc, start, end)
        if end <= start:
            return
        if flight:  # the airline of "Adam Air Flight 574"
            self.orgs.append(_Mention(start, end, "ORG"))
            return
        if (
            end - start > 1
            and start > 0
            and doc[start - 1].like_num
            and doc[start].text.isupper()
            and fold(doc[start].text) in lex.orgs_not
        ):
            start += 1  # "by 1300 GMT Vetra's shares": the time zone of a time, then the name
        text = doc[start:end].text
        low = fold(text)
        words = [t.text for t in doc[start:end]]
        if start >= 2 and doc[start - 1].lower_ == "of" and doc[start - 2].lower_ in PLACE_KINDS:
            return  # "the town of Yeoncheon"
        if (
            len(words) >= 3
            and words[-2].lower() in CHAIN_JOINERS
            and (entry := lookup_entry(words[-1])) is not None
            and entry.kind == "demonym"
            and end < len(doc)
            and doc[end].is_lower
        ):
            # "Scientology on French television": the adjective belongs to the noun after it.
            end -= 2
            text, low, words = doc[start:end].text, fold(doc[start:end].text), words[:-2]
        if (
            end - start > 1
            and doc[start].lower_.rstrip(".") in PERSONAL_HONORIFICS
            and all(t.is_alpha and _cap(t.text) for t in doc[start + 1 : end])
        ):
            start += 1  # "Mr Harlow" tagged whole as an organisation
            text, low, words = doc[start:end].text, fold(doc[start:end].text), words[1:]
            self.people.append(_Mention(start, end, "PERSON", titled=True))
            return
        if (
            start > 0
            and doc[start - 1].lower_.rstrip(".") in PERSONAL_HONORIFICS
            and all(t.is_alpha and _cap(t.text) for t in doc[start:end])
            and text not in lex.orgs_known
        ):
            self.people.append(_Mention(start, end, "PERSON", titled=True))
            return  # "Mr Halloran": a courtesy title names a person, whatever the model said
        # The model calls a surname an organisation now and then ("Jobs", "Zelenskiy's regime"):
        # the article's majority use decides, and a known organisation needs a clear majority.
        similar = self.person_words.similar(low)
        votes_person, votes_org = sum(self.person_votes[n] for n in similar), max(self.org_votes[low], 1)
        known_org = text in lex.orgs_known
        person_wins = votes_org <= 2 * votes_person and (not known_org or votes_org < votes_person)
        if len(words) == 1 and person_wins and (low in surnames or self.surnames.similar(low)):
            self.people.append(_Mention(start, end, "PERSON"))
            return
        if len(words) == 1 and not known_org:
            if votes_org <= 2 * self.norp_votes[low] or votes_org < self.single_person_votes[low]:
                return  # the article's other mentions make it a people or a person
            if len(low) > 3 and low.endswith("s") and low[:-1] in surnames:
                return  # "the Sams": a family, by its surname
        if (
            len(words) >= 3
            and (
                fold(words[-2]) in lex.given_names
                or self._named_alone(words[-1], start, end)
                or self._speaks_after_a_body(words, end)
                or _after_legal_suffix(words)
                or (
                    len(words) >= 4
                    and not any(fold(w) in CORPORATE_SUFFIXES for w in words[-2:])
                    and self._after_office_of(start)
                    and fold(words[-1])
                    not in lex.orgs_not  # "... for Progressive Hinduism": a faith, no surname
                )
            )
            and words[-2].isalpha()
            and _cap(words[-2])
            # "the Women's Media Center", "Fox News' The Kelly File": the words after a
            # possessive or a title's "The" are the name's own, not a holder's.
            and words[-3] not in POSSESSIVE
            and words[-3] != "The"
            and words[-1].isalpha()
            and _cap(words[-1])
            and (fold(words[-1]) not in lex.org_heads or _after_legal_suffix(words))
            and text not in lex.orgs_known
        ):
            # "the Air Force for Acquisition Darleen Druyun": a name swallowed by the organisation.
            self.people.append(_Mention(end - 2, end, "PERSON"))
            start, end = _strip_org(doc, start, end - 2)
            while end > start and doc[end - 1].lower_ in ACRONYM_SKIP:
                end -= 1
            if end <= start:
                return
            words = [t.text for t in doc[start:end]]
            text, low = doc[start:end].text, fold(doc[start:end].text)
        if (
            len(words) > 1
            and all(lex.is_title_word(w) for w in words)
            and fold(words[-1]) not in lex.org_heads
        ):
            return  # "Shadow Home" (Secretary): a title, not a body
        while (
            len(words) > 1
            and lex.is_title_head(words[-1])
            and fold(words[-2]) not in ACRONYM_SKIP
            and text not in lex.orgs_known
            # "the P&O Princess group": a common noun after the word makes it the name's
            # last word, not an office ("the Sheriff's office" is the office's).
            and not (
                end < len(doc)
                and doc[end].pos_ == "NOUN"
                and doc[end].is_lower
                and not lex.is_title_word(doc[end].text)  # "Vexa Trading Head trader": an office
            )
        ):
            end -= 1  # "the State Department Spokesperson"
            text, low, words = doc[start:end].text, fold(doc[start:end].text), words[:-1]
        if text not in lex.orgs_known:
            # Names the model calls organisations: a known public figure, or "Dean Kamen".
            if len(words) == 1 and low in lex.known_people and votes_org <= 2 * max(votes_person, 1):
                self.people.append(_Mention(start, end, "PERSON"))
                return
            if (
                len(words) == 2
                and (
                    fold(words[0]) in lex.given_names
                    # "said Kay O'Rourke ... O'Rourke said": the pair's surname speaks alone.
                    or (
                        name_word(words[0])
                        and self._name_opener(doc[start])
                        and self._speaks_alone(words[1], start, end)
                    )
                )
                and name_word(words[1])
                and not words[1].isupper()
                and fold(words[1]) not in lex.org_heads
                and not (start > 0 and doc[start - 1].lower_ == "the")
            ):
                self.people.append(_Mention(start, end, "PERSON"))
                return
            if (
                2 <= len(words) <= 3
                and start > 0
                and lex.is_title_head(doc[start - 1].text)
                and doc[start - 1].is_lower
                and all(w.isalpha() and _cap(w) and not w.isupper() for w in words)
                and not any(fold(w) in lex.org_heads for w in words)
                and not any(country_lookup(w) for w in words)
            ):
                # "shadow chancellor Ann Ho": a name right after a title in lower case is the
                # holder's, whatever the model called it.
                self.people.append(_Mention(start, end, "PERSON", titled=True))
                return
        if text not in lex.orgs_known:
            while len(words) > 1 and _model_code(words[-1]):
                end -= 1  # "Norvane PX-7": the maker of a model
                text, low, words = doc[start:end].text, fold(doc[start:end].text), words[:-1]
            if len(words) == 1 and _model_code(text):
                return  # "3D", "X5": a model or format, not an organisation
            if self.parsed and len(words) == 1 and doc[start].pos_ == "ADJ" and doc[start].dep_ == "amod":
                return  # "a Federal flag": an adjective, not a name
            if self.parsed and len(words) == 1 and is_acronym(text) and _with_common_nouns(doc[start]):
                return  # "every teacher, GP and nurse": letters in a list of common nouns
            cut = next(
                (
                    k
                    for k in range(1, len(words) - 1)
                    if lex.is_title_head(words[k])
                    and _cap(words[k])
                    and words[k + 1] == "of"
                    and fold(words[k - 1]) not in ACRONYM_SKIP
                ),
                None,
            )
            if cut is not None:
                end = start + cut  # "X Director of Public Affairs": the body, then an office
                text, low, words = doc[start:end].text, fold(doc[start:end].text), words[:cut]
        if not _cap(text) and not text[:1].isdigit() and text not in lex.orgs_known and len(words) == 1:
            return  # "iPod", "vFinance": only a known name or a multi-word one is taken
        if (
            len(words) == 1
            and text.endswith("s")
            and any(c.isdigit() for c in text)
            and text[-2:-1].isdigit()
        ):
            return  # "A340s", "737s": aircraft or other models in the plural
        if len(words) > 1 and words[-1] == "System" and text not in lex.orgs_known:
            return  # "the Border Information System": a technical system, not a body
        code, _ = _leading_country(doc, start, end)
        self.orgs.append(_Mention(start, end, "ORG", country=code))

    def _a_thing(self, start: int, end: int, person: bool) -> bool:
        """Whether the mention names a thing (a product, contest, tax, field), not a person or
        an organisation, by the noun it modifies or the noun the article describes it as.

        "the Pop Star competition", "Harlow Tax", "the Mangala and Tessaly fields": a name
        modifying a noun of a thing that nothing makes (`named` in data/orgs_thing_nouns.tsv).
        "a Korvex disc" tagged as a person: a name modifying a product's noun (`made`; "a Sony
        console" stays the maker). "Velmora is a new game", "a game such as Velmora", "his
        series, Final Hour", "a competition called the Garden Prize": every mention of a name
        the article describes as a thing.
        """
        doc = self.doc
        if not self.parsed:
            return False
        tokens, names = self._described_things()
        if fold(doc[start:end].text) in names or any(i in tokens for i in range(start, end)):
            return True
        last = doc[end - 1]
        kind = self.lex.thing_nouns.get(last.lower_)
        if end - start > 1 and _cap(last.text) and kind == "named" and last.lower_ not in _PLACE_THINGS:
            return True  # "the Harlow Tax", "the Garden Prize": the thing's noun ends its name
        if person and end - start > 1 and last.is_lower and kind in ("named", "made"):
            return True  # "Blu-sky disc" tagged whole as a person
        tok = last
        while tok.dep_ == "conj" and tok.head.i < tok.i:
            tok = tok.head  # "the Mangala and Tessaly fields"
        if tok.dep_ not in ("compound", "nmod", "amod") or tok.head.i <= tok.i:
            return False
        head = tok.head
        kind = self.lex.thing_nouns.get(head.lower_)
        if head.pos_ not in ("NOUN", "PROPN") or head.i in range(start, end):
            return False
        return kind == "named" or (kind == "made" and person)

    def _described_things(self) -> tuple[set[int], set[str]]:
        """Tokens of names the article describes as things, and those names folded: in
        apposition with a thing's noun, its subject with a copula, after "such as", or what
        the thing is "called" or "named"."""
        if self._things is not None:
            return self._things
        doc, lex = self.doc, self.lex
        tokens: set[int] = set()
        names: set[str] = set()
        for noun in doc:
            if noun.pos_ != "NOUN" or noun.lower_ not in lex.thing_nouns:
                continue
            named: list[Token] = []
            if noun.dep_ == "appos" and noun.head.i < noun.i:
                named.append(noun.head)
            named.extend(c for c in noun.children if c.dep_ == "appos" and c.i > noun.i)
            if noun.dep_ == "attr" and noun.head.lower_ in _COPULAS:
                named.extend(c for c in noun.head.children if c.dep_ == "nsubj")
            for prep in noun.children:
                if prep.dep_ != "prep" or prep.lower_ != "as":
                    continue
                if any(c.lower_ == "such" for c in (*noun.children, *prep.children)):
                    named.extend(c for c in prep.children if c.dep_ == "pobj")
            for verb in noun.children:
                if verb.dep_ == "acl" and verb.lower_ in ("called", "named", "dubbed", "titled"):
                    named.extend(c for c in verb.children if c.dep_ in ("oprd", "dobj", "attr"))
            for tok in named:
                if tok.pos_ != "PROPN" or not _cap(tok.text):
                    continue
                first, last = tok.left_edge.i, tok.i + 1
                while last < len(doc) and (
                    (doc[last].is_alpha and _cap(doc[last].text))
                    or (
                        doc[last].lower_ in _TITLE_JOINERS
                        and last + 1 < len(doc)
                        and _cap(doc[last + 1].text)
                    )
                ):
                    last += 1  # "the House to Home Prize": the rest of a capitalised name
                while first < last and not _cap(doc[first].text):
                    first += 1
                tokens.update(range(first, last))
                names.add(fold(doc[first:last].text))
        names.update(
            fold(ent.text) for ent in doc.ents if any(i in tokens for i in range(ent.start, ent.end))
        )
        self._things = (tokens, names)
        return self._things

    def _after_office_of(self, start: int) -> bool:
        """ "Undersecretary of the Navy for Procurement Ann Ho": an organisation named as the
        field of an office just before it ends in the office holder's name."""
        doc, lex = self.doc, self.lex
        k = start - 1
        if k >= 0 and doc[k].lower_ == "the":
            k -= 1
        return k >= 1 and doc[k].lower_ == "of" and lex.is_title_head(doc[k - 1].text)

    def _holder(self, start: int, end: int) -> bool:
        """Whether tokens [start, end) are a person's given name and surname: capitalised name
        words opening with a known given name, or whose surname speaks alone elsewhere."""
        first, last = self.doc[start].text, self.doc[end - 1].text
        return (
            name_word(first)
            and name_word(last)
            and not last.isupper()
            and fold(last) not in self.lex.org_heads
            and (
                fold(first) in self.lex.given_names
                or (self._name_opener(self.doc[start]) and self._speaks_alone(last, start, end))
            )
        )

    def _speaks_after_a_body(self, words: list[str], end: int) -> bool:
        """ "the Council on Foreign Relations Ann Ho said": a body's name (ending in an
        organisation head) then two more capitalised words, and a verb only people use."""
        doc, lex = self.doc, self.lex
        return (
            len(words) >= 4
            and fold(words[-3]) in lex.org_heads
            and fold(words[-2]) not in lex.org_heads
            and not words[-1].isupper()
            and end < len(doc)
            and doc[end].lower_ in PERSON_VERBS
        )

    def _named_alone(self, word: str, start: int, end: int) -> bool:
        """Whether the article names a person by `word` alone outside tokens [start, end):
        a one-word PERSON entity, or the subject of a verb of speech ("Karam said")."""
        low = fold(word)
        if low in self.lex.org_heads or low in PLACE_HEADS or low in self.org_votes:
            return False
        if self._alone is None:
            self._alone = {}
            for ent in self.doc.ents:
                if len(ent) == 1 and ent.label_ == "PERSON":
                    self._alone.setdefault(fold(ent.text), []).append(ent.start)
            for tok in self.doc:
                if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.lower_ in PERSON_VERBS:
                    self._alone.setdefault(fold(tok.text), []).append(tok.i)
        return any(not start <= i < end for i in self._alone.get(low, ()))

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


def _common_noun(texts: Iterable[str], lower_words: set[str]) -> bool:
    """Whether every form of a one-word organisation is a word the article also writes in lower
    case ("Budget" beside "budget"): a capitalised common noun, not a name. Letters ("PAC")
    and words with inner capitals ("eBay") are names."""
    words = {t.removeprefix("the ").removeprefix("The ") for t in texts}
    # "pre-Budget": a lower-case prefix before the capitalised noun.
    words = {w.rsplit("-", 1)[-1] if w[:1].islower() else w for w in words}
    return all(
        " " not in w and w[:1].isupper() and w[1:].islower() and w.lower() in lower_words for w in words
    )


def _a_product(doc: Doc, m: _Mention, lex: Lexicon) -> bool:
    """A name written right after a product noun ("model Vexa") or led by a model number
    ("787 Dreamliner")."""
    before = doc[m.start - 1].lower_ if m.start > 0 else ""
    return before in lex.product_nouns or (m.end - m.start > 1 and doc[m.start].is_digit)


# --------------------------------------------------------------------------- one kind per name

_Clustered = list[tuple[EntityCluster, list[_Mention]]]


def one_kind_per_name(
    doc: Doc, people: _Clustered, orgs: _Clustered, lex: Lexicon
) -> tuple[_Clustered, _Clustered]:
    """Where the model called one name a person in one place and an organisation in another,
    the article's fuller use decides.

    An organisation whose form is a person's full name in the article ("Dana Whitcombe" tagged
    ORG once), or one word that is a fully named person's surname or given name ("Whitcombe",
    "Dana") after the full name first appeared, is that person. A bare one-word "person" with
    no full name whose word names an organisation of the article ("Brannock" beside "Brannock
    Energy") is that organisation. Known organisations and parties stay as they are.
    """
    full_names: dict[str, int] = {}
    name_parts: dict[str, set[int]] = {}
    for k, (c, _) in enumerate(people):
        for alias in c.aliases:
            parts = _name_parts(alias.split())
            if len(parts) > 1:
                full_names.setdefault(fold(alias), k)
                for part in (parts[0], parts[-1]):
                    name_parts.setdefault(part, set()).add(k)
    moved: dict[int, list[tuple[EntityCluster, list[_Mention]]]] = {}
    kept_orgs: _Clustered = []
    for c, mentions in orgs:
        target = None
        if c.name not in lex.orgs_known and not any(m.party for m in mentions):
            texts = {fold(t.removeprefix("the ")) for t in c.aliases}
            named = {full_names[t] for t in texts if t in full_names}
            if len(named) == 1:
                target = named.pop()
            elif all(" " not in t for t in texts):
                owners = set().union(*(name_parts.get(t, set()) for t in texts))
                # A company named after its founder ("Ford") is named before him; a person is
                # introduced by the full name, then called by one of its words.
                if len(owners) == 1 and people[k := owners.pop()][0].spans[0] < c.spans[0]:
                    target = k
        if target is None:
            kept_orgs.append((c, mentions))
        else:
            moved.setdefault(target, []).append((c, mentions))
    org_words: dict[str, int] = {}
    for k, (c, _) in enumerate(kept_orgs):
        for alias in c.aliases:
            words = alias.removeprefix("the ").split()
            if words and not is_acronym(words[0]):
                org_words.setdefault(fold(words[0]), k)
    kept_people: _Clustered = []
    for k, (c, mentions) in enumerate(people):
        for org, org_mentions in moved.get(k, ()):
            c.aliases |= org.aliases
            c.spans = sorted(set(c.spans) | set(org.spans))
            mentions = mentions + [_Mention(m.start, m.end, "PERSON", m.titled) for m in org_mentions]
        bare = all(len(_name_parts(a.split())) == 1 for a in c.aliases)
        owner = {org_words[w] for w in (fold(a) for a in c.aliases) if w in org_words}
        if bare and len(owner) == 1 and not any(m.titled for m in mentions):
            org, org_mentions = kept_orgs[owner.pop()]
            org.aliases |= c.aliases
            org.spans = sorted(set(org.spans) | set(c.spans))
            org_mentions.extend(_Mention(m.start, m.end, "ORG") for m in mentions)
            continue
        kept_people.append((c, mentions))
    return kept_people, kept_orgs

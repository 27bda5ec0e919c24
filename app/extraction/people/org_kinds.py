"""Organisation decisions: an ORG candidate split into its names, cut at its edges, and taken
as an organisation, a person swallowed by it, or neither (a title, a product, a place)."""

from __future__ import annotations

from collections import Counter

from app.extraction.countries import lookup as country_lookup
from app.extraction.countries import lookup_entry
from app.extraction.people.lexicon import (
    ACRONYM_SKIP,
    CHAIN_JOINERS,
    CORPORATE_SUFFIXES,
    PERSON_VERBS,
    PERSONAL_HONORIFICS,
    PLACE_HEADS,
    PLACE_KINDS,
    POSSESSIVE,
    _cap,
    _model_code,
    _with_common_nouns,
    fold,
    is_acronym,
    name_word,
)
from app.extraction.people.mentions import _Mention
from app.extraction.people.spans import (
    _after_legal_suffix,
    _leading_country,
    _strip_flight,
    _strip_org,
)
from app.extraction.people.things import _Things


class _OrgKinds(_Things):
    """Decide each organisation candidate's kind and record it as a mention."""

    def _org(self, start: int, end: int, surnames: set[str]) -> None:
        for s, e in self._org_parts(start, end):
            self._org_part(s, e, surnames)

    def _org_parts(self, start: int, end: int) -> list[tuple[int, int]]:
        """Split an ORG span that holds two names.

        An acronym in brackets is an alias, never part of the name ("the Union of Free Farmers
        (UFF" or tokenised "( UFF )"), and an agency in brackets after a dateline is the
        agency only ("LONDON (Reuters"); "X at Y University" is a school at a university;
        "Harbour Post-KTV News" (no spaces round the hyphen, two words or more before it) is a
        poll's two partners, and so are names joined by slashes ("Harbour Post/KTV News/Marlow
        College"), as are a photo's credits ("Handout/Vetra Images").
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
        slashes = [k for k in range(start + 1, end - 1) if doc[k].text == "/"]
        if slashes:
            parts = list(zip([start] + [k + 1 for k in slashes], slashes + [end], strict=True))
            if all(not doc[k - 1].whitespace_ and not doc[k].whitespace_ for k in slashes) and all(
                doc[s].is_alpha and _cap(doc[s].text) for s, _ in parts
            ):
                return parts
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
                fold(words[-2]) in lex.given_names_wide
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
                    fold(words[0]) in lex.given_names_wide
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
                fold(first) in self.lex.given_names_wide
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

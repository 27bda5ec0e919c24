"""Candidate spans: the model's PERSON and ORG entities, cut or extended where the model
erred at their edges, and names the model missed that the grammar or an organisation's head
word shows (recoveries)."""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from app.extraction.countries import lookup as country_lookup
from app.extraction.people.lexicon import (
    CHAIN_JOINERS,
    DETERMINERS,
    LEGAL_SUFFIXES,
    PERSON_VERBS,
    PLACE_HEADS,
    POSSESSIVE,
    PRONOUNS,
    _cap,
    _chain_word,
    _member_title,
    fold,
    is_acronym,
    name_word,
)
from app.extraction.people.mentions import _Mention, _State

# A site's name: a capitalised word (inner capitals allowed) and a common top-level domain;
# the domain is no part of the organisation's key ("CBC.ca" is "CBC").
_SITE_NAME = re.compile(r"[A-Z][A-Za-z0-9-]+\.(?:com|org|net|co\.uk|ca)")


# Prepositions that only a title-case line capitalises inside it.
_HEADLINE_SMALL_WORDS = frozenset({"on", "in", "to", "for", "with", "at", "by", "from", "over", "into"})


# Labels of the model's entities that a person's name can be mistaken for.
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


class _Candidates(_State):
    """The passes that find and reshape candidate spans before any kind decision."""

    def _coordinated_with_orgs(self, person_ents: list[Span], org_ents: list[Span]) -> list[Span]:
        """ "Nordvik Games and Vetra", "Halden Films, and Buena Costa": a name the model calls a
        person, joined by "and" or a comma to an organisation's name, is one too, unless it
        opens with a given name or follows a title or honorific."""
        doc, lex = self.doc, self.lex
        if not self.parsed or not org_ents:
            return []
        in_orgs = {i for span in org_ents for i in range(span.start, span.end)}
        out = []
        for ent in person_ents:
            head = ent.root
            linked = (head.dep_ == "conj" and head.head.i in in_orgs) or any(
                c.dep_ == "conj" and c.i in in_orgs for c in head.children
            )
            after = doc[ent.end].lower_ if ent.end < len(doc) else ""
            if (
                linked
                and after not in ("of", "from", "(")  # "... of DAB and Ann Ho of the NPP": members
                and not any(t.text == "-" and t.nbor().is_lower for t in ent[:-1])  # "Lau Siu-lai"
                and fold(ent[0].text) not in lex.given_names
                and not (ent.start > 0 and (lex.is_title_word(doc[ent.start - 1].text)))
                and not (ent.start > 0 and doc[ent.start - 1].lower_.rstrip(".") in lex.honorifics)
            ):
                out.append(ent)
        return out

    def _in_headlines(self, org_ents: list[Span], person_ents: list[Span]) -> tuple[list[Span], list[Span]]:
        """In a line written in title case ("Alma Verhoeven Slams Budget Plan In Fiery Speech")
        capitals say nothing about names: an entity there is cut to the longest start of it that
        the article names outside such lines ("Alma Verhoeven"), or dropped."""
        doc = self.doc
        heads = self._headline_tokens()
        if not heads:
            return org_ents, person_ents
        outside = {
            fold(ent.text) for ent in doc.ents if ent.start not in heads and ent.label_ in ("PERSON", "ORG")
        }

        def cut(spans: list[Span]) -> list[Span]:
            out = []
            for span in spans:
                if span.start not in heads:
                    out.append(span)
                    continue
                start = span.start + 1 if span[0].lower_ in DETERMINERS else span.start
                for end in range(span.end, start, -1):
                    if fold(doc[start:end].text) in outside:
                        out.append(doc[start:end])
                        break
            return out

        return cut(org_ents), cut(person_ents)

    def _headline_tokens(self) -> set[int]:
        """Tokens of lines in title case: three or more words of four letters or more, all
        capitalised, one of them (not the first) a verb, noun or adjective, not a name."""
        doc = self.doc
        out: set[int] = set()
        line: list[Token] = []
        for tok in [*doc, None]:
            if tok is not None and not (tok.is_space and "\n" in tok.text):
                line.append(tok)
                continue
            long = [t for t in line if t.is_alpha and len(t.text) >= 4]
            if (
                len(long) >= 3
                and all(_cap(t.text) for t in long)
                and (
                    any(t.pos_ in ("VERB", "NOUN", "ADJ", "ADV") for t in long[1:])
                    # "Ann Ho Scores Direct Hit On Rival": a capitalised preposition inside a
                    # line, which prose and names write in lower case
                    or any(t.lower_ in _HEADLINE_SMALL_WORDS and t.text != t.lower_ for t in line[1:])
                )
            ):
                out.update(t.i for t in line)
            line = []
        return out

    def _in_party(self, span: Span) -> bool:
        """Whether a model's entity is a party form the matcher found, give or take "the",
        a possessive or a member noun after it ("the Tories", "Labour's", "Labour MPs")."""
        if not self.in_party:
            return False
        inside = [t for t in span if t.i in self.in_party]
        if not inside:
            return False
        return all(
            t.i in self.in_party
            or t.lower_ in DETERMINERS
            or t.is_punct
            or t.text in POSSESSIVE
            or _member_title(t)
            for t in span
        )

    def _split_at_the(self, span: Span) -> list[Span]:
        """ "According to Harlan the Western Trust ...": an ORG span that starts with a name the
        article gives a person and then "the" is that person and, after "the", the organisation."""
        for k in range(span.start + 1, min(span.start + 3, span.end - 1)):
            if self.doc[k].text != "the":
                continue
            left = self.doc[span.start : k]
            if all(_cap(t.text) and fold(t.text) in self._person_words() for t in left):
                self.people.append(_Mention(left.start, left.end, "PERSON"))
                return [self.doc[k + 1 : span.end]]
        return [span]

    def _extend_org(self, span: Span) -> Span:
        """Take back the rest of a name the model cut short: "the Joint Council" + "for the
        Welfare of Migrants", "the United Nations" + "High Commissioner for Refugees".

        Capitalised words the model left untagged, then "for"/"of"/"on", an optional "the"
        and more capitalised words (joined by "of"/"and"), up to the first other word.
        """
        doc = self.doc
        if span.label_ not in ("ORG", "") or not self.tagged:
            return span
        j, n = span.end, len(doc)
        if j < n and fold(doc[j].text) in LEGAL_SUFFIXES and not doc[j].ent_type_:
            return doc[span.start : j + 1]  # "Chrysler" + "LLC"
        if (
            j < n
            and doc[j].is_digit
            and len(doc[j].text) <= 4
            and not (len(doc[j].text) == 4 and doc[j].text[:2] in ("19", "20"))
            and not doc[j - 1].is_digit
            and _cap(span.text)
            and (j + 1 >= n or doc[j + 1].pos_ not in ("NOUN", "NUM", "SYM") and doc[j + 1].text != "%")
        ):
            return doc[span.start : j + 1]  # "Radio" + "4", "Local" + "1520": a number in the name

        def free_cap(i: int) -> bool:
            return i < n and doc[i].is_alpha and _cap(doc[i].text) and not doc[i].ent_type_

        while free_cap(j) and j - span.end < 3:
            j += 1
        if j >= n or doc[j].lower_ not in ("for", "of", "on") or doc[j].ent_type_:
            return span
        k = j + 1
        if k < n and doc[k].lower_ == "the" and not doc[k].ent_type_:
            k += 1
        if not free_cap(k) or doc[k].pos_ not in ("PROPN", "NOUN"):
            return span
        end = k + 1
        while end < n:
            if free_cap(end):
                end += 1
            elif doc[end].lower_ in ("of", "and") and end + 1 < n and free_cap(end + 1):
                end += 2
            else:
                break
        if end < n and doc[end].text == "-":
            return span  # "... for the Welfare of Arab-" : a hyphenated word the model split
        return doc[span.start : end]

    def _through_and(self, span: Span) -> Span:
        """ "the Union of Free Farmers" + "and Growers (UFFG)": a name the model cut at "and" runs
        on to the acronym in brackets that follows it."""
        doc = self.doc
        j, n = span.end, len(doc)
        if span.label_ != "ORG" or j + 4 >= n or doc[j].lower_ != "and":
            return span
        k = j + 1
        while k < n and k - j <= 3 and doc[k].is_alpha and _cap(doc[k].text):
            k += 1
        if k == j + 1 or k + 2 >= n or doc[k].text != "(" or doc[k + 2].text != ")":
            return span
        return doc[span.start : k] if is_acronym(doc[k + 1].text) else span

    def _acronyms_after_people(self, person_ents: list[Span], org_ents: list[Span]) -> list[Span]:
        """ "Ann Ho of the FCU", "Eddie Lam from NDP", "Ann Ho at KBX": an acronym after a
        person's name and "of"/"from"/"at" is the body they belong to, whatever the model called it."""
        doc = self.doc
        claimed = {i for span in org_ents for i in range(span.start, span.end)}
        out = []
        for ent in person_ents:
            k = ent.end
            if k + 1 >= len(doc) or doc[k].lower_ not in ("of", "from", "at"):
                continue
            k += 1
            if doc[k].lower_ == "the" and k + 1 < len(doc):
                k += 1
            tok = doc[k]
            if (
                k not in claimed
                and is_acronym(tok.text)
                and tok.text.isalpha()
                and tok.ent_type_ not in ("PERSON", "GPE", "LOC")
                and country_lookup(tok.text) is None
                and fold(tok.text) not in self.lex.orgs_not
                and not self.lex.is_title_word(tok.text)
            ):
                out.append(doc[k : k + 1])
        return out

    def _site_names(self, org_ents: list[Span]) -> list[Span]:
        """ "GunTrader.com", "Vetra.org": a capitalised web domain in no entity names the site's
        organisation (addresses with a path or "www." are links, not names)."""
        doc = self.doc
        claimed = {i for span in org_ents for i in range(span.start, span.end)}
        out = []
        for i in [k for k, v in enumerate(doc.to_array("LIKE_URL").tolist()) if v]:
            tok = doc[i]
            if i not in claimed and tok.ent_type_ not in ("PERSON", "ORG") and _SITE_NAME.fullmatch(tok.text):
                out.append(doc[i : i + 1])
        return out

    def _headed_chains(self, org_ents: list[Span]) -> list[Span]:
        """Capitalised names ending in an organisation's head word that the model left untagged.

        "the Deseret News", "the Saudi Interior Ministry", "Toronto Star": two or more
        capitalised words (small joining words such as "of" allowed inside) whose last word is
        an organisation head ("News", "Ministry", "Star") and that no entity covers.
        """
        doc, lex = self.doc, self.lex
        if not self.tagged:
            return []
        claimed = {i for span in org_ents for i in range(span.start, span.end)}
        out: list[Span] = []
        i, n = 0, len(doc)
        while i < n:
            if not _chain_word(doc[i]):
                i += 1
                continue
            j = i
            while j < n and (
                _chain_word(doc[j])
                or (doc[j].lower_ in CHAIN_JOINERS and j + 1 < n and _chain_word(doc[j + 1]) and j > i)
            ):
                j += 1
            start = i + 1 if doc[i].lower_ in DETERMINERS else i
            i = j
            if j - start < 2 or doc[j - 1].lower_ not in lex.org_heads:
                continue
            if any(t.ent_type_ in ("PERSON", "ORG") or t.i in claimed for t in doc[start:j]):
                continue
            if all(lex.is_title_word(t.text) or t.lower_ in lex.org_heads for t in doc[start:j]):
                continue  # "Chief Executive Officer", "Foreign Office" alone is kept only if known
            out.append(doc[start:j])
        return out

    def _described_orgs(self, org_ents: list[Span]) -> list[Span]:
        """Names the text itself calls an organisation, whatever the model tagged them.

        A capitalised name tied by the parse to a noun of an organisation's kind: "Vetra, a
        Danish shipping company" and "its European division, Vetra" (apposition), "the rail
        union Vetra" (the noun as a compound before the name).
        """
        doc, lex = self.doc, self.lex
        if not self.parsed:
            return []
        claimed = {i for span in org_ents for i in range(span.start, span.end)}
        out: list[Span] = []
        kinds = {doc.vocab.strings.add(w) for w in lex.org_kinds}
        # Integer attributes read in one call: far cheaper than a Token per word.
        for i in [k for k, v in enumerate(doc.to_array("LOWER").tolist()) if v in kinds]:
            tok = doc[i]
            if tok.pos_ != "NOUN":
                continue
            if tok.dep_ == "appos" and tok.head.i < tok.i:
                name = tok.head  # "Vetra, a Danish shipping company"
            elif tok.dep_ == "compound" and tok.head.i == tok.i + 1:
                name = tok.head  # "the rail union Vetra"
            elif (
                tok.i > 0
                and doc[tok.i - 1].dep_ == "compound"
                and doc[tok.i - 1].head.i == tok.i
                and doc[tok.i - 1].ent_type_ not in ("PERSON", "NORP")
                and doc[tok.i - 1].pos_ == "PROPN"
                and _cap(doc[tok.i - 1].text)
                and not any(c.dep_ == "appos" for c in tok.children)
            ):
                name = doc[tok.i - 1]  # "Mexico's Vetra network", "the Vetra group"
            else:
                kids = [c for c in tok.children if c.dep_ == "appos" and c.i > tok.i]
                if not kids:
                    continue
                name = kids[0]  # "its European division, Vetra"
            span = self._name_run(name)
            if span is None or any(i in claimed for i in range(span.start, span.end)):
                continue
            claimed.update(range(span.start, span.end))
            out.append(span)
        return out

    def _employers_before_titles(self, org_ents: list[Span], person_ents: list[Span]) -> list[Span]:
        """ "Vetra co-founder Ann Ho", "Nord Vetra Group head trader, Ann Ho": an untagged
        capitalised name right before an office that stands right before a person's name (a
        comma between them allowed) is the organisation they work for. One word alone counts
        only before a company office ("co-founder"), two or more before any title."""
        doc, lex = self.doc, self.lex
        if not self.tagged:
            return []
        claimed = {i for span in org_ents for i in range(span.start, span.end)}
        out: list[Span] = []
        for ent in person_ents:
            stop = ent.start - 1 if ent.start > 0 and doc[ent.start - 1].text == "," else ent.start
            j = stop
            while j > 0 and (lex.is_title_word(doc[j - 1].text) or doc[j - 1].text == "-"):
                j -= 1
            title = " ".join(t.lower_ for t in doc[j:stop]).replace(" - ", "-")
            if j == stop or not any(lex.is_title_head(t.text) for t in doc[j:stop]):
                continue
            start = j
            while (
                start > 0
                and doc[start - 1].is_alpha
                and _cap(doc[start - 1].text)
                and doc[start - 1].pos_ in ("PROPN", "NOUN")
                and not doc[start - 1].ent_type_
                and start - 1 not in claimed
                and j - start < 3
            ):
                start -= 1
                if doc[start].is_sent_start:
                    break
            span = doc[start:j]
            if start > 0 and (start - 1 in claimed or doc[start - 1].ent_type_):
                continue  # "Pentagon Acquisition Director X": a department inside a named body
            if len(span) and span[0].is_sent_start and not self._capitalised_inside(span[0]):
                continue  # "Longtime chairman X": a sentence's first word needs to be a name elsewhere
            if (
                not len(span)
                or (len(span) == 1 and not lex.is_corporate_title(title))
                or country_lookup(span.text)
                or any(lex.is_title_word(t.text) or t.lower_ in lex.org_kinds for t in span)
                or fold(span.text) in lex.orgs_not
            ):
                continue
            out.append(span)
        return out

    def _name_run(self, tok: Token) -> Span | None:
        """The capitalised name around `tok` ("Vetra", "Nord Vetra"), or None when it is not one
        that can name an organisation (a place, a title, a pronoun, a lower-case word)."""
        doc, lex = self.doc, self.lex
        if not (tok.is_alpha and _cap(tok.text) and tok.pos_ == "PROPN"):
            return None
        if tok.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY"):
            return None  # a place the gazetteer knows is turned away below
        ent = self._ent_at(tok.i) if tok.ent_type_ else None
        if ent is not None:
            start, end = ent.start, ent.end
        else:
            start, end = tok.i, tok.i + 1
            while start > 0 and doc[start - 1].pos_ == "PROPN" and _cap(doc[start - 1].text):
                if doc[start - 1].ent_type_ or doc[start - 1].is_sent_start:
                    break
                start -= 1
        span = doc[start:end]
        if any(lex.is_title_word(t.text) or t.lower_ in PRONOUNS for t in span):
            return None
        if country_lookup(span.text) or fold(span.text) in lex.orgs_not:
            return None
        return span

    def _untagged_people(self) -> list[Span]:
        """Full names the model left untagged or called a place, where the sentence shows a
        person.

        "Jean-Claude Trichet, the European Central Bank president, warned": two to four
        capitalised proper nouns in no entity, with a title in apposition ("X, the ...
        president,"), a title right before them ("union Secretary-Treasurer Ann Ho said"), or
        doing what only people do ("X warned", "X said"). A name opening with a given name
        that the model called a place ("says Vetra Bank's Simon Harrowgate", tagged GPE) is
        a person too.
        """
        doc, lex = self.doc, self.lex
        if not self.parsed:
            return []

        def word(tok: Token) -> bool:
            if tok.ent_type_ and tok.ent_type_ not in _PLACE_LABELS and tok.ent_type_ != "WORK_OF_ART":
                return False
            if tok.is_alpha:
                return tok.is_title and tok.pos_ == "PROPN"
            # "Rita O'Hara", the surname tagged a common noun for its apostrophe.
            return name_word(tok.text) and tok.pos_ in ("PROPN", "NOUN")

        tails = {
            fold(ent[k:].text) for ent in doc.ents if ent.label_ == "PERSON" for k in range(1, len(ent) - 1)
        }
        out: list[Span] = []
        i, n = 0, len(doc)
        while i < n:
            if not word(doc[i]):
                i += 1
                continue
            j = i + 1
            while j < n and (
                word(doc[j]) or (doc[j].text == "-" and not doc[j - 1].whitespace_ and not doc[j].whitespace_)
            ):
                j += 1
            while j > i and not word(doc[j - 1]):
                j -= 1
            start, end = i, j
            i = max(j, i + 1)
            after_title = start > 0 and lex.is_title_head(doc[start - 1].text)
            while start < end and (lex.is_title_word(doc[start].text) or doc[start].text == "-"):
                after_title = after_title or lex.is_title_head(doc[start].text)
                start += 1  # "Secretary-Treasurer Ann Ho": the office, then the name
            cut = max((k for k in range(start, end) if lex.is_title_head(doc[k].text)), default=None)
            if cut is not None and end - cut - 1 >= 2 and fold(doc[cut + 1].text) in lex.given_names_wide:
                start, after_title = cut + 1, True  # "Harbor City Mayor Ann Ho": a place, the office
            words = [t for t in doc[start:end] if t.text != "-"]
            if not 2 <= len(words) <= 4:
                continue
            given = fold(words[0].text) in lex.given_names_wide
            head = doc[end - 1]
            # "Jon Holt, the state's treasurer, ... Holt said": the surname speaks alone.
            alone = self._speaks_alone(head.text, start, end) and self._name_opener(doc[start])
            if (
                any(t.ent_type_ and t.ent_type_ != "WORK_OF_ART" for t in words)
                and not (given and all(t.ent_type_ for t in words) and doc[start].ent_iob_ == "B")
                and not alone
            ):
                continue  # a place's name, unless the model's whole entity opens with a given name
            if any(t.ent_type_ == "WORK_OF_ART" for t in words) and (
                fold(doc[start:end].text) in tails or not (given or alone)
            ):
                # "Da Costa said" after "Ana Da Costa": a known name's surname; a
                # title the model read as a work ("Dump Holt") takes a given name or evidence.
                continue
            if head.head.i in range(start, end) and head.head.i != head.i:
                continue  # the name's last word must head it
            last = doc[end - 1].lower_
            if last in lex.org_heads or last in PLACE_HEADS or any(lex.is_title_word(t.text) for t in words):
                continue
            if country_lookup(doc[start:end].text) or any(country_lookup(t.text) for t in words):
                continue
            titled = any(c.dep_ == "appos" and lex.is_title_head(c.text) and c.i > end for c in head.children)
            speaks = (head.dep_ == "nsubj" and head.head.lower_ in PERSON_VERBS) or alone
            if titled or speaks or (after_title and given):
                out.append(doc[start:end])
        return out

"""Names of things: whether a candidate names a product, contest, tax or field (by the noun
it modifies or the noun the article describes it as), not a person or an organisation."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc, Token

from app.extraction.people.lexicon import (
    Lexicon,
    _cap,
    fold,
)
from app.extraction.people.mentions import _Mention, _State

# Small words inside the title of a work or contest ("the House to Home Prize").
_TITLE_JOINERS = frozenset({"to", "of", "for", "and", "the", "on", "in"})
# Named things whose nouns also end the names of shops and clubs ("Marshall Field's").
_PLACE_THINGS = frozenset({"field", "fields", "course"})
# Forms of "be" (the pipeline runs without a lemmatiser).
_COPULAS = frozenset({"is", "are", "was", "were", "be", "been", "being", "'s", "\u2019s"})


class _Things(_State):
    """The thing tests the person and organisation decisions share."""

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

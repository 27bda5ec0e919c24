"""Statements reported in other forms than a verb's content clause: the infinitive of a verb
of commitment, the noun-phrase or gerund object of a verb whose object is the message, a
statement noun's clause, "as X noted, ..." and "..., as X noted", "A, X told a panel" that the
parse joined as a second clause, a title-case headline "X Says ...". Each reads the
parse and hands its content range to `ReportedSpeech`'s clause reading (see reported.py)."""

from __future__ import annotations

from spacy.tokens import Token

from app.extraction.quotes.docindex import Found, IndexView
from app.extraction.quotes.lexicon import CueLexicon
from app.extraction.quotes.salience import VERBS, Salience
from app.extraction.quotes.speakers import Speakers

# Support verbs: their subject is the one who makes the statement their object names.
_SUPPORT = {"make", "made", "makes", "making", "issue", "issued", "issues", "issuing", "repeat", "repeated"}
_HEADLINE_ADVERBS = {"just", "also", "now", "finally", "again"}  # 'Holt Just Said ...'


class StatementForms(IndexView):
    """The statement forms of `ReportedSpeech` beyond content clauses (a base class of it)."""

    cues: CueLexicon
    speakers: Speakers
    sal: Salience

    def _clauses(self, verb: Token, head: Token, hi: int | None = None, lo: int | None = None) -> list[Found]:
        raise NotImplementedError

    def _as_found(self, lo: int, hi: int, cue: Token) -> Found:
        raise NotImplementedError

    @staticmethod
    def _misread_that(clause: Token, verb: Token) -> bool:
        """'said in a speech that she is unqualified': the parse may hang the content clause on the
        noun as a relative clause while still reading its "that" as a complementiser (a "mark",
        where a relative "that" fills the clause's subject or object: 'a speech that she gave').
        It is the statement when the reporting verb has no content clause of its own."""
        that = clause.doc[clause.left_edge.i]
        return (
            that.lower_ == "that"
            and that.dep_ == "mark"
            and that.head.i == clause.i
            and any(c.dep_ in ("nsubj", "nsubjpass") for c in clause.children)
            and not any(c.dep_ == "ccomp" for c in verb.children)
        )

    def _commitment(self, verb: Token) -> list[Found]:
        """'X vowed to repeal the law': the infinitive after a verb of commitment is what X
        committed to, "to" included."""
        out: list[Found] = []
        for c in verb.children:
            to = any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
            if c.dep_ == "xcomp" and c.i > verb.i and to:
                out.extend(self._clauses(verb, c))
        return out

    def _gerund(self, verb: Token) -> list[Found]:
        """'suggested boycotting the firm': the gerund clause after a verb that takes one as its
        object is the content, when the verb has no content clause of its own."""
        if verb.lower_ not in self.cues.gerund or any(c.dep_ == "ccomp" for c in verb.children):
            return []
        out: list[Found] = []
        for c in verb.children:
            if c.dep_ == "xcomp" and c.tag_ == "VBG" and c.i > verb.i and c.left_edge.i == c.i:
                out.extend(self._clauses(verb, c))
        return out

    def _message_object(self, verb: Token) -> list[Found]:
        """'X predicted a narrow win': the common-noun object of a verb whose object is the
        message, when the verb has no clause of its own to report. Only a finite or perfect verb
        states: a participle's object is more often a thing the act went with ('..., tweeting
        a photo') or a clause the parse cut short."""
        finite = verb.tag_ in ("VBD", "VBZ", "VBP") or (
            verb.tag_ == "VBN" and any(c.dep_ == "aux" for c in verb.children)
        )
        if not finite or any(c.dep_ in ("ccomp", "xcomp", "auxpass") for c in verb.children):
            return []
        out: list[Found] = []
        for c in verb.children:
            if c.dep_ == "dobj" and c.pos_ == "NOUN" and c.i > verb.i:
                out.extend(self._clauses(verb, c))
        return out

    def _warned_of(self, verb: Token) -> list[Found]:
        """'X warned against a brokered convention', 'X warned of the risks of a trade war': the
        noun after "against" or "of" right after a finite "warn" is the warning's message."""
        finite = verb.tag_ in ("VBD", "VBZ", "VBP") or (
            verb.tag_ == "VBN" and any(c.dep_ == "aux" for c in verb.children)
        )
        if not finite or any(c.dep_ in ("ccomp", "xcomp", "dobj", "auxpass") for c in verb.children):
            return []
        out: list[Found] = []
        for c in verb.children:
            if c.dep_ == "prep" and c.lower_ in ("against", "of") and c.i == verb.i + 1:
                for g in c.children:
                    if g.dep_ == "pobj" and g.pos_ == "NOUN":
                        out.extend(self._clauses(verb, g))
        return out

    def _nominal(self, noun: Token) -> list[Found]:
        """'Holt's claim that the vote was rigged', 'Holt's promise to cut taxes': the "that" or
        "to" clause of a noun of statement is what its owner said. The owner is a named
        possessor, or the subject of a support verb the noun is the object of ('Holt made
        promises to ...', not 'whether Holt would honor a pledge to ...')."""
        owner: str | None = None
        for c in noun.children:
            if c.dep_ == "poss" and c.pos_ == "PROPN":
                owner = self.speakers.person_of(c) or self.sal.trailing_name(c)
        if owner is None and noun.dep_ == "dobj" and noun.head.lower_ in _SUPPORT:
            owner = self.speakers.speaker_of(noun.head)
        if owner is None:
            return []
        out: list[Found] = []
        for g in noun.rights:
            that = any(m.dep_ == "mark" and m.lower_ == "that" for m in g.children)
            to = any(a.dep_ == "aux" and a.lower_ == "to" for a in g.children)
            if g.dep_ == "acl" and (that or to):
                for f in self._clauses(noun, g):
                    f.speaker = owner
                    out.append(f)
        return out

    def _as_aside(self, verb: Token) -> list[Found]:
        """'As Holt noted, the vote was close': a reporting clause opened by "as" and set off by
        a comma reports the clause it modifies, from the comma on; closing it ('the vote was
        close, as Holt noted'), up to the comma."""
        doc = self.doc
        head = verb.head
        if verb.dep_ != "advcl" or head.i == verb.i or head.pos_ not in VERBS:
            return []
        if not any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children):
            return []
        if not any(c.dep_ == "nsubj" for c in verb.children) or any(c.dep_ == "ccomp" for c in verb.children):
            return []
        if head.i < verb.i:
            return self._closing_as(verb, head)
        comma = verb.right_edge.i  # the parse may hang the comma on the verb or leave it out
        if doc[comma].text != ",":
            comma += 1
        if comma >= head.i or doc[comma].text != ",":
            return []
        lo, hi = self.idx.clip(comma + 1, head.right_edge.i, verb)
        if hi - lo < 2 or self.quote_of[self.next_word[lo]] >= 0:
            return []
        return [self._as_found(lo, hi, verb)]

    def _joined_after_content(self, verb: Token) -> list[Found]:
        """'A, Holt told a Senate panel Wednesday.': the parse joined the reporting verb, its
        subject after a comma, to the content's verb as a second clause; a verb closing its
        sentence without a clause of its own reports the clause before the comma."""
        doc = self.doc
        head = verb.head
        if verb.dep_ != "conj" or head.i > verb.i or self.quote_of[head.i] >= 0:
            return []
        if any(c.dep_ in ("ccomp", "xcomp", "cc") for c in verb.children):
            return []
        subj = next((c for c in verb.children if c.dep_ == "nsubj" and c.i < verb.i), None)
        if subj is None or subj.pos_ != "PROPN" or subj.left_edge.i <= head.i:
            return []
        comma = subj.left_edge.i - 1
        if doc[comma].text != "," or any(c.dep_ == "cc" and c.i < verb.i for c in head.children):
            return []  # 'A and Holt said B' is two clauses
        sent_end = (
            self.sent_starts[self.sent_of[verb.i] + 1] - 1
            if self.sent_of[verb.i] + 1 < len(self.sent_starts)
            else len(doc) - 1
        )
        if any(not t.is_punct for t in doc[verb.right_edge.i + 1 : sent_end + 1]):
            return []
        lo, hi = self.idx.clip(head.left_edge.i, comma - 1, verb)
        if hi - lo < 3 or self.quote_of[self.next_word[lo]] >= 0:
            return []  # '"...," Holt told the paper': direct speech, read elsewhere
        return [self._as_found(lo, hi, verb)]

    def _closing_as(self, verb: Token, head: Token) -> list[Found]:
        """'The figures changed, as Holt has acknowledged.': the "as" clause, after a comma,
        ends the clause it modifies; that clause is what was said."""
        doc = self.doc
        comma = verb.left_edge.i - 1
        if comma <= head.left_edge.i or doc[comma].text != "," or doc[comma + 1].lower_ != "as":
            return []
        after = doc[verb.right_edge.i + 1 : head.right_edge.i + 1]
        if any(not t.is_punct for t in after) or any(t.text == "?" for t in after):
            return []  # the clause goes on after the aside, or asks ('Is A, as Holt declared?')
        top = head  # 'It does not help that A, as Holt noted': the parse may hang it inside A
        while top.head.i != top.i and not any(
            not t.is_punct for t in doc[verb.right_edge.i + 1 : top.head.right_edge.i + 1]
        ):
            top = top.head
        lo, hi = self.idx.clip(top.left_edge.i, comma - 1, verb)
        if hi - lo < 2 or self.quote_of[self.next_word[lo]] >= 0:
            return []
        return [self._as_found(lo, hi, verb)]

    @staticmethod
    def _verb_of_speech(t: Token) -> bool:
        """A reporting cue used as a verb; the tagger may take a verb with an "-s" for a plural
        noun ('Holt predicts that ...'), which its subject and clause show it is not."""
        if t.pos_ in VERBS:
            return True
        deps = {c.dep_ for c in t.children}
        return t.pos_ == "NOUN" and "nsubj" in deps and "ccomp" in deps

    def _headline(self) -> list[Found]:
        """'Holt Says Tax Plan Will Pass': a title-case first line naming a person, then a
        reporting verb (perhaps after "Just" or "Also"), then what was said, to the line's end.
        Headline style caps every word, which the tagger and parser read poorly."""
        doc = self.doc
        end = (self.para_first[1] if len(self.para_first) > 1 else len(doc)) - 1
        words = [t for t in doc[: end + 1] if t.is_alpha]
        if len(words) < 4 or sum(t.text[0].isupper() for t in words) < 0.8 * len(words):
            return []
        for t in doc[1 : end + 1]:
            if t.lower_ not in self.cues.reporting or not t.text[0].isupper() or self.quote_of[t.i] >= 0:
                continue
            j = t.i - 1
            while j > 0 and doc[j].lower_ in _HEADLINE_ADVERBS:
                j -= 1
            name = self.sal.name_at(doc[j])
            lo, hi = self.idx.trim(t.i + 1, end)
            if name is None or hi - lo < 2 or self.quote_of[lo] >= 0:
                return []
            f = self._as_found(lo, hi, t)
            f.speaker = name
            return [f]
        return []

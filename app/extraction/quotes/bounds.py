"""Where reported content ends: the speaker's next act ("said A and predicted B", "said A but
refused B"), another person's report joined on, the narrator's own clause (", and he railed
against B"), a trailing contrast (", even though B") or aside (", citing B"), and a clause the
parse hung on the reporting verb that still belongs to what was said. A base class of
`ReportedSpeech` (reported.py), which finds the content these cut."""

from __future__ import annotations

import bisect

from spacy.tokens import Token

from app.extraction.quotes.lexicon import CueLexicon
from app.extraction.quotes.salience import VERBS
from app.extraction.quotes.speakers import Speakers
from app.extraction.quotes.statements import StatementForms

# Words opening a trailing contrast set off by a comma: ", even though ...", ", despite ...".
_CONTRAST = {"although", "though", "whereas", "despite", "without", "unlike"}
_EVEN = {"though", "as", "if"}  # ", even though ...", ", even as ...", ", even if ..."
# Nouns naming a speech act: ", an acknowledgment that ...", "— a play on ...", "a reference to"
# set after what was said characterise the statement; that is the narrator's gloss.
_GLOSS = frozenset(
    "acknowledgment acknowledgement admission concession reference allusion play nod swipe jab "
    "dig jibe gibe rebuke reversal echo retort rejoinder remark assertion claim boast warning "
    "threat".split()
)
_GLOSS_MARKS = {",", "--", "\u2014", "\u2013", "-"}
FINITE = {"VBD", "VBZ", "VBP", "MD"}  # ", as was the case ...", ", as have others"


def _tense(verb: Token) -> str:
    """ "past", "present" or "modal", from the verb's first auxiliary or its own tag."""
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass") and c.i < verb.i]
    tag = auxes[0].tag_ if auxes else verb.tag_
    if tag == "MD":
        return "modal"
    return "past" if tag in ("VBD", "VBN") else "present"


class ContentBounds(StatementForms):
    """The end of reported content in one Doc; the places it may end are found once."""

    def __init__(self, speakers: Speakers, cues: CueLexicon) -> None:
        super().__init__(speakers.idx)
        self.speakers = speakers
        self.sal = speakers.sal
        self.cues = cues
        self.aside_at = [
            t.i for t in self.doc if t.lower_ in cues.aside and t.dep_ in ("advcl", "conj", "xcomp")
        ]
        self.contrast_at = [i for i in range(1, len(self.doc)) if self._opens_contrast(i)]
        # Where the speaker's next act begins, so that reported content ends before it.
        self.next_act_at = sorted(
            {i for i in range(len(self.doc)) if self._next_act(self.doc[i])}
            | {i for t in self.doc if (i := self._another_report(t)) is not None}
            | {i for t in self.doc if (i := self._narrators_clause(t)) is not None}
        )

    def _next_act(self, t: Token) -> bool:
        """Whether `t` opens what the narrator says next about the speaker rather than more of
        what was reported: another verb of speech or a contrast joined to the content ('said A
        and predicted B', 'said A but refused to B') or a participle after a dash ('said A --
        having suggested B')."""
        doc = self.doc
        if t.lower_ in ("and", "but") and t.dep_ == "cc" and t.i + 1 < len(doc):
            verb = t.head
            conj = next((c for c in verb.children if c.dep_ == "conj" and c.i > t.i), None)
            if conj is None or conj.pos_ not in VERBS or conj.i - t.i > 3:
                return False
            if any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in conj.children):
                return False  # 'said A and B happened': a second clause with its own subject
            return conj.lower_ in self.cues.reporting or t.lower_ == "but"
        prev = doc[t.i - 1].text if t.i else ""
        if t.tag_ == "VBG" and prev in ("--", "\u2014", "\u2013", "-"):
            return True
        return False

    def _opens_contrast(self, i: int) -> bool:
        """Whether `doc[i]`, after a comma outside quotation marks, opens the narrator's contrast or
        comparison with what was reported: ", even though A", ", despite A", ", whereas A",
        ", as was the case in A" (an "as" with a finite verb straight after it; a causal ", as
        he is ..." is the speaker's reason and stays)."""
        doc = self.doc
        if i < 1 or doc[i - 1].text != "," or self.quote_of[i] >= 0:
            return False
        low = doc[i].lower_
        nxt = doc[i + 1] if i + 1 < len(doc) else None
        if low in _CONTRAST:
            return True
        if low == "even":
            return nxt is not None and nxt.lower_ in _EVEN
        return low == "as" and nxt is not None and nxt.tag_ in FINITE

    def _cut_contrast(self, lo: int, hi: int) -> int:
        """End of a content range before a trailing contrast (`_opens_contrast`) that runs to its end."""
        doc = self.doc
        last = self.idx.prev_word[hi]
        k = bisect.bisect_left(self.contrast_at, lo + 4)
        while k < len(self.contrast_at) and self.contrast_at[k] <= hi:
            i = self.contrast_at[k]
            top = doc[i]  # the contrast's own phrase: climb while the head stays inside it
            while top.head.i != top.i and i <= top.head.i <= hi:
                top = top.head
            if top.right_edge.i >= last:
                return i - 2  # before the comma
            k += 1
        return hi

    def _narrators_clause(self, t: Token) -> int | None:
        """', and he railed against B': a clause joined after a comma whose subject is a personal
        pronoun and whose verb is a plain past without auxiliary goes on with the narrator's
        account of the speaker, not with what the speaker said. Returns the "and"."""
        if t.dep_ != "conj" or t.tag_ != "VBD" or any(c.dep_ in ("aux", "auxpass") for c in t.children):
            return None
        first = t.left_edge.i
        if self.doc[first].lower_ not in ("he", "she") or self.doc[first].dep_ != "nsubj":
            return None  # the clause opens on its pronoun subject: ', and he railed ...'
        if first > 1 and self.doc[first - 1].lower_ == "and" and self.doc[first - 2].text == ",":
            return first - 1
        return None

    def _another_report(self, t: Token) -> int | None:
        """Where a report by someone else joined to reported content begins: 'said A, while
        Holt said B', 'says A and Holt says B'. Returns the joining word's index: a reporting
        verb in the narrator's plain form (no auxiliary) with a named subject of its own, its
        clause opened by "while" or "whereas" or following "and" or "but"."""
        if t.lower_ not in self.cues.reporting or t.pos_ not in VERBS:
            return None
        if not any(c.dep_ == "nsubj" and c.pos_ == "PROPN" for c in t.children):
            return None
        if any(c.dep_ in ("aux", "auxpass") for c in t.children):
            return None  # 'A and the court had stressed B': a backshifted verb is still reported
        first = t.left_edge.i
        if self.doc[first].lower_ in ("while", "whereas"):
            return first
        if first > 0 and self.doc[first - 1].lower_ in ("and", "but", "while", "whereas"):
            return first - 1
        return None

    def _cut_next_act(self, lo: int, hi: int, verb: Token) -> int:
        """End of a content range before the first place where the speaker's next act begins."""
        k = bisect.bisect_left(self.next_act_at, lo + 3)
        while k < len(self.next_act_at) and self.next_act_at[k] <= hi:
            i = self.next_act_at[k]
            if self.quote_of[i] < 0 and not self._reported_contrast(i, verb):
                if hi < verb.i and not self._reporting_joined(i):
                    # Content before its verb ('A but B, Holt said') holds no other act of the
                    # speaker's; another report joined in it is its own ('A and vowed B, a paper said').
                    k += 1
                    continue
                self._pass_speaker(i, verb)
                return i - 1
            k += 1
        return hi

    def _joined_verb(self, i: int) -> Token | None:
        """The verb that the "and" or "but" at `i` joins on."""
        joiner = self.doc[i]
        if joiner.lower_ not in ("and", "but") or joiner.dep_ != "cc":
            return None
        return next((c for c in joiner.head.children if c.dep_ == "conj" and c.i > i), None)

    def _reporting_joined(self, i: int) -> bool:
        conj = self._joined_verb(i)
        return conj is None or conj.lower_ in self.cues.reporting

    def _pass_speaker(self, i: int, verb: Token) -> None:
        """'Holt said A - B - but said C': a reporting verb without a subject of its own, joined
        by the "and" or "but" at `i` where the content of `verb` was cut, is the next act of
        `verb`'s speaker, whatever verb of the content the parse hung it on, when it repeats
        `verb` ('said ... and said'), continues a chain of participles ('acknowledging that A
        but warning that B') or the verb it hangs on has no subject to share ('there are').
        'When Holt announced A, Reyes was meeting B and told C': "told" is Reyes's."""
        conj = self._joined_verb(i)
        if (
            conj is None
            or conj.head.i == verb.i
            or conj.lower_ not in self.cues.reporting
            or conj.tag_ != verb.tag_
            or any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in conj.children)
        ):
            return
        shared = any(c.dep_ in ("nsubj", "nsubjpass") for c in conj.head.children)
        if conj.lemma_ == verb.lemma_ or conj.tag_ == "VBG" or not shared:
            self.speakers.same_speaker.setdefault(conj.i, verb)

    def _reported_contrast(self, i: int, verb: Token) -> bool:
        """Whether "but" or "and" at `i` joins a verb phrase that is still reported rather than
        the narrator's next act: one the narrator could not have written in the reporting verb's
        own form ('said he could win A but would lose B', 'said it should not be cut but
        propped up', 'says he would meet X and tell him B'). 'Said A but refused B' and 'said A
        and predicted B' are cut."""
        but = self.doc[i]
        if but.lower_ not in ("but", "and"):
            return False
        conj = next((c for c in but.head.children if c.dep_ == "conj" and c.i > i), None)
        if conj is None or (but.lower_ == "but" and conj.lower_ in self.cues.reporting):
            return False
        if any(c.dep_ in ("nsubj", "nsubjpass") for c in conj.children):
            return False  # someone else's report ('and Holt said B'): see `_another_report`
        return conj.tag_ not in ("VBD", "VBZ", "VBP") or _tense(conj) != _tense(verb)

    def _joined_clause(self, verb: Token, hi: int) -> int:
        """Where reported content ends when the parse hung a second clause on the reporting verb.

        "X claims that A and she was forced to ...": a clause after "and" with its own subject,
        in a tense other than the reporting verb's, continues what was reported; one in the
        same tense ("X said A, and the board agreed") is the narrator's.
        """
        doc = self.doc
        for c in verb.children:
            if c.dep_ != "conj" or c.i <= hi or c.pos_ not in VERBS or c.lower_ in self.cues.reporting:
                continue
            gap = doc[hi + 1 : c.left_edge.i]
            if (
                not gap
                or not all(t.lower_ in ("and", ",") for t in gap)
                or "and" not in {t.lower_ for t in gap}
            ):
                continue
            if not any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children):
                continue
            if _tense(c) != _tense(verb):
                end = c.right_edge.i
                while end > c.i and doc[end].is_punct:
                    end -= 1
                return end
        return hi

    def _cut_gloss(self, lo: int, hi: int) -> int:
        """End of a content range before a trailing ", an acknowledgment that ..." or "— a play
        on ...": an indefinite noun phrase naming a speech act, running to the range's end,
        that characterises what was said (see `_GLOSS`)."""
        doc = self.doc
        last = self.idx.prev_word[hi]
        for i in range(lo + 4, hi):
            if doc[i].lower_ not in ("a", "an") or doc[i - 1].text not in _GLOSS_MARKS:
                continue
            if self.quote_of[i] >= 0:
                continue
            noun = doc[i].head
            if noun.lower_ not in _GLOSS or noun.i > i + 3 or noun.right_edge.i < last:
                continue
            return i - 2
        return hi

    def _cut_aside(self, lo: int, hi: int, verb: Token) -> int:
        """End of a content range without a trailing ", citing ..." that is the speaker's own aside."""
        doc = self.doc
        first = bisect.bisect_left(self.aside_at, lo + 3)
        for i in self.aside_at[first : bisect.bisect_right(self.aside_at, hi)]:
            x = doc[i]
            comma = x.i - 1
            if doc[comma].is_quote and comma - 1 > lo:
                comma -= 1  # 'the company "priced it high," referring to ...'
            if (
                x.lower_ in self.cues.aside
                and x.dep_ in ("advcl", "conj", "xcomp")
                and doc[comma].text == ","
                and x.right_edge.i >= hi
            ):
                self.speakers.inherit_from[x.i] = verb
                return x.i - 2  # the comma, or the quotation mark closing after it
        return hi

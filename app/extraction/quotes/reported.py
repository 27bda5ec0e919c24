"""Reported speech: a reporting verb ("said", "warned", "according to") and its content
clause. A content clause that is (nearly) all quotation becomes a direct quote instead.
Statements in other forms ("X vowed to ...", "X's claim that ...") are read by the base class
in statements.py."""

from __future__ import annotations

import bisect

from spacy.tokens import Token

from app.extraction.quotes.bounds import FINITE, ContentBounds
from app.extraction.quotes.docindex import Found
from app.extraction.quotes.lexicon import CueLexicon
from app.extraction.quotes.salience import VERBS
from app.extraction.quotes.speakers import Speakers

# Reported content longer than this many tokens is cut: no statement in news runs longer, and
# the bound keeps the work per reporting verb constant whatever the parse of a long sentence.
MAX_CONTENT_TOKENS = 250
_WH = {"when", "whether", "why", "how", "what", "where", "who", "whom", "which", "if"}
# What the parse may hang on a reporting verb from inside a clause it misread (`_subject_misread`).
_GAP_DEPS = {"punct", "cc", "prep", "advcl", "advmod", "npadvmod"}
_LEAD_IN_MARKS = {":", "-", "--", "\u2014", "\u2013"}  # 'X asserted that A: "B," he said'


class ReportedSpeech(ContentBounds):
    """Finds reported speech in one Doc (needs the dependency parse)."""

    def __init__(self, speakers: Speakers, cues: CueLexicon) -> None:
        super().__init__(speakers, cues)
        # Clauses joined by "and that" a content range is split at (see `_clauses`), and the
        # sentences a reporting verb's clause is in (see `_according`).
        self.that_conj: list[int] = []
        self.reporting_sents: set[int] = set()
        for t in self.doc:
            if t.dep_ == "conj" and t.pos_ in VERBS and self.doc[t.left_edge.i].lower_ == "that":
                self.that_conj.append(t.i)
            if t.lower_ in cues.reporting and any(c.dep_ == "ccomp" for c in t.children):
                self.reporting_sents.add(self.sent_of[t.i])

    def find(self) -> list[Found]:
        found: list[Found] = []
        for t in self.doc:
            if self.quote_of[t.i] >= 0:
                continue
            low = t.lower_
            if low in self.cues.reporting and self._verb_of_speech(t) and not self._prevented(t):
                for c, hi in self._complements(t):
                    found.extend(self._clauses(t, c, hi))
                if (gerund := self._gerund_subject(t)) is not None:
                    found.extend(self._clauses(t, gerund[0], gerund[1]))
                found.extend(self._parenthetical(t))
                found.extend(self._joined_after_content(t))
                found.extend(self._as_aside(t))
                if low in self.cues.commissive:
                    found.extend(self._commitment(t))
                if low in self.cues.message:
                    found.extend(self._message_object(t))
                if low in self.cues.gerund:
                    found.extend(self._gerund(t))
                if low in ("warned", "warns", "warn"):
                    found.extend(self._warned_of(t))
                for c in t.children:
                    if c.dep_ == "dobj" and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children):
                        found.extend(self._clauses(t, c))  # "stating that this shortened supply chains"
                    elif c.dep_ in ("dobj", "prep") and c.pos_ in ("NOUN", "ADP"):
                        # "stressed his view that ...", "told reporters in a statement that ...":
                        # the noun's complement clause is the statement.
                        noun = c if c.dep_ == "dobj" else next((g for g in c.children if g.dep_ == "pobj"), c)
                        for g in noun.rights if noun.pos_ == "NOUN" else ():
                            if g.dep_ in ("acl", "ccomp") and any(m.lower_ == "that" for m in g.children):
                                found.extend(self._clauses(t, g))
                            elif g.dep_ == "relcl" and self._misread_that(g, t):
                                found.extend(self._clauses(t, g, lo=g.left_edge.i + 1))
            elif low == "according":
                found.extend(self._according(t))
            elif low in self.cues.nominal and t.pos_ == "NOUN":
                found.extend(self._nominal(t))
        found.extend(self._headline())
        # A cue inside another cue's content is part of what was reported ("said he believes ...").
        kept: list[Found] = []
        seen: set[tuple[int, int]] = set()
        covered = self.idx.depth(found)
        for f in found:
            own = f.cue is not None and f.lo <= f.cue.i <= f.hi
            nested = f.cue is not None and covered[f.cue.i] - own > 0
            # Two clauses of one quotation ("There is anger, there is no doubt") are one quote.
            if not nested and (f.start, f.end) not in seen:
                seen.add((f.start, f.end))
                kept.append(f)
        for f in kept:
            if f.speaker is None and f.cue is not None and f.cue.lower_ != "according":
                f.speaker = self.speakers.speaker_of(f.cue)
        # 'Ann Holt, who runs the team, said ...': a clause before the verb that names its own
        # speaker is the speaker's description, not what they said.
        return [f for f in kept if not (f.cue is not None and f.hi < f.cue.i and self._names_speaker(f))]

    def _names_speaker(self, f: Found) -> bool:
        starts = self.sal.people.starts_of.get(f.speaker or "", [])
        k = bisect.bisect_left(starts, f.start)
        return k < len(starts) and starts[k] < f.end

    def _parenthetical(self, verb: Token) -> list[Found]:
        """'His plan, he stated, was for ...': a reporting aside set in the clause it reports."""
        doc = self.doc
        if verb.dep_ != "parataxis" or not any(c.dep_ == "nsubj" for c in verb.children):
            return []
        lo_aside, hi_aside = verb.left_edge.i, verb.right_edge.i
        while lo_aside < verb.i and doc[lo_aside].is_quote:
            lo_aside += 1  # "This 'switch', he said, ...": the parse may hang the closing mark here
        if doc[lo_aside].text != ",":
            lo_aside -= 1
        front = lo_aside  # first token of the content when the parse hung its opening on the verb
        subj = next(c for c in verb.children if c.dep_ == "nsubj")
        if doc[lo_aside].text != "," and subj.i < verb.i and doc[subj.left_edge.i - 1].text == ",":
            # 'After the court ruled, Holt said, most laws were safe': the opening clause is content.
            lo_aside = subj.left_edge.i - 1
            front = verb.left_edge.i
        trailing = (
            verb.i + 1 < len(doc) and doc[verb.i + 1].text == "," and self._trailing_aside(verb, verb.i + 1)
        )
        if trailing:
            hi_aside = verb.i + 1
        elif doc[hi_aside].text != ",":
            hi_aside += 1
        if lo_aside < 1 or hi_aside + 1 >= len(doc) or doc[lo_aside].text != "," or doc[hi_aside].text != ",":
            return []
        head = verb.head
        lo, hi = min(head.left_edge.i, front), head.right_edge.i
        if trailing:
            hi = lo_aside - 1  # 'A, Holt explained, recalling B': A is all that was said
        elif hi <= hi_aside + 2:
            return []
        if not lo < lo_aside or hi - lo > MAX_CONTENT_TOKENS:
            return []
        if any(
            self.idx.speech_quote(self.quote_of[t.i]) for t in doc[lo : hi + 1] if self.quote_of[t.i] >= 0
        ):
            return []  # '"...," he said, "..."' and 'Of X, he said, "..."': direct speech, read elsewhere
        if doc[hi_aside + 1].lower_ in ("and", "but"):
            hi = lo_aside - 1  # 'A, Holt said, and with the vote won, B': the aside closes A
        lo, hi = self.idx.clip(lo, hi, verb)
        if hi - lo < 4:
            return []
        return [self._as_found(lo, hi, verb)]

    def _trailing_aside(self, verb: Token, comma: int) -> bool:
        """'A, Holt explained, recalling B.': the parse hung the reporting verb on A because a
        participle of the speaker's follows it; the sentence ends with that participle's clause."""
        nxt = self.doc[comma + 1] if comma + 1 < len(self.doc) else None
        if (
            nxt is None
            or nxt.tag_ != "VBG"
            or nxt.head.i != verb.i
            or nxt.dep_ not in ("advcl", "xcomp", "conj")
        ):
            return False
        end = verb.right_edge.i
        while end > nxt.i and (self.doc[end].is_punct or self.doc[end].is_space):
            end -= 1
        return nxt.right_edge.i >= end

    @staticmethod
    def _prevented(verb: Token) -> bool:
        """'banning migrants from claiming asylum': a gerund after these reports nothing said."""
        return verb.dep_ == "pcomp" and verb.head.lower_ in ("from", "against", "without", "instead")

    def _complements(self, verb: Token) -> list[tuple[Token, int]]:
        """Clausal complements of a reporting verb, with the last token of each.

        Two complements that touch without a comma or conjunction are one clause the parse
        broke in two ("admitted that the share of calls dropped on it was greater").
        """
        out: list[tuple[Token, int]] = []
        for c in verb.children:
            if c.dep_ != "ccomp" or (
                c.tag_ == "VBG"
                and c.lower_ in self.cues.reporting
                and not any(g.dep_ in ("nsubj", "aux") for g in c.children)
            ):
                continue  # "saying ..., and merely saying that ...": a reporting verb of its own
                # (a progressive with its own subject, 'that she was speaking at ...', is content)
            if c.i < verb.i and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children):
                continue  # a fronted "that" clause is a misparse far more often than real
            if c.i < verb.i and self._lead_in(c, verb):
                continue
            prev = out[-1][0] if out else None
            if (
                prev is not None
                and c.left_edge.i == out[-1][1] + 1
                and (c.i < verb.i) == (prev.i < verb.i)
                and self.quote_of[c.i] == self.quote_of[prev.i]
            ):
                out[-1] = (out[-1][0], c.right_edge.i)
            else:
                out.append((c, c.right_edge.i))
        return [(c, self._joined_clause(verb, hi)) for c, hi in out]

    def _lead_in(self, c: Token, verb: Token) -> bool:
        """'Holt suggested that A - "B," she said': a report of its own (a reporting verb with
        its subject and clause) before a quotation that the same verb also governs introduces
        the quotation; it is not what "said" reports."""
        if c.lower_ not in self.cues.reporting or not any(g.dep_ == "nsubj" for g in c.children):
            return False
        if not any(g.dep_ == "ccomp" for g in c.children):
            return False
        return any(
            g.dep_ == "ccomp" and c.i < g.i < verb.i and self.quote_of[g.i] >= 0 for g in verb.children
        )

    def _clauses(self, verb: Token, head: Token, hi: int | None = None, lo: int | None = None) -> list[Found]:
        """The content clause headed by `head`: split at "..., and that ...", cut of trailing asides."""
        doc = self.doc
        lo = self._subject_misread(verb, head) if lo is None else lo
        hi = head.right_edge.i if hi is None else hi
        if lo <= verb.i <= hi or any(self._asks(t, head) for t in doc[lo : min(hi, lo + 1) + 1]):
            return []  # a crossing parse, or an indirect question ("declined to say when ...")
        # Reported content stays within the verb's paragraph (see `_clip`) and a bounded length,
        # so that no parse makes the work on one verb grow with the document.
        para = self.para_of[verb.i]
        if para + 1 < len(self.para_first):
            hi = min(hi, self.para_first[para + 1] - 1)
        hi = min(hi, lo + MAX_CONTENT_TOKENS)
        if hi < verb.i:
            lo = self._after_lead_in(lo, hi)
        # "emphasized that A, and that B": two statements. The parse may hang the second
        # clause anywhere in the first, and may read its "that" as a determiner.
        pieces = [(lo, head)]
        first = bisect.bisect_left(self.that_conj, lo + 1)
        for i in self.that_conj[first : bisect.bisect_right(self.that_conj, hi)]:
            k = doc[i]
            if k.left_edge.i > pieces[-1][0]:
                pieces.append((k.left_edge.i, k))
        out: list[Found] = []
        for n, (p_lo, p_head) in enumerate(pieces):
            p_hi = pieces[n + 1][0] - 1 if n + 1 < len(pieces) else hi
            p_hi = self._cut_aside(p_lo, p_hi, verb)
            p_hi = self._cut_next_act(p_lo, p_hi, verb)
            p_hi = self._cut_contrast(p_lo, p_hi)
            p_hi = self._cut_gloss(p_lo, p_hi)
            p_lo, p_hi = self.idx.clip(p_lo, p_hi, verb)
            if p_hi - p_lo >= 2 and p_lo <= p_head.i <= p_hi:
                out.append(self._as_found(p_lo, p_hi, verb))
        return out

    def _gerund_subject(self, verb: Token) -> tuple[Token, int] | None:
        """'Holt said seeing the crowds was a relief': a gerund subject the parse made the
        verb's participle complement, hanging the clause's finite verb on the gerund or, after
        a comma, joining it to the reporting verb ('said ending the grants, without a plan,
        could gut the programs'). Returns the gerund and the last token of the content."""
        nxt = self.doc[verb.i + 1] if verb.i + 1 < len(self.doc) else None
        if nxt is None or nxt.tag_ != "VBG" or nxt.head.i != verb.i or nxt.dep_ != "xcomp":
            return None
        if nxt.lower_ in self.cues.reporting or self.quote_of[nxt.i] >= 0:
            return None
        for g in nxt.rights:
            if g.dep_ == "ccomp" and g.tag_ in FINITE and not any(m.dep_ == "mark" for m in g.children):
                subj = next((s for s in g.children if s.dep_ in ("nsubj", "nsubjpass")), None)
                if subj is not None and nxt.i < subj.i < g.i:
                    return nxt, nxt.right_edge.i
        for g in verb.rights:
            # the finite verb joined to "said", a modal its only subject-less sign of finiteness
            if g.dep_ == "conj" and g.i > nxt.right_edge.i and self.quote_of[g.i] < 0:
                if any(c.dep_ in ("nsubj", "nsubjpass", "expl", "cc") for c in g.children):
                    return None
                if any(c.dep_ == "aux" and c.tag_ == "MD" and c.i < g.i for c in g.children):
                    return nxt, g.right_edge.i
        return None

    def _subject_misread(self, verb: Token, head: Token) -> int:
        """Start of the content clause headed by `head`. 'Holt explained the council's refusal
        to act is a failure', 'Holt said raising the fees, as proposed, would hurt shops': the
        parse took the clause's subject for the verb's object or participle complement, leaving
        the finite verb after it without a subject; that phrase is the clause's first words."""
        lo = head.left_edge.i
        if head.i < verb.i or head.dep_ != "ccomp":
            return lo
        if head.tag_ not in FINITE and not any(c.dep_ == "aux" and c.tag_ == "MD" for c in head.children):
            return lo
        if any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj", "mark") for c in head.children):
            return lo
        obj = next(
            (
                c
                for c in verb.children
                if verb.i < c.i < head.i and (c.dep_ == "dobj" or (c.dep_ == "xcomp" and c.tag_ == "VBG"))
            ),
            None,
        )
        if obj is None or self.quote_of[obj.i] >= 0:
            return lo
        # Between the two, only what the parse hung on the verb from inside the clause: commas
        # and an aside ('raising the fees, and without a vote, would hurt shops').
        gap = [c for c in verb.children if obj.right_edge.i < c.i < lo]
        if any(c.dep_ not in _GAP_DEPS for c in gap) or (gap and self.doc[lo - 1].text != ","):
            return lo
        return obj.left_edge.i

    def _after_lead_in(self, lo: int, hi: int) -> int:
        """Start of fronted content ('A, Holt said') that the parse ran back over a lead-in:
        in 'Trump asserted that A: "B," he added' the content of "added" is the quotation B,
        opened right after a colon or dash, not the sentence that introduces it."""
        doc = self.doc
        last = self.idx.prev_word[hi]
        for k in range(lo + 2, hi):
            if doc[k].text not in _LEAD_IN_MARKS or self.quote_of[k] >= 0 or not doc[k + 1].is_quote:
                continue
            q = self.quote_of[k + 2] if k + 2 <= hi else -1
            if q >= 0 and self.qtokens[q][1] - 1 >= last:
                return k + 1
        return lo

    def _asks(self, t: Token, head: Token) -> bool:
        """Whether `t`, opening a content clause headed by `head`, makes it an indirect question.

        A wh-word that belongs to a word inside the content other than its own verb opens a
        clause within the statement, not a question: 'said if elected he would serve' (a
        condition), 'said, when she was a clerk, a boss invited her' (a time), 'said what the
        city needs is a plan' (a subject clause). An indirect question's wh-word goes with the
        content's own verb ('declined to say when the vote would be held'). A quoted question
        ('said, "Who will pay?"') is direct speech, read as before.
        """
        if t.lower_ not in _WH:
            return False
        if self.quote_of[t.i] < 0 and t.head.i not in (head.i, t.i):
            return False
        if t.lower_ == "if" and t.dep_ == "mark" and t.head.i != head.i:
            return False
        return True

    def _according(self, according: Token) -> list[Found]:
        """'According to X, ...': the rest of the sentence is what X said."""
        to = next((c for c in according.children if c.lower_ == "to"), None)
        source = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
        if source is None and to is not None:
            # "according to Rathbun the property was ...": without a comma the parse may read
            # the name as a verb complement; a person named there is still the source.
            source = next(
                (
                    c
                    for c in to.children
                    if c.dep_ == "pcomp" and self.sal.people.covering(c.idx, c.idx + len(c.text))
                ),
                None,
            )
        if source is None:
            return []
        sent = self.doc[self.sent_starts[self.sent_of[according.i]]].sent
        # "According to the Herald, Burrows said ...": the reporting verb carries the quote.
        if self.sent_of[according.i] in self.reporting_sents:
            return []
        a_lo, a_hi = according.left_edge.i, self._source_end(source)
        left = self.idx.clip(sent.start, a_lo - 1, according)
        right = self.idx.clip(a_hi + 1, sent.end - 1, according)
        lo, hi = max(left, right, key=lambda r: r[1] - r[0])
        if hi - lo < 2:
            return []
        f = self._as_found(lo, hi, according)
        f.speaker = self.speakers.person_of(source) or self.sal.trailing_name(source)
        return [f]

    def _source_end(self, source: Token) -> int:
        """Last token of the noun phrase after "according to", with its appositive name.

        The parse often hangs the rest of the sentence on that noun; its modifiers count only
        up to the first comma, and an appositive only when it is a name.
        """
        doc = self.doc
        end = source.i
        for child in source.rights:
            between = doc[end + 1 : child.left_edge.i]
            comma = any(t.text == "," for t in between)
            if not comma and child.dep_ in ("prep", "compound", "amod", "nmod", "case"):
                end = child.right_edge.i
            elif child.dep_ == "appos" and child.pos_ == "PROPN" and len(between) <= 1:
                end = child.right_edge.i
            else:
                break
        return end

    def _as_found(self, lo: int, hi: int, cue: Token) -> Found:
        """A content range; direct when a single quotation makes up most of it."""
        doc = self.doc
        first = self.next_word[lo]
        k = self.quote_of[first] if first <= hi else -1
        if k >= 0:
            # All or nearly all the clause in marks, opening with them: "he said that "We will ..."".
            a, b = self.qtokens[k]
            inside = self.idx.words_in(max(a, lo), min(b - 1, hi))
            if inside >= 0.8 * self.idx.words_in(lo, hi):
                start, end = self.idx.trim_chars(self.quoted[k].start, self.quoted[k].end)
                return Found(start, end, "direct", cue, lo, hi)
        start, end = self.idx.balanced(doc[lo].idx, doc[hi].idx + len(doc[hi].text))
        return Found(start, end, "indirect", cue, lo, hi)

"""Direct speech: each quotation not already reported is attributed to the verb that governs
it in the parse, to a reporting verb next to it, to a name beside it or signed under it, to
the speaker of the quote just before it ("continuation"), or, standing as sentences of its
own, to the person the narration is about. Also block quotes (a paragraph without marks
after 'X replied:') and pull quotes (first-person speech signed 'Ann Holt')."""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from spacy.tokens import Token

from app.extraction.quotes.docindex import Found, IndexView
from app.extraction.quotes.lexicon import CueLexicon
from app.extraction.quotes.reported import MAX_CONTENT_TOKENS
from app.extraction.quotes.salience import MAX_SALIENCE_EVENTS, VERBS
from app.extraction.quotes.speakers import SENTENCE_END, Speakers

# A pull quote is speech in the first person.
_FIRST_PERSON = frozenset(
    {"I", "I'm", "I've", "I'd", "I'll", "my", "My", "me", "we", "We", "our", "Our", "us"}
)
_ALL_MARKS = "\"\u201c\u201d\u2018\u2019'"
_COPULAS = frozenset({"was", "is", "were", "are"})


class DirectSpeech(IndexView):
    """Finds and attributes direct speech in one Doc."""

    def __init__(self, speakers: Speakers, cues: CueLexicon, min_words: int) -> None:
        super().__init__(speakers.idx)
        self.speakers = speakers
        self.sal = speakers.sal
        self.cues = cues
        self.min_words = min_words

    def find(self, taken: set[int], reported: Sequence[Found]) -> list[Found]:
        out: list[Found] = []
        previous = sorted(reported, key=lambda f: f.end)
        nxt = 0  # previous[:nxt] end before the current quotation
        prior_reported: Found | None = None
        for k, span in enumerate(self.quoted):
            if k in taken:
                continue
            a, b = self.qtokens[k]
            if a >= b:
                continue
            start, end = self.idx.trim_chars(span.start, span.end)
            words = self.quote_words[k]
            cue = self._attribution(k) if self.has_parse else None
            f = Found(start, end, "direct", cue, a, b - 1)
            if cue is not None:
                f.speaker = self.speakers.speaker_of(cue)
                if self.speakers.pronoun_subject(cue) is not None:
                    f.speaker = self._same_speaker(f.speaker, cue, start, previous, nxt, out)
            elif (
                named := self._named_beside(a, b) or self._in_words_of(a) or self._possessor(a)
            ) is not None:
                f.speaker = named
            else:
                while nxt < len(previous) and previous[nxt].end <= start:
                    prior_reported = previous[nxt]
                    nxt += 1
                # The quote ending last before this one, reported or direct (the direct ones
                # come in text order and never overlap).
                before = [p for p in (prior_reported, out[-1] if out else None) if p and p.end <= start]
                prior = max(before, key=lambda p: p.end) if before else None
                if prior is not None and prior is prior_reported:
                    # '"...," X assured Y, after Y assured X that ... "..."': X goes on.
                    frame = [p for p in (*previous[max(0, nxt - 3) : nxt], *out[-1:]) if _embedded(prior, p)]
                    if frame and frame[-1].speaker != prior.speaker:
                        prior = frame[-1]
                if prior is not None and self._continues(prior, a):
                    f.speaker, f.cue, f.inherited = prior.speaker, prior.cue, True
                elif self.has_parse and words >= self.min_words and self._whole_sentences(k):
                    f.speaker = self._salient_speaker(start, a, prior)
                    f.inherited = f.speaker is not None
            if words < self.min_words and not self._utterance(k, f, words):
                continue
            if f.speaker is None and words < self.min_words:
                continue
            out.append(f)
        return out

    def block_quotes(self) -> list[Found]:
        """A paragraph set off without marks after 'X said:' / 'He replies:' closing the one before.

        The colon must end its paragraph and follow a reporting verb of the same sentence
        with a person for its subject; the next paragraph, whole, is what they said.
        """
        doc = self.doc
        out: list[Found] = []
        for p in range(len(self.para_first) - 2):
            first, last = self.para_first[p + 1], self.para_first[p + 2] - 1
            colon = first - 1
            while colon >= 0 and doc[colon].is_space:
                colon -= 1
            if colon < 1 or doc[colon].text != ":" or self.quote_of[colon - 1] >= 0:
                continue
            lo, hi = self.idx.trim(first, last)
            if hi - lo < self.min_words or doc[lo].is_quote or any(self.quote_of[i] >= 0 for i in (lo, hi)):
                continue
            verb = None
            j = colon - 1
            while j >= 0 and j > colon - 8 and self.para_of[j] == p and doc[j].text not in SENTENCE_END:
                if doc[j].lower_ in self.cues.reporting and doc[j].pos_ in VERBS:
                    verb = doc[j]
                    break
                j -= 1
            speaker = self.speakers.speaker_of(verb) if verb is not None else None
            if speaker is None:
                continue
            stop = last  # the paragraph's own closing punctuation stays with it
            while stop > hi and doc[stop].is_space:
                stop -= 1
            start, end = self.idx.trim_chars(doc[lo].idx, doc[stop].idx + len(doc[stop].text))
            out.append(Found(start, end, "direct", verb, lo, hi, speaker=speaker))
        return out

    def pull_quotes(self, found: Sequence[Found]) -> list[Found]:
        """A paragraph of first-person speech signed with a full name and nothing else after
        it: 'I was told to leave. Ann Holt' (a pull quote whose marks the text lost)."""
        out: list[Found] = []
        text, pos = self.text, 0
        attributed = sorted((f.start, f.end) for f in found if f.speaker is not None)
        starts = [a for a, _ in attributed]
        reach: list[int] = []  # the furthest end among attributed[: k + 1]
        for _, e in attributed:
            reach.append(max(e, reach[-1]) if reach else e)

        def overlaps(lo: int, hi: int) -> bool:
            k = bisect.bisect_left(starts, hi) - 1
            return k >= 0 and reach[k] > lo

        for line in text.split("\n"):
            lo, hi = pos, pos + len(line.rstrip())
            pos += len(line) + 1
            cut = max(text.rfind(". ", lo, hi), text.rfind("! ", lo, hi), text.rfind("? ", lo, hi))
            if cut < 0:
                continue
            signature = text[cut + 2 : hi].strip()
            words = signature.split()
            name = self.sal.people.covering(cut + 2, hi) or (
                self.sal.people.surnames.get(words[-1]) if words else None
            )
            if (
                name is None
                or len(words) < 2
                or (signature != name and self.sal.people.covering(cut + 2, hi) is None)
                or words[-1] != name.split()[-1]
                or any(ch in _ALL_MARKS for ch in text[lo:hi])
                or not _FIRST_PERSON.intersection(text[lo:cut].replace(",", " ").split())
                or overlaps(lo, cut)
            ):
                continue
            start, end = self.idx.trim_chars(lo, cut + 1)
            a = bisect.bisect_left(self.token_starts, start)
            b = bisect.bisect_left(self.token_starts, end) - 1
            out.append(Found(start, end, "direct", None, a, max(a, b), speaker=name))
        return out

    def _utterance(self, k: int, f: Found, words: int) -> bool:
        """A short quotation counts when it is a whole utterance: `"Not again," he said.`

        That takes a reporting verb right beside it and a sentence's shape; a single word
        in marks is a name or a scare quote ("Antennagate,") whatever stands next to it.
        """
        span = self.quoted[k]
        a, b = self.qtokens[k]
        inner = self.text[span.start : span.end].rstrip()
        return (
            words >= 2
            and f.cue is not None
            and not f.inherited
            and f.cue.lower_ in self.cues.reporting
            and (a - 4 <= f.cue.i < a or b <= f.cue.i <= b + 4)
            and inner[-1:] in (",", ".", "!", "?")
            and inner[:1].isupper()
        )

    def _attribution(self, k: int) -> Token | None:
        """The cue verb of quotation `k`: the verb governing it in the parse, else one beside it."""
        doc = self.doc
        a, b = self.qtokens[k]
        candidates: list[Token] = []
        for t in doc[a:b]:
            h = t.head
            if a <= h.i < b:
                continue
            for _ in range(4):
                if self.quote_of[h.i] >= 0:
                    break
                if h.pos_ in VERBS:
                    candidates.append(h)
                    break
                if h.head.i == h.i:
                    break
                h = h.head
        # The parse can tie a quotation to a verb in another paragraph; speech and its
        # attribution share one (the frame search knows the exceptions), and the nearest cue wins.
        paras = {self.para_of[a], self.para_of[b - 1]}
        candidates = [v for v in candidates if self.para_of[v.i] in paras] + self._frame_verbs(a, b)
        candidates.sort(key=lambda v: min(abs(v.i - a), abs(v.i - b)))
        # A cue whose speaker cannot be read yields to the next cue that has one: 'Holt told
        # the paper in a written statement, "..."' (a participle as adjective is no verb at all).
        first_cue: Token | None = None
        fallback: Token | None = None
        closed = doc[b - 1].text in SENTENCE_END or (b >= 2 and doc[b - 2].text in SENTENCE_END)
        for v in candidates:
            if v.dep_ == "amod":
                continue
            if closed and v.i >= b and any(c.dep_ == "ccomp" and c.i > v.i for c in v.children):
                continue  # '"... politics." Dunn said he would have ...': that verb has its own content
            if self._is_cue(v):
                if self.speakers.speaker_of(v) is not None:
                    return v
                first_cue = first_cue or v
            elif fallback is None and self.speakers.speaker_of(v) is not None:
                fallback = v
        return first_cue or fallback

    def _is_cue(self, verb: Token) -> bool:
        """A verb of the cue lexicon, or any verb with the particle "back" right after it ('Holt
        shot back, "..."', 'fired back:', 'hit back'): an answer in an exchange."""
        if verb.lower_ in self.cues.any:
            return True
        after = verb.nbor() if verb.i + 1 < len(self.doc) else None
        return (
            after is not None
            and after.lower_ == "back"
            and after.head == verb
            and after.dep_ in ("prt", "advmod")
        )

    def _named_beside(self, a: int, b: int) -> str | None:
        """A name standing in for the attribution when no verb does.

        'Secretary James Roche: "..."' (a name and a colon), or '"...," Jesse Toprak, an
        analyst.' (a name right after the closing mark).
        """
        doc = self.doc
        j = a - 1
        while j >= 0 and (doc[j].is_quote or doc[j].is_space):
            j -= 1
        if j >= 1 and doc[j].text == ":" and self.para_of[a] - self.para_of[j - 1] <= 1:
            name = self.sal.people.covering(doc[j - 1].idx, doc[j - 1].idx + len(doc[j - 1].text))
            if name is not None:
                return name
        signed = self._signature_after(b)
        if signed is not None:
            return signed
        k = b
        comma = doc[b - 1].text == ","
        while k < len(doc) and k < b + 3 and (doc[k].is_quote or doc[k].text == ","):
            comma = comma or doc[k].text == ","
            k += 1
        if not comma:
            return None  # '"...." Gloria also became ...': a new sentence, not an attribution
        if k < len(doc) and k > b and doc[k].pos_ == "PROPN" and self.para_of[k] == self.para_of[b - 1]:
            return self.sal.people.covering(doc[k].idx, doc[k].idx + len(doc[k].text))
        return None

    def _signature_after(self, b: int) -> str | None:
        """'"..."\n\n- Ann Holt.' / '-Ann Holt, tweeting after the speech.': a quotation
        signed on the next line with a dash and a name, as quote roundups and fact-checks set it."""
        doc = self.doc
        k = b
        while k < len(doc) and k < b + 4 and (doc[k].is_quote or doc[k].is_space or doc[k].text in ".,"):
            k += 1
        if k >= len(doc) or self.para_of[k] != self.para_of[b - 1] + 1:
            return None
        if doc[k].text not in ("-", "—", "–", "--") and not doc[k].text.startswith(("-", "—", "–")):
            return None
        for t in doc[k : k + 5]:
            if t.text in SENTENCE_END or t.text == "," or (t.i > k and "\n" in t.text):
                break
            name = self.sal.name_at(t)
            if name is not None:
                return name
        return None

    def _possessor(self, a: int) -> str | None:
        """'Holt's response was: "..."', 'From Holt's Facebook post: "..."': whose statement
        the noun phrase right before the quotation (closed by a colon, or by "was"/"is") is."""
        doc = self.doc
        j = a - 1
        while j >= 0 and (doc[j].is_quote or doc[j].is_space):
            j -= 1
        if j >= 1 and doc[j].text == "," and doc[j - 1].lower_ in _COPULAS:
            j -= 1  # 'Holt's dictum was, "..."'
        if j < 0 or not (doc[j].text == ":" or doc[j].lower_ in _COPULAS):
            return None
        for t in reversed(doc[max(0, j - 12) : j]):
            if t.text in SENTENCE_END or "\n" in t.text or self.quote_of[t.i] >= 0:
                return None
            if t.dep_ == "poss" and t.head.lower_ in self.cues.statement and t.head.i < j:
                return self.sal.name_at(t) or self.speakers.person_of(t)
        return None

    def _in_words_of(self, a: int) -> str | None:
        """'in the words of the prosecutor, Mark Tedeschi, "..."': the source named before the marks."""
        doc = self.doc
        j = a - 1
        while j >= 0 and j > a - 30 and self.quote_of[j] < 0:
            t = doc[j]
            if t.text in SENTENCE_END or "\n" in t.text:
                return None
            if t.lower_ == "of" and t.head.lower_ == "words" and t.head.head.lower_ in ("in", "to"):
                source = next((c for c in t.children if c.dep_ == "pobj"), None)
                if source is None:
                    return None
                return self.speakers.person_of(source) or self.sal.trailing_name(source)
            j -= 1
        return None

    def _opens_next_quote(self, verb: Token) -> bool:
        """'"Why now?" Mills then writes back, "You look cute."': a verb after one quotation
        that introduces the next one ('writes back,' then the marks) is that one's cue."""
        doc = self.doc
        for t in doc[verb.i + 1 : verb.i + 5]:
            if self.quote_of[t.i] >= 0:
                return self.idx.speech_quote(self.quote_of[t.i])
            if t.text in SENTENCE_END or "\n" in t.text:
                return False
            if not (t.is_punct or t.pos_ in ("ADV", "ADP", "PART")):
                return False
        return False

    def _frame_verbs(self, a: int, b: int) -> list[Token]:
        """Reporting verbs just after, then just before, the quotation, within its sentence.

        Failing a cue before it, the nearest verb before it comes last, for `_attribution`
        to use when its subject is a person.
        """
        doc = self.doc
        after: list[Token] = []
        j = b
        while j < len(doc) and j < b + 8 and self.quote_of[j] < 0:
            t = doc[j]
            if "\n" in t.text and j + 1 < len(doc) and doc[j + 1].text.islower():
                j += 1  # a line break inside the sentence: '"..."\n\nsaid Bill Strazzullo.'
                continue
            if t.text in SENTENCE_END or "\n" in t.text:
                break
            if t.pos_ in VERBS and self._is_cue(t):
                if not self._opens_next_quote(t):
                    after.append(t)
                break
            j += 1
        before: list[Token] = []
        j = a - 1
        while j >= 0 and j > a - 40 and (self.quote_of[j] < 0 or not self.idx.speech_quote(self.quote_of[j])):
            t = doc[j]
            if self.quote_of[j] >= 0:
                j -= 1  # 'X called the ruling "reckless" and "absurd":' — scare quotes, not speech
                continue
            if "\n" in t.text and j > 0 and doc[j - 1].text.endswith(":"):
                j -= 1  # 'Obama tweeted:\n\n"Cool clock, Ahmed."'
                continue
            if t.text in SENTENCE_END or "\n" in t.text:
                break
            if t.pos_ in VERBS and self._is_cue(t):
                before.insert(0, t)
                break
            if t.pos_ == "VERB" and not before:
                before.append(t)  # "Jobs left this farewell, "..."": no cue, but a speaker
            j -= 1
        colon = a - 1
        while colon >= 0 and (doc[colon].is_quote or doc[colon].is_space):
            colon -= 1
        if colon >= 0 and doc[colon].text == ":":
            # 'X has since apologized for what happened: "..."': the verb of the clause the colon
            # closes, the one the parse attaches forward (often into the quotation itself).
            for t in reversed(doc[max(0, colon - 40) : colon]):
                if t.text in SENTENCE_END or "\n" in t.text:
                    break
                if t.pos_ == "VERB" and (t.head.i >= colon or t.head.i == t.i):
                    before.append(t)
                    break
        return after + before

    def _continues(self, prior: Found, a: int) -> bool:
        """True when only the attribution of `prior` stands between it and the quotation at `a`."""
        if prior.speaker is None:
            return False
        doc = self.doc
        if a - prior.hi > MAX_CONTENT_TOKENS:
            return False
        allowed = {self.sent_of[prior.hi]}
        if prior.cue is not None:
            allowed.add(self.sent_of[prior.cue.i])
        for t in doc[prior.hi + 1 : a]:
            if t.is_punct or t.is_space:
                continue
            q = self.quote_of[t.i]
            if (q >= 0 and self.idx.speech_quote(q)) or self.sent_of[t.i] not in allowed:
                return False  # a title in marks ('said on "This Week"') is part of the attribution
        return True

    def _same_speaker(
        self,
        resolved: str | None,
        cue: Token,
        start: int,
        previous: Sequence[Found],
        nxt: int,
        out: Sequence[Found],
    ) -> str | None:
        """The speaker of a quotation a "he"/"she" attributes, given the quotes found so far."""
        k = nxt
        while k < len(previous) and previous[k].end <= start:
            k += 1
        before = [
            p for p in (previous[k - 1] if k else None, out[-1] if out else None) if p and p.end <= start
        ]
        prior = max(before, key=lambda p: p.end) if before else None
        return self.speakers.continued_speaker(resolved, cue, start, prior)

    def _whole_sentences(self, k: int) -> bool:
        """Whether quotation `k` is speech standing as sentences of its own, not a title or a
        phrase inside the narrator's sentence: it opens with a capital where a sentence may
        start and ends where one ends."""
        span = self.quoted[k]
        text = self.text
        inner = text[span.start : span.end].strip()
        if not inner or not inner[0].isupper():
            return False
        before = text[: max(0, span.start - 1)].rstrip()[-1:]
        if before and before not in '.!?:"”’':
            return False
        close = span.end + (2 if text.startswith("''", span.end) else 1)
        after = text[close : close + 1]
        return inner[-1] in ".!?…" or after in ("", ".", "!", "?", "\n")

    def _salient_speaker(self, start: int, a: int, prior: Found | None) -> str | None:
        """Who speaks a quotation no verb, name or neighbour attributes: the person the text
        is about right then. 'Morris is scathing of the party. "It cannot reform."' gives
        Morris; so does a quotation after his earlier one when the narration between names
        nobody else. Anyone else named since, or nobody within a paragraph, leaves it open.
        """
        para = self.para_of[a]
        since = self.doc[self.para_first[max(0, para - 1)]].idx
        anchor = None
        if prior is not None and prior.speaker is not None and prior.end >= since:
            since, anchor = prior.end, prior.speaker
        lo = bisect.bisect_left(self.sal.event_pos, since)
        hi = bisect.bisect_left(self.sal.event_pos, start)
        named = {self.sal.events[j][2] for j in range(max(lo, hi - MAX_SALIENCE_EVENTS), hi)}
        if anchor is not None and named <= {anchor}:
            return anchor
        if len(named) == 1 and self.sal.events[hi - 1][3] == 2:
            return self.sal.events[hi - 1][2]  # the subject of the narration just before
        if named and self.sal.events[hi - 1][3] == 2 and self.sal.events[hi - 1][1] == self.sent_of[a] - 1:
            # 'X shot Y in 2012 ... He is now selling the gun.\n\n"It was returned to me."': the
            # main subject of the sentence right before the quotation, named last, speaks.
            return self.sal.events[hi - 1][2]
        return None


def _embedded(reported: Found, direct: Found) -> bool:
    """Whether a reported statement hangs in a clause under the verb attributing a direct quote
    before it, so that the narration after that quote is still that speaker's frame."""
    if reported.cue is None or direct.cue is None or reported.cue.i == direct.cue.i:
        return False
    if direct.end > reported.start:
        return False
    node = reported.cue
    while node.head.i != node.i:
        node = node.head
        if node.i == direct.cue.i:
            return True
    return False

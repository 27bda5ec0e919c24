"""Choosing speakers: the person who said what a reporting verb reports, from its subject
(inherited through participles, coordination and "quoted as saying"), a name beside it,
or a definite description resolved by the Doc's salience reading and the offices read so far.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Token

from app.extraction.quotes.docindex import Found, IndexView
from app.extraction.quotes.salience import SUBJECT_PRONOUNS, VERBS, Salience
from app.extraction.records import Position

SENTENCE_END = {".", "!", "?"}
# Marks that set off an aside between a speaker and the verb; an aside is at most this long.
_ASIDE_MARKS = {",", "-", "--", "\u2014", "\u2013"}
MAX_ASIDE_TOKENS = 25
_QUOTING = {"quoted", "quotes", "quoting", "cited", "cites", "citing"}


class Speakers(IndexView):
    """Speaker choice for one Doc, over its salience reading and its position records."""

    def __init__(self, sal: Salience, positions: Sequence[Position]) -> None:
        super().__init__(sal.idx)
        self.sal = sal
        self.roles = sal.roles
        self.positions = list(positions)
        self.positions_by_word: dict[str, list[Position]] = {}  # title word -> positions
        for p in self.positions:
            title = p.title.lower()
            for word in {*title.replace("-", " ").split(), title}:
                self.positions_by_word.setdefault(word, []).append(p)
        self.subjects_cache: dict[tuple[int, bool], list[Token]] = {}
        # Verbs whose subject is another verb's: 'said X, citing ...' (set by reported speech).
        self.inherit_from: dict[int, Token] = {}
        # Verbs with the speaker of an earlier verb: 'Holt said A - B - but said C' (reported speech).
        self.same_speaker: dict[int, Token] = {}

    def person_of(self, t: Token) -> str | None:
        """The person the noun phrase headed by `t` refers to, descriptions read against the
        offices the positions component found."""
        return self.sal.person_of(t, positions=self.positions_by_word)

    def pronoun_subject(self, verb: Token) -> Token | None:
        return next((c for c in verb.children if c.dep_ == "nsubj" and c.lower_ in SUBJECT_PRONOUNS), None)

    def subjects_of(self, verb: Token, depth: int = 0) -> list[Token]:
        """Subjects of `verb`, nearest first, inherited through participles and coordination."""
        key = (verb.i, depth > 0)
        if key not in self.subjects_cache or verb.i in self.inherit_from:
            self.subjects_cache[key] = self._find_subjects(verb, depth)
        return self.subjects_cache[key]

    def _find_subjects(self, verb: Token, depth: int) -> list[Token]:
        if verb.i in self.inherit_from and depth < 4:
            return self.subjects_of(self.inherit_from[verb.i], depth + 1)
        own = [c for c in verb.children if c.dep_ == "nsubj" or (depth > 0 and c.dep_ == "nsubjpass")]
        if own:
            # "Malaysia's Prime Minister, Najib Razak said": the parse may give two subjects.
            return sorted(own, key=lambda c: abs(verb.i - c.i))
        if verb.head.i == verb.i:
            return self._chain_subjects(verb, depth)
        if depth >= 3:
            return []
        if self.quote_of[verb.head.i] >= 0 and self.quote_of[verb.i] < 0:
            root = verb.sent.root
            if verb.tag_ == "VBG" and root.i < verb.i and self.quote_of[root.i] < 0 and root.pos_ in VERBS:
                # 'Holt told the paper that the plan "failed," adding, "...": the parse hung the
                # participle on the quotation's verb; its subject is the sentence's.
                return self.subjects_of(root, depth + 1)
            return []  # '"We were wrong," Ramos, 58, told AFP': not the quotation's "We"
        if verb.dep_ in ("conj", "advcl", "xcomp", "dep") or (verb.dep_ == "ccomp" and verb.tag_ == "VBG"):
            # "dep": "Clinton, exasperated, responded:" hangs the verb loosely on the first one.
            return self.subjects_of(verb.head, depth + 1)
        if verb.dep_ == "pcomp" and verb.head.head.i != verb.head.i:
            return self.subjects_of(verb.head.head, depth + 1)  # "quoted as saying"
        if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
            noun = verb.head
            if noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.pos_ in VERBS:
                return self.subjects_of(noun.head.head, depth + 1)  # "resigned in a letter stating ..."
            if noun.dep_ == "dobj" and noun.head.pos_ in VERBS:
                # "X issued a statement saying ...": the statement, else who issued it.
                return [noun, *self.subjects_of(noun.head, depth + 1)]
            return [noun]  # "a statement saying ...": the statement is the source
        return []

    def _chain_subjects(self, root: Token, depth: int) -> list[Token]:
        """'Holt summed up A, denounced B and said C', 'Holt offered A, then says B': in a chain
        of verbs sharing one subject the parse may make the first verb a clause of the next, so
        the sentence's root has no subject of its own. The first verb's subject, before a comma
        that closes its clause right before the root, is the root's too."""
        if depth >= 4 or self.quote_of[root.i] >= 0:
            return []
        if not any(c.dep_ in ("ccomp", "dobj", "xcomp") for c in root.rights):
            return []  # 'A, said Holt': a clause before a root with nothing after it is its content
        for c in root.lefts:
            if c.dep_ != "ccomp" or c.pos_ not in VERBS or self.quote_of[c.i] >= 0:
                continue
            end = c.right_edge.i
            between = self.doc[end + 1 : root.i]
            if not between or between[0].text != "," or any(t.pos_ not in ("PUNCT", "ADV") for t in between):
                continue  # the first verb's clause must end right before the root, after a comma
            subjects = [s for s in c.children if s.dep_ == "nsubj" and s.i < c.i]
            if subjects:
                return subjects
        return []

    def speaker_of(self, verb: Token) -> str | None:
        """The person who said what `verb` reports: its subject, else the name right beside it."""
        first = self.same_speaker.get(verb.i)
        if first is not None and first.i < verb.i:
            return self.speaker_of(first)
        if verb.lower_ in _QUOTING:
            # "Detik.com quoted Djamal as saying": the speaker is the one quoted.
            for c in verb.children:
                if c.dep_ == "dobj" and (name := self.person_of(c)) is not None:
                    return name
        subjects = [s for s in self.subjects_of(verb) if self.para_of[s.i] == self.para_of[verb.i]]
        if not subjects:
            return self._adjacent_name(verb)
        for subject in subjects:
            name = self.person_of(subject)
            if name is None and (subject.pos_ == "PROPN" or subject.lower_ in self.roles):
                name = self.sal.trailing_name(subject)
            if name is None and subject.pos_ in ("PROPN", "NOUN") and subject.n_lefts + subject.n_rights == 0:
                # 'Holt interjected:' opening a paragraph, the surname tagged a common noun.
                name = self.sal.name_at(subject, subject=True)
            if name is not None:
                return name
        # A subject that names nobody may be a misparse of an aside ('Mr Holt - keen to calm
        # investors - had said'): a name right beside the verb still speaks.
        return self._adjacent_name(verb)

    def _adjacent_name(self, verb: Token) -> str | None:
        """A person named right before the verb, or right after it in '"...," said X' inversion."""
        doc = self.doc
        j = verb.i - 1
        while j >= 0 and doc[j].pos_ in ("ADV", "AUX", "PART", "SPACE") and self.sal.name_at(doc[j]) is None:
            j -= 1
        if j > 0 and doc[j].text == ")":
            # 'Sen. Ann Holt (D-Ore.) said': a bracketed tag between the name and the verb.
            k = next((k for k in range(j - 1, max(-1, j - 8), -1) if doc[k].text == "("), None)
            if k is not None:
                j = k - 1
        if j >= 0 and self.quote_of[j] < 0 and self.para_of[j] == self.para_of[verb.i]:
            name = self.sal.name_at(doc[j])
            if name is not None:
                return name
        if j >= 0 and (doc[j].is_quote or doc[j].text == ","):
            for t in doc[verb.i + 1 : verb.i + 7]:
                if t.is_punct or t.is_space or t.pos_ in ("VERB", "AUX", "ADP", "PRON", "SCONJ"):
                    break  # the name follows the verb: '"...," said analyst Ann Holt.'
                name = self.sal.name_at(t)
                if name is not None:
                    return name
        if j >= 0 and doc[j].text == ",":
            # "Tom Molomby, SC, said": a name before a short aside set off by commas.
            for t in reversed(doc[max(0, j - 8) : j]):
                if t.pos_ in VERBS or t.is_quote or t.text in SENTENCE_END or "\n" in t.text:
                    break
                name = self.sal.name_at(t)
                if name is not None and doc[t.i + 1].text == "," and not self._ends_a_clause(t.i, j):
                    return name
        if j >= 0 and doc[j].text in _ASIDE_MARKS:
            return self._name_before_aside(j)
        return None

    def _ends_a_clause(self, i: int, close: int) -> bool:
        """ "Mr Holt, asked about arrests under Mr Dunn, said": a name right before the comma
        that closes an aside with a verb in it is the aside's object, not the speaker."""
        if i + 1 != close:
            return False
        verb = False
        for t in reversed(self.doc[max(0, i - MAX_ASIDE_TOKENS) : i]):
            if t.text == ",":
                return verb  # the aside's opening comma ('said Pelly, explaining' has none)
            if t.is_quote or t.text in SENTENCE_END or "\n" in t.text:
                return False
            verb = verb or t.pos_ in VERBS
        return False

    def _name_before_aside(self, close: int) -> str | None:
        """'Ann Holt, who runs the team, said' / 'Mr Holt - keen to calm investors - had said':
        the name right before an aside set off by commas or dashes, the parse having hung the
        name inside the aside or nowhere. The aside's opening mark is searched for within
        `MAX_ASIDE_TOKENS` tokens of the same sentence and paragraph."""
        doc = self.doc
        mark = doc[close].text
        marks = (",",) if mark == "," else tuple(m for m in _ASIDE_MARKS if m != ",")
        for k in range(close - 2, max(0, close - MAX_ASIDE_TOKENS) - 1, -1):
            t = doc[k]
            if t.is_quote or t.text in SENTENCE_END or "\n" in t.text or self.quote_of[k] >= 0:
                return None
            if t.text in marks:
                return self.sal.name_at(doc[k - 1]) if k > 0 else None
        return None

    def continued_speaker(
        self, resolved: str | None, cue: Token, start: int, prior: Found | None
    ) -> str | None:
        """'"We were wrong," Holt told the paper. "Nobody listened," he said.': a "he" or "she"
        attributing a quote is the previous quote's speaker when the narration between names
        nobody else and the gender fits; otherwise the salience reading (`resolved`) stands."""
        pronoun = self.pronoun_subject(cue)
        if pronoun is None or prior is None or prior.speaker is None or prior.speaker == resolved:
            return resolved
        gender = SUBJECT_PRONOUNS[pronoun.lower_]
        if self.sal.gender.get(prior.speaker, gender) != gender:
            return resolved
        if self.para_of[cue.i] - self.para_of[min(prior.hi, len(self.doc) - 1)] > 1:
            return resolved
        named = self.sal.named_between(prior.end, start)
        return prior.speaker if named <= {prior.speaker} else resolved

    def carry_speakers(self, found: Sequence[Found]) -> None:
        """Apply `continued_speaker` to every quote in text order, reported or direct: a "he
        said" quote found as reported speech ('"...," he said, referring to ...') follows the
        quote before it as a direct one does; quotes continuing a corrected one follow it."""
        prior: Found | None = None
        moved: dict[int, str | None] = {}  # cue token -> the speaker it was given here
        for f in sorted(found, key=lambda f: f.start):
            if f.cue is not None and f.inherited and f.cue.i in moved:
                f.speaker = moved[f.cue.i]
            elif f.cue is not None and not f.inherited and prior is not None and prior.end <= f.start:
                speaker = self.continued_speaker(f.speaker, f.cue, f.start, prior)
                if speaker != f.speaker:
                    moved[f.cue.i] = f.speaker = speaker
            if prior is None or f.end >= prior.end:
                prior = f

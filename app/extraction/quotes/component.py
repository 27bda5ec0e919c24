"""Quotes: direct speech inside quotation marks and reported speech, with resolved speakers.

Sets `doc._.newsmeta_quotes`, a list of `Quote` records in text order. Everything is read
off what earlier components left on the `Doc` (the model's dependency parse,
`doc._.newsmeta_people`, `doc._.newsmeta_positions`); the model never runs again.

Per-Doc indexes come first (quotation spans from `marks.quoted_spans`, paragraphs, prefix
word counts, a salience record of people's mentions); then passes, each linear in the Doc:

1. Reported speech: a reporting verb ("said", "warned", "according to") and its content
   clause. A content clause that is (nearly) all quotation becomes a direct quote instead.
2. Direct speech: each remaining quotation is attributed to the verb that governs it in
   the parse, to a reporting verb next to it, to a name beside it or signed under it, to
   the speaker of the quote just before it ("continuation"), or, standing as sentences of
   its own, to the person the narration is about.
3. Block quotes: a paragraph without marks after 'X replied:'; pull quotes signed 'Ann Holt'.

Speakers are people from `doc._.newsmeta_people`; pronouns, "Mr/Mrs X" and definite
descriptions ("he", "the Kremlin spokesperson") resolve by one salience reading with
gender from evidence (honorifics, role nouns, given names). See docs/quotes.md.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Token

from app.extraction.quotes.lexicon import HONORIFICS_FILE, CueLexicon, load_cues, load_genders, load_words
from app.extraction.quotes.marks import quoted_spans
from app.extraction.records import Position, Quote, QuoteKind

# A pull quote is speech in the first person.
_FIRST_PERSON = frozenset(
    {"I", "I'm", "I've", "I'd", "I'll", "my", "My", "me", "we", "We", "our", "Our", "us"}
)
_ALL_MARKS = "\"\u201c\u201d\u2018\u2019'"
# A quotation of at most this many words may be a scare quote inside a sentence of speech.
SCARE_QUOTE_WORDS = 2
# Reported content longer than this many tokens is cut: no statement in news runs longer, and
# the bound keeps the work per reporting verb constant whatever the parse of a long sentence.
MAX_CONTENT_TOKENS = 250
# Salience looks back over at most this many mentions for a pronoun's antecedent.
MAX_SALIENCE_EVENTS = 200

if not Doc.has_extension("newsmeta_quotes"):
    Doc.set_extension("newsmeta_quotes", default=None)


# --------------------------------------------------------------------------- people

_SUBJECT_PRONOUNS = {"he": "m", "she": "f"}
_RELATIVE = {"who", "that", "which"}
_DEFINITE = {"the", "this", "that"}
_WH = {"when", "whether", "why", "how", "what", "where", "who", "whom", "which", "if"}
_NAME_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
_VERBS = {"VERB", "AUX"}
# Words that make a title another office than its head noun names.
_NOT_THE_OFFICE = {"shadow", "deputy", "vice", "former", "assistant", "junior", "ex"}
_SENTENCE_END = {".", "!", "?"}
_QUOTING = {"quoted", "quotes", "quoting", "cited", "cites", "citing"}


class _PeopleIndex:
    """Mentions of people by character offset, for lookups in O(log n)."""

    def __init__(
        self, clusters: Iterable[Any], text: str = "", genders: Mapping[str, str] | None = None
    ) -> None:
        clusters = list(clusters)
        genders = genders or {}
        rows: list[tuple[int, int, str]] = sorted((s, e, str(c.name)) for c in clusters for s, e in c.spans)
        self.rows = rows
        self.starts = [r[0] for r in rows]
        self.starts_of: dict[str, list[int]] = {}  # each person's mention starts, in order
        for s, _, name in rows:
            self.starts_of.setdefault(name, []).append(s)
        # Surname -> person, for a mention the entity recogniser missed ("Henderson said" read
        # as a place); a surname two people share maps to None.
        self.surnames: dict[str, str | None] = {}
        self.sharing: dict[str, set[str]] = {}  # surname -> every person bearing it
        for c in clusters:
            for form in {c.name, *getattr(c, "aliases", ())}:
                last = form.split()[-1] if form.split() else ""
                if last[:1].isupper() and last.lower() not in _NAME_SUFFIXES:
                    known = self.surnames.get(last, c.name)
                    self.surnames[last] = c.name if known == c.name else None
                    self.sharing.setdefault(last, set()).add(str(c.name))
        # Gender from the words before each mention ("Mrs Holt", "the spokeswoman, Ann Holt")
        # and the given name; conflicting evidence leaves it unknown.
        self.gender: dict[str, str] = {}
        for c in clusters if genders else ():
            seen = set()
            first = str(c.name).split()[0].lower() if str(c.name).split() else ""
            if first in genders:  # a given name, or an honorific the name kept
                seen.add(genders[first])
            for s, _ in c.spans:
                before = text[max(0, s - 30) : s].replace(",", " ").split()[-1:]
                if before and before[0].lower() in genders:
                    seen.add(genders[before[0].lower()])
            if len(seen) == 1:
                self.gender[str(c.name)] = seen.pop()

    def same_surname(self, name: str) -> set[str]:
        """Other people of the article who share `name`'s surname."""
        last = name.split()[-1] if name.split() else ""
        return self.sharing.get(last, set()) - {name}

    def covering(self, start: int, end: int) -> str | None:
        """The person named by a mention that overlaps [start, end)."""
        k = bisect.bisect_left(self.starts, end) - 1
        while k >= 0 and self.rows[k][0] > start - 80:
            s, e, name = self.rows[k]
            if s < end and e > start:
                return name
            k -= 1
        return None

    def mentions_before(self, pos: int) -> Iterable[tuple[int, int, str]]:
        """Mentions starting before `pos`, nearest first."""
        k = bisect.bisect_left(self.starts, pos) - 1
        while k >= 0:
            yield self.rows[k]
            k -= 1


def _tense(verb: Token) -> str:
    """ "past", "present" or "modal", from the verb's first auxiliary or its own tag."""
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass") and c.i < verb.i]
    tag = auxes[0].tag_ if auxes else verb.tag_
    if tag == "MD":
        return "modal"
    return "past" if tag in ("VBD", "VBN") else "present"


# --------------------------------------------------------------------------- the component


@dataclass
class _Found:
    """A quote before its speaker is known: token range of the content and its cue."""

    start: int  # character offsets of the quoted text
    end: int
    kind: QuoteKind
    cue: Token | None
    lo: int  # token range of the content, inclusive
    hi: int
    speaker: str | None = None
    inherited: bool = False


@Language.factory("newsmeta_quotes", default_config={"min_direct_words": 4, "salience_sentences": 5})
def make_quote_finder(
    nlp: Language, name: str, min_direct_words: int, salience_sentences: int
) -> QuoteFinder:
    return QuoteFinder(min_direct_words=min_direct_words, salience_sentences=salience_sentences)


class QuoteFinder:
    """The `newsmeta_quotes` component: word lists are loaded once, here."""

    def __init__(
        self,
        *,
        min_direct_words: int = 4,
        salience_sentences: int = 5,
        cues: CueLexicon | None = None,
        roles: frozenset[str] | None = None,
    ) -> None:
        self.min_direct_words = min_direct_words
        self.salience_sentences = salience_sentences
        self.cues = cues or load_cues()
        self.roles = roles or load_words()
        self.genders = load_genders()
        self.honorifics = load_words(HONORIFICS_FILE)

    def __call__(self, doc: Doc) -> Doc:
        doc._.newsmeta_quotes = _DocQuotes(doc, self).run()
        return doc


def pronoun_resolver(doc: Doc, finder: QuoteFinder) -> Callable[[Token], str | None]:
    """Who a subject "he" or "she" outside quotation marks stands for, by the same salience
    that resolves pronoun speakers; for components that run before this one."""
    state = _DocQuotes(doc, finder)
    if not state.has_parse:
        return lambda t: None
    state._track_salience()

    def resolve(t: Token) -> str | None:
        if t.lower_ not in _SUBJECT_PRONOUNS or state.quote_of[t.i] >= 0:
            return None
        return state._pronoun(t)

    return resolve


class _DocQuotes:
    """The work on one document; holds the per-document indexes."""

    def __init__(self, doc: Doc, finder: QuoteFinder) -> None:
        self.doc = doc
        self.text = doc.text
        self.cues = finder.cues
        self.roles = finder.roles
        self.genders = finder.genders
        self.honorifics = finder.honorifics
        self.min_words = finder.min_direct_words
        self.window = finder.salience_sentences
        people = doc._.newsmeta_people if Doc.has_extension("newsmeta_people") else None
        positions = doc._.newsmeta_positions if Doc.has_extension("newsmeta_positions") else None
        self.people = _PeopleIndex(people or [], self.text, finder.genders)
        self.positions: list[Position] = list(positions or [])
        self.positions_by_word: dict[str, list[Position]] = {}  # title word -> positions
        for p in self.positions:
            title = p.title.lower()
            for word in {*title.replace("-", " ").split(), title}:
                self.positions_by_word.setdefault(word, []).append(p)
        self.quoted = quoted_spans(doc)
        n = len(doc)
        starts = [t.idx for t in doc]
        self.token_starts = starts
        self.quote_of = [-1] * n
        self.qtokens: list[tuple[int, int]] = []
        for k, span in enumerate(self.quoted):
            a = bisect.bisect_left(starts, span.start)
            b = bisect.bisect_left(starts, span.end)
            self.qtokens.append((a, b))
            for i in range(a, b):
                self.quote_of[i] = k
        self.has_parse = doc.has_annotation("DEP")
        # Per-token arrays computed once, so that every question about a token range below is
        # answered in constant or logarithmic time: the component stays linear in the Doc.
        is_word = [not (t.is_punct or t.is_space) for t in doc]
        self.words_before = [0] * (n + 1)  # word tokens in doc[:i]
        for i in range(n):
            self.words_before[i + 1] = self.words_before[i] + is_word[i]
        self.next_word = [n] * (n + 1)  # first word token at or after i
        for i in range(n - 1, -1, -1):
            self.next_word[i] = i if is_word[i] else self.next_word[i + 1]
        self.prev_word = [-1] * n  # last word token at or before i
        for i in range(n):
            self.prev_word[i] = i if is_word[i] else (self.prev_word[i - 1] if i else -1)
        self.quote_words = [self._words_in(a, b - 1) for a, b in self.qtokens]
        self.mark_pos = [i for i, ch in enumerate(self.text) if ch in '"“”']
        # Paragraph number of each token: the parse sometimes runs a sentence across a line
        # break, but a speaker and what they said never straddle one.
        self.para_of = [0] * n
        self.para_first: list[int] = [0]
        para = 0
        for t in doc:
            self.para_of[t.i] = para
            if "\n" in t.text:  # a blank line between paragraphs is one break, not two
                para += 1
                self.para_first.append(t.i + 1)
        self.sent_of = [0] * n
        self.sent_starts: list[int] = []
        if self.has_parse:
            for n_sent, sent in enumerate(doc.sents):
                self.sent_starts.append(sent.start)
                for i in range(sent.start, sent.end):
                    self.sent_of[i] = n_sent
        # Tokens a content range is searched for, by kind, in text order (see `_clauses`).
        self.that_conj: list[int] = []
        self.aside_at: list[int] = []
        self.reporting_sents: set[int] = set()
        if self.has_parse:
            for t in doc:
                if t.dep_ == "conj" and t.pos_ in _VERBS and doc[t.left_edge.i].lower_ == "that":
                    self.that_conj.append(t.i)
                if t.lower_ in self.cues.aside and t.dep_ in ("advcl", "conj", "xcomp"):
                    self.aside_at.append(t.i)
                if t.lower_ in self.cues.reporting and any(c.dep_ == "ccomp" for c in t.children):
                    self.reporting_sents.add(self.sent_of[t.i])
        self.subjects_cache: dict[tuple[int, bool], list[Token]] = {}
        # Salience: (char offset, sentence number, person, rank) of mentions in text order; rank 2
        # for the subject of a main clause, 1 for another subject, 0 for any other mention.
        self.events: list[tuple[int, int, str, int]] = []
        self.event_pos: list[int] = []
        self.gender: dict[str, str] = dict(self.people.gender)
        self.pronoun_cache: dict[int, str | None] = {}
        self.inherit_from: dict[int, Token] = {}

    # ---------------------------------------------------------------- driver

    def run(self) -> list[Quote]:
        if self.has_parse:
            self._track_salience()
        found = self._reported() if self.has_parse else []
        taken = self._covered_quotes(found)
        found.extend(self._direct(taken, found))
        if self.has_parse:
            found.extend(self._block_quotes())
        pulled = self._pull_quotes(found)
        if pulled:  # what the signed paragraph holds is that person's, not unattributed speech
            pull_starts = [p.start for p in pulled]  # in text order, one per line

            def signed(pos: int) -> bool:
                k = bisect.bisect_right(pull_starts, pos) - 1
                return k >= 0 and pos < pulled[k].end

            found = [f for f in found if f.speaker is not None or not signed(f.start)]
            found.extend(pulled)
        found.sort(key=lambda f: f.start)
        quotes = []
        for f in found:
            text = self.text[f.start : f.end]
            if f.kind == "indirect" and f.speaker is None:
                continue  # reported speech without a person is too often "reports suggested ..."
            quotes.append(
                Quote(
                    speaker=f.speaker,
                    kind=f.kind,
                    text=text,
                    start=f.start,
                    end=f.end,
                    cue=f.cue.text if f.cue is not None else None,
                )
            )
        return quotes

    # ---------------------------------------------------------------- salience and speakers

    def _track_salience(self) -> None:
        """Record mentions of people in text order, ranking subjects of main clauses highest.

        Pronouns are resolved during the same pass, so "he" can lean on an earlier "he".
        """
        mention_starts = {s for s, _, _ in self.people.rows}
        for t in self.doc:
            if self.quote_of[t.i] >= 0:
                continue
            source = t.dep_ == "pobj" and t.head.lower_ == "to" and t.head.head.lower_ == "according"
            if (t.dep_ in ("nsubj", "nsubjpass") and t.head.pos_ in _VERBS) or source:
                name = self._person_of(t)
                if name is not None:
                    head = t.head
                    # The source of "according to X" is as salient as a main clause's subject.
                    main = source or head.dep_ == "ROOT" or (head.dep_ == "conj" and head.head.dep_ == "ROOT")
                    self._add_event(t.idx, t.i, name, 2 if main else 1)
                    continue
            if t.idx in mention_starts:
                name = self.people.covering(t.idx, t.idx + 1)
                if name is not None:
                    self._add_event(t.idx, t.i, name, 0)

    def _add_event(self, pos: int, i: int, name: str, rank: int) -> None:
        self.events.append((pos, self.sent_of[i], name, rank))
        self.event_pos.append(pos)

    def _pronoun(self, t: Token) -> str | None:
        """The most salient person before `t`: a main-clause subject, else the nearest mention."""
        if t.i in self.pronoun_cache:
            return self.pronoun_cache[t.i]
        gender = _SUBJECT_PRONOUNS[t.lower_]
        sent = self.sent_of[t.i]
        k = bisect.bisect_left(self.event_pos, t.idx)
        nearest: list[str | None] = [None, None, None]
        unknown: set[str] = set()  # compatible people of unknown gender seen on the way
        for j in range(k - 1, max(-1, k - 1 - MAX_SALIENCE_EVENTS), -1):
            _, s, name, rank = self.events[j]
            if s < sent - self.window:
                break
            if self.gender.get(name, gender) != gender:
                continue
            if name not in self.gender:
                unknown.add(name)
            if rank == 2:
                nearest[2] = name
                break
            if nearest[rank] is None:
                nearest[rank] = name
        best = nearest[2] or nearest[1] or nearest[0]
        if best is not None and unknown == {best}:
            # Learn the gender only when nobody else could have been meant: a wrong guess
            # learnt here would turn every later pronoun about these people round.
            self.gender[best] = gender
        self.pronoun_cache[t.i] = best
        return best

    def _person_of(self, t: Token, depth: int = 0) -> str | None:
        """The person a noun phrase headed by `t` refers to, or None."""
        low = t.lower_
        if low in _SUBJECT_PRONOUNS:
            return self._pronoun(t)
        if low in _RELATIVE and t.head.dep_ == "relcl" and depth < 2:
            # "X, a management expert at Stanford University, who stated": the parse may hang
            # the clause on the last noun; climb through prepositions and appositions to X.
            node = t.head.head
            for _ in range(4):
                name = self._person_of(node, depth + 1)
                if name is not None or low != "who":
                    return name
                if node.dep_ == "pobj" and node.head.dep_ == "prep" and node.head.head is not node.head:
                    node = node.head.head
                elif node.dep_ == "appos" and node.head is not node:
                    node = node.head
                else:
                    break
            return None
        name = self.people.covering(t.idx, t.idx + len(t.text))
        if name is None and (
            t.pos_ == "PROPN" or (t.pos_ == "NOUN" and t.text[:1].isupper() and not t.is_sent_start)
        ):
            # The article's surname, also where the tagger took it for a plural noun ('Sanders').
            name = self.people.surnames.get(t.text)
        if name is not None and self._other_given_name(t, name):
            return None  # 'said German Ortega' is not the article's Freddy Ortega
        if name is not None:
            name = self._same_surname(t, name)
            self._note_gender(t, name)
            return name
        if depth < 2:
            # A bare title may coordinate with the name: "academic and professor Marc Lamont Hill".
            bare = t.pos_ == "NOUN" and not any(c.dep_ in ("det", "poss") for c in t.children)
            for child in t.children:
                if child.dep_ == "appos" or (bare and child.dep_ == "conj"):
                    name = self._person_of(child, depth + 1)
                    if name is not None:
                        return name
        if t.pos_ == "NOUN" and low in self.roles and self._is_definite(t):
            return self._description(t)
        return None

    def _other_given_name(self, t: Token, name: str) -> bool:
        """'German Ortega' when the article's Ortega is Freddy: a given name before a surname
        that is no part of the name of the person it was matched to is someone else's."""
        if t.i == 0 or t.text != name.split()[-1] or t.ent_iob_ != "I" or t.ent_type_ != "PERSON":
            return False
        given = self.doc[t.i - 1]  # one person's name to the model, titles apart
        return (
            given.pos_ == "PROPN"
            and given.lower_.rstrip(".") not in self.honorifics
            and given.lower_ not in name.lower()
        )

    def _gender_before(self, t: Token) -> str | None:
        """The gender an honorific or role noun right before a name gives: "Mrs Holt"."""
        for w in t.lefts:
            g = self.genders.get(w.lower_)
            if g is not None and w.i < t.i:
                return g
        return None

    def _same_surname(self, t: Token, name: str) -> str:
        """'Mrs Holt' when the article has a Mr and a Mrs Holt: the person of the honorific's
        gender, the one mentioned last before `t` if two fit."""
        g = self._gender_before(t)
        others = self.people.same_surname(name)
        if g is None or not others or self.gender.get(name, g) == g:
            return name
        fits = [o for o in others if self.gender.get(o) == g]
        if not fits:
            return name
        return max(fits, key=lambda o: self._last_mention(o, t.idx))

    def _note_gender(self, t: Token, name: str) -> None:
        if name in self.gender:
            return
        g = self._gender_before(t)
        if g is not None:
            self.gender[name] = g

    @staticmethod
    def _is_definite(t: Token) -> bool:
        return any(c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ in _DEFINITE) for c in t.children)

    def _description(self, t: Token) -> str | None:
        """Resolve "the spokesperson" / "the Kremlin spokesperson" to a person with that role."""
        noun = t.lower_
        modifiers = {
            w.lower_ for c in t.children if c.dep_ in ("compound", "amod", "nmod", "poss") for w in c.subtree
        }
        best: tuple[int, int, str] | None = None
        for p in self.positions_by_word.get(noun, ()):
            words = set(p.title.lower().replace("-", " ").split())
            if words & _NOT_THE_OFFICE - modifiers:
                continue  # "the chancellor" is not the shadow chancellor, nor a former one
            context = " ".join(x for x in (p.title, p.organisation or "", p.country or "") if x).lower()
            fit = sum(1 for m in modifiers if m in context)
            last = self._last_mention(p.person, t.right_edge.idx + 1)
            if last < 0:
                continue  # a description refers to someone named before it or inside its phrase
            key = (fit, last, p.person)
            if best is None or key[:2] > best[:2]:
                best = key
        if best is not None:
            return best[2]
        # No position record: the nearest earlier person introduced with that role word.
        for s, e, name in self.people.mentions_before(t.idx):
            if t.idx - s > 4000:
                break
            # The role must introduce this mention, not open the next sentence or paragraph.
            before = self.text[max(0, s - 60) : s].rsplit("\n", 1)[-1]
            after = self.text[e : e + 60].split("\n", 1)[0]
            after = after.split(". ", 1)[0]
            around = (before + " " + after).lower().replace(",", " ").split()
            if noun in around and not (set(around) & _NOT_THE_OFFICE - modifiers):
                return name
        return None

    def _last_mention(self, name: str, pos: int) -> int:
        starts = self.people.starts_of.get(name, [])
        k = bisect.bisect_left(starts, pos) - 1
        return starts[k] if k >= 0 else -1

    def _subjects_of(self, verb: Token, depth: int = 0) -> list[Token]:
        """Subjects of `verb`, nearest first, inherited through participles and coordination."""
        key = (verb.i, depth > 0)
        if key not in self.subjects_cache or verb.i in self.inherit_from:
            self.subjects_cache[key] = self._find_subjects(verb, depth)
        return self.subjects_cache[key]

    def _find_subjects(self, verb: Token, depth: int) -> list[Token]:
        if verb.i in self.inherit_from and depth < 4:
            return self._subjects_of(self.inherit_from[verb.i], depth + 1)
        own = [c for c in verb.children if c.dep_ == "nsubj" or (depth > 0 and c.dep_ == "nsubjpass")]
        if own:
            # "Malaysia's Prime Minister, Najib Razak said": the parse may give two subjects.
            return sorted(own, key=lambda c: abs(verb.i - c.i))
        if depth >= 3 or verb.head is verb:
            return []
        if self.quote_of[verb.head.i] >= 0 and self.quote_of[verb.i] < 0:
            return []  # '"We were wrong," Ramos, 58, told AFP': not the quotation's "We"
        if verb.dep_ in ("conj", "advcl", "xcomp", "dep") or (verb.dep_ == "ccomp" and verb.tag_ == "VBG"):
            # "dep": "Clinton, exasperated, responded:" hangs the verb loosely on the first one.
            return self._subjects_of(verb.head, depth + 1)
        if verb.dep_ == "pcomp" and verb.head.head is not verb.head:
            return self._subjects_of(verb.head.head, depth + 1)  # "quoted as saying"
        if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
            noun = verb.head
            if noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.pos_ in _VERBS:
                return self._subjects_of(noun.head.head, depth + 1)  # "resigned in a letter stating ..."
            if noun.dep_ == "dobj" and noun.head.pos_ in _VERBS:
                # "X issued a statement saying ...": the statement, else who issued it.
                return [noun, *self._subjects_of(noun.head, depth + 1)]
            return [noun]  # "a statement saying ...": the statement is the source
        return []

    def _speaker_of(self, verb: Token) -> str | None:
        """The person who said what `verb` reports: its subject, else the name right beside it."""
        if verb.lower_ in _QUOTING:
            # "Detik.com quoted Djamal as saying": the speaker is the one quoted.
            for c in verb.children:
                if c.dep_ == "dobj" and (name := self._person_of(c)) is not None:
                    return name
        subjects = [s for s in self._subjects_of(verb) if self.para_of[s.i] == self.para_of[verb.i]]
        if not subjects:
            return self._adjacent_name(verb)
        for subject in subjects:
            name = self._person_of(subject)
            if name is None and (subject.pos_ == "PROPN" or subject.lower_ in self.roles):
                name = self._trailing_name(subject)
            if name is not None:
                return name
        return None

    def _trailing_name(self, subject: Token) -> str | None:
        """'Chief officer at X Group Charlie Smith said': a name closing the subject phrase.

        The parse may hang the name under an organisation; it is still the subject's name
        unless a preposition governs it directly ("a spokesman for Bill Gates").
        """
        doc = self.doc
        last = subject.right_edge
        name = self.people.covering(last.idx, last.idx + len(last.text))
        if name is None:
            return None
        first = last
        while first.i > subject.left_edge.i:
            prev = doc[first.i - 1]
            if self.people.covering(prev.idx, prev.idx + len(prev.text)) != name:
                break
            first = prev
        if first.i == 0 or doc[first.i - 1].pos_ == "ADP":
            return None
        return name

    def _name_at(self, t: Token) -> str | None:
        """The person a single token names: a mention, or the article's surname where the
        tagger took it for another word ('said Skelly' read as an adverb)."""
        name = self.people.covering(t.idx, t.idx + len(t.text))
        if name is None and t.text[:1].isupper() and not t.is_sent_start and t.pos_ != "PRON":
            name = self.people.surnames.get(t.text)
        return name

    def _adjacent_name(self, verb: Token) -> str | None:
        """A person named right before the verb, or right after it in '"...," said X' inversion."""
        doc = self.doc
        j = verb.i - 1
        while j >= 0 and doc[j].pos_ in ("ADV", "AUX", "PART", "SPACE") and self._name_at(doc[j]) is None:
            j -= 1
        if j > 0 and doc[j].text == ")":
            # 'Sen. Ann Holt (D-Ore.) said': a bracketed tag between the name and the verb.
            k = next((k for k in range(j - 1, max(-1, j - 8), -1) if doc[k].text == "("), None)
            if k is not None:
                j = k - 1
        if j >= 0 and self.quote_of[j] < 0 and self.para_of[j] == self.para_of[verb.i]:
            name = self._name_at(doc[j])
            if name is not None:
                return name
        if j >= 0 and (doc[j].is_quote or doc[j].text == ","):
            for t in doc[verb.i + 1 : verb.i + 7]:
                if t.is_punct or t.is_space or t.pos_ in ("VERB", "AUX", "ADP", "PRON", "SCONJ"):
                    break  # the name follows the verb: '"...," said analyst Ann Holt.'
                name = self._name_at(t)
                if name is not None:
                    return name
        if j >= 0 and doc[j].text == ",":
            # "Tom Molomby, SC, said": a name before a short aside set off by commas.
            for t in reversed(doc[max(0, j - 8) : j]):
                if t.pos_ in _VERBS or t.is_quote or t.text in _SENTENCE_END or "\n" in t.text:
                    break
                name = self._name_at(t)
                if name is not None and doc[t.i + 1].text == ",":
                    return name
        return None

    # ---------------------------------------------------------------- reported speech

    def _reported(self) -> list[_Found]:
        found: list[_Found] = []
        for t in self.doc:
            if self.quote_of[t.i] >= 0:
                continue
            low = t.lower_
            if low in self.cues.reporting and t.pos_ in _VERBS and not self._prevented(t):
                for c, hi in self._complements(t):
                    found.extend(self._clauses(t, c, hi))
                found.extend(self._parenthetical(t))
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
            elif low == "according":
                found.extend(self._according(t))
        # A cue inside another cue's content is part of what was reported ("said he believes ...").
        kept: list[_Found] = []
        seen: set[tuple[int, int]] = set()
        covered = self._depth(found)
        for f in found:
            own = f.cue is not None and f.lo <= f.cue.i <= f.hi
            nested = f.cue is not None and covered[f.cue.i] - own > 0
            # Two clauses of one quotation ("There is anger, there is no doubt") are one quote.
            if not nested and (f.start, f.end) not in seen:
                seen.add((f.start, f.end))
                kept.append(f)
        for f in kept:
            if f.speaker is None and f.cue is not None and f.cue.lower_ != "according":
                f.speaker = self._speaker_of(f.cue)
        return kept

    def _parenthetical(self, verb: Token) -> list[_Found]:
        """'His plan, he stated, was for ...': a reporting aside set in the clause it reports."""
        doc = self.doc
        if verb.dep_ != "parataxis" or not any(c.dep_ == "nsubj" for c in verb.children):
            return []
        lo_aside, hi_aside = verb.left_edge.i, verb.right_edge.i
        while lo_aside < verb.i and doc[lo_aside].is_quote:
            lo_aside += 1  # "This 'switch', he said, ...": the parse may hang the closing mark here
        if doc[lo_aside].text != ",":
            lo_aside -= 1
        if doc[hi_aside].text != ",":
            hi_aside += 1
        if lo_aside < 1 or hi_aside + 1 >= len(doc) or doc[lo_aside].text != "," or doc[hi_aside].text != ",":
            return []
        head = verb.head
        lo, hi = head.left_edge.i, head.right_edge.i
        if not lo < lo_aside or hi <= hi_aside + 2 or hi - lo > MAX_CONTENT_TOKENS:
            return []
        if any(self._speech_quote(self.quote_of[t.i]) for t in doc[lo : hi + 1] if self.quote_of[t.i] >= 0):
            return []  # '"...," he said, "..."' and 'Of X, he said, "..."': direct speech, read elsewhere
        lo, hi = self._clip(lo, hi, verb)
        if hi - lo < 4:
            return []
        return [self._as_found(lo, hi, verb)]

    def _speech_quote(self, k: int) -> bool:
        """Whether quotation `k` holds speech rather than a word or two in scare quotes."""
        return self.quote_words[k] > SCARE_QUOTE_WORDS

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
            if c.dep_ != "ccomp" or (c.tag_ == "VBG" and c.lower_ in self.cues.reporting):
                continue  # "saying ..., and merely saying that ...": a reporting verb of its own
            if c.i < verb.i and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children):
                continue  # a fronted "that" clause is a misparse far more often than real
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

    def _joined_clause(self, verb: Token, hi: int) -> int:
        """Where reported content ends when the parse hung a second clause on the reporting verb.

        "X claims that A and she was forced to ...": a clause after "and" with its own subject,
        in a tense other than the reporting verb's, continues what was reported; one in the
        same tense ("X said A, and the board agreed") is the narrator's.
        """
        doc = self.doc
        for c in verb.children:
            if c.dep_ != "conj" or c.i <= hi or c.pos_ not in _VERBS or c.lower_ in self.cues.reporting:
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

    def _clauses(self, verb: Token, head: Token, hi: int | None = None) -> list[_Found]:
        """The content clause headed by `head`: split at "..., and that ...", cut of trailing asides."""
        doc = self.doc
        lo, hi = head.left_edge.i, head.right_edge.i if hi is None else hi
        if lo <= verb.i <= hi or any(self._asks(t, head) for t in doc[lo : min(hi, lo + 1) + 1]):
            return []  # a crossing parse, or an indirect question ("declined to say when ...")
        # Reported content stays within the verb's paragraph (see `_clip`) and a bounded length,
        # so that no parse makes the work on one verb grow with the document.
        para = self.para_of[verb.i]
        if para + 1 < len(self.para_first):
            hi = min(hi, self.para_first[para + 1] - 1)
        hi = min(hi, lo + MAX_CONTENT_TOKENS)
        # "emphasized that A, and that B": two statements. The parse may hang the second
        # clause anywhere in the first, and may read its "that" as a determiner.
        pieces = [(lo, head)]
        first = bisect.bisect_left(self.that_conj, lo + 1)
        for i in self.that_conj[first : bisect.bisect_right(self.that_conj, hi)]:
            k = doc[i]
            if k.left_edge.i > pieces[-1][0]:
                pieces.append((k.left_edge.i, k))
        out: list[_Found] = []
        for n, (p_lo, p_head) in enumerate(pieces):
            p_hi = pieces[n + 1][0] - 1 if n + 1 < len(pieces) else hi
            p_hi = self._cut_aside(p_lo, p_hi, verb)
            p_lo, p_hi = self._clip(p_lo, p_hi, verb)
            if p_hi - p_lo >= 2 and p_lo <= p_head.i <= p_hi:
                out.append(self._as_found(p_lo, p_hi, verb))
        return out

    @staticmethod
    def _asks(t: Token, head: Token) -> bool:
        """Whether `t`, opening a content clause headed by `head`, makes it an indirect question.

        'said if elected he would serve' states a condition: the "if" belongs to a clause
        inside the content ('elected'), not to the content's own verb ('serve').
        """
        if t.lower_ not in _WH:
            return False
        if t.lower_ == "if" and t.dep_ == "mark" and t.head is not head and t.head.dep_ == "advcl":
            return False
        return True

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
                self.inherit_from[x.i] = verb
                return x.i - 2  # the comma, or the quotation mark closing after it
        return hi

    def _according(self, according: Token) -> list[_Found]:
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
                    if c.dep_ == "pcomp" and self.people.covering(c.idx, c.idx + len(c.text))
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
        left = self._clip(sent.start, a_lo - 1, according)
        right = self._clip(a_hi + 1, sent.end - 1, according)
        lo, hi = max(left, right, key=lambda r: r[1] - r[0])
        if hi - lo < 2:
            return []
        f = self._as_found(lo, hi, according)
        f.speaker = self._person_of(source) or self._trailing_name(source)
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

    def _as_found(self, lo: int, hi: int, cue: Token) -> _Found:
        """A content range; direct when a single quotation makes up most of it."""
        doc = self.doc
        first = self.next_word[lo]
        k = self.quote_of[first] if first <= hi else -1
        if k >= 0:
            # All or nearly all the clause in marks, opening with them: "he said that "We will ..."".
            a, b = self.qtokens[k]
            inside = self._words_in(max(a, lo), min(b - 1, hi))
            if inside >= 0.8 * self._words_in(lo, hi):
                start, end = self._trim_chars(self.quoted[k].start, self.quoted[k].end)
                return _Found(start, end, "direct", cue, lo, hi)
        start, end = self._balanced(doc[lo].idx, doc[hi].idx + len(doc[hi].text))
        return _Found(start, end, "indirect", cue, lo, hi)

    def _words_in(self, lo: int, hi: int) -> int:
        """Word tokens (not punctuation or space) in doc[lo : hi + 1]."""
        return self.words_before[hi + 1] - self.words_before[lo] if lo <= hi else 0

    def _balanced(self, start: int, end: int) -> tuple[int, int]:
        """Widen reported text by one quotation mark when it would otherwise hold half a pair."""
        text = self.text
        marks = bisect.bisect_left(self.mark_pos, end) - bisect.bisect_left(self.mark_pos, start)
        if marks % 2:
            if end < len(text) and text[end] in '"”':
                end += 1
            elif start > 0 and text[start - 1] in '"“':
                start -= 1
        return start, end

    def _clip(self, lo: int, hi: int, verb: Token) -> tuple[int, int]:
        """Keep a content range inside the verb's paragraph and off quotations it only grazes."""
        para = self.para_of[verb.i]
        lo = max(lo, self.para_first[para])
        if para + 1 < len(self.para_first):
            hi = min(hi, self.para_first[para + 1] - 1)
        lo, hi = self._trim(lo, hi)
        if lo <= hi and self.quote_of[lo] >= 0:
            first, last = self._quote_words(self.quote_of[lo])
            if first < lo:
                lo = last + 1
        if lo <= hi and self.quote_of[hi] >= 0:
            first, last = self._quote_words(self.quote_of[hi])
            if last > hi:
                hi = first - 1
        return self._trim(lo, hi)

    def _quote_words(self, k: int) -> tuple[int, int]:
        """First and last word tokens of quotation `k` (its punctuation aside)."""
        a, b = self.qtokens[k]
        if not self.quote_words[k]:
            return a, b - 1
        return self.next_word[a], self.prev_word[b - 1]

    def _trim(self, lo: int, hi: int) -> tuple[int, int]:
        """Drop punctuation, conjunctions and the complementiser "that" from both ends."""
        doc = self.doc
        while lo <= hi:
            lo = self.next_word[lo]  # a run of punctuation in one step
            if lo <= hi and (doc[lo].dep_ == "cc" or (doc[lo].dep_ == "mark" and doc[lo].lower_ == "that")):
                lo += 1
            else:
                break
        while hi >= lo:
            hi = self.prev_word[hi]
            if hi >= lo and doc[hi].dep_ == "cc":
                hi -= 1
            else:
                break
        return lo, hi

    def _trim_chars(self, start: int, end: int) -> tuple[int, int]:
        text = self.text
        while start < end and (text[start].isspace() or text[start] in ",;:"):
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
            end -= 1
        return start, end

    def _covered_quotes(self, found: Sequence[_Found]) -> set[int]:
        """Quotations inside reported content (or already taken as a direct quote there)."""
        covered = self._coverage(found)
        return {
            k
            for k, (a, b) in enumerate(self.qtokens)
            if a < b and covered[b] - covered[a] > 0  # some token of the quotation is covered
        }

    def _depth(self, found: Sequence[_Found]) -> list[int]:
        """How many content ranges cover each token."""
        n = len(self.doc)
        delta = [0] * (n + 1)
        for f in found:
            if f.lo <= f.hi:
                delta[f.lo] += 1
                delta[f.hi + 1] -= 1
        depth = [0] * (n + 1)
        running = 0
        for i in range(n):
            running += delta[i]
            depth[i] = running
        return depth

    def _coverage(self, found: Sequence[_Found]) -> list[int]:
        """Prefix counts of tokens covered by any content range: covered[i] counts doc[:i]."""
        n = len(self.doc)
        delta = [0] * (n + 1)
        for f in found:
            if f.lo <= f.hi:
                delta[f.lo] += 1
                delta[f.hi + 1] -= 1
        covered = [0] * (n + 1)
        depth = 0
        for i in range(n):
            depth += delta[i]
            covered[i + 1] = covered[i] + (depth > 0)
        return covered

    # ---------------------------------------------------------------- direct speech

    def _direct(self, taken: set[int], reported: Sequence[_Found]) -> list[_Found]:
        out: list[_Found] = []
        previous = sorted(reported, key=lambda f: f.end)
        nxt = 0  # previous[:nxt] end before the current quotation
        prior_reported: _Found | None = None
        for k, span in enumerate(self.quoted):
            if k in taken:
                continue
            a, b = self.qtokens[k]
            if a >= b:
                continue
            start, end = self._trim_chars(span.start, span.end)
            words = self.quote_words[k]
            cue = self._attribution(k) if self.has_parse else None
            f = _Found(start, end, "direct", cue, a, b - 1)
            if cue is not None:
                f.speaker = self._speaker_of(cue)
                if self._pronoun_subject(cue) is not None:
                    f.speaker = self._same_speaker(f.speaker, cue, start, previous, nxt, out)
            elif (named := self._named_beside(a, b) or self._in_words_of(a)) is not None:
                f.speaker = named
            else:
                while nxt < len(previous) and previous[nxt].end <= start:
                    prior_reported = previous[nxt]
                    nxt += 1
                # The quote ending last before this one, reported or direct (the direct ones
                # come in text order and never overlap).
                before = [p for p in (prior_reported, out[-1] if out else None) if p and p.end <= start]
                prior = max(before, key=lambda p: p.end) if before else None
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

    def _block_quotes(self) -> list[_Found]:
        """A paragraph set off without marks after 'X said:' / 'He replies:' closing the one before.

        The colon must end its paragraph and follow a reporting verb of the same sentence
        with a person for its subject; the next paragraph, whole, is what they said.
        """
        doc = self.doc
        out: list[_Found] = []
        for p in range(len(self.para_first) - 2):
            first, last = self.para_first[p + 1], self.para_first[p + 2] - 1
            colon = first - 1
            while colon >= 0 and doc[colon].is_space:
                colon -= 1
            if colon < 1 or doc[colon].text != ":" or self.quote_of[colon - 1] >= 0:
                continue
            lo, hi = self._trim(first, last)
            if hi - lo < self.min_words or doc[lo].is_quote or any(self.quote_of[i] >= 0 for i in (lo, hi)):
                continue
            verb = None
            j = colon - 1
            while j >= 0 and j > colon - 8 and self.para_of[j] == p and doc[j].text not in _SENTENCE_END:
                if doc[j].lower_ in self.cues.reporting and doc[j].pos_ in _VERBS:
                    verb = doc[j]
                    break
                j -= 1
            speaker = self._speaker_of(verb) if verb is not None else None
            if speaker is None:
                continue
            stop = last  # the paragraph's own closing punctuation stays with it
            while stop > hi and doc[stop].is_space:
                stop -= 1
            start, end = self._trim_chars(doc[lo].idx, doc[stop].idx + len(doc[stop].text))
            out.append(_Found(start, end, "direct", verb, lo, hi, speaker=speaker))
        return out

    def _pull_quotes(self, found: Sequence[_Found]) -> list[_Found]:
        """A paragraph of first-person speech signed with a full name and nothing else after
        it: 'I was told to leave. Ann Holt' (a pull quote whose marks the text lost)."""
        out: list[_Found] = []
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
            name = self.people.covering(cut + 2, hi) or (
                self.people.surnames.get(words[-1]) if words else None
            )
            if (
                name is None
                or len(words) < 2
                or (signature != name and self.people.covering(cut + 2, hi) is None)
                or words[-1] != name.split()[-1]
                or any(ch in _ALL_MARKS for ch in text[lo:hi])
                or not _FIRST_PERSON.intersection(text[lo:cut].replace(",", " ").split())
                or overlaps(lo, cut)
            ):
                continue
            start, end = self._trim_chars(lo, cut + 1)
            a = bisect.bisect_left(self.token_starts, start)
            b = bisect.bisect_left(self.token_starts, end) - 1
            out.append(_Found(start, end, "direct", None, a, max(a, b), speaker=name))
        return out

    def _utterance(self, k: int, f: _Found, words: int) -> bool:
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
                if h.pos_ in _VERBS:
                    candidates.append(h)
                    break
                if h.head is h:
                    break
                h = h.head
        # The parse can tie a quotation to a verb in another paragraph; speech and its
        # attribution share one (the frame search knows the exceptions), and the nearest cue wins.
        paras = {self.para_of[a], self.para_of[b - 1]}
        candidates = [v for v in candidates if self.para_of[v.i] in paras] + self._frame_verbs(a, b)
        candidates.sort(key=lambda v: min(abs(v.i - a), abs(v.i - b)))
        fallback: Token | None = None
        for v in candidates:
            if v.lower_ in self.cues.any:
                return v
            if fallback is None and self._speaker_of(v) is not None:
                fallback = v
        return fallback

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
            name = self.people.covering(doc[j - 1].idx, doc[j - 1].idx + len(doc[j - 1].text))
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
            return self.people.covering(doc[k].idx, doc[k].idx + len(doc[k].text))
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
            if t.text in _SENTENCE_END or t.text == "," or (t.i > k and "\n" in t.text):
                break
            name = self._name_at(t)
            if name is not None:
                return name
        return None

    def _in_words_of(self, a: int) -> str | None:
        """'in the words of the prosecutor, Mark Tedeschi, "..."': the source named before the marks."""
        doc = self.doc
        j = a - 1
        while j >= 0 and j > a - 30 and self.quote_of[j] < 0:
            t = doc[j]
            if t.text in _SENTENCE_END or "\n" in t.text:
                return None
            if t.lower_ == "of" and t.head.lower_ == "words" and t.head.head.lower_ in ("in", "to"):
                source = next((c for c in t.children if c.dep_ == "pobj"), None)
                if source is None:
                    return None
                return self._person_of(source) or self._trailing_name(source)
            j -= 1
        return None

    def _opens_next_quote(self, verb: Token) -> bool:
        """'"Why now?" Mills then writes back, "You look cute."': a verb after one quotation
        that introduces the next one ('writes back,' then the marks) is that one's cue."""
        doc = self.doc
        for t in doc[verb.i + 1 : verb.i + 5]:
            if self.quote_of[t.i] >= 0:
                return self._speech_quote(self.quote_of[t.i])
            if t.text in _SENTENCE_END or "\n" in t.text:
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
            if t.text in _SENTENCE_END or "\n" in t.text:
                break
            if t.lower_ in self.cues.any and t.pos_ in _VERBS:
                if not self._opens_next_quote(t):
                    after.append(t)
                break
            j += 1
        before: list[Token] = []
        j = a - 1
        while j >= 0 and j > a - 40 and (self.quote_of[j] < 0 or not self._speech_quote(self.quote_of[j])):
            t = doc[j]
            if self.quote_of[j] >= 0:
                j -= 1  # 'X called the ruling "reckless" and "absurd":' — scare quotes, not speech
                continue
            if "\n" in t.text and j > 0 and doc[j - 1].text.endswith(":"):
                j -= 1  # 'Obama tweeted:\n\n"Cool clock, Ahmed."'
                continue
            if t.text in _SENTENCE_END or "\n" in t.text:
                break
            if t.lower_ in self.cues.any and t.pos_ in _VERBS:
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
                if t.text in _SENTENCE_END or "\n" in t.text:
                    break
                if t.pos_ == "VERB" and (t.head.i >= colon or t.head is t):
                    before.append(t)
                    break
        return after + before

    def _continues(self, prior: _Found, a: int) -> bool:
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
            if (q >= 0 and self._speech_quote(q)) or self.sent_of[t.i] not in allowed:
                return False  # a title in marks ('said on "This Week"') is part of the attribution
        return True

    def _pronoun_subject(self, verb: Token) -> Token | None:
        return next((c for c in verb.children if c.dep_ == "nsubj" and c.lower_ in _SUBJECT_PRONOUNS), None)

    def _same_speaker(
        self,
        resolved: str | None,
        cue: Token,
        start: int,
        previous: Sequence[_Found],
        nxt: int,
        out: Sequence[_Found],
    ) -> str | None:
        """'"We were wrong," Ramos told AFP. "Many did not react," he said.': a "he" or "she"
        attributing a quotation is the previous quotation's speaker when the narration between
        names nobody else and the gender fits; otherwise the salience reading stands."""
        pronoun = self._pronoun_subject(cue)
        assert pronoun is not None
        k = nxt
        while k < len(previous) and previous[k].end <= start:
            k += 1
        before = [
            p for p in (previous[k - 1] if k else None, out[-1] if out else None) if p and p.end <= start
        ]
        prior = max(before, key=lambda p: p.end) if before else None
        if prior is None or prior.speaker is None or prior.speaker == resolved:
            return resolved
        if (
            self.gender.get(prior.speaker, _SUBJECT_PRONOUNS[pronoun.lower_])
            != _SUBJECT_PRONOUNS[pronoun.lower_]
        ):
            return resolved
        if self.para_of[cue.i] - self.para_of[min(prior.hi, len(self.doc) - 1)] > 1:
            return resolved
        lo = bisect.bisect_left(self.event_pos, prior.end)
        hi = bisect.bisect_left(self.event_pos, start)
        named = {self.events[j][2] for j in range(max(lo, hi - MAX_SALIENCE_EVENTS), hi)}
        return prior.speaker if named <= {prior.speaker} else resolved

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

    def _salient_speaker(self, start: int, a: int, prior: _Found | None) -> str | None:
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
        lo = bisect.bisect_left(self.event_pos, since)
        hi = bisect.bisect_left(self.event_pos, start)
        named = {self.events[j][2] for j in range(max(lo, hi - MAX_SALIENCE_EVENTS), hi)}
        if anchor is not None and named <= {anchor}:
            return anchor
        if len(named) == 1 and self.events[hi - 1][3] == 2:
            return self.events[hi - 1][2]  # the subject of the narration just before
        return None

"""One speaker-salience reading per Doc: who "he", "she", "Mr Holt", "the chancellor" and a
bare surname stand for, read once and shared by the quote and position components.

Mentions of people (from `doc._.newsmeta_people`) are recorded in text order outside
quotation marks, the subject of a main clause ranking highest; a subject pronoun goes to
the most salient person of its gender within a few sentences. Gender comes from evidence
only (honorifics, gendered role nouns and given names before a mention). Two people
sharing a surname are told apart by the honorific's gender and the nearest mention.
`salience(doc)` builds the reading on first use and keeps it in `doc.user_data`, so a
component that runs before the quote component (positions) and the quote component
itself read the same resolution.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from typing import Any

from spacy.tokens import Doc, Token

from app.extraction.quotes.docindex import DocIndex, IndexView, doc_index
from app.extraction.quotes.lexicon import HONORIFICS_FILE, load_genders, load_words
from app.extraction.records import Position

# Salience looks back over at most this many mentions for a pronoun's antecedent.
MAX_SALIENCE_EVENTS = 200
# A description looks back over at most this many introductions of its role word.
MAX_INTRODUCTIONS = 50
# How many sentences back a pronoun looks for its antecedent.
SALIENCE_SENTENCES = 5

SUBJECT_PRONOUNS = {"he": "m", "she": "f"}
VERBS = {"VERB", "AUX"}
_RELATIVE = {"who", "that", "which"}
_DEFINITE = {"the", "this", "that"}
_NAME_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
# Words that make a title another office than its head noun names.
NOT_THE_OFFICE = {"shadow", "deputy", "vice", "former", "assistant", "junior", "ex"}
_USER_DATA_KEY = "newsmeta.salience"

PositionsByWord = Mapping[str, list[Position]]


class PeopleIndex:
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
        # as a place).
        self.surnames: dict[str, str | None] = {}
        self.sharing: dict[str, set[str]] = {}  # surname -> every person bearing it
        for c in clusters:
            for form in {c.name, *getattr(c, "aliases", ())}:
                last = form.split()[-1] if form.split() else ""
                if last[:1].isupper() and last.lower() not in _NAME_SUFFIXES:
                    known = self.surnames.get(last, c.name)
                    self.surnames[last] = c.name if known == c.name else None
                    self.sharing.setdefault(last, set()).add(str(c.name))
        # A surname several people share ("Ann Holt" and her husband "Tom Holt"), standing alone,
        # is the principal's: news names the person a story is about by surname alone and a
        # relative by full name. The principal is the one mentioned most, first if tied; an
        # honorific's gender can still turn it to the other (see `Salience._same_surname`).
        first_at = {name: starts[0] for name, starts in self.starts_of.items()}
        count = {name: len(starts) for name, starts in self.starts_of.items()}
        for last, bearers in self.sharing.items():
            if self.surnames.get(last, "") is None:
                self.surnames[last] = min(
                    bearers, key=lambda b: (-count.get(b, 0), first_at.get(b, len(text)), b)
                )
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


def _introducing(text: str, start: int, end: int) -> list[str]:
    """The words that introduce the mention text[start:end] with a role: a title right before
    it ("Home Secretary Ann Holt", "the party's spokeswoman Ann Holt") or an apposition right
    after it ("Ann Holt, now foreign secretary,"); lower case, at most two phrases."""
    out = []
    before = text[max(0, start - 60) : start]
    for stop in ("\n", ".", ",", ";", ":", "(", '"'):
        before = before.rsplit(stop, 1)[-1]
    words = before.lower().split()
    if words:
        out.append(" ".join(words[-5:]))
    after = text[end : end + 60].split("\n", 1)[0]
    if after.startswith(","):
        appos = after[1:]
        for stop in (",", ".", ";", ":", "(", '"'):
            appos = appos.split(stop, 1)[0]
        if appos.strip():
            out.append(" ".join(appos.lower().split()))
    return out


def salience(
    doc: Doc,
    *,
    window: int = SALIENCE_SENTENCES,
    genders: Mapping[str, str] | None = None,
    honorifics: frozenset[str] | None = None,
    roles: frozenset[str] | None = None,
) -> Salience:
    """The salience reading of `doc`, built once (on first use) and kept on the Doc."""
    genders = load_genders() if genders is None else genders
    honorifics = load_words(HONORIFICS_FILE) if honorifics is None else honorifics
    roles = load_words() if roles is None else roles
    cached = doc.user_data.get(_USER_DATA_KEY)
    if (
        isinstance(cached, Salience)
        and cached.doc is doc
        and cached.window == window
        and (cached.genders, cached.honorifics, cached.roles) == (genders, honorifics, roles)
    ):
        return cached
    sal = Salience(doc_index(doc), window=window, genders=genders, honorifics=honorifics, roles=roles)
    doc.user_data[_USER_DATA_KEY] = sal
    return sal


class Salience(IndexView):
    """Mentions of people in text order with their salience, and the resolution built on them."""

    def __init__(
        self,
        idx: DocIndex,
        *,
        window: int,
        genders: Mapping[str, str],
        honorifics: frozenset[str],
        roles: frozenset[str],
    ) -> None:
        super().__init__(idx)
        self.window = window
        self.genders = genders
        self.honorifics = honorifics
        self.roles = roles
        doc = idx.doc
        people = doc._.newsmeta_people if Doc.has_extension("newsmeta_people") else None
        self.people = PeopleIndex(people or [], self.text, genders)
        # (char offset, sentence number, person, rank) of mentions in text order; rank 2 for
        # the subject of a main clause, 1 for another subject, 0 for any other mention.
        self.events: list[tuple[int, int, str, int]] = []
        self.event_pos: list[int] = []
        self.gender: dict[str, str] = dict(self.people.gender)
        self.pronoun_cache: dict[int, str | None] = {}
        self._introductions: dict[str, list[tuple[int, str, str]]] | None = None
        if self.has_parse:
            self.track()

    def resolve_pronoun(self, t: Token) -> str | None:
        """Who a subject "he" or "she" outside quotation marks stands for, or None."""
        if t.lower_ not in SUBJECT_PRONOUNS or self.quote_of[t.i] >= 0 or not self.has_parse:
            return None
        return self.pronoun(t)

    def named_between(self, start: int, end: int) -> set[str]:
        """People mentioned (outside quotations) at character offsets in [start, end), looking
        back over at most `MAX_SALIENCE_EVENTS` mentions from `end`."""
        lo = bisect.bisect_left(self.event_pos, start)
        hi = bisect.bisect_left(self.event_pos, end)
        return {self.events[j][2] for j in range(max(lo, hi - MAX_SALIENCE_EVENTS), hi)}

    def track(self) -> None:
        """Record mentions of people in text order, ranking subjects of main clauses highest.

        Pronouns are resolved during the same pass, so "he" can lean on an earlier "he".
        """
        mention_starts = {s for s, _, _ in self.people.rows}
        for t in self.doc:
            if self.quote_of[t.i] >= 0:
                continue
            source = t.dep_ == "pobj" and t.head.lower_ == "to" and t.head.head.lower_ == "according"
            if (t.dep_ in ("nsubj", "nsubjpass") and t.head.pos_ in VERBS) or source:
                name = self.person_of(t)
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

    def pronoun(self, t: Token) -> str | None:
        """The most salient person before `t`: a main-clause subject, else the nearest mention."""
        if t.i in self.pronoun_cache:
            return self.pronoun_cache[t.i]
        gender = SUBJECT_PRONOUNS[t.lower_]
        sent = self.sent_of[t.i]
        k = bisect.bisect_left(self.event_pos, t.idx)
        nearest: list[str | None] = [None, None, None]
        unknown: set[str] = set()  # compatible people of unknown gender seen on the way
        embedded_at = -1  # sentence of the nearest compatible subject of a subordinate clause
        for j in range(k - 1, max(-1, k - 1 - MAX_SALIENCE_EVENTS), -1):
            _, s, name, rank = self.events[j]
            if s < sent - self.window:
                break
            if self.gender.get(name, gender) != gender:
                continue
            if 0 <= s < embedded_at:
                # "The police declared Kovac was a leader of the group. He was detained.": a
                # subject in a later sentence than any main-clause one outranks it.
                break
            if rank == 1 and embedded_at < 0:
                embedded_at = s
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

    def person_of(self, t: Token, depth: int = 0, positions: PositionsByWord | None = None) -> str | None:
        """The person a noun phrase headed by `t` refers to, or None. `positions` (title word ->
        position records) lets a definite description ("the chancellor") use offices read so far."""
        low = t.lower_
        if low in SUBJECT_PRONOUNS:
            return self.pronoun(t)
        if low in _RELATIVE and t.head.dep_ == "relcl" and depth < 2:
            # "X, a management expert at Stanford University, who stated": the parse may hang
            # the clause on the last noun; climb through prepositions and appositions to X.
            node = t.head.head
            for _ in range(4):
                name = self.person_of(node, depth + 1, positions)
                if name is not None or low != "who":
                    return name
                if node.dep_ == "pobj" and node.head.dep_ == "prep" and node.head.head.i != node.head.i:
                    node = node.head.head
                elif node.dep_ == "appos" and node.head.i != node.i:
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
            return None  # 'said Jordan Pell' is not the article's Tom Pell
        if name is not None:
            name = self._same_surname(t, name)
            self._note_gender(t, name)
            return name
        if depth < 2:
            # A bare title may coordinate with the name: "academic and professor Ann Tarrant Holt".
            bare = t.pos_ == "NOUN" and not any(c.dep_ in ("det", "poss") for c in t.children)
            for child in t.children:
                if child.dep_ == "appos" or (bare and child.dep_ == "conj"):
                    name = self.person_of(child, depth + 1, positions)
                    if name is not None:
                        return name
        if t.pos_ == "NOUN" and low in self.roles and self.is_definite(t):
            return self.description(t, positions)
        return None

    def _other_given_name(self, t: Token, name: str) -> bool:
        """'Jordan Pell' when the article's Pell is Tom: a given name before a surname
        that is no part of the name of the person it was matched to is someone else's."""
        if t.i == 0 or t.text != name.split()[-1] or t.ent_iob_ != "I" or t.ent_type_ != "PERSON":
            return False
        given = self.doc[t.i - 1]  # one person's name to the model, titles apart
        return (
            given.pos_ == "PROPN"
            and given.lower_.rstrip(".") not in self.honorifics
            and given.lower_ not in name.lower()
        )

    def gender_before(self, t: Token) -> str | None:
        """The gender an honorific or role noun right before a name gives: "Mrs Holt"."""
        for w in t.lefts:
            g = self.genders.get(w.lower_)
            if g is not None and w.i < t.i:
                return g
        return None

    def _same_surname(self, t: Token, name: str) -> str:
        """'Mrs Holt' when the article has a Mr and a Mrs Holt: the person of the honorific's
        gender, the one mentioned last before `t` if two fit."""
        g = self.gender_before(t)
        others = self.people.same_surname(name)
        if g is None or not others or self.gender.get(name, g) == g:
            return name
        fits = [o for o in others if self.gender.get(o) == g]
        if not fits:
            return name
        return max(fits, key=lambda o: self.last_mention(o, t.idx))

    def _note_gender(self, t: Token, name: str) -> None:
        if name in self.gender:
            return
        g = self.gender_before(t)
        if g is not None:
            self.gender[name] = g

    @staticmethod
    def is_definite(t: Token) -> bool:
        return any(c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ in _DEFINITE) for c in t.children)

    def description(self, t: Token, positions: PositionsByWord | None = None) -> str | None:
        """Resolve "the spokesperson" / "the Kremlin spokesperson" to a person with that role."""
        noun = t.lower_
        modifiers = {
            w.lower_ for c in t.children if c.dep_ in ("compound", "amod", "nmod", "poss") for w in c.subtree
        }
        best: tuple[int, int, str] | None = None
        for p in (positions or {}).get(noun, ()):
            words = set(p.title.lower().replace("-", " ").split())
            if words & NOT_THE_OFFICE - modifiers:
                continue  # "the chancellor" is not the shadow chancellor, nor a former one
            context = " ".join(x for x in (p.title, p.organisation or "", p.country or "") if x).lower()
            fit = sum(1 for m in modifiers if m in context)
            last = self.last_mention(p.person, t.right_edge.idx + 1)
            if last < 0:
                continue  # a description refers to someone named before it or inside its phrase
            key = (fit, last, p.person)
            if best is None or key[:2] > best[:2]:
                best = key
        if best is not None:
            return best[2]
        # No position record: the nearest earlier person introduced with that role word and
        # its qualifiers ("the home secretary" is not someone introduced as "foreign secretary").
        qualifiers = {w.lower_ for c in t.children if c.dep_ in ("compound", "amod") for w in c.subtree}
        rows = self.introductions().get(noun, [])
        k = bisect.bisect_left(rows, (t.idx,)) - 1
        for _, name, around in reversed(rows[max(0, k - MAX_INTRODUCTIONS + 1) : k + 1]):
            words = set(around.split())
            if qualifiers <= words and not (words & NOT_THE_OFFICE - modifiers):
                return name
        return None

    def introductions(self) -> dict[str, list[tuple[int, str, str]]]:
        """Role noun -> (mention start, person, the words around the mention) for every mention a
        role word introduces ("Home Secretary Ann Holt", "Ann Holt, the spokeswoman"), in text
        order; built once per Doc on first use."""
        if self._introductions is not None:
            return self._introductions
        out: dict[str, list[tuple[int, str, str]]] = {}
        text = self.text
        for s, e, name in self.people.rows:
            for around in _introducing(text, s, e):
                for word in set(around.split()) & self.roles:
                    out.setdefault(word, []).append((s, name, around))
        self._introductions = out
        return out

    def last_mention(self, name: str, pos: int) -> int:
        starts = self.people.starts_of.get(name, [])
        k = bisect.bisect_left(starts, pos) - 1
        return starts[k] if k >= 0 else -1

    def name_at(self, t: Token, subject: bool = False) -> str | None:
        """The person a single token names: a mention, or the article's surname where the
        tagger took it for another word ('said Skelly' read as an adverb). A word opening a
        sentence is a surname only as a verb's `subject` or right after a quotation."""
        name = self.people.covering(t.idx, t.idx + len(t.text))
        # After a closing quotation mark ('"...?" Holt pressed.') a sentence's first word is
        # still the name of the attribution, not a capitalised common word.
        after_quote = t.i > 0 and t.doc[t.i - 1].is_quote
        opens = t.is_sent_start and not after_quote and not subject
        if name is None and t.text[:1].isupper() and not opens and t.pos_ != "PRON":
            name = self.people.surnames.get(t.text)
        if name is not None and self._other_given_name(t, name):
            return None  # 'said Jordan Pell' is not the article's Tom Pell
        return name

    def trailing_name(self, subject: Token) -> str | None:
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

"""Clustering person mentions into people: full names by surname and compatible given name,
then surnames and given names alone to the nearest compatible full name."""

from __future__ import annotations

import bisect
from collections import Counter

from rapidfuzz import fuzz
from spacy.tokens import Doc

from app.extraction.people.lexicon import PERSON_VERBS, Lexicon, fold
from app.extraction.people.mentions import EntityCluster, _Mention
from app.extraction.people.names import _BLOCK_LIMIT, _name_parts, _similar_surname, _SurnameIndex


class _PersonCluster:
    def __init__(self, first: _Mention, parts: list[str], text: str, order: int) -> None:
        self.order = order
        self.mentions: list[_Mention] = [first]
        self.starts: list[int] = [first.start]
        self.full: list[list[str]] = [parts] if len(parts) > 1 else []
        self.singles: set[str] = set() if len(parts) > 1 else {parts[0]}
        self.texts: Counter[str] = Counter({text: 1})

    def add(self, m: _Mention, text: str) -> None:
        self.mentions.append(m)
        bisect.insort(self.starts, m.start)
        self.texts[text] += 1

    def last_before(self, position: int) -> int:
        k = bisect.bisect_left(self.starts, position)
        return self.starts[k - 1] if k else -1

    def given(self) -> set[str]:
        return {p[0] for p in self.full}


def _compatible_full(lex: Lexicon, a: list[str], b: list[str]) -> bool:
    if not _similar_surname(a[-1], b[-1]):
        return False
    fa, fb = a[0], b[0]
    if lex.same_given_name(fa, fb):
        return True
    return len(fa) >= 4 and len(fb) >= 4 and fa[0] == fb[0] and fuzz.ratio(fa, fb) >= 80


def _given_forms(lex: Lexicon, given: str) -> frozenset[str]:
    """A given name and its nicknames or formal forms: two names are the same given name when
    their forms meet (`Lexicon.same_given_name`)."""
    f = fold(given)
    return lex.nicknames.get(f, frozenset()) | {f}


def cluster_people(
    doc: Doc, mentions: list[_Mention], lex: Lexicon
) -> list[tuple[EntityCluster, list[_Mention]]]:
    """Group person mentions: full names by surname and compatible given name, then bare names.

    Surnames and given names are indexed, so each mention is compared with the few people
    whose names could match, not with everyone in the article.
    """
    clusters: list[_PersonCluster] = []
    by_surname: _SurnameIndex[_PersonCluster] = _SurnameIndex()
    by_given: dict[str, list[_PersonCluster]] = {}
    # "Jorge Marín Echeverri": the two surnames, and the first alone, of names of three parts or
    # more whose middle part is no given name; Spanish and Portuguese usage names a person so.
    by_two_surnames: dict[tuple[str, str], _PersonCluster] = {}
    by_first_surname: dict[str, list[_PersonCluster]] = {}
    full = sorted(
        (m for m in mentions if len(_name_parts(m.words(doc))) > 1),
        key=lambda m: (-(m.end - m.start), m.start),
    )
    for m in full:
        parts = _name_parts(m.words(doc))
        text = m.text(doc)
        target = next(
            (
                c
                for c in sorted(by_surname.similar(parts[-1]), key=lambda c: c.order)
                if any(_compatible_full(lex, parts, p) for p in c.full)
            ),
            None,
        )
        if target is None and len(parts) == 2:
            target = by_two_surnames.get((parts[0], parts[1]))
        if target is None:
            target = _PersonCluster(m, parts, text, len(clusters))
            clusters.append(target)
        else:
            target.add(m, text)
            if parts in target.full:
                continue
            target.full.append(parts)
        by_surname.add(parts[-1], target)
        if len(parts) > 2:
            by_two_surnames.setdefault((parts[-2], parts[-1]), target)
            if parts[-2] not in lex.given_names:
                by_first_surname.setdefault(parts[-2], []).append(target)
        for form in _given_forms(lex, parts[0]):
            known = by_given.setdefault(form, [])
            if not any(c is target for c in known[-_BLOCK_LIMIT:]):
                known.append(target)
    singles = sorted((m for m in mentions if len(_name_parts(m.words(doc))) <= 1), key=lambda m: m.start)
    for m in singles:
        word = _name_parts(m.words(doc))[0]
        text = m.text(doc)
        candidates = by_surname.similar(word)
        if not candidates:
            found = {
                c.order: c for form in _given_forms(lex, word) for c in by_given.get(form, [])[-_BLOCK_LIMIT:]
            }
            candidates = [found[k] for k in sorted(found)]
        if not candidates:
            candidates = by_first_surname.get(word, [])[-_BLOCK_LIMIT:]
        if not candidates:
            if not _single_is_person(doc, m, lex):
                continue
            target = _PersonCluster(m, [word], text, len(clusters))
            clusters.append(target)
        else:
            target = _nearest(candidates, m.start)
            target.add(m, text)
            target.singles.add(word)
        by_surname.add(word, target)
    out = []
    for c in clusters:
        name = _best_person_name(c)
        spans = sorted(
            {(doc[m.start].idx, doc[m.end - 1].idx + len(doc[m.end - 1].text)) for m in c.mentions}
        )
        out.append((EntityCluster(name=name, aliases=set(c.texts), spans=spans), c.mentions))
    out.sort(key=lambda pair: pair[0].spans[0])
    return out


def _nearest(candidates: list[_PersonCluster], position: int) -> _PersonCluster:
    """Of several people sharing a name part, the one mentioned last before `position`."""
    best = max(candidates, key=lambda c: c.last_before(position))
    if best.last_before(position) < 0:
        best = min(candidates, key=lambda c: c.starts[0])
    return best


def _best_person_name(c: _PersonCluster) -> str:
    def key(text: str) -> tuple[int, int, int]:
        return (len(_name_parts(text.split())), len(text.split()), c.texts[text])

    return max(c.texts, key=key)


def _single_is_person(doc: Doc, m: _Mention, lex: Lexicon) -> bool:
    """A bare one-word name with no full form in the article needs some evidence."""
    word = fold(doc[m.start].text)
    if m.titled or word in lex.known_people or word in lex.given_names:
        return True
    tok = doc[m.start]
    if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.lower_ in PERSON_VERBS:
        return True
    after = doc[m.end] if m.end < len(doc) else None
    if after is not None and after.lower_ in PERSON_VERBS:
        return True
    if m.start >= 2 and doc[m.start - 1].lower_ == "," and doc[m.start - 2].lower_ in PERSON_VERBS:
        return True
    return False

"""Person name forms: the parts that identify a name, near spellings of surnames, and an
index that finds similar surnames without comparing every pair."""

from __future__ import annotations

from typing import Generic, TypeVar

from rapidfuzz import fuzz

from app.extraction.people.lexicon import NAME_SUFFIXES, fold

_T = TypeVar("_T")


def _name_parts(words: list[str]) -> list[str]:
    """Words of a name that identify it: no initials, no "Jr.", no punctuation."""
    parts = []
    for w in words:
        f = fold(w).rstrip(",")
        if f in NAME_SUFFIXES or not any(c.isalpha() for c in f):
            continue
        if len(f.rstrip(".")) == 1:
            continue
        parts.append(f.rstrip("."))
    return parts or [fold(w) for w in words]


def _similar_surname(a: str, b: str) -> bool:
    if a == b:
        return True
    return len(a) >= 6 and len(b) >= 6 and a[0] == b[0] and fuzz.ratio(a, b) >= 85


# Blocks bigger than this are searched only at their most recent entries: the candidates for a
# fuzzy match stay bounded however many distinct names a text holds.
_BLOCK_LIMIT = 64


class _SurnameIndex(Generic[_T]):
    """Surnames -> items, answering which items have a surname `_similar_surname` to a word.

    Exact surnames are looked up directly. A near spelling ("Kasyanov"/"Kasianov") passes
    `_similar_surname` only with the same first letter and a length of six or more, and one
    edit leaves its first three or its last three letters intact: only names sharing one of
    those two blocks are compared, so the cost per query is bounded, not the number of names.
    """

    def __init__(self) -> None:
        self._exact: dict[str, list[_T]] = {}
        self._blocks: dict[tuple[str, str], list[str]] = {}

    @staticmethod
    def _keys(word: str) -> tuple[tuple[str, str], ...]:
        if len(word) < 6:
            return ()
        return (("<", word[:3]), (">", word[0] + word[-3:]))

    def add(self, surname: str, item: _T) -> None:
        items = self._exact.get(surname)
        if items is None:
            self._exact[surname] = [item]
            for key in self._keys(surname):
                self._blocks.setdefault(key, []).append(surname)
        elif not any(i is item for i in items[-_BLOCK_LIMIT:]):
            items.append(item)

    def similar(self, word: str) -> list[_T]:
        """Items with a surname similar to `word`, in the order they were added (the most
        recent `_BLOCK_LIMIT` per surname: many people sharing one surname stay bounded)."""
        out = list(self._exact.get(word, ())[-_BLOCK_LIMIT:])
        seen = {word}
        for key in self._keys(word):
            for name in self._blocks.get(key, ())[-_BLOCK_LIMIT:]:
                if name in seen:
                    continue
                seen.add(name)
                if _similar_surname(word, name):
                    out.extend(i for i in self._exact[name][-_BLOCK_LIMIT:] if all(i is not o for o in out))
        return out

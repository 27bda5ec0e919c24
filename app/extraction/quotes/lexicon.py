"""The reporting-cue lexicon and word lists of the quote component, loaded once from data/."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
CUES_FILE = DATA_DIR / "reporting_verbs.txt"
ROLES_FILE = DATA_DIR / "quotes_role_nouns.txt"
GENDER_FILE = DATA_DIR / "quotes_gendered_words.txt"
HONORIFICS_FILE = DATA_DIR / "people_honorifics.txt"  # shared with the people component


@dataclass(frozen=True)
class CueLexicon:
    """Word forms of the reporting cues, by role (see the notes in reporting_verbs.txt)."""

    reporting: frozenset[str]
    framing: frozenset[str]
    aside: frozenset[str]
    commissive: frozenset[str] = frozenset()
    message: frozenset[str] = frozenset()
    nominal: frozenset[str] = frozenset()
    gerund: frozenset[str] = frozenset()
    statement: frozenset[str] = frozenset()

    @property
    def any(self) -> frozenset[str]:
        return self.reporting | self.framing


def parse_cues(lines: Iterable[str]) -> CueLexicon:
    names = ("reporting", "framing", "aside", "commissive", "message", "nominal", "gerund", "statement")
    sections: dict[str, list[list[str]]] = {name: [] for name in names}
    current: list[list[str]] | None = None
    for raw in lines:
        line = raw.split("#", 1)[0].strip().lower()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections[line[1:-1]]
            continue
        if current is None:
            raise ValueError(f"cue outside a [section]: {line!r}")
        current.append(line.split())
    forms_of = {words[0]: words for words in sections["reporting"] + sections["framing"]}
    aside = {
        form
        for words in sections["aside"]
        for base in words
        for form in forms_of.get(base, [base])
        if form.endswith("ing")
    }
    return CueLexicon(
        reporting=frozenset(f for words in sections["reporting"] for f in words),
        framing=frozenset(f for words in sections["framing"] for f in words),
        aside=frozenset(aside),
        commissive=_forms(sections["commissive"], forms_of),
        message=_forms(sections["message"], forms_of),
        nominal=frozenset(f for words in sections["nominal"] for f in words),
        gerund=_forms(sections["gerund"], forms_of),
        statement=frozenset(f for words in sections["statement"] for f in words),
    )


def _forms(lines: list[list[str]], forms_of: dict[str, list[str]]) -> frozenset[str]:
    """Every listed form of the base verbs on `lines`."""
    return frozenset(form for words in lines for base in words for form in forms_of.get(base, [base]))


@lru_cache(maxsize=4)
def load_cues(path: Path = CUES_FILE) -> CueLexicon:
    return parse_cues(path.read_text(encoding="utf-8").splitlines())


@lru_cache(maxsize=4)
def load_words(path: Path = ROLES_FILE) -> frozenset[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(w for raw in lines if (w := raw.split("#", 1)[0].strip().lower()))


@lru_cache(maxsize=4)
def load_genders(path: Path = GENDER_FILE) -> dict[str, str]:
    """Word -> "f" or "m", from the [female] and [male] sections of the gendered-words list."""
    out: dict[str, str] = {}
    current: str | None = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip().lower()
        if line in ("[female]", "[male]"):
            current = "f" if line == "[female]" else "m"
        elif line:
            if current is None:
                raise ValueError(f"word outside a [section]: {line!r}")
            for word in line.split():
                out[word] = current
    return out

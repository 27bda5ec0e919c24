"""The entity component's cost grows with the text, not with the square of its names.

A text naming thousands of distinct (invented) people and organisations once took minutes:
every new name was compared with every earlier one. Names are now looked up by surname,
given name and organisation-form keys. These tests build parsed Docs by hand (words, tags,
dependencies, entities), so they run without the statistical model, and count the name
comparisons, which unlike time do not depend on the machine's load.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from app.extraction.people import EntitiesComponent, names, org_clusters, people_clusters

SYLLABLES = (
    "ka lo mi ren tor vel san bri dor fen gal hu jas kel mar nor pel quin ros tal ud vin wes yar zen".split()
)

# One sentence per invented person: "Ann Rossi of Vetra Holdings said Rossi met Mr Kell ."
WORDS = ["{g}", "{s}", "of", "{o}", "Holdings", "said", "{s}", "met", "Mr", "{k}", "."]
POS = ["PROPN", "PROPN", "ADP", "PROPN", "PROPN", "VERB", "PROPN", "VERB", "PROPN", "PROPN", "PUNCT"]
DEPS = [
    "compound",
    "nsubj",
    "prep",
    "compound",
    "pobj",
    "ROOT",
    "nsubj",
    "ccomp",
    "compound",
    "dobj",
    "punct",
]
HEADS = [1, 5, 1, 4, 2, 5, 7, 5, 9, 7, 5]  # within the sentence
ENTS = [(0, 2, "PERSON"), (3, 5, "ORG"), (6, 7, "PERSON"), (8, 10, "PERSON")]


def _name(r: random.Random, syllables: int) -> str:
    return "".join(r.choice(SYLLABLES) for _ in range(syllables)).capitalize()


def names_doc(vocab: Any, n: int, seed: int = 7, surname: str | None = None) -> Doc:
    """A parsed Doc of `n` sentences, each naming a new person, company and acquaintance
    (all people sharing `surname` when it is given)."""
    r = random.Random(seed)
    words: list[str] = []
    pos: list[str] = []
    deps: list[str] = []
    heads: list[int] = []
    ents: list[str] = []
    for _ in range(n):
        fill = {"g": _name(r, 2), "s": surname or _name(r, 3), "o": _name(r, 3), "k": surname or _name(r, 3)}
        base = len(words)
        words.extend(w.format(**fill) for w in WORDS)
        pos.extend(POS)
        deps.extend(DEPS)
        heads.extend(base + h for h in HEADS)
        iob = ["O"] * len(WORDS)
        for start, end, label in ENTS:
            iob[start] = f"B-{label}"
            for k in range(start + 1, end):
                iob[k] = f"I-{label}"
        ents.extend(iob)
    return Doc(vocab, words=words, pos=pos, deps=deps, heads=heads, ents=ents)


def _counting(monkeypatch: pytest.MonkeyPatch, calls: Counter[str]) -> None:
    """Count every pairwise name comparison the clustering makes."""
    for module, name in (
        (names, "_similar_surname"),
        (people_clusters, "_similar_surname"),
        (org_clusters, "_org_joins"),
        (people_clusters, "_compatible_full"),
    ):
        original: Callable[..., bool] = getattr(module, name)

        def counted(*args: Any, _f: Callable[..., bool] = original, _n: str = name) -> bool:
            calls[_n] += 1
            return _f(*args)

        monkeypatch.setattr(module, name, counted)


def test_five_thousand_distinct_names_are_clustered_in_seconds(
    blank: Language, component: EntitiesComponent
) -> None:
    doc = names_doc(blank.vocab, 5000)
    started = time.perf_counter()
    component(doc)
    elapsed = time.perf_counter() - started
    assert len(doc._.newsmeta_people) > 4000  # each sentence's person, most acquaintances distinct
    assert len(doc._.newsmeta_orgs) > 4000
    assert elapsed < 60, f"{elapsed:.1f} s for 5,000 names"


def test_doubling_the_names_does_not_quadruple_the_comparisons(
    blank: Language, component: EntitiesComponent, monkeypatch: pytest.MonkeyPatch
) -> None:
    counts = []
    for n in (1500, 3000):
        calls: Counter[str] = Counter()
        with monkeypatch.context() as m:
            _counting(m, calls)
            component(names_doc(blank.vocab, n))
        counts.append(sum(calls.values()))
    assert counts[0] > 0  # the comparisons are counted at all
    assert counts[1] < 3 * counts[0], counts


def test_many_people_sharing_one_surname_stay_near_linear(
    blank: Language, component: EntitiesComponent, monkeypatch: pytest.MonkeyPatch
) -> None:
    counts = []
    for n in (1000, 2000):
        calls: Counter[str] = Counter()
        with monkeypatch.context() as m:
            _counting(m, calls)
            component(names_doc(blank.vocab, n, surname="Kowalczyk"))
        counts.append(sum(calls.values()))
    assert counts[0] > 0
    assert counts[1] < 3 * counts[0], counts


def test_a_surname_spelt_two_ways_still_joins_among_many_names(
    blank: Language, component: EntitiesComponent
) -> None:
    doc = names_doc(blank.vocab, 2000)
    text = " ".join(t.text for t in doc) + " Yesterday Jovan Kasyanovich spoke . Kasianovich said no ."
    tagged = blank(text)
    tagged.ents = [
        *(tagged[e.start : e.end] for e in doc.ents),
        tagged.char_span(text.index("Jovan"), text.index(" spoke"), label="PERSON"),  # type: ignore[list-item]
        tagged.char_span(text.index("Kasianovich"), text.index(" said no"), label="PERSON"),  # type: ignore[list-item]
    ]
    component(tagged)
    found = {c.name: c.aliases for c in tagged._.newsmeta_people}
    assert found["Jovan Kasyanovich"] == {"Jovan Kasyanovich", "Kasianovich"}

"""The quote component's cost grows with the document, not with its square.

The worst shape for it is a long chain of reporting verbs, each one's content clause holding
all the rest ("X said that ... , X said that ... , ..."): once, every verb rescanned the rest
of the document. The Docs here are built by hand (words, heads, labels) so the tests need no
model and control the parse exactly; one test also runs the real parse of the shape from the
issue that found the problem. Bounds are generous: they tell linear from quadratic, nothing finer.
"""

from __future__ import annotations

import time

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from app.extraction.people import EntityCluster
from app.extraction.quotes import QuoteFinder, find_quoted_spans

# One link of the chain: 'Peskov said that the talks would go on , ' with "said" hanging on
# the previous link's "go" (as the parse of a sentence that never ends may hang it).
_LINK = [
    # word, head offset within the link (None: the previous link's "go"), dep, pos
    ("Peskov", 1, "nsubj", "PROPN"),
    ("said", None, "conj", "VERB"),
    ("that", 6, "mark", "SCONJ"),
    ("the", 4, "det", "DET"),
    ("talks", 6, "nsubj", "NOUN"),
    ("\u202e", 6, "dep", "X"),
    ("would", 7, "aux", "AUX"),
    ("go", 1, "ccomp", "VERB"),
    ('"', 7, "punct", "PUNCT"),
    ("on", 7, "prt", "ADP"),
    (",", 7, "punct", "PUNCT"),
]
_GO = 7


def chain_doc(links: int) -> Doc:
    """A Doc of `links` links of the chain, 45 characters each, with its people."""
    nlp = spacy.blank("en")
    words: list[str] = []
    heads: list[int] = []
    deps: list[str] = []
    pos: list[str] = []
    for n in range(links):
        base = n * len(_LINK)
        for word, offset, dep, tag in _LINK:
            words.append(word)
            if offset is None:
                heads.append(base - len(_LINK) + _GO if n else base + 1)
                deps.append(dep if n else "ROOT")
            else:
                heads.append(base + offset)
                deps.append(dep)
            pos.append(tag)
    doc = Doc(nlp.vocab, words=words, heads=heads, deps=deps, pos=pos)
    spans = [(t.idx, t.idx + len(t.text)) for t in doc if t.text == "Peskov"]
    doc._.newsmeta_people = [EntityCluster(name="Dmitry Peskov", aliases={"Peskov"}, spans=spans)]
    return doc


def quote_seconds(doc: Doc) -> float:
    finder = QuoteFinder()
    start = time.perf_counter()
    finder(doc)
    return time.perf_counter() - start


def test_a_50kb_chain_of_reporting_verbs_is_read_in_seconds() -> None:
    doc = chain_doc(1200)
    assert len(doc.text) > 50_000
    assert quote_seconds(doc) < 5.0
    # Still read as speech: the bound cuts long content, it does not skip it.
    assert doc._.newsmeta_quotes
    assert {q.speaker for q in doc._.newsmeta_quotes} == {"Dmitry Peskov"}


def test_doubling_the_chain_roughly_doubles_the_time() -> None:
    small, large = chain_doc(600), chain_doc(2400)
    quote_seconds(chain_doc(50))  # warm-up: lexicons and caches
    t_small = min(quote_seconds(small) for _ in range(2))
    t_large = min(quote_seconds(large) for _ in range(2))
    # Four times the text: linear work takes about 4x, quadratic 16x; allow for a busy machine.
    assert t_large < 9 * t_small + 0.2


def test_pairing_quotation_marks_is_linear_in_the_marks() -> None:
    for text in ('"' * 200_000, "'a " * 100_000, "“" * 100_000 + "”" * 100_000, "''x " * 50_000):
        start = time.perf_counter()
        find_quoted_spans(text)
        assert time.perf_counter() - start < 5.0, text[:10]


@pytest.mark.model
def test_the_issue_pattern_and_ordinary_news_are_read_in_seconds(nlp: Language) -> None:
    # The shape from the report ("Peskov \u202e said ... hello. " x 20,000) and one that once
    # made the quote component quadratic, parsed by the model in small pieces and joined.
    units = [
        "Peskov \u202e said ... hello. " * 100,
        "Dmitry Peskov said that the talks \u202e would go on, " * 50,
        'Peskov said "hello, \u202e ' * 110,
        (
            'Minister Ann Holt said on Monday that the budget would pass. "We have the votes," '
            "she told reporters. Her rival, Tom Reyes, warned that the plan was reckless and "
            'said: "Nobody has read it." According to Holt, the vote will be held on Friday.\n\n'
        )
        * 10,
    ]
    finder = QuoteFinder()
    with nlp.select_pipes(
        disable=["newsmeta_entities", "newsmeta_countries", "newsmeta_positions", "newsmeta_quotes"]
    ):
        parts = [nlp(unit) for unit in units]
    for unit, part in zip(units, parts, strict=True):
        doc = Doc.from_docs([part] * (50_000 // len(unit)))
        nlp.get_pipe("newsmeta_entities")(doc)
        assert len(doc.text) > 45_000
        start = time.perf_counter()
        finder(doc)
        assert time.perf_counter() - start < 5.0, unit[:30]

"""Extraction speed: the full newsmeta extractor against the bare spaCy model, in one process.

    .venv/bin/python bench/extraction_speed.py [--rounds 3] [--repeat 2]

Both run over the same texts (the 52 Wikinews articles in ../shared/eval/articles,
repeated `--repeat` times) with nlp.pipe, alternating, after a warm-up; the best
round of each is reported, and their ratio is what to compare across machines.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

import spacy

from app.extraction import DEFAULT_MODEL, Extractor

ARTICLES = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "articles"


def load_texts() -> list[str]:
    texts = []
    for path in sorted(ARTICLES.glob("*.txt")):
        _, _, body = path.read_text(encoding="utf-8").partition("\n\n")
        texts.append(body.strip())
    return texts


def best_rate(run: object, texts: list[str], rounds: list[float]) -> None:
    start = time.perf_counter()
    run(texts)  # type: ignore[operator]
    rounds.append(len(texts) / (time.perf_counter() - start))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=2, help="How many times to repeat the 52 articles.")
    parser.add_argument("--model", default=DEFAULT_MODEL)
    args = parser.parse_args()

    texts = load_texts() * args.repeat
    bare = spacy.load(args.model)
    extractor = Extractor(args.model)

    def run_bare(batch: list[str]) -> None:
        for _ in bare.pipe(batch, batch_size=16):
            pass

    def run_full(batch: list[str]) -> None:
        for _ in extractor.extract_many(batch, batch_size=16):
            pass

    run_bare(texts[:10])
    run_full(texts[:10])
    bare_rates: list[float] = []
    full_rates: list[float] = []
    for _ in range(args.rounds):
        best_rate(run_bare, texts, bare_rates)
        best_rate(run_full, texts, full_rates)
    words = sum(len(t.split()) for t in texts)
    print(
        f"machine: {platform.machine()} {os.cpu_count()} cpus, {platform.python_implementation()} "
        f"{platform.python_version()}, spaCy {spacy.__version__}, model {args.model}"
    )
    print(f"texts: {len(texts)} articles, {words} words, {args.rounds} rounds, best round reported")
    print(f"bare spaCy nlp.pipe (all components): {max(bare_rates):8.1f} articles/s")
    print(f"newsmeta extract_many (full):         {max(full_rates):8.1f} articles/s")
    print(f"ratio full/bare: {max(full_rates) / max(bare_rates):.2f}  (target >= 0.85)")


if __name__ == "__main__":
    main()

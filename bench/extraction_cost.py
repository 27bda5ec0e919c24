"""Extraction cost against text size: time and peak resident memory, normal news and the
pathological shapes of issue 14, from 10 KB up to the article limit.

    .venv/bin/python bench/extraction_cost.py [--sizes 10000,25000,50000,100000,200000]
                                              [--shapes news,quotes,...] [--stop-after 90]

One process, as an extraction process runs: the model is loaded once, then every shape
at every size is extracted by `Extractor.extract` (defusing and windowing included).
Peak RSS is the process's high-water mark since the run began (Linux: it is reset
through /proc/self/clear_refs before each run), so it includes the loaded model, as the
memory cap of an extraction process does. "x10KB" is the time per byte relative to the
shape's 10 KB run in the same process: about 1.0 at every size means linear growth.
A shape stops growing once one of its runs takes longer than --stop-after seconds.

Normal news is the Wikinews articles in ../shared/eval/articles (CC BY 2.5), joined by
blank lines and repeated to the size; without them, tests/fixtures/seed_article.txt.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import time
from collections.abc import Callable
from pathlib import Path

import spacy

from app.config import Settings
from app.extraction import DEFAULT_MODEL, Extractor

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT.parent / "shared" / "eval" / "articles"
SEED = ROOT / "tests" / "fixtures" / "seed_article.txt"


def news_corpus() -> str:
    texts = []
    for path in sorted(ARTICLES.glob("*.txt")):
        _, _, body = path.read_text(encoding="utf-8").partition("\n\n")
        texts.append(body.strip())
    if not texts:
        texts = [SEED.read_text(encoding="utf-8").strip()]
    return "\n\n".join(texts) + "\n\n"


def repeat_to(unit: str, size: int) -> str:
    """`unit` repeated to `size` UTF-8 bytes (cut at a character)."""
    per = len(unit.encode("utf-8"))
    text = unit * (size // per + 1)
    return text.encode("utf-8")[:size].decode("utf-8", errors="ignore")


SHAPES: dict[str, Callable[[int], str]] = {
    "news": lambda n: repeat_to(news_corpus(), n),
    "quotes": lambda n: '"' * n,  # straight quote marks, no spaces
    "curly": lambda n: repeat_to("\u201c\u201d", n),
    "brackets": lambda n: "(" * (n // 2) + ")" * (n // 2),  # nested
    "emoji": lambda n: repeat_to("\U0001f600", n),
    "nospace": lambda n: "a" * n,
    "urls": lambda n: repeat_to("https://news.example.org/2024/05/01/story-12345?ref=home&id=9 ", n),
    "lines": lambda n: repeat_to("Word\n", n),  # a line per word
    "rtl": lambda n: repeat_to("Peskov \u202e said ... hello. ", n),
    "said-quote": lambda n: repeat_to('He said "', n),  # a reporting verb before every quote mark
}


def reset_peak() -> None:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def peak_rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    limit = Settings().max_article_bytes
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default=f"10000,25000,50000,100000,{limit}")
    parser.add_argument("--shapes", default=",".join(SHAPES))
    parser.add_argument("--stop-after", type=float, default=90.0)
    parser.add_argument("--model", default=DEFAULT_MODEL)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    shapes = args.shapes.split(",")

    started = time.perf_counter()
    extractor = Extractor(args.model)
    extractor.extract("Warm-up: German Chancellor Olaf Scholz met French President Emmanuel Macron.")
    loaded = peak_rss_mb()
    print(
        f"machine: {platform.machine()} {os.cpu_count()} cpus, {platform.python_implementation()} "
        f"{platform.python_version()}, spaCy {spacy.__version__}, model {args.model}"
    )
    print(
        f"model loaded in {time.perf_counter() - started:.1f} s, peak RSS {loaded:.0f} MB; "
        f"article limit {limit} bytes; window {extractor.window_chars} characters"
    )
    print()
    print(f"| {'shape':<10} | {'bytes':>7} | {'seconds':>7} | {'x10KB':>5} | {'peak RSS MB':>11} |")
    print(f"|{'-' * 12}|{'-' * 9}|{'-' * 9}|{'-' * 7}|{'-' * 13}|")
    for shape in shapes:
        base: float | None = None
        for size in sizes:
            text = SHAPES[shape](size)
            gc.collect()
            reset_peak()
            t0 = time.perf_counter()
            extractor.extract(text)
            seconds = time.perf_counter() - t0
            per_byte = seconds / size
            base = base or per_byte
            ratio = per_byte / base
            print(
                f"| {shape:<10} | {size:>7} | {seconds:>7.2f} | {ratio:>5.2f} | {peak_rss_mb():>11.0f} |",
                flush=True,
            )
            if seconds > args.stop_after:
                print(f"| {shape:<10} | stopped: over {args.stop_after:g} s |  |  |  |", flush=True)
                break


if __name__ == "__main__":
    main()

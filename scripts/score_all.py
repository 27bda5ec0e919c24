"""Score the extractor on every gold set at once and print one table.

    .venv/bin/python scripts/score_all.py [--sets dev dev2 wikinews heldout attribution]
                                          [--details DIR] [--json FILE]

The sets: the shared `dev/` and `dev2/` gold, our own Wikinews gold
(`tests/extraction/gold_wikinews`, `tests/extraction/gold_heldout`) and the shared
attribution set, each scored by the shared scorers in `../shared/eval/`. The model is
loaded once. `--details DIR` writes each set's per-item misses there (one file a set),
for reading errors by class; the texts stay in `../shared/eval/` and are never copied.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
GOLD_SETS = {
    "dev": EVAL / "dev",
    "dev2": EVAL / "dev2",
    "wikinews": ROOT / "tests" / "extraction" / "gold_wikinews",
    "heldout": ROOT / "tests" / "extraction" / "gold_heldout",
}
FIELDS = ("people", "organisations", "countries", "positions", "quotes")


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _predict(extractor: Any, rows: list[dict[str, Any]], out: Path) -> None:
    texts: Iterable[str] = (row["text"] for row in rows)
    with out.open("w", encoding="utf-8") as fh:
        for row, extraction in zip(rows, extractor.extract_many(texts), strict=True):
            fh.write(json.dumps({"id": row["id"], "extraction": extraction.model_dump(mode="json")}) + "\n")


def _gold_set(
    name: str, extractor: Any, scorer: ModuleType, work: Path, details: Path | None
) -> dict[str, Any]:
    gold_dir = GOLD_SETS[name]
    golds = scorer.load_gold(gold_dir)
    pred = work / f"{name}.jsonl"
    _predict(extractor, [{"id": g["id"], "text": g["text"]} for g in golds], pred)
    result, misses = scorer.score(gold_dir, pred)
    if details is not None:
        with (details / f"{name}.jsonl").open("w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(d, ensure_ascii=False) + "\n" for d in misses)
    return dict(result)


def _attribution(extractor: Any, work: Path, details: Path | None) -> dict[str, Any]:
    module = _load(EVAL / "attribution" / "score_attribution.py", "newsmeta_eval_attribution")
    rows = module.load()
    pred = work / "attribution.jsonl"
    _predict(extractor, [{"id": r["id"], "text": r["text"]} for r in rows], pred)
    buf = io.StringIO()
    argv = ["score", str(pred)] + (["--misses", "100000"] if details is not None else [])
    with contextlib.redirect_stdout(buf):
        module.main(argv)
    text = buf.getvalue()
    end = text.index("\n}") + 2
    if details is not None:
        (details / "attribution.txt").write_text(text[end:].lstrip("\n"), encoding="utf-8")
    return dict(json.loads(text[:end]))


def _row(name: str, r: dict[str, Any]) -> str:
    if name == "attribution":
        d, i = r["direct"], r["indirect"]
        return (
            f"| attribution | direct attributed {d['attributed']:.3f} (found {d['found']:.3f}, "
            f"speaker acc {d['speaker_accuracy']:.3f}); reported attributed {i['attributed']:.3f} "
            f"(found {i['found']:.3f}, speaker acc {i['speaker_accuracy']:.3f}) | | | | | | |"
        )
    cells = " | ".join(f"{r[f]['f1']:.3f}" for f in FIELDS)
    org = r.get("position_org_acc")
    return f"| {name} ({r['articles']}) | {r['macro_f1']:.3f} | {cells} | {org if org is not None else '-'} |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sets", nargs="+", default=[*GOLD_SETS, "attribution"])
    parser.add_argument("--details", type=Path, help="write each set's misses to this folder")
    parser.add_argument("--json", type=Path, help="write every figure to this JSON file")
    parser.add_argument("--model", default=None)
    args = parser.parse_args(argv)
    if not (EVAL / "score.py").is_file():
        print(f"the shared scorer is not at {EVAL / 'score.py'}", file=sys.stderr)
        return 2

    from app.extraction import load_pipeline

    scorer = _load(EVAL / "score.py", "newsmeta_eval_score")
    extractor = load_pipeline(args.model) if args.model else load_pipeline()
    if args.details is not None:
        args.details.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="newsmeta-score-"))
    results: dict[str, Any] = {}
    columns = ("set (articles)", "macro F1", *FIELDS, "position org acc")
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for name in args.sets:
        started = time.perf_counter()
        if name == "attribution":
            results[name] = _attribution(extractor, work, args.details)
        else:
            results[name] = _gold_set(name, extractor, scorer, work, args.details)
        print(_row(name, results[name]), flush=True)
        print(f"  ({name}: {time.perf_counter() - started:.0f} s)", file=sys.stderr)
    if args.json is not None:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

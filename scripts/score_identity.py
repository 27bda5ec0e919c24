"""Score cross-article identity: post every gold article to a fresh database, then measure how
well the stored people and organisations join the same real entity across articles.

    PYTHONPATH=. .venv/bin/python scripts/score_identity.py [--backends sqlite postgres]
        [--postgres-url postgresql://postgres@127.0.0.1:5432/test] [--details] [--resolve] [--reverse]

The gold is `../shared/eval/identity.json`: clusters of (article, name, forms) items that are one
real person or organisation. Articles: the seed, `articles/NNN.txt` (Wikinews) and
`articles2/dNN.txt`, read from `../shared/eval` at run time and never copied. Every gold entity of
dev, dev2 and our Wikinews gold that no cluster lists is an entity of its own.

Each gold item is matched to the stored entity (person or organisation id) whose mentions in that
article carry one of the item's names; then over every pair of items from different articles:
precision = share of the pairs the service joins (same id) that a cluster joins; recall = share of
the pairs a cluster joins that the service joins. Extractions are cached by text under
`--cache` (default: a temp folder), so a second run only measures storage and resolution.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from itertools import combinations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
SEEDS = ROOT.parent / "shared" / "seeds"
OWN_GOLD = (EVAL / "dev", EVAL / "dev2", ROOT / "tests" / "extraction" / "gold_wikinews")
KINDS = ("people", "organisations")


def article_path(key: str) -> Path:
    if key.startswith("seed-"):
        return SEEDS / "000_48e7fb3830019a21.txt"
    if key.startswith("d"):
        return EVAL / "articles2" / f"{key}.txt"
    return EVAL / "articles" / f"{key}.txt"


def available() -> bool:
    return (EVAL / "identity.json").is_file()


def article_keys() -> list[str]:
    """Every gold article: the seed, the Wikinews articles and the dev2 articles."""
    keys = ["seed-000"]
    keys += sorted(p.stem for p in (EVAL / "articles").glob("*.txt"))
    keys += sorted(p.stem for p in (EVAL / "articles2").glob("d*.txt"))
    return [k for k in keys if article_path(k).is_file()]


def _gold_files() -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for folder in OWN_GOLD:
        if folder.is_dir():
            for path in sorted(folder.glob("*.json")):
                data = json.loads(path.read_text(encoding="utf-8"))
                out.setdefault(str(data.get("id", path.stem)), data)
    return out


def dates() -> dict[str, str]:
    """Publication dates the gold gives, by article key."""
    return {k: str(g["date"]) for k, g in _gold_files().items() if g.get("date")}


Item = tuple[str, str, tuple[str, ...]]  # (article, name, other forms)


def gold_items(kind: str) -> tuple[list[Item], dict[Item, int]]:
    """All gold items of a kind and the cluster of each (singletons get their own numbers)."""
    identity = json.loads((EVAL / "identity.json").read_text(encoding="utf-8"))
    cluster: dict[Item, int] = {}
    listed: set[tuple[str, str]] = set()
    for n, c in enumerate(identity[kind]):
        for article, name, forms in c["members"]:
            item = (article, name, tuple(forms))
            cluster[item] = n
            listed.add((article, _key(name)))
    n = len(identity[kind])
    for article, gold in _gold_files().items():
        for entity in gold.get(kind, []):
            if (article, _key(entity["name"])) in listed:
                continue
            item = (article, entity["name"], tuple(entity.get("aliases", [])))
            if item not in cluster:
                cluster[item] = n
                n += 1
    return list(cluster), cluster


def _key(name: str) -> str:
    from app.models.common import name_key

    return name_key(name)


def _extractor_digest() -> str:
    """A hash of the extractor's code and data: a cached extraction is reused only by the same one."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted((ROOT / "app" / "extraction").rglob("*")):
        if path.is_file() and path.suffix != ".pyc":
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class CachedExtractor:
    """The real extractor, its results cached on disk by the text's hash and extractor version."""

    def __init__(self, cache: Path) -> None:
        self.cache = cache
        self.cache.mkdir(parents=True, exist_ok=True)
        self._extractor: Any = None

    def _path(self, text: str) -> Path:
        from app.services.ingest import content_hash

        return self.cache / f"{_extractor_digest()}-{content_hash(text)[:24]}.json"

    def extract_many(self, texts: Sequence[str], /) -> Iterable[Any]:
        from app.extraction import Extraction, load_pipeline

        missing = [t for t in texts if not self._path(t).is_file()]
        if missing:
            if self._extractor is None:
                self._extractor = load_pipeline()
            for text, extraction in zip(missing, self._extractor.extract_many(missing), strict=True):
                self._path(text).write_text(extraction.model_dump_json(), encoding="utf-8")
        return [Extraction.model_validate_json(self._path(t).read_text(encoding="utf-8")) for t in texts]


@contextmanager
def fresh_database(backend: str, postgres_url: str, work: Path) -> Iterator[str]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from app.db import dispose_engines

    if backend == "sqlite":
        yield f"sqlite:///{work / f'identity-{uuid.uuid4().hex[:8]}.db'}"
        dispose_engines()
        return
    admin_url = make_url(postgres_url).set(drivername="postgresql+psycopg")
    name = f"newsmeta_identity_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        dispose_engines()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def ingest_all(url: str, extractor: Any, keys: Sequence[str]) -> dict[str, int]:
    """Post every article (one at a time, in key order); article key -> stored id."""
    from app import migrate
    from app.config import Settings
    from app.db import get_engine
    from app.models import ArticleCreate
    from app.services import ingest

    settings = Settings(database_url=url, auto_migrate=False)
    migrate.upgrade(settings)
    engine = get_engine(settings)
    when = dates()
    ids: dict[str, int] = {}
    for key in keys:
        published = datetime.fromisoformat(when[key] + "T12:00:00+00:00") if key in when else None
        article = ArticleCreate(
            text=article_path(key).read_text(encoding="utf-8"),
            external_id=f"gold:{key}",
            published_at=published,
        )
        result = ingest.ingest_many(
            engine=engine, extractor=extractor, settings=settings, articles=[article]
        )[0]
        ids[key] = result.article_id
    return ids


def stored_mentions(url: str, kind: str) -> dict[int, dict[int, list[str]]]:
    """article id -> entity id -> the name keys its mentions there carry."""
    from sqlalchemy import text

    from app.config import Settings
    from app.db import get_engine

    column = "person_id" if kind == "people" else "organisation_id"
    out: dict[int, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    engine = get_engine(Settings(database_url=url, auto_migrate=False))
    with engine.connect() as conn:
        for article_id, entity_id, surface in conn.execute(
            text(f"SELECT article_id, {column}, text FROM mention WHERE {column} IS NOT NULL")
        ):
            out[article_id][entity_id].append(_key(surface))
    return out


def score(
    kind: str, article_ids: dict[str, int], mentions: dict[int, dict[int, list[str]]]
) -> dict[str, Any]:
    items, cluster = gold_items(kind)
    predicted: dict[Item, int] = {}
    for item in items:
        article, name, forms = item
        if article not in article_ids:
            continue
        keys = {_key(name), *(_key(f) for f in forms)}
        best: tuple[int, int] | None = None
        for entity_id, surfaces in mentions.get(article_ids[article], {}).items():
            hits = sum(s in keys for s in surfaces) + 2 * (_key(name) in surfaces)
            if hits and (best is None or hits > best[0]):
                best = (hits, entity_id)
        if best is not None:
            predicted[item] = best[1]
    cluster_size: dict[int, int] = defaultdict(int)
    for item in items:
        cluster_size[cluster[item]] += 1
    tp = fp = fn = 0
    false_pos: list[tuple[Item, Item]] = []
    false_neg: list[tuple[Item, Item]] = []
    for a, b in combinations(items, 2):
        if a[0] == b[0]:
            continue
        same = cluster[a] == cluster[b]
        joined = a in predicted and predicted.get(a) == predicted.get(b)
        if same and joined:
            tp += 1
        elif joined:
            fp += 1
            false_pos.append((a, b))
        elif same:
            fn += 1
            false_neg.append((a, b))
    return {
        "precision": round(tp / (tp + fp), 4) if tp + fp else 1.0,
        "recall": round(tp / (tp + fn), 4) if tp + fn else 1.0,
        "pairs": tp + fn,
        "joined": tp + fp,
        "unmatched_items": sum(1 for i in items if i[0] in article_ids and i not in predicted),
        "false_positives": false_pos,
        "false_negatives": false_neg,
        "unmatched": [
            i for i in items if i[0] in article_ids and i not in predicted and cluster_size[cluster[i]] > 1
        ],
    }


def run(
    url: str, extractor: Any, *, resolve: bool = False, reverse: bool = False
) -> dict[str, dict[str, Any]]:
    """Ingest every gold article into the (fresh) database at `url` and score both kinds."""
    keys = article_keys()
    ids = ingest_all(url, extractor, keys[::-1] if reverse else keys)
    if resolve:
        from app.config import Settings
        from app.db import get_engine
        from app.services import reresolution

        reresolution.resolve_archive(engine=get_engine(Settings(database_url=url, auto_migrate=False)))
    return {kind: score(kind, ids, stored_mentions(url, kind)) for kind in KINDS}


def _pairs_summary(pairs: list[tuple[Item, Item]], limit: int = 40) -> list[str]:
    seen: dict[tuple[str, str], int] = defaultdict(int)
    for a, b in pairs:
        seen[tuple(sorted((a[1], b[1])))] += 1  # type: ignore[arg-type]
    return [f"{n:4d}  {x} ~ {y}" for (x, y), n in sorted(seen.items(), key=lambda kv: -kv[1])[:limit]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--postgres-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "newsmeta-identity-cache")
    parser.add_argument("--details", action="store_true", help="print the pairs joined or split wrongly")
    parser.add_argument("--resolve", action="store_true", help="also run `newsmeta resolve` before scoring")
    parser.add_argument("--reverse", action="store_true", help="post the articles in reverse order")
    args = parser.parse_args(argv)
    if not available():
        print("no ../shared/eval/identity.json: nothing to score", file=sys.stderr)  # noqa: T201
        return 0
    extractor = CachedExtractor(args.cache)
    with tempfile.TemporaryDirectory() as work:
        for backend in args.backends:
            with fresh_database(backend, args.postgres_url, Path(work)) as url:
                result = run(url, extractor, resolve=args.resolve, reverse=args.reverse)
            for kind in KINDS:
                r = result[kind]
                print(  # noqa: T201
                    f"{backend:8s} {kind:13s} precision {r['precision']:.4f}  recall {r['recall']:.4f}  "
                    f"(gold pairs {r['pairs']}, joined {r['joined']}, unmatched items {r['unmatched_items']})"
                )
                if args.details:
                    print("  false positives (joined, not one entity):")  # noqa: T201
                    print("\n".join("    " + s for s in _pairs_summary(r["false_positives"])))  # noqa: T201
                    print("  false negatives (one entity, not joined):")  # noqa: T201
                    print("\n".join("    " + s for s in _pairs_summary(r["false_negatives"])))  # noqa: T201
                    print("  clustered items with no stored entity:")  # noqa: T201
                    print("\n".join(f"    {a} {n!r} {list(f)}" for a, n, f in r["unmatched"]))  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

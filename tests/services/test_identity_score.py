"""Cross-article identity on the shared gold (../shared/eval/identity.json): every gold article
posted to a fresh database, pairwise precision and recall for people and organisations at or
above the targets. Skipped where the shared gold is absent; texts are read from there only."""

from __future__ import annotations

import importlib.util
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.conftest import POSTGRES_URL, ROOT

TARGETS = {"people": (0.98, 0.95), "organisations": (0.97, 0.90)}


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_identity", ROOT / "scripts" / "score_identity.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.model
@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_identity_across_the_gold_articles_meets_the_targets(backend: str, tmp_path: Path) -> None:
    scorer = _scorer()
    if not scorer.available():
        pytest.skip("no ../shared/eval/identity.json here")
    if backend == "postgres" and not POSTGRES_URL:
        pytest.skip("Postgres tests need NEWSMETA_TEST_POSTGRES_URL")
    extractor = scorer.CachedExtractor(Path(tempfile.gettempdir()) / "newsmeta-identity-cache")
    with scorer.fresh_database(backend, POSTGRES_URL, tmp_path) as url:
        result: dict[str, dict[str, Any]] = scorer.run(url, extractor)
    for kind, (precision, recall) in TARGETS.items():
        got = result[kind]
        assert got["pairs"] > 100, f"{kind}: too few gold pairs scored"
        assert got["precision"] >= precision, (kind, got["precision"], got["false_positives"][:10])
        assert got["recall"] >= recall, (kind, got["recall"], got["false_negatives"][:10])

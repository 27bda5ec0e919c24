"""docs/settings.md lists every setting the service reads, with the code's default and description."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from app.config import Settings

ROOT = Path(__file__).resolve().parents[1]


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("settings_doc", ROOT / "scripts" / "settings_doc.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_settings_page_is_what_the_generator_writes() -> None:
    generator = _generator()
    page = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert generator.render(page) == page, "docs/settings.md is stale: run scripts/settings_doc.py"


def test_settings_page_names_every_setting_with_its_default() -> None:
    page = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    for name, field in Settings.model_fields.items():
        assert f"`NEWSMETA_{name.upper()}`" in page, name
        if isinstance(field.default, int) and not isinstance(field.default, bool):
            assert f"`NEWSMETA_{name.upper()}` | `{field.default}` |" in page, name

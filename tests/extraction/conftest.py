"""Fixtures for the extraction library's tests: the real pipeline, loaded once per session."""

from __future__ import annotations

import pytest
from spacy.language import Language


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The full newsmeta pipeline (statistical model plus components); tests using it are `model`."""
    from app.extraction import load_pipeline

    return load_pipeline().nlp

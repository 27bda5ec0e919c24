"""Fixtures for the extraction library's tests: the real pipeline, loaded once per session, and
the entities component on a blank pipeline for tests that set the model's tags by hand."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language

from app.extraction.people import EntitiesComponent


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The full newsmeta pipeline (statistical model plus components); tests using it are `model`."""
    from app.extraction import load_pipeline

    return load_pipeline().nlp


@pytest.fixture(scope="module")
def blank() -> Language:
    """A blank English pipeline: tokens only, the tags and parse a test gives (entity_tagging.run)."""
    return spacy.blank("en")


@pytest.fixture(scope="module")
def component(blank: Language) -> EntitiesComponent:
    """The entities component alone, on `blank` (a test module may override it with another)."""
    return EntitiesComponent(blank)

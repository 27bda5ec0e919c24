"""newsmeta's extraction library: article text in, typed records out.

    >>> from app.extraction import extract
    >>> extract("Kremlin spokesperson Dmitry Peskov said ...").people

It depends on spaCy, pycountry, rapidfuzz, ftfy and pydantic only: never on the web
service, so it can be used from a notebook or another program. The pipeline (and spaCy) is
imported on first use of one of its names, so the records and `encoding` are light to import:
the service's models repair an article's text with `encoding` without loading the model.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.extraction.pipeline import (
        DEFAULT_MODEL,
        EXTRACTOR_NAME,
        EXTRACTOR_VERSION,
        Extractor,
        build_pipeline,
        extract,
        extract_many,
        load_pipeline,
    )
from app.extraction.records import (
    Country,
    Extraction,
    ExtractorInfo,
    Mention,
    Organisation,
    Person,
    Position,
    Quote,
    QuoteKind,
)

__all__ = [
    "DEFAULT_MODEL",
    "EXTRACTOR_NAME",
    "EXTRACTOR_VERSION",
    "Country",
    "Extraction",
    "Extractor",
    "ExtractorInfo",
    "Mention",
    "Organisation",
    "Person",
    "Position",
    "Quote",
    "QuoteKind",
    "build_pipeline",
    "extract",
    "extract_many",
    "load_pipeline",
]

_PIPELINE_NAMES = frozenset(
    {
        "DEFAULT_MODEL",
        "EXTRACTOR_NAME",
        "EXTRACTOR_VERSION",
        "Extractor",
        "build_pipeline",
        "extract",
        "extract_many",
        "load_pipeline",
    }
)


def __getattr__(name: str) -> Any:
    if name in _PIPELINE_NAMES:
        from app.extraction import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

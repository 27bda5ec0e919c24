"""newsmeta's extraction library: article text in, typed records out.

    >>> from app.extraction import extract
    >>> extract("Kremlin spokesperson Dmitry Peskov said ...").people

It depends on spaCy, pycountry, rapidfuzz and pydantic only: never on the web
service, so it can be used from a notebook or another program.
"""

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

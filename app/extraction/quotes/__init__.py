"""Quotes: direct speech inside quotation marks and reported speech, with resolved speakers.

`marks` pairs quotation marks into spans (string logic, once per document), `lexicon`
loads the reporting cues, `component` is the `newsmeta_quotes` spaCy component.
"""

from app.extraction.quotes.component import QuoteFinder, make_quote_finder, pronoun_resolver
from app.extraction.quotes.lexicon import CueLexicon, load_cues, load_words, parse_cues
from app.extraction.quotes.marks import QuotedSpan, find_quoted_spans, quoted_spans

__all__ = [
    "CueLexicon",
    "QuoteFinder",
    "QuotedSpan",
    "find_quoted_spans",
    "load_cues",
    "load_words",
    "make_quote_finder",
    "parse_cues",
    "pronoun_resolver",
    "quoted_spans",
]

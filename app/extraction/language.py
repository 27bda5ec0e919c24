"""Which language an article is written in, so that a text the pipeline was not trained on is not
run through it ("Bundeskanzler" would come out of the English model as an organisation).

py3langid (BSD-3-Clause, a fork of langid.py) ships its model inside its package: nothing is
downloaded at run time. It reads byte n-grams with a naive Bayes model over 97 languages. The
model loads once per process (3 s on an idle 2-core machine, 8 s on a busy one) and reads only
the first `SAMPLE_CHARS` of a text: about 1 ms an article (5 ms with the cores busy), next to
the spaCy pipeline's tens of milliseconds.
"""

from __future__ import annotations

import threading
from typing import Any

SAMPLE_CHARS = 2000
# Below this confidence (normalised probability of the best language) or length, no language is
# claimed: a headline-sized text is too short to tell English from its neighbours reliably.
MIN_CONFIDENCE = 0.9
MIN_LETTERS = 40

_identifier: Any = None
_lock = threading.Lock()


def load_language_model() -> None:
    """Load the model now (servers do it at start, so the first article does not wait for it)."""
    _model()


def _model() -> Any:
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return _identifier


def detect_language(text: str) -> tuple[str, float] | None:
    """The ISO 639-1 code of the text's language and the confidence in it (0 to 1), or None when
    the text is too short or mixed to tell.

    >>> detect_language("Der Bundeskanzler sagte am Montag in Berlin, die Regierung werde helfen.")
    ('de', ...)
    """
    sample = text[:SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return None
    code, confidence = _model().classify(sample)
    if confidence < MIN_CONFIDENCE:
        return None
    return str(code), float(confidence)


def primary_subtag(tag: str) -> str:
    """'de-AT' and 'DE_at' are both 'de': the part a pipeline's language is compared on."""
    return tag.strip().replace("_", "-").split("-")[0].lower()

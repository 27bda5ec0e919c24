"""Mojibake (text decoded with the wrong character set) is repaired before the model reads it."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Literal

import ftfy.bad_codecs  # noqa: F401  # registers "sloppy-windows-1252", as browsers decode it
import pytest

from app.extraction.encoding import repair_encoding


def cp1252_once(text: str) -> str:
    """What a feed shows when UTF-8 bytes are read as Windows-1252 (bytes it leaves undefined,
    such as the 0x9D of a closing quotation mark, read as the C1 controls they are in Latin-1)."""
    return text.encode("utf-8").decode("sloppy-windows-1252")


def latin1_twice(text: str) -> str:
    """UTF-8 read as Latin-1, re-encoded and read as Latin-1 again (C1 controls appear)."""
    return text.encode("utf-8").decode("latin-1").encode("utf-8").decode("latin-1")


WRITTEN = [
    "The mayor, José María Ortega, said the plan was naïve.",
    "Ségolène Mercier told reporters in Zürich that Raúl Peña would resign.",
    "“We are not finished,” said Ömer Çelik of the Ankara office — twice.",
]


@pytest.mark.parametrize("written", WRITTEN)
@pytest.mark.parametrize("garble", [cp1252_once, latin1_twice], ids=["cp1252", "latin1-twice"])
def test_text_decoded_with_the_wrong_charset_is_read_back_as_written(
    written: str, garble: Callable[[str], str]
) -> None:
    garbled = garble(written)
    assert garbled != written
    assert repair_encoding(garbled) == written


@pytest.mark.parametrize("form", ["NFKC", "NFKD"])
def test_mojibake_put_through_compatibility_normalisation_is_repaired(form: Literal["NFKC", "NFKD"]) -> None:
    # "ü" read as Windows-1252 is "Ã¼", and NFKC makes "¼" into "1⁄4": "MÃ1⁄4ller".
    written = "Anna Müller met Raúl Ibáñez and Chloë Dubois, who called it naïve."
    garbled = unicodedata.normalize(form, cp1252_once(written))
    assert "1⁄4" in garbled
    assert repair_encoding(garbled) == written


@pytest.mark.parametrize(
    "text",
    [
        'Plain ASCII, "straight quotes" and -- dashes.',
        "São Paulo's SÃO PAULO edition quoted Łukasz Wąs and Nguyễn Văn An.",
        "“Curly quotes” and ‘single ones’ — and an ellipsis…",
        "Portuguese capitals keep their Ã: IRMÃ, MAÇÃ, SÃO.",
        "Прем'єр-міністр and 東京 and العربية stay as they are.",
    ],
)
def test_text_decoded_right_is_left_as_it_came(text: str) -> None:
    assert repair_encoding(text) == text


def test_repair_is_idempotent() -> None:
    garbled = latin1_twice(WRITTEN[1])
    once = repair_encoding(garbled)
    assert repair_encoding(once) == once == WRITTEN[1]


def test_decomposed_text_is_composed() -> None:
    decomposed = unicodedata.normalize("NFD", "Gérard Lefèvre")
    assert repair_encoding(decomposed) == "Gérard Lefèvre"

"""Text that was decoded with the wrong character set ("mojibake") repaired before anything reads it.

Web and agency feeds often carry UTF-8 read as Windows-1252 once or twice over: "MÃ¼ller" for
"Müller", "PeÃƒÂ±a" for "Peña" (twice). The model cannot read a name through that, so every
person and quote around it is lost. ftfy (MIT, Robyn Speer) detects and reverses those
decodings and leaves text that was decoded right as it was; only its encoding fixes run here
(quotes stay curly, widths, ligatures and line breaks untouched). ftfy repairs a text line by
line, which costs some 10 µs a line; a text in plain ASCII, or one in which ftfy's own detector
(`badness.is_bad`, one pass of a regular expression) sees no mojibake, is returned as it came.

Some feeds also put the mojibake through Unicode compatibility normalisation (NFKC or NFKD),
which turns the Windows-1252 symbols it is made of into plain characters: "¼" into "1⁄4", "¨"
into a space and a combining diaeresis, "º" into "o", so "Müller" arrives as "MÃ1⁄4ller" and
"Raúl" as "RaÃol" (seen in US newspapers' archived text). ftfy cannot see those;
`_RENORMALISED` puts the symbols back where they follow "Ã" inside a word (the lead byte of
every accented Latin letter in UTF-8), and ftfy then decodes them. A decomposed text ("A" and a
combining tilde for "Ã") is first composed (NFC: the same text to Unicode, drawn the same), so
that both forms are read alike.

The repair is idempotent, so the service can apply it when an article arrives and the extractor
again on the text it is given.
"""

from __future__ import annotations

import re
import unicodedata

import ftfy
from ftfy.badness import is_bad

_FIXES = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)

# The Windows-1252 symbols U+00A0..U+00BF (second bytes of UTF-8's two-byte Latin letters) that
# NFKC rewrites, by what it rewrites them to. No-break space is left to ftfy's restore_byte_a0.
_COMPATIBILITY = {
    unicodedata.normalize("NFKC", chr(c)): chr(c)
    for c in range(0xA1, 0xC0)
    if unicodedata.normalize("NFKC", chr(c)) != chr(c)
}
_RENORMALISED = re.compile(
    r"(?<=[^\W\d_])Ã(" + "|".join(re.escape(k) for k in sorted(_COMPATIBILITY, key=len, reverse=True)) + ")"
)


def _undo_nfkc(match: re.Match[str]) -> str:
    return "Ã" + _COMPATIBILITY[match.group(1)]


def repair_encoding(text: str) -> str:
    """`text` with mojibake decoded back to what was written; any other text unchanged."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFC", text)
    if "Ã" in text:
        text = _RENORMALISED.sub(_undo_nfkc, text)
    if not is_bad(text):
        return text
    return ftfy.fix_text(text, _FIXES)

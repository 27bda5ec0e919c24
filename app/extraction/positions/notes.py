"""Notes on the author at an article's end: "Ann Holt is president of the Harbour Institute."
A last paragraph that opens by stating what someone the article never named before is, is
about who wrote it, not part of the story; the offices it states are not the story's."""

from __future__ import annotations

from spacy.tokens import Doc

from app.extraction.people import PEOPLE_KEY

# The verbs by which a note on the author states what they are.
NOTE_VERBS = frozenset({"is", "was", "has", "serves"})


def author_notes(doc: Doc) -> set[str]:
    """The people the article's last paragraph introduces in a note on its author(s)."""
    last = _last_paragraph(doc)
    if last is None:
        return set()
    spans = sorted(doc.spans[PEOPLE_KEY], key=lambda s: s.start) if PEOPLE_KEY in doc.spans else []
    named_before = {s.kb_id_ for s in spans if s.start < last}
    out: set[str] = set()
    for span in spans:
        if span.start < last or span.kb_id_ in named_before:
            continue
        verb = span.root.head
        opens = span.start == last or (span.sent.start == span.start and span.sent.start >= last)
        # The honorific may stand first: "Mr. Phillips is director of ...".
        opens = opens or (span.start == span.sent.start + 1 and doc[span.sent.start].text.istitle())
        if opens and span.root.dep_ == "nsubj" and verb.lower_ in NOTE_VERBS:
            out.add(span.kb_id_)
        elif span.start == last:
            return set()  # the paragraph opens otherwise: part of the story
    return out


def _last_paragraph(doc: Doc) -> int | None:
    """The first token of the text's last paragraph (after its last line break), if any."""
    end = len(doc)
    while end > 0 and doc[end - 1].is_space:
        end -= 1
    for i in range(end - 1, 0, -1):
        if "\n" in doc[i - 1].whitespace_ or "\n" in doc[i - 1].text:
            return i
    return None

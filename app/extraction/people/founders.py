"""Organisations named after a person: "the Okafor Global Initiative", "the Tarrant Family
Foundation", where the model tagged only the person's name."""

from __future__ import annotations

from spacy.tokens import Span

from app.extraction.people.lexicon import _cap, fold
from app.extraction.people.mentions import _State

# Last words of the bodies people found and name after themselves.
_FOUNDED_HEADS = frozenset({"initiative", "foundation", "institute", "fund", "trust"})


class _Founders(_State):
    """The recovery pass for organisations named after their founder."""

    def _named_after_people(self, org_ents: list[Span]) -> list[Span]:
        """ "the Okafor Global Initiative", "the Ann Tarrant Foundation": "the", a person's
        name (tagged as one here, or a word of a name the model tags as a person elsewhere in
        the article), then capitalised words in no entity that end in the head of a body
        people found (`_FOUNDED_HEADS`) make one organisation; the person's name is part of
        it. "the Strategic Defense Initiative" names no person and stays out."""
        doc = self.doc
        if not self.tagged:
            return []
        claimed = {i for span in org_ents for i in range(span.start, span.end)}
        out: list[Span] = []
        n = len(doc)
        for the in doc[:-2]:
            start = the.i + 1
            if the.lower_ != "the" or start in claimed or not _cap(doc[start].text):
                continue
            ent = self._ent_at(start)
            if ent is not None and ent.label_ == "PERSON" and ent.start == start:
                end = ent.end
            elif (
                not doc[start].ent_type_
                and doc[start].is_alpha
                and fold(doc[start].text) in self._person_words()
            ):
                end = start + 1
            else:
                continue
            name_end = end
            while end < n and doc[end].is_alpha and _cap(doc[end].text) and not doc[end].ent_type_:
                end += 1
            if end == name_end or doc[end - 1].lower_ not in _FOUNDED_HEADS:
                continue
            if any(i in claimed for i in range(start, end)):
                continue
            claimed.update(range(start, end))
            out.append(doc[start:end])
        return out

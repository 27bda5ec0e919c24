"""People and organisations: the model's PERSON/ORG entities, cleaned and merged per article.

Sets `doc._.newsmeta_people` and `doc._.newsmeta_orgs`, lists of `EntityCluster`:
one cluster per real entity, named by the fullest form the article uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc

TITLE_WORDS = {"mr", "mrs", "ms", "dr", "sir", "president", "minister", "prime", "spokesperson"}


@dataclass
class EntityCluster:
    """One real entity in one article: its best name, other forms and (start, end) char spans."""

    name: str
    aliases: set[str] = field(default_factory=set)
    spans: list[tuple[int, int]] = field(default_factory=list)


for _ext in ("newsmeta_people", "newsmeta_orgs"):
    if not Doc.has_extension(_ext):
        Doc.set_extension(_ext, default=None)


def _strip_titles(words: list[str]) -> list[str]:
    while words and words[0].lower().rstrip(".") in TITLE_WORDS:
        words = words[1:]
    return words


def cluster_names(mentions: list[tuple[str, int, int]]) -> list[EntityCluster]:
    """Group name mentions so that "Peskov" joins "Dmitry Peskov" (longest name first)."""
    clusters: list[EntityCluster] = []
    for name, start, end in sorted(mentions, key=lambda m: (-len(m[0].split()), m[1])):
        words = name.split()
        target = next(
            (c for c in clusters if name == c.name or (len(words) < len(c.name.split()) and
                                                       _is_part_of(words, c.name.split()))),
            None,
        )
        if target is None:
            target = EntityCluster(name=name)
            clusters.append(target)
        target.aliases.add(name)
        target.spans.append((start, end))
    for c in clusters:
        c.spans.sort()
    clusters.sort(key=lambda c: c.spans[0])
    return clusters


def _is_part_of(short: list[str], full: list[str]) -> bool:
    return full[-len(short):] == short or full[: len(short)] == short


@Language.component("newsmeta_entities")
def entities_component(doc: Doc) -> Doc:
    people: list[tuple[str, int, int]] = []
    orgs: list[tuple[str, int, int]] = []
    for ent in doc.ents:
        if ent.label_ == "PERSON":
            words = _strip_titles(ent.text.split())
            if words:
                name = " ".join(words)
                start = ent.start_char + ent.text.index(words[0])
                people.append((name, start, start + len(name)))
        elif ent.label_ == "ORG":
            text = ent.text[4:] if ent.text.lower().startswith("the ") else ent.text
            orgs.append((text, ent.end_char - len(text), ent.end_char))
    doc._.newsmeta_people = cluster_names(people)
    doc._.newsmeta_orgs = cluster_names(orgs)
    return doc

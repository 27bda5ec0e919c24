"""Clustering organisation mentions: a party's every form is one organisation; other forms
join through the keys of `org_forms.py`; clusters that name no organisation are dropped."""

from __future__ import annotations

from collections import Counter

from spacy.tokens import Doc

from app.extraction.countries import lookup as country_lookup
from app.extraction.people.lexicon import Lexicon, fold, is_acronym
from app.extraction.people.mentions import EntityCluster, _Mention
from app.extraction.people.names import _BLOCK_LIMIT
from app.extraction.people.org_forms import (
    _SITE_SUFFIX,
    _all_initials,
    _content_words,
    _defined_acronyms,
    _near_key,
    _org_joins,
    _org_key,
    _without_country,
)
from app.extraction.people.parties import parties
from app.extraction.people.things import _a_product, _common_noun


class _OrgCluster:
    def __init__(self, m: _Mention, words: list[str], text: str, order: int = 0) -> None:
        self.order = order
        self.mentions = [m]
        self.forms: list[list[str]] = [words]
        self.texts: Counter[str] = Counter({text: 1})
        self.country = m.country


class _OrgIndex:
    """Organisation forms -> clusters, keyed by everything `_org_joins` compares.

    A form is filed under its key, a spelling-insensitive key (plural "s" dropped, letters
    sorted: "Untied"/"United"), its content words in order ("State Department"), every proper
    prefix and suffix of its key ("Ford" / "Ford Motor Company", "Treasury" / "U.S.
    Treasury"), its initials ("EADS") and, when it is an acronym, its letters; the same again
    without a leading country. A new form looks up the
    keys that could join it, so `_org_joins` runs on a few candidates, not on every cluster.
    """

    def __init__(self) -> None:
        self._keys: dict[tuple[str, tuple[str, ...]], list[_OrgCluster]] = {}

    @staticmethod
    def _filed(words: list[str]) -> list[tuple[str, tuple[str, ...]]]:
        out: list[tuple[str, tuple[str, ...]]] = []
        bare, code = _without_country(words)
        for form in (words, bare) if code else (words,):
            key = _org_key(form)
            out.append(("k", key))
            out.append(("n", _near_key(key)))
            out.append(("w", _content_words(key)))
            out.extend(("p", key[:k]) for k in range(1, len(key)))
            out.extend(("s", key[k:]) for k in range(1, len(key)))
            if len(form) > 1:
                out.extend(("i", (i,)) for i in _all_initials(form))
            joined = "".join(form).replace(".", "")
            if is_acronym(joined):
                out.append(("a", ("".join(c for c in joined if c.isalpha()),)))
        return out

    @staticmethod
    def _wanted(words: list[str]) -> list[tuple[str, tuple[str, ...]]]:
        out: list[tuple[str, tuple[str, ...]]] = []
        bare, code = _without_country(words)
        for form in (words, bare) if code else (words,):
            key = _org_key(form)
            out.append(("k", key))
            out.append(("n", _near_key(key)))
            out.append(("w", _content_words(key)))
            out.append(("p", key))  # a longer form that starts with this one
            out.append(("s", key))  # a longer form that ends with this one
            out.extend(("k", key[:k]) for k in range(1, len(key)))
            out.extend(("k", key[k:]) for k in range(1, len(key)))
            joined = "".join(form).replace(".", "")
            if is_acronym(joined):
                out.append(("i", ("".join(c for c in joined if c.isalpha()),)))
            if len(form) > 1:
                out.extend(("a", (i,)) for i in _all_initials(form))
        return out

    def add(self, words: list[str], cluster: _OrgCluster) -> None:
        for key in self._filed(words):
            known = self._keys.setdefault(key, [])
            if not known or known[-1] is not cluster:
                known.append(cluster)

    def candidates(self, words: list[str]) -> list[_OrgCluster]:
        """Clusters one of whose forms `_org_joins` with `words`, in the order they were made."""
        found: dict[int, _OrgCluster] = {}
        for key in self._wanted(words):
            for c in self._keys.get(key, ())[-_BLOCK_LIMIT:]:
                found.setdefault(id(c), c)
        return sorted(
            (c for c in found.values() if any(_org_joins(words, f) for f in c.forms)), key=lambda c: c.order
        )


def cluster_orgs(
    doc: Doc, mentions: list[_Mention], lex: Lexicon
) -> list[tuple[EntityCluster, list[_Mention]]]:
    clusters: list[_OrgCluster] = []
    by_form: dict[tuple[str, ...], _OrgCluster] = {}
    # A party's every form ("Labour", "the Tories", "Tory MPs", "GOP") is one organisation.
    parties_found: dict[str, _OrgCluster] = {}
    for m in mentions:
        if m.party is None:
            continue
        known = parties_found.get(m.party.name)
        if known is None:
            parties_found[m.party.name] = _OrgCluster(m, m.words(doc), m.text(doc))
            parties_found[m.party.name].country = m.party.country
        else:
            known.mentions.append(m)
            known.texts[m.text(doc)] += 1
    mentions = [m for m in mentions if m.party is None]
    index = _OrgIndex()
    defined = _defined_acronyms(doc, mentions)
    ordered = sorted(mentions, key=lambda m: (-(m.end - m.start), m.start))
    for m in ordered:
        words = m.words(doc)
        text = m.text(doc)
        same = by_form.get(tuple(words)) or by_form.get(defined.get(tuple(words), ()))
        candidates = [same] if same else index.candidates(words)
        if not candidates:
            clusters.append(_OrgCluster(m, words, text, len(clusters)))
            by_form[tuple(words)] = clusters[-1]
            index.add(words, clusters[-1])
            continue
        # An acronym goes to the organisation it abbreviates before any that merely starts with it.
        joined = "".join(words)
        if is_acronym(joined):
            letters = "".join(ch for ch in joined if ch.isalpha())
            exact = [
                c for c in candidates if any(len(f) > 1 and letters in _all_initials(f) for f in c.forms)
            ]
            candidates = exact or candidates
        target = max(candidates, key=lambda c: sum(c.texts.values()))
        target.mentions.append(m)
        if tuple(words) not in by_form:
            target.forms.append(words)
            by_form[tuple(words)] = target
            index.add(words, target)
        target.texts[text] += 1
        target.country = target.country or m.country
    lower_words = {t.lower_ for t in doc if t.is_lower and t.is_alpha}
    out = []
    for party_name, c in parties_found.items():
        spans = sorted(
            {(doc[m.start].idx, doc[m.end - 1].idx + len(doc[m.end - 1].text)) for m in c.mentions}
        )
        cluster = EntityCluster(
            name=_party_name(party_name, c.texts), aliases=set(c.texts), spans=spans, country=c.country
        )
        out.append((cluster, c.mentions))
    for c in clusters:
        names = {fold(t.removeprefix("the ").removeprefix("The ")) for t in c.texts}
        if all(_listed_not_org(n, lex) for n in names):
            continue
        name = _best_org_name(c, lex)
        if name not in lex.orgs_known and len(c.texts) == 1 and country_lookup(name):
            continue  # a place the model took for an organisation
        if name not in lex.orgs_known and _common_noun(c.texts, lower_words):
            continue  # "the Budget", "Cabinet secretary": a noun the article also writes in lower case
        if name not in lex.orgs_known and any(_a_product(doc, m, lex) for m in c.mentions):
            continue  # "the new model Vexa", "the 787 Dreamliner": a product, not its maker
        country = c.country or next((lex.orgs_known[t] for t in c.texts if lex.orgs_known.get(t)), None)
        spans = sorted(
            {(doc[m.start].idx, doc[m.end - 1].idx + len(doc[m.end - 1].text)) for m in c.mentions}
        )
        out.append((EntityCluster(name=name, aliases=set(c.texts), spans=spans, country=country), c.mentions))
    out.sort(key=lambda pair: pair[0].spans[0])
    return out


def _listed_not_org(name: str, lex: Lexicon) -> bool:
    """Whether a folded name is in data/orgs_not.txt, or is the plural of one there: "the next
    generation of Kindles" names the product, as "Kindle" does."""
    return name in lex.orgs_not or (name.endswith("s") and name[:-1] in lex.orgs_not)


def _party_name(canonical: str, texts: Counter[str]) -> str:
    """The party's name as the article gives it in full ("National Front", an older name),
    its letters where it gives only those ("SNP"), else its usual name ("Conservative Party"
    for an article that says "the Tories")."""
    used = {t.removeprefix("the ").removeprefix("The ") for t in texts}
    if canonical in used:
        return canonical
    if all(is_acronym(t) for t in used):
        return max(used, key=lambda t: texts[t])  # "NDP": the letters may stand for another party
    lex = parties()
    full = [t for t in used if len(t.split()) > 1 and lex.party(t) is not None and t not in lex.by_member]
    if full:
        return max(full, key=len)
    # Only members' nouns: the name without its country ("Conservative Party" of Canada).
    party = lex.party(canonical)
    plain = [n for n in party.names if canonical.startswith(n + " of ")] if party is not None else []
    return min(plain, key=len) if plain else canonical


def _best_org_name(c: _OrgCluster, lex: Lexicon) -> str:
    def key(text: str) -> tuple[int, int, int, int, int]:
        return (
            int(text in lex.orgs_known),
            int(not is_acronym(text.replace(" ", ""))),
            int(_SITE_SUFFIX.search(text) is None),  # "Vetra" before "Vetra.ca"
            c.texts[text],
            len(text),
        )

    return max(c.texts, key=key)

"""Cross-article identity: which canonical person or organisation an article's entity is, and why.

An article's entity joins an existing row only on evidence, tried in this order:

* `curated`: a curator pinned one of its names to an entity (merges and splits survive re-ingest);
* `exact`: its fullest name has the row's key (accent-, case- and punctuation-insensitive);
* `alias`: another of its multi-word names (or an organisation's acronym, "GM") is a name of
  exactly one row ("Sergei Lavrov" recorded for "Sergey Lavrov"; "General Motors Corporation (GM)");
* `surname`: a person named by one word only ("Obama") joins the one full-name person ending in
  it who is compatible; with two candidates ("Clinton": Bill, Hillary) it stays apart;
* `acronym`: an organisation named by one word joins the one row any article paired it with;
* `variant`: a spelling variant on the loose key ("Zelenskiy" ~ "Zelensky"; "Ford Motor Co." ~
  "Ford Motor Company"; "Department of Justice" ~ "Justice Department"), under the same checks.

Compatible people have no conflicting given names or middle initials ("George W. Bush" is not
"George H. W. Bush") and, when both sides state positions, share a country, organisation or
title. Organisations whose names are generic ("Democratic Party", "Treasury", "Supreme Court":
app/data/generic_organisation_words.txt) join only where their countries agree; a second one of
the same name in another country gets a key of its own (`democratic party @hk`).

Re-resolution folds an older row into a newer one when new evidence arrives (a surname-only
"Obama" stored before "Barack Obama"): `merge` moves every record in one transaction and keeps
the counters and the office summary exact by taking each touched article out and back in.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Engine, delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from app.extraction import Extraction
from app.extraction import countries as country_names
from app.models import (
    EntityLink,
    EntityPin,
    EntityRedirect,
    Mention,
    Organisation,
    PersonAlias,
    Position,
    Quote,
    name_key,
)
from app.models.common import alias_keys, name_skeleton, utcnow
from app.models.records import Office
from app.services import counters, offices
from app.services.lookup import entity_tables

Kind = Literal["person", "organisation"]
DATA = Path(__file__).resolve().parents[1] / "data"
# A merge done inside an ingest touches at most this many other articles; a bigger one waits for
# `newsmeta resolve`, so one post never rewrites a large part of the archive.
INGEST_MERGE_ARTICLES = 200
_HONORIFICS = frozenset(
    "mr mrs ms miss dr sir dame lord lady prof professor rev president senator gov governor gen "
    "general sen rep judge justice king queen prince princess pope".split()
)
_ORG_STOP = frozenset({"the", "of", "and", "for", "a"})
_ORG_SUFFIXES = frozenset(
    "inc incorporated corp corporation co company llc ltd limited plc group spa ag sa nv holdings "
    "gmbh".split()
)
_COUNTRY_WORDS = {
    "us": "US",
    "usa": "US",
    "american": "US",
    "uk": "GB",
    "british": "GB",
    "hm": "GB",
    "britain": "GB",
}
_COUNTRY_PHRASES = (
    ("united states", "us"),
    ("u s a", "us"),
    ("u s", "us"),
    ("united kingdom", "uk"),
    ("u k", "uk"),
)
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&.]{1,7}$")


@cache
def generic_words() -> frozenset[str]:
    lines = (DATA / "generic_organisation_words.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


# --- Keys ------------------------------------------------------------------------------------------


def _person_words(name: str) -> list[str]:
    words = name_key(name).split()
    while len(words) > 1 and words[0] in _HONORIFICS:
        words = words[1:]
    return words


def person_resolve_key(name: str) -> str:
    """The loose key of a person's name: the skeletons of the first and last words, titles and
    middle names left out ("Mr. Sergei V. Lavrov" -> "srg lvrv")."""
    words = _person_words(name)
    if not words:
        return ""
    kept = words if len(words) == 1 else [words[0], words[-1]]
    return name_skeleton(" ".join(kept))


def first_key(name: str) -> str:
    """The first word of a full name, titles left out ("Mr. Barack Obama" -> "barack"); "" for one word."""
    words = _person_words(name)
    return words[0] if len(words) > 1 else ""


def _org_words(name: str) -> list[str]:
    key = f" {name_key(name)} "
    for phrase, short in _COUNTRY_PHRASES:
        key = key.replace(f" {phrase} ", f" {short} ")
    words = [w for w in key.split() if w not in _ORG_STOP]
    while len(words) > 1 and words[-1] in _ORG_SUFFIXES:
        words.pop()
    return words


_GENERIC_FILLERS = frozenset({"party", "department"})


def _singular(word: str) -> str:
    """A generic word's base: "Democrats"/"Democratic" -> "democrat", "Greens" -> "green"."""
    generic = generic_words()
    if word.endswith("s") and word[:-1] in generic:
        return word[:-1]
    if word.endswith("ic") and word[:-2] in generic:
        return word[:-2]
    return word


def organisation_resolve_key(name: str) -> str:
    """The loose key of an organisation's name: its words without articles and company suffixes,
    country names shortened, in sorted order ("The Walt Disney Company" -> "disney walt";
    "Department of Justice" and "Justice Department" -> "department justice").

    A generic name also loses its country words, "party" and "department", and its words their
    plural ("Republicans" ~ "Republican Party", "US Treasury Department" ~ "Treasury"): such
    names join only where the countries agree, which the resolver checks separately.
    """
    words = _org_words(name)
    if is_generic(name):
        words = [_singular(w) for w in words if w not in _COUNTRY_WORDS]
        words = [w for w in words if w not in _GENERIC_FILLERS] or words
    return " ".join(sorted(set(words)))


def resolve_key(kind: Kind, name: str) -> str:
    return person_resolve_key(name) if kind == "person" else organisation_resolve_key(name)


def is_generic(name: str) -> bool:
    """True for organisation names many countries share: every word generic ("Green Party")."""
    words = [w for w in _org_words(name) if w not in _COUNTRY_WORDS]
    return bool(words) and all(w in generic_words() for w in words)


def is_acronym(name: str) -> bool:
    return bool(_ACRONYM.match(name.strip())) and sum(c.isalpha() for c in name) >= 2


def name_country(name: str) -> str | None:
    """The country a name itself states: "US Treasury", "HM Treasury", "Democratic Party of Hong Kong"."""
    key = f" {name_key(name)} "
    for phrase, short in _COUNTRY_PHRASES:
        key = key.replace(f" {phrase} ", f" {short} ")
    words = key.split()
    for w in words:
        if w in _COUNTRY_WORDS:
            return _COUNTRY_WORDS[w]
    raw = name.split()
    for i, w in enumerate(raw):
        if w.lower() in ("of", "in") and i + 1 < len(raw):
            code = country_names.lookup(" ".join(raw[i + 1 :]), places=False)
            if code:
                return code
    for w in raw[:2]:
        code = country_names.lookup(w.strip(",.'"), places=False)
        if code and code not in ("EU",):
            return code
    return None


# --- What an article says about its entities ------------------------------------------------------


@dataclass
class Evidence:
    """One article's entity: its names and what the article ties it to."""

    name: str
    forms: tuple[str, ...]
    titles: set[str] = field(default_factory=set)
    organisations: set[str] = field(default_factory=set)  # name keys
    countries: set[str] = field(default_factory=set)
    country: str | None = None  # an organisation's country in this article
    context: set[str] = field(default_factory=set)  # the countries that article names


def article_evidence(extraction: Extraction) -> tuple[dict[str, Evidence], dict[str, Evidence]]:
    """People and organisations of an extraction, by the name positions and quotes use."""
    people: dict[str, Evidence] = {}
    orgs: dict[str, Evidence] = {}
    for p in extraction.people:
        people[p.name] = Evidence(p.name, tuple(sorted({p.name, *p.aliases})))
    for o in extraction.organisations:
        orgs[o.name] = Evidence(o.name, tuple(sorted({o.name, *o.aliases})))
    counts = Counter({c.code: len(c.mentions) for c in extraction.countries}).most_common()
    article_country = counts[0][0] if counts else None
    # A generic name ("Labour") joins a row whose home country the article names at all: a UK
    # article about Iraq still names Britain; a US article about its Democrats rarely Hong Kong.
    named = {code for code, _ in counts}
    org_countries: dict[str, set[str]] = defaultdict(set)
    for pos in extraction.positions:
        person = people.setdefault(pos.person, Evidence(pos.person, (pos.person,)))
        person.titles.add(pos.title.casefold())
        if pos.country:
            person.countries.add(pos.country)
        if pos.organisation:
            person.organisations.add(name_key(pos.organisation))
            orgs.setdefault(pos.organisation, Evidence(pos.organisation, (pos.organisation,)))
            if pos.country:
                org_countries[pos.organisation].add(pos.country)
    for name, ev in orgs.items():
        stated = next((c for c in map(name_country, ev.forms) if c), None)
        held = sorted(org_countries.get(name, ()))
        ev.country = stated or (held[0] if len(held) == 1 else None) or article_country
        ev.context = {stated} if stated else set(held) | named
    return people, orgs


# --- Resolution ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Resolved:
    entity_id: int
    reason: str


tables = entity_tables  # (table, alias table, the alias table's foreign key) of a kind


def link_column(kind: Kind) -> Any:
    return col(EntityLink.person_id) if kind == "person" else col(EntityLink.organisation_id)


def record_columns(kind: Kind) -> list[tuple[Any, Any]]:
    """The records that point at a person or an organisation, each with the column that does:
    what a merge or a split moves, and what says which articles an entity is in."""
    if kind == "person":
        return [
            (Mention, col(Mention.person_id)),
            (Position, col(Position.person_id)),
            (Quote, col(Quote.speaker_id)),
            (EntityLink, link_column(kind)),
        ]
    return [
        (Mention, col(Mention.organisation_id)),
        (Position, col(Position.organisation_id)),
        (EntityLink, link_column(kind)),
    ]


def _fullest(forms: Iterable[str]) -> str:
    return max(forms, key=lambda f: (len(_person_words(f)), len(f), f))


def _given_and_middle(name: str) -> tuple[str | None, tuple[str, ...]]:
    words = _person_words(name)
    if len(words) < 2:
        return None, ()
    return words[0], tuple(words[1:-1])


def _given_compatible(a: str, b: str) -> bool:
    if a == b or name_skeleton(a) == name_skeleton(b):
        return True
    # An initial or a short form: "J." ~ "John", "Vince" ~ "Vincent".
    return (
        (len(a) == 1 and b.startswith(a))
        or (len(b) == 1 and a.startswith(b))
        or (min(len(a), len(b)) >= 3 and (a.startswith(b) or b.startswith(a)))
    )


def _middles_compatible(a: Sequence[str], b: Sequence[str]) -> bool:
    """Middle names agree: same initials, and full words spelt alike ("W." ~ "Walker", not
    "Walker" ~ "Wallace")."""
    if len(a) != len(b):
        return False
    for x, y in zip(a, b, strict=True):
        if x[0] != y[0]:
            return False
        if len(x) > 1 and len(y) > 1 and name_skeleton(x) != name_skeleton(y):
            return False
    return True


def _names_compatible(ours: Sequence[str], theirs: Sequence[str]) -> bool:
    """No conflicting given name or middle initials between any full names of the two sides."""
    our_full = [_given_and_middle(f) for f in ours if len(_person_words(f)) > 1]
    their_full = [_given_and_middle(f) for f in theirs if len(_person_words(f)) > 1]
    if not our_full or not their_full:
        return True
    for given, middle in our_full:
        for g2, m2 in their_full:
            if given and g2 and not _given_compatible(given, g2):
                continue
            if middle and m2 and not _middles_compatible(middle, m2):
                continue
            return True
    return False


class Resolver:
    """Resolution against the archive inside one session (an ingest's or a re-resolution's)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # Reading the archive -------------------------------------------------------------------------

    def _forms_of(self, kind: Kind, entity_id: int) -> list[str]:
        _, alias_table, fk = tables(kind)
        return list(self.session.execute(select(alias_table.alias).where(fk == entity_id)).scalars())

    def _countries_of_org(self, entity_id: int) -> set[str]:
        rows = self.session.execute(
            select(col(EntityLink.country_code))
            .where(col(EntityLink.organisation_id) == entity_id, col(EntityLink.country_code).is_not(None))
            .distinct()
        ).scalars()
        return {r for r in rows if r}

    def _offices_of(self, person_id: int) -> tuple[set[str], set[str], set[str]]:
        titles: set[str] = set()
        orgs: set[str] = set()
        places: set[str] = set()
        for title, org_name, code in self.session.execute(
            select(col(Office.title), col(Organisation.name), col(Office.country_code))
            .outerjoin(Organisation, col(Organisation.id) == col(Office.organisation_id))
            .where(col(Office.person_id) == person_id)
        ):
            titles.add(title.casefold())
            if org_name:
                orgs.add(name_key(org_name))
            if code:
                places.add(code)
        return titles, orgs, places

    def _stated_country(self, org_id: int) -> str | None:
        name = self.session.execute(
            select(col(Organisation.name)).where(col(Organisation.id) == org_id)
        ).scalar()
        return name_country(name) if name and not is_generic(name) else None

    def _pinned(self, kind: Kind, keys: Iterable[str]) -> int | None:
        keys = sorted({k for k in keys if k})
        if not keys:
            return None
        found = self.session.execute(
            select(col(EntityPin.entity_id)).where(col(EntityPin.kind) == kind, col(EntityPin.key).in_(keys))
        ).scalars()
        ids = set(found)
        return ids.pop() if len(ids) == 1 else None

    def _by_alias_key(self, kind: Kind, key: str, exclude: int | None) -> set[int]:
        _, alias_table, fk = tables(kind)
        ids = set(self.session.execute(select(fk).where(alias_table.key == key)).scalars())
        ids.discard(exclude)
        return ids

    def _by_resolve_key(self, kind: Kind, key: str, exclude: int | None) -> set[int]:
        _, alias_table, fk = tables(kind)
        ids = set(self.session.execute(select(fk).where(alias_table.resolve_key == key)).scalars())
        ids.discard(exclude)
        return ids

    def _full_names_with(self, word: str, exclude: int | None) -> set[int]:
        """People with a full name ending in this word (a surname) or, failing any, starting with it
        (a first name alone: "Hillary")."""
        for column in (col(PersonAlias.last_key), col(PersonAlias.first_key)):
            ids = set(
                self.session.execute(
                    select(col(PersonAlias.person_id)).where(column == word, col(PersonAlias.key) != word)
                ).scalars()
            )
            ids.discard(exclude)
            if ids:
                return ids
        return set()

    # Compatibility --------------------------------------------------------------------------------

    def person_fits(self, ev: Evidence, person_id: int) -> tuple[bool, bool]:
        """(compatible, shares evidence): names agree, and positions where both state any."""
        if not _names_compatible(ev.forms, self._forms_of("person", person_id)):
            return False, False
        if not (ev.titles or ev.organisations or ev.countries):
            return True, False
        titles, orgs, places = self._offices_of(person_id)
        if not (titles or orgs or places):
            return True, False
        shared = bool(ev.titles & titles or ev.organisations & orgs or ev.countries & places)
        return shared, shared

    def org_fits(self, ev: Evidence, org_id: int) -> bool:
        """A generic name ("Labour", "Treasury") joins only a row seen in one of its countries."""
        ours = ev.context or ({ev.country} if ev.country else set())
        if not ours or not is_generic(ev.name):
            return True
        theirs = self._countries_of_org(org_id)
        return not theirs or bool(ours & theirs)

    def _pick(self, kind: Kind, ev: Evidence, ids: set[int]) -> int | None:
        """The one candidate that fits; with several, the one sharing evidence if only one does."""
        if kind == "organisation":
            fits = sorted(i for i in ids if self.org_fits(ev, i))
            return fits[0] if len(fits) == 1 else None
        judged = {i: self.person_fits(ev, i) for i in sorted(ids)}
        fits = [i for i, (ok, _) in judged.items() if ok]
        if len(fits) == 1:
            return fits[0]
        strong = [i for i in fits if judged[i][1]]
        return strong[0] if len(strong) == 1 else None

    # The rules ------------------------------------------------------------------------------------

    def find(self, kind: Kind, ev: Evidence, *, exclude: int | None = None) -> Resolved | None:
        """The existing row this entity is, by the first rule that gives one answer; None: new."""
        table, _, _ = tables(kind)
        fullest = _fullest(ev.forms) if kind == "person" else ev.name
        keys = [name_key(f) for f in ev.forms]
        pinned = self._pinned(kind, [name_key(ev.name), *keys])
        if pinned is not None and pinned != exclude:
            return Resolved(pinned, "curated")
        # exact: the name's key, or for a generic organisation its key in this country
        own = name_key(fullest) or fullest
        exact_keys = [own]
        if kind == "organisation" and ev.country and is_generic(ev.name):
            exact_keys.insert(0, f"{own} @{ev.country.lower()}")
        for key in exact_keys:
            found = self.session.execute(select(table.id).where(table.key == key)).scalar_one_or_none()
            if found is not None and found != exclude:
                if kind == "person" or self.org_fits(ev, found):
                    return Resolved(int(found), "exact")
        # alias: another multi-word name, or an acronym, that names exactly one row
        strong = [
            f for f in ev.forms if len(name_key(f).split()) > 1 or (kind == "organisation" and is_acronym(f))
        ]
        for form in sorted(strong, key=lambda f: (-len(f), f)):
            ids = self._by_alias_key(kind, name_key(form), exclude)
            if ids:
                picked = self._pick(kind, ev, ids)
                if picked is not None:
                    reason = "acronym" if kind == "organisation" and is_acronym(form) else "alias"
                    return Resolved(picked, reason)
        single = len(_person_words(fullest)) == 1 if kind == "person" else len(name_key(ev.name).split()) == 1
        if kind == "person" and single:
            ids = self._full_names_with(_person_words(fullest)[0], exclude)
            if ids:
                picked = self._pick(kind, ev, ids)
                return Resolved(picked, "surname") if picked is not None else None
        if kind == "organisation" and single:
            ids = self._by_alias_key(kind, name_key(ev.name), exclude)
            if not is_acronym(ev.name):
                # "Ford" alone is not "Ford Australia", though that article called it "Ford" too.
                ids = {i for i in ids if self._stated_country(i) in (None, *map(name_country, ev.forms))}
            if ids:
                picked = self._pick(kind, ev, ids)
                if picked is not None:
                    return Resolved(picked, "acronym" if is_acronym(ev.name) else "alias")
        # variant: the loose key, under the same checks
        others = sorted(f for f in set(ev.forms) - {fullest} if len(name_key(f).split()) > 1)
        for form in [fullest, *others]:
            loose = resolve_key(kind, form)
            if not loose or (
                len(name_key(form).split()) < 2 and not (kind == "organisation" and is_generic(form))
            ):
                # One word: the surname and alias rules above are the only ways, but for a party's
                # members ("Republicans" ~ "Republican Party"), checked by country.
                continue
            ids = self._by_resolve_key(kind, loose, exclude)
            if ids:
                picked = self._pick(kind, ev, ids)
                if picked is not None:
                    return Resolved(picked, "variant")
            if kind == "person":
                break
        return None

    # Writing --------------------------------------------------------------------------------------

    def canonical(self, kind: Kind, ev: Evidence) -> Resolved:
        """The row for this entity, created if no rule finds one; its names recorded as aliases."""
        found = self.find(kind, ev)
        if found is None:
            found = self._create(kind, ev)
        self.add_aliases(kind, found.entity_id, ev.forms)
        return found

    def _create(self, kind: Kind, ev: Evidence) -> Resolved:
        table, _, _ = tables(kind)
        name = _fullest(ev.forms) if kind == "person" else ev.name
        key = name_key(name) or name
        taken = self.session.execute(select(table.id).where(table.key == key)).scalar_one_or_none()
        if taken is not None and kind == "organisation" and ev.country:
            key = f"{key} @{ev.country.lower()}"  # the same name in another country
        elif taken is not None:
            return Resolved(int(taken), "exact")
        entity_id = insert_ignore(self.session, table, {"name": name[:300], "key": key[:300]}, table.id)
        if entity_id is None:  # created concurrently
            entity_id = self.session.execute(select(table.id).where(table.key == key)).scalar_one()
        return Resolved(int(entity_id), "new")

    def add_aliases(self, kind: Kind, entity_id: int, forms: Iterable[str]) -> None:
        _, alias_table, fk = tables(kind)
        for alias in sorted(set(forms)):  # sorted: the same lock order in every writer
            if name_key(alias):
                values = {fk.key: entity_id, "alias": alias[:300], **alias_keys(alias)}
                values["resolve_key"] = resolve_key(kind, alias)[:300]
                if kind == "person":
                    values["first_key"] = first_key(alias)[:300]
                insert_ignore(self.session, alias_table, values)


def insert_ignore(session: Session, table: Any, values: dict[str, Any], returning: Any = None) -> Any:
    make = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt: Any = make(table).values(**values).on_conflict_do_nothing()
    if returning is not None:
        return session.execute(stmt.returning(returning)).scalar_one_or_none()
    session.execute(stmt)
    return None


def resolve_article(
    session: Session, extraction: Extraction
) -> tuple[dict[str, Resolved], dict[str, Resolved], dict[str, Evidence], dict[str, Evidence]]:
    """Canonical rows for an extraction's people and organisations (by the names its records use),
    taken in one global order (by key) so concurrent writers cannot deadlock on new keys."""
    resolver = Resolver(session)
    people, orgs = article_evidence(extraction)
    person_ids: dict[str, Resolved] = {}
    for name in sorted(people, key=lambda n: (name_key(n) or n, n)):
        person_ids[name] = resolver.canonical("person", people[name])
    org_ids: dict[str, Resolved] = {}
    for name in sorted(orgs, key=lambda n: (name_key(n) or n, n)):
        org_ids[name] = resolver.canonical("organisation", orgs[name])
    return person_ids, org_ids, people, orgs


def _link(
    article_id: int,
    name: str,
    r: Resolved,
    *,
    person_id: int | None = None,
    organisation_id: int | None = None,
    country_code: str | None = None,
) -> dict[str, Any]:
    return {
        "article_id": article_id,
        "person_id": person_id,
        "organisation_id": organisation_id,
        "name": name[:300],
        "reason": r.reason,
        "country_code": country_code,
    }


def record_links(
    session: Session,
    article_id: int,
    people: Mapping[str, Resolved],
    orgs: Mapping[str, Resolved],
    org_evidence: Mapping[str, Evidence],
) -> None:
    rows: list[dict[str, Any]] = []
    for name, r in sorted(people.items()):
        rows.append(_link(article_id, name, r, person_id=r.entity_id))
    for name, r in sorted(orgs.items()):
        ev = org_evidence.get(name)
        rows.append(
            _link(article_id, name, r, organisation_id=r.entity_id, country_code=ev.country if ev else None)
        )
    if rows:
        session.execute(EntityLink.__table__.insert(), rows)  # type: ignore[attr-defined]


# --- Re-resolution and merges ----------------------------------------------------------------------


def articles_of(session: Session, kind: Kind, entity_id: int) -> list[int]:
    parts = [
        select(col(model.article_id)).where(column == entity_id) for model, column in record_columns(kind)
    ]
    found: set[int] = set()
    for part in parts:
        found.update(session.execute(part).scalars())
    return sorted(found)


def merge(
    session: Session, *, kind: Kind, winner_id: int, loser_id: int, reason: str, actor: str | None = None
) -> list[int] | None:
    """Fold `loser_id` into `winner_id` in the caller's transaction; the articles it touched (None
    when either row is gone, merged or deleted by a concurrent writer).

    Each touched article is taken out of the office summary and the counters, its records are
    moved, and it is put back: what the incremental writers do for a re-extraction, so the
    summaries stay what a recount would say. The old id redirects to the winner from then on.
    """
    if winner_id == loser_id:
        return None
    table, alias_table, fk = tables(kind)
    # Both rows locked, in id order, before anything moves: a concurrent merge or delete of either
    # is waited for, and one that removed a row leaves nothing to do here.
    rows = session.execute(
        select(table).where(table.id.in_([winner_id, loser_id])).order_by(table.id).with_for_update()
    ).scalars()
    found = {row.id: row for row in rows}
    loser, winner = found.get(loser_id), found.get(winner_id)
    if loser is None or winner is None:
        return None
    articles = articles_of(session, kind, loser_id)
    for article_id in articles:
        offices.forget_records(session, article_id)
        counters.forget_records(session, article_id)
    for model, column in record_columns(kind):
        session.execute(update(model).where(column == loser_id).values({column: winner_id}))
    resolver = Resolver(session)
    resolver.add_aliases(kind, winner_id, resolver._forms_of(kind, loser_id))
    session.execute(delete(alias_table).where(fk == loser_id))
    session.execute(
        update(EntityPin)
        .where(col(EntityPin.kind) == kind, col(EntityPin.entity_id) == loser_id)
        .values(entity_id=winner_id)
    )
    session.execute(
        update(EntityRedirect)
        .where(col(EntityRedirect.kind) == kind, col(EntityRedirect.new_id) == loser_id)
        .values(new_id=winner_id)
    )
    session.execute(
        delete(EntityRedirect).where(
            col(EntityRedirect.kind) == kind, col(EntityRedirect.old_id) == winner_id
        )
    )
    insert_ignore(
        session,
        EntityRedirect.__table__,  # type: ignore[attr-defined]
        {
            "kind": kind,
            "old_id": loser_id,
            "new_id": winner_id,
            "old_name": loser.name[:300],
            "reason": reason,
            "actor": actor,
            "created_at": utcnow(),
        },
    )
    if winner.external_id is None and loser.external_id is not None:
        session.execute(update(table).where(table.id == winner_id).values(external_id=loser.external_id))
    for article_id in articles:
        offices.remember_records(session, article_id)
        counters.remember_records(session, article_id)
    session.execute(delete(table).where(table.id == loser_id))
    session.flush()
    session.expire_all()
    return articles


def _evidence_of(session: Session, kind: Kind, entity_id: int) -> Evidence | None:
    """An existing row seen as an article's entity: its names and, for people, its offices."""
    table, _, _ = tables(kind)
    row = session.get(table, entity_id)
    if row is None:
        return None
    resolver = Resolver(session)
    forms = tuple(sorted(set(resolver._forms_of(kind, entity_id)) | {row.name}))
    ev = Evidence(row.name, forms)
    if kind == "person":
        ev.titles, ev.organisations, ev.countries = resolver._offices_of(entity_id)
    else:
        ev.context = resolver._countries_of_org(entity_id)
        ev.country = min(ev.context) if len(ev.context) == 1 else None
    return ev


def _weaker(kind: Kind, session: Session, a: int, b: int) -> tuple[int, int]:
    """(winner, loser) of two rows found to be one: the fuller name wins, then the older row."""
    table, _, _ = tables(kind)
    names = dict(session.execute(select(table.id, table.name).where(table.id.in_([a, b]))).all())

    def strength(i: int) -> tuple[int, int, int]:
        words = len(_person_words(names[i])) if kind == "person" else len(name_key(names[i]).split())
        return (words, len(names[i]), -i)

    return (a, b) if strength(a) >= strength(b) else (b, a)


def reresolve_entity(session: Session, kind: Kind, entity_id: int, *, limit: int | None = None) -> int | None:
    """Join this row to the one other row the rules now find for it (re-resolution); the surviving
    id, or None when it stays apart. With `limit`, a merge touching more articles is left for later."""
    ev = _evidence_of(session, kind, entity_id)
    if ev is None:
        return None
    found = Resolver(session).find(kind, ev, exclude=entity_id)
    if found is None:
        return None
    winner, loser = _weaker(kind, session, found.entity_id, entity_id)
    if limit is not None and len(articles_of(session, kind, loser)) > limit:
        return None
    if merge(session, kind=kind, winner_id=winner, loser_id=loser, reason=found.reason) is None:
        return None
    return winner


def reresolve_after_ingest(session: Session, people: Iterable[int], orgs: Iterable[int]) -> None:
    """After an article is stored: rows its new names may now join (a surname-only "Obama" when
    "Barack Obama" arrives, a "GM" when an article pairs it with "General Motors")."""
    groups: tuple[tuple[Kind, Iterable[int]], ...] = (("person", people), ("organisation", orgs))
    for kind_, ids in groups:
        for entity_id in sorted(set(ids)):
            for other in sorted(_neighbours(session, kind_, entity_id)):
                reresolve_entity(session, kind_, other, limit=INGEST_MERGE_ARTICLES)


def _neighbours(session: Session, kind: Kind, entity_id: int) -> set[int]:
    """Other rows whose key is one of this row's names or their surname: the ones new evidence
    about this row may join."""
    table, alias_table, fk = tables(kind)
    keys = set(session.execute(select(alias_table.key).where(fk == entity_id)).scalars())
    if kind == "person":
        keys |= {k.rsplit(" ", 1)[-1] for k in keys} | {k.split(" ", 1)[0] for k in keys}
    if not keys:
        return set()
    ids = set(session.execute(select(table.id).where(table.key.in_(sorted(keys)))).scalars())
    ids.discard(entity_id)
    return ids


def resolve_archive(
    *, engine: Engine, batch: int = 200, progress: Callable[[str, int, int, int], None] | None = None
) -> dict[str, int]:
    """Re-run resolution over every person and organisation (`newsmeta resolve`): back-fill the
    loose keys, then join each row to the one the rules find for it, shortest names first. Each
    row is its own short transaction, so concurrent ingest goes on; a second run changes nothing."""
    from app.db import in_transaction

    merged = {"person": 0, "organisation": 0}
    for kind in ("person", "organisation"):
        kind_: Kind = "person" if kind == "person" else "organisation"
        _backfill_resolve_keys(engine, kind_, batch)
        table, _, _ = tables(kind_)

        def ids_in_order(session: Session, table: Any = table) -> list[int]:
            return list(
                session.execute(select(table.id).order_by(func.length(table.name), table.id)).scalars()
            )

        ids = in_transaction(engine, ids_in_order)
        for n, entity_id in enumerate(ids, 1):

            def step(session: Session, entity_id: int = entity_id, kind_: Kind = kind_) -> bool:
                return reresolve_entity(session, kind_, entity_id) is not None

            if in_transaction(engine, step):
                merged[kind] += 1
            if progress is not None and (n % batch == 0 or n == len(ids)):
                progress(kind, n, len(ids), merged[kind])
    return merged


def _backfill_resolve_keys(engine: Engine, kind: Kind, batch: int) -> None:
    from app.db import in_transaction

    _, alias_table, _ = tables(kind)

    def step(session: Session) -> int:
        rows = session.execute(
            select(alias_table.id, alias_table.alias)
            .where(or_(alias_table.resolve_key == "", alias_table.resolve_key.is_(None)))
            .limit(batch)
        ).all()
        done = 0
        for alias_id, alias in rows:
            values = {"resolve_key": resolve_key(kind, alias)[:300] or "-"}
            if kind == "person":
                values["first_key"] = first_key(alias)[:300]
            session.execute(update(alias_table).where(alias_table.id == alias_id).values(**values))
            done += 1
        return done

    while in_transaction(engine, step):
        pass

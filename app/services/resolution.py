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

The keys and the name comparisons are in `identity_names.py`; re-resolution and merges, which
fold an older row into a newer one when new evidence arrives, in `reresolution.py`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from app.extraction import Extraction
from app.models import EntityLink, EntityPin, Mention, Organisation, PersonAlias, Position, Quote, name_key
from app.models.common import alias_keys
from app.models.records import Office
from app.services.identity_names import (
    Kind,
    first_key,
    fullest,
    is_acronym,
    is_generic,
    name_country,
    names_compatible,
    person_words,
    resolve_key,
)
from app.services.lookup import entity_tables

__all__ = ["Evidence", "Kind", "Resolved", "Resolver", "resolve_article", "record_links", "tables"]


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


class Resolver:
    """Resolution against the archive inside one session (an ingest's or a re-resolution's)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # Reading the archive -------------------------------------------------------------------------

    def forms_of(self, kind: Kind, entity_id: int) -> list[str]:
        _, alias_table, fk = tables(kind)
        return list(self.session.execute(select(alias_table.alias).where(fk == entity_id)).scalars())

    def countries_of_org(self, entity_id: int) -> set[str]:
        rows = self.session.execute(
            select(col(EntityLink.country_code))
            .where(col(EntityLink.organisation_id) == entity_id, col(EntityLink.country_code).is_not(None))
            .distinct()
        ).scalars()
        return {r for r in rows if r}

    def offices_of(self, person_id: int) -> tuple[set[str], set[str], set[str]]:
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
        if not names_compatible(ev.forms, self.forms_of("person", person_id)):
            return False, False
        if not (ev.titles or ev.organisations or ev.countries):
            return True, False
        titles, orgs, places = self.offices_of(person_id)
        if not (titles or orgs or places):
            return True, False
        shared = bool(ev.titles & titles or ev.organisations & orgs or ev.countries & places)
        return shared, shared

    def org_fits(self, ev: Evidence, org_id: int) -> bool:
        """A generic name ("Labour", "Treasury") joins only a row seen in one of its countries."""
        ours = ev.context or ({ev.country} if ev.country else set())
        if not ours or not is_generic(ev.name):
            return True
        theirs = self.countries_of_org(org_id)
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
        full = fullest(ev.forms) if kind == "person" else ev.name
        keys = [name_key(f) for f in ev.forms]
        pinned = self._pinned(kind, [name_key(ev.name), *keys])
        if pinned is not None and pinned != exclude:
            return Resolved(pinned, "curated")
        # exact: the name's key, or for a generic organisation its key in this country
        own = name_key(full) or full
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
        single = len(person_words(full)) == 1 if kind == "person" else len(name_key(ev.name).split()) == 1
        if kind == "person" and single:
            ids = self._full_names_with(person_words(full)[0], exclude)
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
        others = sorted(f for f in set(ev.forms) - {full} if len(name_key(f).split()) > 1)
        for form in [full, *others]:
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
        name = fullest(ev.forms) if kind == "person" else ev.name
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

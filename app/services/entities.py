"""Reading canonical people, organisations and countries: filtered lists and one page each.

Every aggregate on a page is bounded: co-mentions walk only the subject's newest
CO_MENTION_ARTICLES articles, positions come from the office summary, all-time counts are one
`entity_stats` row, and the people holding office somewhere and its top speakers are the first
entries of that place's `holder` index (app/services/counters.py keeps both in step with ingest).
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from typing import Any

from sqlalchemy import bindparam, distinct, func, select
from sqlmodel import Session, col

from app.errors import NotFound
from app.models import (
    Article,
    Country,
    CountryPublic,
    Mention,
    Organisation,
    OrganisationPage,
    OrganisationPublic,
    Person,
    PersonPage,
    PersonPublic,
    Position,
)
from app.models.common import as_utc
from app.models.queries import (
    CoMentions,
    Counted,
    CountedCountry,
    CountryRead,
    EntityRef,
    HeldPosition,
    OrganisationRead,
    PersonRead,
)
from app.models.records import Holder, Office
from app.services import counters, lookup
from app.services import offices as offices_service
from app.services.counters import PlaceColumn
from app.services.lookup import EntityKind
from app.services.pagination import decode_cursor, encode_cursor

TOP = 10
MAX_HOLDERS = 100
# Co-mentions are counted over the entity's newest this many articles, so a page costs the same
# for someone in ten articles and someone in ten thousand.
CO_MENTION_ARTICLES = 500
# A held position lists at most this many of the articles stating it, the newest.
STATING_ARTICLES = 100


def list_entities(
    *,
    session: Session,
    kind: EntityKind,
    limit: int,
    cursor: str | None = None,
    name: str | None = None,
    country: str | None = None,
    organisation: str | None = None,
    person: str | None = None,
) -> PersonPage | OrganisationPage:
    """People or organisations that some article mentions, by id; unknown filter values give [].

    `name` is the entity's own id, name or alias. `country` and, for people,
    `organisation` keep those holding positions there; for organisations,
    `person` keeps those where that person holds a position and `country` those
    with positions in that country.
    """
    table, alias_table, fk = lookup.entity_tables(kind)
    empty: PersonPage | OrganisationPage = (
        PersonPage(items=[]) if kind == "person" else OrganisationPage(items=[])
    )
    own = col(Position.person_id) if kind == "person" else col(Position.organisation_id)
    mention_fk = col(Mention.person_id) if kind == "person" else col(Mention.organisation_id)
    stmt: Any = select(table.id, table.name, table.external_id).where(
        select(mention_fk).where(mention_fk == table.id).exists()
    )
    if cursor:
        stmt = stmt.where(table.id > decode_cursor(cursor, fields=("id",))["id"])
    if name:
        ids = lookup.entity_ids(session=session, kind=kind, value=name)
        if not ids:
            return empty
        stmt = stmt.where(table.id.in_(ids))
    if country:
        code = lookup.country_code(session=session, value=country)
        if code is None:
            return empty
        stmt = stmt.where(table.id.in_(select(own).where(col(Position.country_code) == code)))
    if organisation and kind == "person":
        org_ids = lookup.entity_ids(session=session, kind="organisation", value=organisation)
        if not org_ids:
            return empty
        stmt = stmt.where(table.id.in_(select(own).where(col(Position.organisation_id).in_(org_ids))))
    if person and kind == "organisation":
        person_ids = lookup.entity_ids(session=session, kind="person", value=person)
        if not person_ids:
            return empty
        stmt = stmt.where(table.id.in_(select(own).where(col(Position.person_id).in_(person_ids))))
    rows = session.execute(stmt.order_by(table.id).limit(limit + 1)).all()
    page = rows[:limit]
    aliases = _aliases(session, kind, [r[0] for r in page])
    next_cursor = encode_cursor({"id": page[-1][0]}) if len(rows) > limit else None
    if kind == "person":
        return PersonPage(
            items=[PersonPublic(id=i, name=n, aliases=aliases.get(i, []), external_id=x) for i, n, x in page],
            next_cursor=next_cursor,
        )
    return OrganisationPage(
        items=[
            OrganisationPublic(id=i, name=n, aliases=aliases.get(i, []), external_id=x) for i, n, x in page
        ],
        next_cursor=next_cursor,
    )


def get_person(*, session: Session, person_id: int) -> PersonRead:
    """A person's page: names, positions over time, counts and who they appear beside."""
    person_id, person = _current(session, "person", person_id)
    # Quotes spoken, mention rows, and distinct articles with a mention, position or quote of them.
    stats = counters.entity_counts(session, "person_id", person_id)
    return PersonRead(
        id=person_id,
        name=person.name,
        external_id=person.external_id,
        aliases=_aliases(session, "person", [person_id]).get(person_id, []),
        positions=_held_positions(session, person_id),
        quote_count=stats.quotes,
        mention_count=stats.mentions,
        article_count=stats.articles,
        co_mentions=_co_mentions(
            session, _recent_articles(session, col(Mention.person_id), person_id), person_id=person_id
        ),
    )


def get_organisation(*, session: Session, organisation_id: int) -> OrganisationRead:
    """An organisation's page: names, articles, the people holding positions there, co-mentions."""
    organisation_id, org = _current(session, "organisation", organisation_id)
    stats = counters.entity_counts(session, "organisation_id", organisation_id)
    # Validated once, from plain dicts: a model per holder would be a validation call each.
    return OrganisationRead.model_validate(
        {
            "id": organisation_id,
            "name": org.name,
            "external_id": org.external_id,
            "aliases": _aliases(session, "organisation", [organisation_id]).get(organisation_id, []),
            "article_count": stats.mention_articles,
            "people": _holders(session, "organisation_id", organisation_id),
            "top_speakers": _top_speakers(session, "organisation_id", organisation_id),
            "co_mentions": _co_mentions(
                session,
                _recent_articles(session, col(Mention.organisation_id), organisation_id),
                organisation_id=organisation_id,
            ),
        }
    )


def list_countries(*, session: Session) -> list[CountryPublic]:
    rows = session.execute(select(Country).order_by(col(Country.code))).scalars().all()
    return [CountryPublic.model_validate(c) for c in rows]


def get_country(*, session: Session, value: str) -> CountryRead:
    """A country's page, by alpha-2, alpha-3 or name: its articles and the people holding office in it."""
    code = lookup.country_code(session=session, value=value)
    found = lookup.country(session=session, code=code) if code else None  # reference data, cached
    if found is None:
        raise NotFound(f"no country {value!r}")
    code, alpha3, name = found
    stats = counters.entity_counts(session, "country_code", code)
    latest = session.connection().execute(_latest_articles(), {"key": code}).all()
    return CountryRead.model_validate(
        {
            "code": code,
            "alpha3": alpha3,
            "name": name,
            "article_count": stats.mention_articles,
            "latest_articles": [{"id": i, "title": title, "published_at": at} for i, title, at in latest],
            "people": _holders(session, "country_code", code),
            "top_speakers": _top_speakers(session, "country_code", code),
        }
    )


# --- Helpers ---------------------------------------------------------------------------------------


def _current(session: Session, kind: EntityKind, entity_id: int) -> tuple[int, Any]:
    """(id, row) of the entity an id answers as: itself, or the one it was merged into."""
    table = lookup.entity_tables(kind)[0]
    row = session.get(table, entity_id)
    if row is None:
        entity_id = lookup.redirected(session=session, kind=kind, entity_id=entity_id)
        row = session.get(table, entity_id)
    if row is None:
        raise NotFound(f"no {kind} with id {entity_id}")
    return entity_id, row


def _aliases(session: Session, kind: EntityKind, ids: list[int]) -> dict[int, list[str]]:
    """id -> the names other than the canonical one, alphabetically."""
    if not ids:
        return {}
    table, alias_table, fk = lookup.entity_tables(kind)
    out: dict[int, list[str]] = {}
    for eid, alias, canonical in session.execute(
        select(fk, alias_table.alias, table.name)
        .join(table, table.id == fk)
        .where(fk.in_(ids))
        .order_by(alias_table.alias)
    ):
        if alias != canonical:
            out.setdefault(eid, []).append(alias)
    return out


def _held_positions(session: Session, person_id: int) -> list[HeldPosition]:
    """A person's offices from the summary, split into held and former statements; each with
    the newest STATING_ARTICLES articles stating it, a range of the position office index."""
    offices = session.execute(
        select(Office).where(col(Office.person_id) == person_id).order_by(col(Office.last_seen).desc())
    ).scalars()
    held: list[HeldPosition] = []
    stated = []
    for office in offices:
        for former, first, last, count in (
            (False, office.present_first_seen, office.present_last_seen, office.present_count),
            (True, office.former_first_seen, office.former_last_seen, office.former_count),
        ):
            if count > 0 and first is not None and last is not None:
                stated.append((office, former, first, last, count))
    orgs = lookup.names(
        session=session, table=Organisation, ids={o.organisation_id for o, *_ in stated if o.organisation_id}
    )
    # The position rows' own titles for each canonical office title, read once for the person.
    raw_titles: dict[str, set[str]] = defaultdict(set)
    for raw in session.execute(
        select(col(Position.title)).where(col(Position.person_id) == person_id).distinct()
    ).scalars():
        raw_titles[offices_service.canonical_title(raw)].add(raw)
    for office, former, first, last, count in stated:
        org_id = office.organisation_id
        ids = session.execute(
            select(col(Position.article_id))
            .where(
                col(Position.person_id) == person_id,
                col(Position.title).in_(sorted(raw_titles[office.title] | {office.title})),
                col(Position.organisation_id).is_(None)
                if org_id is None
                else col(Position.organisation_id) == org_id,
                col(Position.country_code).is_(None)
                if office.country_code is None
                else col(Position.country_code) == office.country_code,
                col(Position.former) == former,
            )
            .order_by(col(Position.article_id).desc())
            .limit(STATING_ARTICLES)
        ).scalars()
        held.append(
            HeldPosition(
                current=not former and _is_current(session, office),
                title=office.title,
                organisation=EntityRef(id=org_id, name=orgs[org_id]) if org_id is not None else None,
                country=office.country_code,
                former=former,
                first_seen=first,
                last_seen=last,
                article_count=count,
                article_ids=sorted(set(ids)),
            )
        )
    held.sort(key=lambda h: (h.last_seen, h.title), reverse=True)
    return held


def _is_current(session: Session, office: Office) -> bool:
    """Held at its last statement (not called former since), and nobody else stated in the same
    office (title, organisation, country) later; an office with neither is judged on the first alone.

    The later holder is looked for in a range of (title, country, first held) or (title,
    organisation, first held) starting after the office's last statement: a seek, not a scan.
    """
    last = as_utc(office.present_last_seen)
    former_last = as_utc(office.former_last_seen)
    if last is None or (former_last is not None and former_last >= last):
        return False
    org, code = office.organisation_id, office.country_code
    if org is None and code is None:
        return True
    later = session.execute(
        select(col(Office.id))
        .where(
            col(Office.title) == office.title,
            col(Office.country_code).is_(None) if code is None else col(Office.country_code) == code,
            col(Office.organisation_id).is_(None) if org is None else col(Office.organisation_id) == org,
            col(Office.present_first_seen) > office.present_last_seen,
            col(Office.person_id) != office.person_id,
        )
        .limit(1)
    ).first()
    return later is None


def _recent_articles(session: Session, column: Any, value: object) -> list[int]:
    """The entity's newest CO_MENTION_ARTICLES articles, off its (entity, article) mention index."""
    return list(
        session.execute(
            select(col(Mention.article_id))
            .where(column == value)
            .distinct()
            .order_by(col(Mention.article_id).desc())
            .limit(CO_MENTION_ARTICLES)
        ).scalars()
    )


def _co_mentions(
    session: Session,
    articles: list[int],
    *,
    person_id: int | None = None,
    organisation_id: int | None = None,
) -> CoMentions:
    """The entities most often mentioned in `articles` (ids), top 10 each, in one pass over their mentions."""
    if not articles:
        return CoMentions()
    shared = func.count(distinct(col(Mention.article_id)))
    entity = (col(Mention.person_id), col(Mention.organisation_id), col(Mention.country_code))
    counts = session.execute(
        select(*entity, shared).where(col(Mention.article_id).in_(articles)).group_by(*entity)
    ).all()
    people = [(k, int(n)) for k, _, _, n in counts if k is not None and k != person_id]
    orgs = [(k, int(n)) for _, k, _, n in counts if k is not None and k != organisation_id]
    countries = [(k, int(n)) for _, _, k, n in counts if k is not None]
    people = sorted(people, key=lambda kn: (-kn[1], kn[0]))[:TOP]
    orgs = sorted(orgs, key=lambda kn: (-kn[1], kn[0]))[:TOP]
    countries = sorted(countries, key=lambda kn: (-kn[1], kn[0]))[:TOP]
    person_names = lookup.names(session=session, table=Person, ids={k for k, _ in people})
    org_names = lookup.names(session=session, table=Organisation, ids={k for k, _ in orgs})
    country_names = lookup.names(session=session, table=Country, ids={k for k, _ in countries})
    return CoMentions(
        people=[Counted(id=k, name=person_names[k], articles=n) for k, n in people],
        organisations=[Counted(id=k, name=org_names[k], articles=n) for k, n in orgs],
        countries=[CountedCountry(code=k, name=country_names[k], articles=n) for k, n in countries],
    )


def _holders(session: Session, place: PlaceColumn, key: object) -> list[dict[str, Any]]:
    """The people holding positions at an organisation or in a country, in most articles first (ties
    by id), with their titles there, those stated in most articles first (HolderPublic fields).

    The first MAX_HOLDERS entries of the place's (place, articles DESC, person) holder index, and
    their offices there from the office summary: bounded by the holders shown, not the archive.
    """
    top = session.connection().execute(_top_holders(place), {"key": key, "n": MAX_HOLDERS}).all()
    if not top:
        return []
    # Only the shown people's offices, by the person index (the place's offices can be thousands).
    stated: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for pid, title, at, count in session.connection().execute(
        _offices_of(place), {"people": [pid for pid, _, _ in top]}
    ):
        if at == key:
            stated[pid][title] += count
    titles = {pid: sorted(by_title, key=lambda t: (-by_title[t], t)) for pid, by_title in stated.items()}
    return [{"id": pid, "name": name, "titles": titles.get(pid, []), "articles": n} for pid, n, name in top]


def _top_speakers(session: Session, place: PlaceColumn, key: object) -> list[dict[str, Any]]:
    """Among the people holding positions at an organisation or in a country, those quoted most
    (all their quotes, anywhere; top 10, ties by id), as SpeakerCount fields: the first entries of
    the place's (place, quotes DESC, person) holder index, which carries each holder's quote count."""
    rows = session.connection().execute(_most_quoted(place), {"key": key, "n": TOP}).all()
    return [{"id": pid, "name": name, "quotes": n} for pid, n, name in rows]


# The pages' statements, built once (per place) and run with each page's key: building and keying
# a statement costs about what running one of these does.


@cache
def _latest_articles() -> Any:
    """A country's newest TOP articles, straight off the (country_code, article_id) index walked backwards."""
    latest_ids = (
        select(col(Mention.article_id))
        .where(col(Mention.country_code) == bindparam("key"))
        .distinct()
        .order_by(col(Mention.article_id).desc())
        .limit(TOP)
    )
    return (
        select(col(Article.id), col(Article.title), col(Article.published_at))
        .where(col(Article.id).in_(latest_ids))
        .order_by(col(Article.id).desc())
    )


@cache
def _top_holders(place: PlaceColumn) -> Any:
    return (
        select(col(Holder.person_id), col(Holder.articles), col(Person.name))
        .join(Person, col(Person.id) == col(Holder.person_id))
        .where(getattr(Holder, place) == bindparam("key"))
        .order_by(col(Holder.articles).desc(), col(Holder.person_id))
        .limit(bindparam("n"))
    )


@cache
def _offices_of(place: PlaceColumn) -> Any:
    return select(
        col(Office.person_id), col(Office.title), getattr(Office, place), col(Office.article_count)
    ).where(col(Office.person_id).in_(bindparam("people", expanding=True)))


@cache
def _most_quoted(place: PlaceColumn) -> Any:
    return (
        select(col(Holder.person_id), col(Holder.quotes), col(Person.name))
        .join(Person, col(Person.id) == col(Holder.person_id))
        .where(getattr(Holder, place) == bindparam("key"), col(Holder.quotes) > 0)
        .order_by(col(Holder.quotes).desc(), col(Holder.person_id))
        .limit(bindparam("n"))
    )

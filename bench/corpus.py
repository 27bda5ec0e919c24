"""A synthetic but realistic corpus for query benchmarks, written straight into a migrated database.

Articles arrive at a constant rate (`per_day`), so a larger corpus covers a longer
time span, as a growing archive does. People, organisations and countries are
mentioned with Zipf-like popularity; each person holds one office (title,
organisation, country) that articles restate; quotes come from the people an
article mentions.
"""

from __future__ import annotations

import hashlib
import itertools
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, insert, select, text

from app.models import (
    Article,
    Country,
    Mention,
    Organisation,
    OrganisationAlias,
    Person,
    PersonAlias,
    Position,
    Quote,
)
from app.models.common import alias_keys, name_key
from app.services import counters, offices

FIRST = (
    "Anna Boris Carlos Dmitry Elena Fatima Gustav Hana Ivan Julia Kenji Lena Marco Nadia Omar Pavel Quentin "
    "Rosa Sergey Tariq Ulla Viktor Wen Ximena Yusuf Zoe Ahmed Beatriz Chen David Emma Farid Greta Hugo Ines "
    "Jonas Karim Lucia Mikhail Nora Olga Pedro Rania Stefan Tomas Uma Vera Walter Yara Ali Maria"
).split()
LAST = (
    "Petrov Smith Garcia Müller Rossi Dubois Kowalski Novak Ivanova Tanaka Kim Nguyen Haddad Okafor Silva "
    "Jensen Larsen Popescu Horvat Kovacs Schmidt Weber Fischer Moreau Laurent Costa Santos Pereira Ahmadi "
    "Rahman Khan Singh Patel Sato Suzuki Wang Zhang Chen Liu Yilmaz Demir Cohen Levi Murphy Kelly Walsh "
    "Novikov Sokolov Volkov Orlov Baker Clarke Evans Hughes Morgan Price Reed Stone Turner Ward Young"
).split()
ORG_WORDS = (
    "Northern Southern National United Federal Central Pacific Atlantic Global Royal Eastern Western".split()
)
ORG_KINDS = (
    "Energy Bank Ministry Agency Party Council Airlines Telecom Motors Institute Times Herald Union".split()
)
TITLES = (
    "president",
    "prime minister",
    "foreign minister",
    "defence minister",
    "spokesperson",
    "chief executive",
    "governor",
    "ambassador",
    "central bank governor",
    "finance minister",
)
VOCAB = (
    "government talks election market crisis minister border trade economy security agreement summit "
    "protest court energy prices inflation vote parliament military ceasefire sanctions investment "
    "report statement officials conflict health climate growth budget reform police strike pipeline "
    "negotiations alliance refugees exports tariffs interest rates drought flooding vaccine ruling"
).split()


@dataclass
class Corpus:
    """What was generated, for choosing realistic query parameters."""

    articles: int
    first_day: datetime
    last_day: datetime
    people: list[tuple[int, str]] = field(default_factory=list)
    person_weights: list[float] = field(default_factory=list)
    organisations: list[tuple[int, str]] = field(default_factory=list)
    organisation_weights: list[float] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    country_weights: list[float] = field(default_factory=list)
    offices: dict[int, tuple[str, int | None, str]] = field(default_factory=dict)


def _refs(
    *, person: int | None = None, organisation: int | None = None, country: str | None = None
) -> dict[str, Any]:
    # executemany needs the same keys in every row; exactly one of them is set.
    return {"person_id": person, "organisation_id": organisation, "country_code": country}


def _mention(
    mention_id: int, article_id: int, refs: dict[str, Any], start: int, length: int, text: str
) -> dict[str, Any]:
    return {
        "id": mention_id,
        "article_id": article_id,
        **refs,
        "start": start,
        "end": start + length,
        "text": text[:500],
        "extractor_version": "0",
    }


def zipf(n: int, s: float = 1.05) -> list[float]:
    return [1 / (rank**s) for rank in range(1, n + 1)]


def generate(
    engine: Engine, n_articles: int, *, seed: int = 7, per_day: int = 100, chunk: int = 2000
) -> Corpus:
    """Fill an empty, migrated database with `n_articles` articles and their records."""
    rng = random.Random(seed)
    first_day = datetime(2020, 1, 1, tzinfo=UTC)
    corpus = Corpus(
        articles=n_articles, first_day=first_day, last_day=first_day + timedelta(days=n_articles // per_day)
    )
    n_people = max(500, n_articles // 4)
    n_orgs = max(200, n_articles // 20)
    base = [f"{f} {last}" for f, last in itertools.product(FIRST, LAST)]
    rng.shuffle(base)
    names = list(base)
    extra = 0
    while len(names) < n_people:  # namesakes get a middle initial, as real archives have
        extra += 1
        first_names, last_names = zip(*(n.split() for n in base), strict=True)
        suffix = f"{chr(64 + (extra - 1) % 26 + 1)}.{'' if extra <= 26 else (extra - 1) // 26}"
        names += [f"{f} {suffix} {last}" for f, last in zip(first_names, last_names, strict=True)]
    people = names[:n_people]
    orgs = [f"{rng.choice(ORG_WORDS)} {rng.choice(ORG_KINDS)} {i}" for i in range(n_orgs)]

    with engine.begin() as conn:
        countries = list(conn.execute(select(Country.code).order_by(Country.code)).scalars())
        rng.shuffle(countries)
        conn.execute(
            insert(Person), [{"id": i + 1, "name": n, "key": name_key(n)} for i, n in enumerate(people)]
        )
        conn.execute(
            insert(PersonAlias),
            [
                {"person_id": i + 1, "alias": a, **alias_keys(a)}
                for i, n in enumerate(people)
                for a in (n, n.split()[-1])
            ],
        )
        conn.execute(
            insert(Organisation), [{"id": i + 1, "name": n, "key": name_key(n)} for i, n in enumerate(orgs)]
        )
        conn.execute(
            insert(OrganisationAlias),
            [{"organisation_id": i + 1, "alias": n, **alias_keys(n)} for i, n in enumerate(orgs)],
        )
    corpus.people = [(i + 1, n) for i, n in enumerate(people)]
    corpus.person_weights = zipf(n_people)
    corpus.organisations = [(i + 1, n) for i, n in enumerate(orgs)]
    corpus.organisation_weights = zipf(n_orgs)
    corpus.countries = countries
    corpus.country_weights = zipf(len(countries), 1.2)
    for pid in range(1, n_people + 1):
        org = rng.randrange(1, n_orgs + 1) if rng.random() < 0.6 else None
        corpus.offices[pid] = (rng.choice(TITLES), org, rng.choices(countries, corpus.country_weights)[0])

    person_cum = list(itertools.accumulate(corpus.person_weights))
    org_cum = list(itertools.accumulate(corpus.organisation_weights))
    country_cum = list(itertools.accumulate(corpus.country_weights))
    mention_id = position_id = quote_id = 0
    for start in range(0, n_articles, chunk):
        articles: list[dict[str, Any]] = []
        mentions: list[dict[str, Any]] = []
        positions: list[dict[str, Any]] = []
        quotes: list[dict[str, Any]] = []
        for aid in range(start + 1, min(start + chunk, n_articles) + 1):
            published = first_day + timedelta(days=(aid - 1) // per_day, seconds=rng.randrange(86_400))
            who = set(rng.choices(range(1, n_people + 1), cum_weights=person_cum, k=rng.randint(2, 6)))
            where = set(rng.choices(countries, cum_weights=country_cum, k=rng.randint(1, 4)))
            what = set(rng.choices(range(1, n_orgs + 1), cum_weights=org_cum, k=rng.randint(1, 3)))
            words = [rng.choice(VOCAB) for _ in range(rng.randint(150, 300))]
            body = " ".join(words) + " " + " ".join(people[p - 1] for p in who)
            articles.append(
                {
                    "id": aid,
                    "title": " ".join(rng.choices(VOCAB, k=6)).capitalize(),
                    "text": body,
                    "content_hash": hashlib.sha256(f"{seed}:{aid}".encode()).hexdigest(),
                    "published_at": published,
                    "created_at": published,
                    "language": "en",
                    "extractor_name": "bench",
                    "extractor_version": "0",
                }
            )
            offset = 0
            for p in who:
                mention_id += 1
                mentions.append(_mention(mention_id, aid, _refs(person=p), offset, 10, people[p - 1]))
                offset += 20
                if rng.random() < 0.4:
                    title, org, country = corpus.offices[p]
                    position_id += 1
                    positions.append(
                        {
                            "id": position_id,
                            "article_id": aid,
                            "person_id": p,
                            "title": title,
                            "organisation_id": org,
                            "country_code": country,
                            "former": False,
                            "start": offset,
                            "end": offset + 30,
                            "extractor_version": "0",
                        }
                    )
                for _ in range(rng.choice((0, 0, 1, 1, 2))):
                    quote_id += 1
                    said = " ".join(rng.choices(VOCAB, k=rng.randint(8, 25)))
                    quotes.append(
                        {
                            "id": quote_id,
                            "article_id": aid,
                            "speaker_id": p,
                            "kind": rng.choice(("direct", "indirect")),
                            "text": said,
                            "cue": "said",
                            "start": offset,
                            "end": offset + len(said),
                            "extractor_version": "0",
                        }
                    )
            for o in what:
                mention_id += 1
                mentions.append(_mention(mention_id, aid, _refs(organisation=o), offset, 5, orgs[o - 1]))
            for c in where:
                mention_id += 1
                mentions.append(_mention(mention_id, aid, _refs(country=c), offset, 5, c))
        with engine.begin() as conn:
            conn.execute(insert(Article), articles)
            conn.execute(insert(Mention), mentions)
            if positions:
                conn.execute(insert(Position), positions)
            if quotes:
                conn.execute(insert(Quote), quotes)
    with engine.begin() as conn:
        # Records went in straight, not through ingest: summarise and count them once.
        offices.rebuild(conn)
        counters.rebuild(conn)
        if engine.dialect.name == "postgresql":
            for table in (
                "article",
                "mention",
                "position",
                "quote",
                "person",
                "organisation",
                "person_alias",
                "organisation_alias",
                "office",
                "entity_stats",
                "holder",
            ):
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT coalesce(max(id), 1) FROM {table}))"
                    )
                )
        else:
            conn.execute(text("ANALYZE"))
    if engine.dialect.name == "postgresql":
        # What autovacuum does to a live archive: statistics for the planner, and the visibility
        # map that lets it answer from an index alone (a bulk load leaves both unset).
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    return corpus

"""How long one article's write transaction holds the database at the record limits.

An article at NEWSMETA_MAX_ENTITIES_PER_ARTICLE new people and as many new organisations, with
NEWSMETA_MAX_MENTIONS_PER_ARTICLE mentions, stored with `store_article` in one transaction (on
SQLite, the time the write lock is held). Prints seconds per article.

    .venv/bin/python -m bench.write_lock [sqlite:///tmp/lock.db | postgresql://.../scratch_db]

It migrates and writes to the database it is given: give it a scratch one.
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import time

from app import migrate
from app.config import Settings
from app.db import get_engine, in_transaction
from app.extraction.records import Extraction, ExtractorInfo, Mention, Organisation, Person
from app.models import ArticleCreate
from app.services import caps, ingest


def main() -> None:
    url = sys.argv[1] if len(sys.argv) > 1 else f"sqlite:///{tempfile.mkdtemp()}/lock.db"
    settings = Settings(database_url=url, auto_migrate=False)
    migrate.upgrade(settings)
    limits = caps.RecordLimits.of(settings)
    each = max(1, limits.mentions // (2 * limits.entities))
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, {url.split(':')[0]}")
    for run in range(3):
        stamp = time.time_ns()

        def mentions(i: int) -> tuple[Mention, ...]:
            return tuple(Mention(start=i, end=i + 1, text="x") for _ in range(each))

        extraction = Extraction(
            people=tuple(
                Person(name=f"Given{stamp} Person{i}", mentions=mentions(i)) for i in range(limits.entities)
            ),
            organisations=tuple(
                Organisation(name=f"Agency{stamp} Number{i}", mentions=mentions(i))
                for i in range(limits.entities)
            ),
            extractor=ExtractorInfo(name="bench", version="0", model="none"),
        )
        article = ArticleCreate(text=f"bench article {stamp}")
        digest = ingest.content_hash(article.text)
        started = time.perf_counter()
        in_transaction(
            get_engine(settings),
            lambda s, a=article, d=digest, e=extraction: ingest.store_article(
                session=s, article_in=a, digest=d, extraction=e
            ),
        )
        print(
            f"run {run + 1}: {limits.entities} new people + {limits.entities} new organisations, "
            f"{2 * limits.entities * each} mentions: {time.perf_counter() - started:.2f} s"
        )


if __name__ == "__main__":
    main()

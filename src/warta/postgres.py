"""PostgreSQL behind the calls `Store` makes of sqlite3, for a database many people share.

`Store` writes one SQL for both databases where both accept it (`ON CONFLICT DO NOTHING`,
`RETURNING`, savepoints). What differs is here: the schema (the same tables and columns, with
PostgreSQL's types, and a `tsvector` column with a GIN index where SQLite has FTS5), the
placeholders (`?` becomes `%s`), and a few spellings (`translate`).
"""
from __future__ import annotations

from typing import Any

SCHEMA_VERSION = 3
# The whole schema at version 3, made in one step (PostgreSQL support began at version 3).
SCHEMA = """
CREATE TABLE articles (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    doc_id TEXT NOT NULL,
    origin TEXT NOT NULL,
    url TEXT,
    content_hash TEXT NOT NULL UNIQUE,
    body_hash TEXT NOT NULL,
    title TEXT,
    published TEXT,
    dateline TEXT,
    outlet TEXT,
    language TEXT,
    body TEXT NOT NULL,
    record TEXT NOT NULL,
    duplicate_of BIGINT REFERENCES articles(id),
    similarity DOUBLE PRECISION,
    ingested_at TEXT NOT NULL,
    -- Words as written ('simple': no stemming, as SQLite's unicode61), title weighted above body.
    search TSVECTOR GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', coalesce(title, '')), 'A') || setweight(to_tsvector('simple', body), 'B')
    ) STORED
);
CREATE INDEX articles_body_hash ON articles(body_hash);
CREATE INDEX articles_doc_id ON articles(doc_id);
CREATE INDEX articles_published ON articles(published);
CREATE INDEX articles_duplicate_of ON articles(duplicate_of);
CREATE INDEX articles_search ON articles USING GIN (search);
CREATE TABLE cited_sources (
    article_id BIGINT NOT NULL REFERENCES articles(id),
    name TEXT NOT NULL,
    PRIMARY KEY (article_id, name)
);
CREATE INDEX cited_sources_name ON cited_sources(name);
CREATE TABLE minhashes (article_id BIGINT PRIMARY KEY REFERENCES articles(id), signature BYTEA NOT NULL);
CREATE TABLE minhash_bands (
    band INTEGER NOT NULL,
    bucket BYTEA NOT NULL,
    article_id BIGINT NOT NULL,
    PRIMARY KEY (band, bucket, article_id)
);
CREATE TABLE failures (
    input TEXT NOT NULL,
    reason TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    PRIMARY KEY (input, reason)
);
CREATE TABLE events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    mode TEXT,
    context TEXT NOT NULL,
    actors TEXT NOT NULL,
    recipients TEXT NOT NULL,
    actor_codes TEXT NOT NULL,
    recipient_codes TEXT NOT NULL,
    date TEXT,
    location TEXT
);
CREATE INDEX events_type_date ON events(type, date);
CREATE TABLE event_reports (
    event_id BIGINT NOT NULL REFERENCES events(id),
    article_id BIGINT NOT NULL REFERENCES articles(id),
    evidence TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    PRIMARY KEY (event_id, article_id)
);
CREATE INDEX event_reports_article ON event_reports(article_id);
CREATE TABLE mentions (
    article_id BIGINT NOT NULL REFERENCES articles(id),
    actor TEXT NOT NULL,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    country TEXT,
    role TEXT,
    count INTEGER NOT NULL,
    PRIMARY KEY (article_id, actor, name)
);
CREATE INDEX mentions_actor ON mentions(actor);
CREATE TABLE quotes (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    article_id BIGINT NOT NULL REFERENCES articles(id),
    speaker TEXT,
    speaker_country TEXT,
    text TEXT NOT NULL,
    direct INTEGER NOT NULL,
    cue TEXT,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL
);
CREATE INDEX quotes_article ON quotes(article_id);
CREATE INDEX quotes_speaker ON quotes(speaker);
CREATE TABLE event_parties (
    event_id BIGINT NOT NULL REFERENCES events(id),
    party TEXT NOT NULL,
    side TEXT NOT NULL CHECK (side IN ('actor', 'recipient')),
    PRIMARY KEY (event_id, party, side)
);
CREATE INDEX event_parties_party ON event_parties(party);
"""


def is_postgres(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


# SQLite's spelling -> PostgreSQL's, for the statements Store and Explorer write.
_SPELLINGS = (("?", "%s"), ("json_group_array(", "json_agg("),
              ("GLOB '[0-9][0-9][0-9][0-9]-*'", "~ '^[0-9]{4}-'"), ("GLOB '[0-9]*'", "~ '^[0-9]'"),
              ("sum(count)", "CAST(sum(count) AS BIGINT)"))  # PostgreSQL sums integers as numeric


def translate(sql: str) -> str:
    for sqlite, postgresql in _SPELLINGS:
        sql = sql.replace(sqlite, postgresql)
    return sql


class Connection:
    """A psycopg connection with the sqlite3 calls Store uses: execute, executemany,
    executescript, commit, rollback, close and in_transaction."""

    def __init__(self, url: str):
        import psycopg

        self.error = psycopg.Error
        self.connection = psycopg.connect(url)

    def execute(self, sql: str, params: tuple | list = ()) -> Any:
        return self.connection.execute(translate(sql), params)

    def executemany(self, sql: str, rows: list) -> None:
        if rows:
            with self.connection.cursor() as cursor:
                cursor.executemany(translate(sql), rows)

    def executescript(self, script: str) -> None:
        self.connection.execute(script)

    @property
    def in_transaction(self) -> bool:
        return True  # psycopg opens a transaction before the first statement by itself

    def commit(self) -> None:
        self.connection.commit()

    def rollback(self) -> None:
        self.connection.rollback()

    def close(self) -> None:
        self.connection.close()

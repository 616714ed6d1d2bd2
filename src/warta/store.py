"""The `store` stage: articles in SQLite, searchable, each stored once, repeats linked.

- Identity: an article is the same article when its id and raw text are the same
  (`content_hash`); ingesting the same input again stores nothing.
- Duplicates: another article whose cleaned body is identical (`body_hash`), or whose body's
  word 3-shingles have an estimated Jaccard similarity of at least `threshold` (MinHash), is
  stored and linked to the article it repeats (`duplicate_of`, `similarity`). The MinHash LSH
  bands of originals live in a table, so a run looks up candidates with SQL instead of
  rebuilding an index, and a story copied 10,000 times is one candidate, not 10,000.
- Full-text search: FTS5 over title and body (bm25 ranking, snippets); on PostgreSQL, its own
  text search (`tsvector`, `ts_rank`, `ts_headline`).
- Schema: created and migrated by the program; `schema_info.version` says which it is.
- Where: a SQLite file by default; `postgresql://...` for a database many share (the
  `postgres` extra; warta.postgres holds what differs).
- Each article is stored whole or not at all (a savepoint per article), and commits come every
  `batch` articles: a run killed part-way loses only what it had not committed, and a second
  run stores that, since stored articles are skipped.
"""
from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import json
import os
import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

import numpy as np

from warta import postgres
from warta.article import Article, Source, sha256_of
from warta.read import ReadFailure
from warta.resources import UNDIRECTED, canonical_source

SCHEMA_VERSION = 4
NUM_PERM = 128
DEFAULT_THRESHOLD = 0.8

# Each entry takes the schema from the version before it to the next one.
MIGRATIONS = {
    1: """
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
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
        duplicate_of INTEGER REFERENCES articles(id),
        similarity REAL,
        ingested_at TEXT NOT NULL
    );
    CREATE INDEX articles_body_hash ON articles(body_hash);
    CREATE INDEX articles_doc_id ON articles(doc_id);
    CREATE INDEX articles_published ON articles(published);
    CREATE INDEX articles_duplicate_of ON articles(duplicate_of);
    CREATE TABLE cited_sources (
        article_id INTEGER NOT NULL REFERENCES articles(id),
        name TEXT NOT NULL,
        PRIMARY KEY (article_id, name)
    );
    CREATE INDEX cited_sources_name ON cited_sources(name);
    CREATE TABLE minhashes (article_id INTEGER PRIMARY KEY REFERENCES articles(id), signature BLOB NOT NULL);
    CREATE TABLE minhash_bands (
        band INTEGER NOT NULL,
        bucket BLOB NOT NULL,
        article_id INTEGER NOT NULL,
        PRIMARY KEY (band, bucket, article_id)
    ) WITHOUT ROWID;
    CREATE TABLE failures (
        input TEXT NOT NULL,
        reason TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        PRIMARY KEY (input, reason)
    );
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, body, content='articles', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END;
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
    END;
    CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, body ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO articles_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END;
    """,
    # Events kept across articles: the same (type, parties, day) from several articles is one
    # event, linked to every article that reports it (as GDELT counts mentions).
    2: """
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
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
        event_id INTEGER NOT NULL REFERENCES events(id),
        article_id INTEGER NOT NULL REFERENCES articles(id),
        evidence TEXT NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        PRIMARY KEY (event_id, article_id)
    );
    CREATE INDEX event_reports_article ON event_reports(article_id);
    """,
    # Who an article names and quotes, and who takes part in an event, as rows: the server
    # looks actors up by these instead of reading every record. Filled for stored articles by
    # `_fill_actor_tables`.
    3: """
    CREATE TABLE mentions (
        article_id INTEGER NOT NULL REFERENCES articles(id),
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
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id),
        speaker TEXT,
        speaker_country TEXT,
        text TEXT NOT NULL,
        direct INTEGER NOT NULL,
        cue TEXT,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL
    );
    CREATE INDEX quotes_article ON quotes(article_id);
    CREATE INDEX quotes_speaker ON quotes(speaker);
    CREATE TABLE event_parties (
        event_id INTEGER NOT NULL REFERENCES events(id),
        party TEXT NOT NULL,
        side TEXT NOT NULL CHECK (side IN ('actor', 'recipient')),
        PRIMARY KEY (event_id, party, side)
    );
    CREATE INDEX event_parties_party ON event_parties(party);
    """,
    # How sure the event models are of each report (warta.eventmodel: a calibrated probability),
    # and of an event, its most confident report; and how precise its day is (a month or a year
    # where the text names no day). Events stored before models decided have no confidence.
    4: """
    ALTER TABLE events ADD COLUMN confidence REAL;
    ALTER TABLE events ADD COLUMN date_precision TEXT;
    ALTER TABLE event_reports ADD COLUMN confidence REAL;
    CREATE INDEX events_confidence ON events(confidence);
    """,
}

_WORDS = re.compile(r"\w+")


class StoreError(Exception):
    """The database cannot be opened or used; the message says which and why."""


@dataclass(frozen=True, slots=True)
class Added:
    """What `Store.add` did with one article."""

    stored: bool  # False: the same article (id and text) was already there
    row: int
    duplicate_of: int | None = None
    similarity: float | None = None


@dataclass(frozen=True, slots=True)
class Hit:
    row: int
    doc_id: str
    title: str | None
    published: str | None
    outlet: str | None
    snippet: str
    score: float
    duplicate_of: int | None


def content_hash(source: Source) -> str:
    """What makes an input the same article (see `Source.identity`)."""
    return source.identity()


@lru_cache(maxsize=4)
def _bands(threshold: float) -> tuple[int, int]:
    """(bands, rows per band) that datasketch chooses for this threshold."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    return lsh.b, lsh.r


def minhash_signature(body: str) -> np.ndarray:
    words = _WORDS.findall(body.lower())
    shingles = {" ".join(words[i:i + 3]) for i in range(max(1, len(words) - 2))} if words else {""}
    minhash = _minhash()
    minhash.update_batch([s.encode("utf-8") for s in shingles])
    return minhash.hashvalues.astype(np.uint64)


def _minhash():
    """An empty MinHash with the permutations of the first: drawing them anew for every
    article (datasketch's default) was a quarter of the cost of a signature."""
    from datasketch import MinHash

    global _PROTOTYPE
    if _PROTOTYPE is None:
        _PROTOTYPE = MinHash(num_perm=NUM_PERM)
    scheme = getattr(_PROTOTYPE, "scheme", None)  # datasketch 2 names its hashing scheme
    if scheme is None:
        return MinHash(num_perm=NUM_PERM, permutations=_PROTOTYPE.permutations)
    return MinHash(num_perm=NUM_PERM, permutations=_PROTOTYPE.permutations, scheme=scheme)


_PROTOTYPE = None
# How `warta spark` carries a body's signature to `warta load` (a record's `_minhash` key): the
# scheme the values were made with, and the values, base64 of little-endian uint64.
SIGNATURE_KEY = "_minhash"


def signature_scheme() -> str:
    """What a signature depends on besides the body: datasketch's hashing scheme, the number of
    permutations, the shingles (three words)."""
    _minhash()
    return f"datasketch-{getattr(_PROTOTYPE, 'scheme', 'legacy')}-{NUM_PERM}-w3"


def signature_text(signature: np.ndarray) -> str:
    return signature_scheme() + ":" + base64.b64encode(signature.astype("<u8").tobytes()).decode("ascii")


def carried_signature(record: dict) -> np.ndarray | None:
    """The signature `warta spark` carried in the record, taken out of it; None if there was
    none, or one made otherwise than this Warta makes them."""
    carried = record.pop(SIGNATURE_KEY, None)
    if isinstance(carried, str) and carried.startswith(signature_scheme() + ":"):
        try:
            values = np.frombuffer(base64.b64decode(carried.split(":", 1)[1], validate=True), dtype="<u8")
        except ValueError:
            values = None
        if values is not None and len(values) == NUM_PERM:
            return values.astype(np.uint64)
    return None


@dataclass(slots=True)
class Prepared:
    """What storing a record computes from the record alone, whatever is stored already: done
    ahead (by `warta load`'s reading process, while the database works) or by the batch."""

    record: dict
    identity: str  # the store's content_hash of the input
    body_hash: str  # of the body, spaces and case folded: exact duplicates share it
    signature: np.ndarray | None  # carried by the record or computed ahead; None: the batch computes it
    text: str  # the record as stored, as JSON
    mentions: list[tuple]  # the mention and quote rows, without the article's id
    quotes: list[tuple]
    cited: list[str]  # the cited sources, by their canonical names


def prepare(record: dict, identity: str, signature: bool = False) -> Prepared:
    """`signature`: compute the body's signature now if the record carries none (else the
    batch does, for the records that are new)."""
    carried = carried_signature(record)  # out of the record before it is written down
    if carried is None and signature:
        carried = minhash_signature(record["body"])
    mentions, quotes = _people_rows(record)
    return Prepared(record, identity, sha256_of(re.sub(r"\s+", " ", record["body"]).strip().lower()), carried,
                    json.dumps(record, ensure_ascii=False), mentions, quotes,
                    [canonical_source(name) for name in record["cited_sources"]])


def sqlite_path(url: str) -> str:
    """`warta.db`, `sqlite:///path/warta.db` or `:memory:` -> a path sqlite3 can open."""
    if url.startswith("sqlite:///"):
        return url[len("sqlite:///"):] or ":memory:"
    if "://" in url:
        raise StoreError(f"{url}: unsupported database URL; give a SQLite file path, sqlite:///PATH "
                         "or postgresql://USER@HOST/DATABASE")
    return url


# How long a writer waits for another one (a second `warta ingest` into the same file) to let
# go of the database before it gives up with a StoreError that says so.
BUSY_TIMEOUT_MS = 30_000


def read_only_uri(path: str) -> str:
    """A SQLite URI that opens `path` for reading only. Where the folder cannot be written (a
    read-only filesystem, a mounted snapshot) SQLite cannot make its WAL index beside the file,
    so the database is opened `immutable`: no locks, and no one may change it meanwhile."""
    resolved = Path(path).resolve()
    uri = f"file:{quote(str(resolved))}?mode=ro"
    if not os.access(resolved.parent, os.W_OK):
        uri += "&immutable=1"
    return uri


def _connect_sqlite(url: str, read_only: bool = False) -> sqlite3.Connection:
    path = sqlite_path(url)
    if path != ":memory:" and not Path(path).parent.exists():
        raise StoreError(f"{url}: folder {Path(path).parent} does not exist")
    try:
        if read_only:
            db = sqlite3.connect(read_only_uri(path), uri=True)
            db.execute("PRAGMA query_only=ON")
        else:
            db = sqlite3.connect(path)
            db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA foreign_keys=ON")
        db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    except sqlite3.DatabaseError as error:
        raise StoreError(f"{url}: cannot open as a SQLite database: {error}"
                         + (_LOCKED_HINT if _locked(error) else "")) from None
    return db


_LOCKED_HINT = (f" (another process, a second `warta ingest` perhaps, kept it locked for "
                f"{BUSY_TIMEOUT_MS // 1000} s; run one writer at a time)")


def _locked(error: Exception) -> bool:
    return isinstance(error, sqlite3.OperationalError) and "locked" in str(error)


def database_trouble(error: Exception) -> str:
    """What a database error means for the user, in one line."""
    return str(error).strip() + (_LOCKED_HINT if _locked(error) else "")


def connect_postgres(url: str) -> postgres.Connection:
    try:
        return postgres.Connection(url)
    except ImportError:
        raise StoreError(f"{safe_url(url)}: PostgreSQL needs psycopg: pip install 'warta[postgres]'") from None
    except Exception as error:  # psycopg.OperationalError and friends: say what the server said
        raise StoreError(f"{safe_url(url)}: cannot connect to PostgreSQL: {str(error).strip()}") from None


def safe_url(url: str) -> str:
    """A database URL with its password blanked, for messages."""
    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", url)


class Store:
    """A Warta database. Use as a context manager, or call `close()`."""

    def __init__(self, url: str = "warta.db", threshold: float = DEFAULT_THRESHOLD, batch: int = 200,
                 read_only: bool = False):
        """`read_only`: for search and export, which also work on a read-only filesystem; the
        database must then already be of this Warta's schema."""
        self.postgres = postgres.is_postgres(url)
        self.errors: tuple[type[Exception], ...] = (sqlite3.Error,)
        if self.postgres:
            self.db = connect_postgres(url)
            self.errors = (self.db.error,)
            if not read_only:
                self.db.tune_for_writing()
        else:
            self.db = _connect_sqlite(url, read_only)
        self.url = url
        self.threshold = threshold
        self.batch = batch
        self._pending = 0
        if read_only:
            self._check_version()
        else:
            self._migrate()

    # ------------------------------------------------------------------ schema
    @property
    def schema_version(self) -> int:
        self.db.execute("CREATE TABLE IF NOT EXISTS schema_info (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        row = self.db.execute("SELECT value FROM schema_info WHERE key = 'version'").fetchone()
        return int(row[0]) if row else 0

    def _check_version(self) -> None:
        try:
            row = self.db.execute("SELECT value FROM schema_info WHERE key = 'version'").fetchone()
        except self.errors as error:
            raise StoreError(f"{safe_url(self.url)}: not a Warta database: {str(error).strip()}") from None
        version = int(row[0]) if row else 0
        if version != SCHEMA_VERSION:
            raise StoreError(f"{safe_url(self.url)}: schema version {version}, this Warta reads {SCHEMA_VERSION}; "
                             "open it once with `warta ingest` to migrate it")

    def _migrate(self) -> None:
        try:
            version = self.schema_version
        except self.errors as error:
            raise StoreError(f"{safe_url(self.url)}: not a usable {'PostgreSQL' if self.postgres else 'SQLite'} "
                             f"database: {error}" + (_LOCKED_HINT if _locked(error) else "")) from None
        if version > SCHEMA_VERSION:
            raise StoreError(f"{safe_url(self.url)}: schema version {version} is newer than this Warta "
                             f"knows ({SCHEMA_VERSION}); upgrade Warta")
        for target in range(version + 1, SCHEMA_VERSION + 1):
            # One transaction per step: a failed step leaves the previous version.
            try:
                step = MIGRATIONS[target]
                self.db.executescript(postgres.migration(step) if self.postgres else "BEGIN;" + step)
                if target == 3 and version > 0:
                    self._fill_actor_tables()
                self.db.execute("INSERT INTO schema_info VALUES ('version', ?)"
                                " ON CONFLICT (key) DO UPDATE SET value = excluded.value", (str(target),))
                self.db.commit()
            except BaseException:
                self.db.rollback()
                raise

    # ------------------------------------------------------------------ writing
    def stored_row(self, source: Source) -> int | None:
        """The row of this very article (same id, same raw text) if it is stored already.
        Known straight after `read`, so a re-run skips the pipeline for what it has."""
        return self._row_with_hash(content_hash(source))

    def _row_with_hash(self, identity: str) -> int | None:
        row = self.db.execute("SELECT id FROM articles WHERE content_hash = ?", (identity,)).fetchone()
        return row[0] if row else None

    def add(self, article: Article) -> Added:
        return self.add_record(article.to_record(), content_hash(article.source))

    def add_record(self, record: dict, identity: str) -> Added:
        """Store an article record; `identity` is the `content_hash` of the source it came from
        (records come from worker processes, which do not send the raw text back). All of it
        or none: a database error rolls this article back and raises StoreError."""
        added = self.add_records([(record, identity)])[0]
        if isinstance(added, StoreError):
            raise added
        return added

    def add_records(self, batch: list[tuple[dict, str] | Prepared]) -> list[Added | StoreError]:
        """Store records in order, as storing them one after another would: the same rows and
        ids, duplicate links and merged events. What the batch needs to read (which records are
        stored, bodies and MinHash buckets seen before, events it reports again) is fetched in
        one query each, and what it writes goes out in one statement per table, so a batch costs
        a few round trips to the database, not some thirty per record. A database error rolls
        the batch back and stores its records one by one, so that only the one at fault fails
        (its StoreError takes its place in the list). Each item is (record, identity), or what
        `prepare` made of them; a record not stored yet is prepared here if it was not."""
        try:
            with self._savepoint():
                added = _Batch(self, batch).write()
        except self.errors as error:
            if len(batch) == 1:
                record = batch[0].record if isinstance(batch[0], Prepared) else batch[0][0]
                return [StoreError(f"{record.get('source')}: cannot be stored: {type(error).__name__}: {error}")]
            return [self.add_records([item])[0] for item in batch]
        self._tick(sum(1 for a in added if a.stored))
        return added

    @contextmanager
    def _savepoint(self) -> Iterator[None]:
        if not self.db.in_transaction:
            self.db.execute("BEGIN")  # a savepoint outside a transaction would commit on release
        self.db.execute("SAVEPOINT article")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK TO SAVEPOINT article")
            self.db.execute("RELEASE SAVEPOINT article")
            raise
        self.db.execute("RELEASE SAVEPOINT article")

    def reserve_ids(self, table: str, count: int) -> list[int]:
        """The ids the next `count` rows of `table` (articles, events) get, as inserting them one
        by one would give them: PostgreSQL's identity sequence, SQLite's largest rowid plus one.
        Known ahead, they let a batch's rows be sent in one statement."""
        if count == 0:
            return []
        if self.postgres:
            return sorted(row[0] for row in self.db.execute(
                "SELECT nextval(pg_get_serial_sequence(?, 'id')) FROM generate_series(1, ?)", (table, count)))
        first = self.db.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0]
        return list(range(first, first + count))

    def select_in(self, sql: str, values) -> list[tuple]:
        """Rows of `sql`, whose `{}` is a list of placeholders, for all of `values` (in chunks,
        under SQLite's limit of parameters per statement)."""
        values, found = list(values), []
        for start in range(0, len(values), 500):
            chunk = values[start:start + 500]
            found += self.db.execute(sql.format(", ".join("?" * len(chunk))), chunk).fetchall()
        return found

    def _fill_actor_tables(self) -> None:
        """Mentions, quotes and event parties of articles stored before schema 3."""
        for row, record in self.db.execute("SELECT id, record FROM articles").fetchall():
            mentions, quotes = _people_rows(json.loads(record))
            self.db.executemany(MENTIONS_INSERT, [(row, *values) for values in mentions])
            self.db.executemany(QUOTES_INSERT, [(row, *values) for values in quotes])
        for event_id, kind, actors, recipients in self.db.execute(
                "SELECT id, type, actors, recipients FROM events").fetchall():
            self.db.executemany(PARTIES_INSERT, _party_rows(event_id, kind, json.loads(actors), json.loads(recipients)))

    def add_failure(self, failure: ReadFailure) -> None:
        self.db.execute("INSERT INTO failures VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                        (failure.input, failure.reason, dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")))
        self._tick()

    def _tick(self, count: int = 1) -> None:
        self._pending += count
        if self._pending >= self.batch:
            self.commit()

    def commit(self) -> None:
        self.db.commit()
        self._pending = 0

    def close(self) -> None:
        self.commit()
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ reading
    def count(self) -> dict[str, int]:
        one = lambda sql: self.db.execute(sql).fetchone()[0]  # noqa: E731
        return {"articles": one("SELECT count(*) FROM articles"),
                "duplicates": one("SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL"),
                "failures": one("SELECT count(*) FROM failures"),
                "events": one("SELECT count(*) FROM events")}

    def search(self, query: str, limit: int = 10, raw: bool = False, duplicates: bool = False,
               mark: tuple[str, str] = ("[", "]")) -> list[Hit]:
        """Ranked hits (bm25) with snippets. Words are matched as given unless `raw`, which
        passes the database's query syntax through: FTS5's on SQLite (`"frasa persis"`, `OR`,
        `NOT`, `prefiks*`), tsquery's on PostgreSQL (`&`, `|`, `!`, `<->`, `prefiks:*`)."""
        if self.postgres:
            return self._search_postgres(query, limit, raw, duplicates, mark)
        try:
            match = fts_match(query, raw)
        except CostlyQuery as error:
            raise StoreError(f"search {query!r}: {error}") from None
        if not match.strip():
            return []
        try:
            rows = self.db.execute(
                "SELECT a.id, a.doc_id, a.title, a.published, a.outlet,"
                " snippet(articles_fts, 1, ?, ?, '…', 16), bm25(articles_fts), a.duplicate_of"
                " FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
                " WHERE articles_fts MATCH ?" + ("" if duplicates else " AND a.duplicate_of IS NULL") +
                " ORDER BY bm25(articles_fts) LIMIT ?", (*mark, match, limit)).fetchall()
        except sqlite3.OperationalError as error:
            raise StoreError(f"search {query!r}: {error}") from None
        return [Hit(*row) for row in rows]

    def _search_postgres(self, query: str, limit: int, raw: bool, duplicates: bool,
                         mark: tuple[str, str]) -> list[Hit]:
        if not query.strip():
            return []
        parse = "to_tsquery" if raw else "plainto_tsquery"  # plainto: every word, as data
        options = (f'StartSel="{mark[0]}", StopSel="{mark[1]}", MaxWords=30, MinWords=12, '
                   'MaxFragments=1, FragmentDelimiter=" … "')
        try:
            rows = self.db.execute(
                "SELECT a.id, a.doc_id, a.title, a.published, a.outlet, ts_headline('simple', a.body, q, ?),"
                " -ts_rank(a.search, q), a.duplicate_of"
                f" FROM articles a, {parse}('simple', ?) q WHERE a.search @@ q"
                + ("" if duplicates else " AND a.duplicate_of IS NULL") +
                " ORDER BY ts_rank(a.search, q) DESC, a.id LIMIT ?", (options, query, limit)).fetchall()
        except self.errors as error:
            self.db.rollback()
            raise StoreError(f"search {query!r}: {str(error).strip()}") from None
        return [Hit(*row) for row in rows]

    def events(self, most_reported: int | None = None, min_confidence: float | None = None,
               only: Filters | None = None) -> Iterator[dict]:
        """Every stored event with the articles and outlets that report it, oldest day first; or
        the `most_reported` events reported by the most articles. With `min_confidence`, only
        events at least that confident (events stored with no confidence are left out); with
        `only`, those its filters let through."""
        only = only or Filters()
        conditions, params = only.event_conditions()
        if min_confidence is not None:
            conditions.append("e.confidence >= ?")
            params.append(min_confidence)
        where = " WHERE " + " AND ".join(conditions) if conditions else ""
        params = tuple(params) + ((most_reported,) if most_reported else ())
        query = (
            "SELECT e.id, e.type, e.mode, e.context, e.actors, e.recipients, e.date, e.date_precision, e.location,"
            " e.confidence, COUNT(DISTINCT r.article_id), COUNT(DISTINCT COALESCE(a.outlet, 'article ' || a.id)),"
            " (SELECT r2.evidence FROM event_reports r2 WHERE r2.event_id = e.id ORDER BY r2.article_id LIMIT 1),"
            " (SELECT json_group_array(a2.url) FROM event_reports r3 JOIN articles a2 ON a2.id = r3.article_id"
            "  WHERE r3.event_id = e.id AND a2.url IS NOT NULL),"
            " (SELECT json_group_array(a3.doc_id) FROM event_reports r4 JOIN articles a3 ON a3.id = r4.article_id"
            "  WHERE r4.event_id = e.id)"
            " FROM events e JOIN event_reports r ON r.event_id = e.id JOIN articles a ON a.id = r.article_id"
            f"{where} GROUP BY e.id ORDER BY " + ("COUNT(DISTINCT r.article_id) DESC, e.id LIMIT ?" if most_reported
                                                  else "e.date IS NULL, e.date, e.id"))
        for (event_id, kind, mode, context, actors, recipients, day, precision, location, confidence, articles,
             outlets, evidence, urls, docs) in self.db.execute(query, params):
            yield {"id": event_id, "type": kind, "mode": mode, "context": json.loads(context),
                   "actors": json.loads(actors), "recipients": json.loads(recipients), "date": day,
                   "date_precision": precision or "day", "location": json.loads(location) if location else None,
                   "confidence": confidence, "evidence": evidence, "articles": articles, "outlets": outlets,
                   "urls": json_list(urls), "article_ids": json_list(docs)}

    def records(self, only: Filters | None = None) -> Iterator[dict]:
        """Every stored article record, oldest first, with `duplicate_of` as the original's id;
        with `only`, those its filters let through."""
        conditions, params = (only or Filters()).article_conditions()
        where = " WHERE " + " AND ".join(conditions) if conditions else ""
        for record, original in self.db.execute(
                "SELECT a.record, o.doc_id FROM articles a LEFT JOIN articles o ON o.id = a.duplicate_of"
                f"{where} ORDER BY a.id", params):
            data = json.loads(record)
            data["duplicate_of"] = original
            yield data


@dataclass(frozen=True, slots=True)
class Filters:
    """What `warta export` (and the API) can ask for: events of a type, by an actor, on a
    recipient, reported by an outlet, between two days. For articles: published between the
    days, by the outlet, naming the actor, reporting an event of the type or on the recipient."""

    since: dt.date | None = None
    until: dt.date | None = None
    kind: str | None = None
    actor: str | None = None
    recipient: str | None = None
    outlet: str | None = None

    def event_conditions(self) -> tuple[list[str], list]:
        """SQL conditions on `events e`, and their parameters."""
        return _conditions((
            (self.actor, "EXISTS (SELECT 1 FROM event_parties p WHERE p.event_id = e.id AND p.side = 'actor'"
                         " AND p.party = ?)"),
            (self.recipient, "EXISTS (SELECT 1 FROM event_parties p WHERE p.event_id = e.id"
                             " AND p.side = 'recipient' AND p.party = ?)"),
            (self.kind, "e.type = ?"),
            (self.since and self.since.isoformat(), "e.date >= ?"),
            (self.until and self.until.isoformat(), "e.date <= ? AND e.date GLOB '[0-9]*'"),
            (self.outlet, "EXISTS (SELECT 1 FROM event_reports ro JOIN articles ao ON ao.id = ro.article_id"
                          " WHERE ro.event_id = e.id AND ao.outlet = ?)")))

    def article_conditions(self) -> tuple[list[str], list]:
        """SQL conditions on `articles a`, and their parameters."""
        return _conditions((
            (self.since and self.since.isoformat(), "substr(a.published, 1, 10) >= ?"),
            (self.until and self.until.isoformat(), "substr(a.published, 1, 10) <= ?"),
            (self.outlet, "a.outlet = ?"),
            (self.actor, "EXISTS (SELECT 1 FROM mentions m WHERE m.article_id = a.id AND m.actor = ?)"),
            (self.kind, "EXISTS (SELECT 1 FROM event_reports r JOIN events e ON e.id = r.event_id"
                        " WHERE r.article_id = a.id AND e.type = ?)"),
            (self.recipient, "EXISTS (SELECT 1 FROM event_reports r JOIN event_parties p ON p.event_id = r.event_id"
                             " WHERE r.article_id = a.id AND p.side = 'recipient' AND p.party = ?)")))


def _conditions(pairs) -> tuple[list[str], list]:
    conditions, params = [], []
    for value, condition in pairs:
        if value:
            conditions.append(condition)
            params.append(value)
    return conditions, params


def json_list(value: str | list | None) -> list:
    """A JSON array from SQLite (text) or PostgreSQL (already a list, or NULL for none)."""
    if value is None:
        return []
    return value if isinstance(value, list) else json.loads(value)


# FTS5 expands each prefix term to every indexed word it starts, inside one step of the query
# that no time budget can interrupt: `p*` 160 times took 71 s of CPU on the IndoSum database.
# So a raw query may hold a few prefix terms, each of at least this many characters.
MAX_PREFIX_TERMS, MIN_PREFIX = 4, 3


class CostlyQuery(ValueError):
    """Raw search syntax whose cost has no bound; the message says what to change."""


def fts_match(query: str, raw: bool = False) -> str:
    """An FTS5 MATCH expression: every word of `query` as a quoted term (all must occur), or
    `query` itself as FTS5 syntax when `raw` (CostlyQuery if its prefix terms are too many or
    too short)."""
    if not raw:
        return " ".join('"' + w.replace('"', '""') + '"' for w in query.split())
    prefixes = re.findall(r'([^\s"()*^:+]*)\*', query)
    if len(prefixes) > MAX_PREFIX_TERMS:
        raise CostlyQuery(f"{len(prefixes)} prefix terms (word*); at most {MAX_PREFIX_TERMS} in one search")
    short = [p + "*" for p in prefixes if len(p) < MIN_PREFIX]
    if short:
        raise CostlyQuery(f"prefix {short[0]!r} is too short; give at least {MIN_PREFIX} letters before *")
    return query


# What a batch writes, table by table, in an order that puts every row after those it refers
# to: (table, columns, whether a row that is there already is passed over).
WRITES = (
    ("articles", ("id", "doc_id", "origin", "url", "content_hash", "body_hash", "title", "published", "dateline",
                  "outlet", "language", "body", "record", "duplicate_of", "similarity", "ingested_at"), False),
    ("events", ("id", "key", "type", "mode", "context", "actors", "recipients", "actor_codes", "recipient_codes",
                "date", "location", "confidence", "date_precision"), False),
    ("cited_sources", ("article_id", "name"), True),
    ("minhashes", ("article_id", "signature"), False),
    ("minhash_bands", ("band", "bucket", "article_id"), True),
    ("mentions", ("article_id", "actor", "name", "type", "country", "role", "count"), True),
    ("quotes", ("article_id", "speaker", "speaker_country", "text", "direct", "cue", "start", "end"), False),
    ("event_reports", ("event_id", "article_id", "evidence", "start", "end", "confidence"), True),
    ("event_parties", ("event_id", "party", "side"), True),
)
# Tables whose new rows can clash only with rows of the same batch (their keys hold a new
# article's or event's id), so that, de-duplicated here, they can go by PostgreSQL's COPY.
_NEW_KEYS = {"cited_sources": 2, "minhash_bands": 3, "mentions": 3, "event_reports": 2}


def _insert_sql(table: str, columns: tuple[str, ...], ignore: bool) -> str:
    quoted = ", ".join(f'"{c}"' if c == "end" else c for c in columns)
    return (f"INSERT INTO {table} ({quoted}) VALUES ({', '.join('?' * len(columns))})"
            + (" ON CONFLICT DO NOTHING" if ignore else ""))


_WRITE_OF = {table: (columns, ignore) for table, columns, ignore in WRITES}
MENTIONS_INSERT = _insert_sql("mentions", *_WRITE_OF["mentions"])
QUOTES_INSERT = _insert_sql("quotes", *_WRITE_OF["quotes"])
PARTIES_INSERT = _insert_sql("event_parties", *_WRITE_OF["event_parties"])


class _Batch:
    """One `Store.add_records` call: the reads done up front, the records decided in order
    against what was stored and what the batch itself stored before each, the writes queued."""

    def __init__(self, store: Store, batch: list[tuple[dict, str] | Prepared]) -> None:
        self.store, self.db, self.batch = store, store.db, batch
        self.bands, self.rows = _bands(store.threshold)
        self.writes: dict[str, list[tuple]] = {table: [] for table, _, _ in WRITES}

    def write(self) -> list[Added]:
        store, batch = self.store, self.batch
        identities = [item.identity if isinstance(item, Prepared) else item[1] for item in batch]
        stored = dict(store.select_in("SELECT content_hash, id FROM articles WHERE content_hash IN ({})",
                                      set(identities)))
        new = []
        for item, identity in zip(batch, identities):
            if identity not in stored:
                stored[identity] = None  # a second copy in the batch is the first's
                new.append(item if isinstance(item, Prepared) else prepare(*item))
        self._read_ahead(new)
        fresh = {item.identity: self._insert(item) for item in new}
        self._flush()
        added = []
        for identity in identities:
            if identity in fresh:  # the first copy in the batch was stored; a later one finds it
                added.append(fresh.pop(identity))
            else:
                added.append(Added(stored=False, row=stored[identity] if stored[identity] is not None
                                   else self.done[identity]))
        return added

    def _read_ahead(self, new: list[Prepared]) -> None:
        store, bands, rows = self.store, self.bands, self.rows
        self.done: dict[str, int] = {}
        self.body_hashes = [item.body_hash for item in new]
        self.signatures = [item.signature if item.signature is not None else minhash_signature(item.record["body"])
                           for item in new]
        # The first stored article of each body, or its original.
        self.exact: dict[str, int] = {}
        for body_hash, row, duplicate_of in store.select_in(
                "SELECT body_hash, id, duplicate_of FROM articles WHERE body_hash IN ({}) ORDER BY id",
                set(self.body_hashes)):
            self.exact.setdefault(body_hash, duplicate_of or row)
        # Stored originals sharing a MinHash bucket with a new body, and their signatures.
        self.buckets: dict[tuple[int, bytes], set[int]] = defaultdict(set)
        wanted = {signature[b * rows:(b + 1) * rows].tobytes() for signature in self.signatures for b in range(bands)}
        for band, bucket, row in store.select_in("SELECT band, bucket, article_id FROM minhash_bands"
                                                 " WHERE bucket IN ({})", wanted):
            self.buckets[(band, bytes(bucket))].add(row)
        candidates = set().union(*self.buckets.values()) if self.buckets else set()
        self.known = {row: np.frombuffer(bytes(signature), dtype=np.uint64) for row, signature in store.select_in(
            "SELECT article_id, signature FROM minhashes WHERE article_id IN ({})", candidates)}
        self.originals = dict(store.select_in("SELECT id, duplicate_of FROM articles WHERE id IN ({})", candidates))
        # Events these records report that are stored already: (id, confidence).
        keys = {_key(event) for item in new for event in item.record["events"]}
        self.events = {key: [row, confidence, confidence] for key, row, confidence in store.select_in(
            "SELECT key, id, confidence FROM events WHERE key IN ({})", keys)}
        new_keys = dict.fromkeys(_key(event) for item in new for event in item.record["events"])
        self.article_ids = iter(store.reserve_ids("articles", len(new)))
        self.event_ids = iter(store.reserve_ids("events", sum(1 for key in new_keys if key not in self.events)))
        self.next = 0

    def _original(self, body_hash: str, signature: np.ndarray) -> tuple[int | None, float | None]:
        """The earliest article this body repeats, and how alike they are."""
        if body_hash in self.exact:
            return self.exact[body_hash], 1.0
        candidates: set[int] = set()
        for b in range(self.bands):
            candidates |= self.buckets.get((b, signature[b * self.rows:(b + 1) * self.rows].tobytes()), set())
        best, best_similarity = None, 0.0
        for candidate in sorted(candidates):
            similarity = float(np.mean(self.known[candidate] == signature))
            if similarity >= self.store.threshold and similarity > best_similarity:
                best, best_similarity = candidate, similarity
        if best is None:
            return None, None
        return self.originals.get(best) or best, round(best_similarity, 3)

    def _insert(self, item: Prepared) -> Added:
        i, self.next = self.next, self.next + 1
        record, identity, body_hash, signature = item.record, item.identity, self.body_hashes[i], self.signatures[i]
        duplicate_of, similarity = self._original(body_hash, signature)
        row = next(self.article_ids)
        writes = self.writes
        writes["articles"].append(
            (row, record["id"], record["source"], record["url"], identity, body_hash, record["title"],
             record["published"], record["dateline"], record["outlet"], record["language"], record["body"],
             item.text, duplicate_of, similarity, dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")))
        self.done[identity] = row
        self.exact.setdefault(body_hash, duplicate_of or row)
        writes["cited_sources"] += [(row, name) for name in item.cited]
        writes["minhashes"].append((row, signature.tobytes()))
        writes["mentions"] += [(row, *values) for values in item.mentions]
        writes["quotes"] += [(row, *values) for values in item.quotes]
        for event in record["events"]:
            self._event(event, row)
        if duplicate_of is None:
            # Only originals are candidates: a repeat is linked to its original, so a new copy
            # is compared with one article per story, however many copies were stored before
            # (otherwise 20,000 copies of a wire story cost 20,000 comparisons each).
            self.known[row], self.originals[row] = signature, None
            for b in range(self.bands):
                bucket = signature[b * self.rows:(b + 1) * self.rows].tobytes()
                self.buckets[(b, bucket)].add(row)
                writes["minhash_bands"].append((b, bucket, row))
        return Added(stored=True, row=row, duplicate_of=duplicate_of, similarity=similarity)

    def _event(self, event: dict, article_row: int) -> None:
        """A report of the one stored event with its key; the event is as confident as its most
        confident report."""
        key, confidence = _key(event), event.get("confidence")
        if key in self.events:
            known = self.events[key]
            if confidence is not None and (known[1] is None or known[1] < confidence):
                known[1] = confidence
            event_id = known[0]
        else:
            actors, recipients = _party_codes(event["actors"]), _party_codes(event["recipients"])
            event_id = next(self.event_ids)
            self.writes["events"].append(
                (event_id, key, event["type"], event["mode"], json.dumps(event["context"]),
                 json.dumps(event["actors"], ensure_ascii=False), json.dumps(event["recipients"], ensure_ascii=False),
                 " ".join(actors), " ".join(recipients), event["date"],
                 json.dumps(event["location"], ensure_ascii=False) if event["location"] else None, confidence,
                 event.get("date_precision") or "day"))
            self.events[key] = [event_id, confidence, confidence]  # inserted with its first confidence
        self.writes["event_reports"].append(
            (event_id, article_row, event["evidence"], event["start"], event["end"], confidence))
        self.writes["event_parties"] += _party_rows(event_id, event["type"], event["actors"], event["recipients"])

    def _flush(self) -> None:
        for table, columns, ignore in WRITES:
            rows = self.writes[table]
            if not rows:
                continue
            if self.store.postgres and (not ignore or table in _NEW_KEYS):
                # COPY: the fastest way in; a row that would clash is one of the batch's own
                # repeats (`Reuters` and `REUTERS` cited by one article), dropped as the
                # INSERT's ON CONFLICT would drop it, the first kept.
                if table in _NEW_KEYS:
                    rows = _first_of_each(rows, _NEW_KEYS[table])
                self.db.copy_rows(table, columns, rows)
            else:
                self.db.executemany(_insert_sql(table, columns, ignore), rows)
        raised = [(confidence, event_id) for event_id, confidence, before in self.events.values()
                  if confidence != before]
        if raised:
            self.db.executemany("UPDATE events SET confidence = ? WHERE id = ?", raised)


def _first_of_each(rows: list[tuple], width: int) -> list[tuple]:
    """`rows` in order, each key (the first `width` values) once, at its first row."""
    seen: set[tuple] = set()
    kept = []
    for row in rows:
        if row[:width] not in seen:
            seen.add(row[:width])
            kept.append(row)
    return kept


def _key(event: dict) -> str:
    return event_key(event["type"], _party_codes(event["actors"]), _party_codes(event["recipients"]), event["date"],
                     event.get("date_precision") or "day")


def _people_rows(record: dict) -> tuple[list[tuple], list[tuple]]:
    """The actors an article names (one row per actor and name, with a count) and its quotes:
    the rows of `mentions` and `quotes` without their first column, the article's id."""
    named: dict[tuple[str, str], list] = {}
    for entity in record["entities"]:
        if not entity["name"]:  # a mention no actor was resolved for (`pihak berwenang`)
            continue
        key = (mention_actor(entity), entity["name"])
        if key in named:
            named[key][-1] += 1
            named[key][4] = named[key][4] or entity.get("role")
        else:
            named[key] = [*key, entity["type"], entity.get("country"), entity.get("role"), 1]
    mentions = [tuple(values) for values in named.values()]
    quotes = [((q["speaker"] or {}).get("name"), (q["speaker"] or {}).get("country"), q["text"],
               int(q["direct"]), q["cue"], q["start"], q["end"]) for q in record["quotes"]]
    return mentions, quotes


def _party_rows(event_id: int, kind: str, actors: list[dict], recipients: list[dict]) -> list[tuple]:
    if kind in UNDIRECTED:  # every party of a meeting or an agreement acts
        actors, recipients = actors + recipients, []
    return [(event_id, party_actor(p), side) for side, parties in (("actor", actors), ("recipient", recipients))
            for p in parties]


def party_actor(party: dict) -> str:
    """The actor an event party is: its state's or body's code, else its name."""
    return party.get("country") or party.get("name") or "?"


def mention_actor(entity: dict) -> str:
    """The actor a mention is: a state (or its seat of government, `Kremlin`) or an international
    body by its code; a person, a city or any other organisation by its canonical name."""
    from warta.actordict import actor_dictionary

    if entity.get("country") and entity["type"] in ("GPE", "ORG"):
        entry = actor_dictionary().names.get(entity["name"])
        if entry is not None and entry.kind in ("state", "seat", "body") and entry.country == entity["country"]:
            return entity["country"]
    return entity["name"]


def _party_codes(parties: list[dict]) -> list[str]:
    """The codes of an event's parties, sorted; a party with no code by its name."""
    return sorted({p.get("country") or f"~{p.get('name')}" for p in parties})


def event_key(kind: str, actors: list[str], recipients: list[str], day: str | None, precision: str = "day") -> str:
    """What makes two reports one event: type, parties (one set for a meeting or an agreement,
    in which every party acts), and day (a month or a year, whose middle day `day` is, is not
    that day)."""
    if kind in UNDIRECTED:
        actors, recipients = sorted(set(actors) | set(recipients)), []
    when = day or ""
    if precision != "day":
        when += "/" + precision
    return "|".join((kind, ",".join(actors), ",".join(recipients), when))


CSV_COLUMNS = ("id", "source", "url", "title", "published", "dateline", "outlet", "language",
               "cited_sources", "duplicate_of", "body")


# A cell starting with one of these is a formula to a spreadsheet (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """`value` as a spreadsheet will take it literally: a text that would start a formula
    (`=HYPERLINK(...)` in a title) gets a leading `'`, OWASP's rule."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_rows(records: Iterator[dict]) -> Iterator[str]:
    """CSV text, a header then a row per record (lists joined with `; `), formulas neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for record in records:
        writer.writerow([csv_cell("; ".join(record[c]) if isinstance(record.get(c), list) else record.get(c))
                         for c in CSV_COLUMNS])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.getvalue():
        yield buffer.getvalue()

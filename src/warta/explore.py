"""Read-only questions over a Warta database: what the server's pages and API answer.

Every method returns plain data (dicts, lists, strings, numbers), so one view can render it as
a page or send it as JSON. The database is opened read-only (SQLite: `mode=ro` and
`query_only`; PostgreSQL: read-only transactions), each thread has its own connection, and
every value reaches SQL as a parameter. The SQL is SQLite's; `warta.postgres.translate` makes
it PostgreSQL's, and full-text search has a form for each.

Actors are keyed as the store keys them (`store.mention_actor`, `store.party_actor`): a state
or an international body by its code (`CHN`, `UN`), anyone else by canonical name.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import threading
import time
from collections import Counter, defaultdict
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from warta import postgres
from warta.meta import without_dateline
from warta.places import project
from warta.resources import (
    PLOVER_TYPES,
    UNDIRECTED,
    cameo_code,
    canonical_outlet,
    canonical_source,
    lookup_news_source,
    plover_cameo,
)
from warta.store import (SCHEMA_VERSION, CostlyQuery, Filters, StoreError, connect_postgres, fts_match, json_list,
                         read_only_uri, safe_url, sqlite_path)

# Marks FTS5 puts around matched words in a snippet; they cannot occur in stored text.
MATCH_START, MATCH_END = "\x02", "\x03"
SNIPPET_WORDS = 24


class NotFound(LookupError):
    """No such article, actor or pair of actors in this database."""


class BadQuery(ValueError):
    """A question the database cannot answer as asked; the message says what to change."""


class TooCostly(RuntimeError):
    """A query stopped at the time budget (`Explorer.budget`), so that one costly search (`p*`
    160 times over) cannot hold a core for minutes."""


class ClientGone(RuntimeError):
    """A query stopped because whoever asked for it has disconnected (see `Cancel`)."""


class Cancel:
    """Set when the client of a request has gone: the statement running for it stops (SQLite's
    progress handler sees the flag; a PostgreSQL statement is cancelled on the server), and no
    further statement of that request starts. The server sets one per request in `CANCEL`; it is
    set from the event loop's thread while the query runs in a worker thread."""

    def __init__(self):
        self._set = threading.Event()
        self._lock = threading.Lock()
        self._hooks: list = []

    def is_set(self) -> bool:
        return self._set.is_set()

    def set(self) -> None:
        with self._lock:
            self._set.set()
            hooks, self._hooks = self._hooks, []
        for hook in hooks:
            hook()

    def hook(self, call) -> None:
        """Call `call()` when set (at once if already set), until `unhook(call)`."""
        with self._lock:
            if not self._set.is_set():
                self._hooks.append(call)
                return
        call()

    def unhook(self, call) -> None:
        with self._lock:
            if call in self._hooks:
                self._hooks.remove(call)


# The request's Cancel, if it runs under the server; the thread pool a view runs in copies it.
CANCEL: ContextVar[Cancel | None] = ContextVar("warta_cancel", default=None)

# Seconds one statement of the explorer may run. A search of the IndoSum database takes a few
# milliseconds; pathological FTS5 or tsquery syntax took minutes before there was a budget.
QUERY_BUDGET = 5.0
# SQLite calls the progress handler every this many virtual-machine instructions (~1 ms).
_PROGRESS_EVERY = 10_000


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    """Which articles: words to find (`raw`: FTS5 syntax) and exact filters, all optional."""

    q: str | None = None
    raw: bool = False
    since: dt.date | None = None
    until: dt.date | None = None
    outlet: str | None = None
    source: str | None = None  # a cited agency
    actor: str | None = None
    event_type: str | None = None

    def check(self) -> None:
        if self.since and self.until and self.since > self.until:
            raise BadQuery(f"since ({self.since}) is after until ({self.until})")
        if self.event_type and self.event_type not in PLOVER_TYPES:
            raise BadQuery(f"unknown event type {self.event_type!r}; one of {', '.join(PLOVER_TYPES)}")


# An event `e` one of whose parties, either side, is the parameter.
TAKES_PART = "EXISTS (SELECT 1 FROM event_parties p WHERE p.event_id = e.id AND p.party = ?)"
# The map shows where the newest this many events took place (each page's own selection).
MAP_EVENTS = 5000


def cooperative(kind: str) -> bool:
    """Verbal or material cooperation (CAMEO QuadClass 1 or 2), else conflict."""
    return plover_cameo()[kind].quad_class <= 2


def _month_rows(rows) -> list[dict]:
    """(month, type, count) rows -> one entry per month: counts by type, cooperative against
    conflictual, and the mean Goldstein intensity of its events (-10 conflict .. +10 cooperation)."""
    months: dict[str, dict] = {}
    for month, kind, count in rows:
        entry = months.setdefault(month, {"month": month, "types": {}, "cooperative": 0, "conflictual": 0,
                                          "total": 0, "intensity": 0.0})
        entry["types"][kind] = count
        entry["cooperative" if cooperative(kind) else "conflictual"] += count
        entry["total"] += count
        entry["intensity"] += plover_cameo()[kind].intensity * count
    for entry in months.values():
        entry["score"] = round(entry.pop("intensity") / entry["total"], 2)
    return [months[m] for m in sorted(months)]


def _snippet_parts(snippet: str) -> list[dict]:
    """A snippet with FTS5 marks -> [{text, match}], so no consumer has to parse markup."""
    parts, inside = [], False
    for piece in snippet.replace(MATCH_END, MATCH_START).split(MATCH_START):
        if piece:
            parts.append({"text": piece, "match": inside})
        inside = not inside
    return parts


def highlight(body: str, spans: list[dict]) -> list[dict]:
    """The body cut where any annotation starts or ends: [{text, marks}], each mark
    `{kind, label}` for an entity, a quote or an event's evidence that covers that text."""
    cuts = {0, len(body)}
    for span in spans:
        cuts.update((max(0, min(span["start"], len(body))), max(0, min(span["end"], len(body)))))
    bounds = sorted(cuts)
    segments = []
    for start, end in zip(bounds, bounds[1:]):
        marks = [{"kind": s["kind"], "label": s["label"]} for s in spans if s["start"] <= start and end <= s["end"]]
        segments.append({"text": body[start:end], "marks": marks})
    return segments


def _placeholders(values) -> str:
    """`?, ?, ?` for an IN list; `NULL` for none (PostgreSQL refuses `IN ()`)."""
    return ",".join("?" * len(values)) or "NULL"


class Explorer:
    def __init__(self, url: str, budget: float | None = None):
        self.url = url
        self._budget = budget
        self.postgres = postgres.is_postgres(url)
        if not self.postgres:
            path = sqlite_path(url)
            if path == ":memory:" or not Path(path).is_file():
                raise StoreError(f"{url}: no such database; run `warta ingest PATH --db {url}` first")
            self._uri = read_only_uri(path)
        self._local = threading.local()
        self.errors: tuple[type[Exception], ...] = (self.db.error,) if self.postgres else (sqlite3.Error,)
        try:
            version = self.one("SELECT value FROM schema_info WHERE key = 'version'")
        except self.errors as error:
            raise StoreError(f"{safe_url(url)}: not a Warta database: {str(error).strip()}") from None
        if int(version or 0) != SCHEMA_VERSION:
            raise StoreError(f"{url}: schema version {version}, this Warta reads {SCHEMA_VERSION}; "
                             "open it once with `warta ingest` to migrate it")

    @property
    def db(self):
        connection = getattr(self._local, "db", None)
        if connection is None and self.postgres:
            # Each statement its own read-only transaction: a failed query leaves nothing to undo.
            connection = connect_postgres(self.url)
            connection.connection.autocommit = True
            connection.connection.execute("SET default_transaction_read_only = on")
            connection.connection.execute(f"SET statement_timeout = {int(self.budget * 1000)}")
            self._local.db = connection
        elif connection is None:
            try:
                connection = sqlite3.connect(self._uri, uri=True, check_same_thread=False)
                connection.execute("PRAGMA query_only = ON")
                connection.execute("PRAGMA busy_timeout = 5000")
                connection.set_progress_handler(self._over_budget, _PROGRESS_EVERY)
            except sqlite3.DatabaseError as error:
                raise StoreError(f"{self.url}: cannot open as a SQLite database: {error}") from None
            self._local.db = connection
        return connection

    @property
    def budget(self) -> float:
        """Seconds a statement may run: as given, else QUERY_BUDGET."""
        return QUERY_BUDGET if self._budget is None else self._budget

    def _over_budget(self) -> int:
        """SQLite's progress handler: non-zero stops the statement running in this thread, when
        it is over its time or its client has gone."""
        deadline = getattr(self._local, "deadline", None)
        cancel = getattr(self._local, "cancel", None)
        over = deadline is not None and time.monotonic() > deadline
        return 1 if over or (cancel is not None and cancel.is_set()) else 0

    def _run(self, sql: str, params: tuple | list, fetch):
        cancel = CANCEL.get()
        if cancel is not None and cancel.is_set():
            raise ClientGone("the client disconnected; the query was not started")
        db = self.db
        # PostgreSQL's statement is stopped by the server, on a cancel request sent from the
        # thread that sets `cancel`; SQLite's by the progress handler of this thread.
        stop = db.connection.cancel if self.postgres else None
        self._local.deadline, self._local.cancel = time.monotonic() + self.budget, cancel
        if cancel is not None and stop is not None:
            cancel.hook(stop)
        try:
            return fetch(db.execute(sql, params))
        except self.errors as error:
            if "interrupted" in str(error) or type(error).__name__ == "QueryCanceled":
                if cancel is not None and cancel.is_set():
                    raise ClientGone("the client disconnected; the query was stopped") from None
                raise TooCostly(f"the query was stopped after {self.budget:g} s; ask for something narrower "
                                "(fewer prefix* terms, a date range, an outlet)") from None
            raise
        finally:
            self._local.deadline = self._local.cancel = None
            if cancel is not None and stop is not None:
                cancel.unhook(stop)

    def rows(self, sql: str, params: tuple | list = ()) -> list[tuple]:
        return self._run(sql, params, lambda cursor: cursor.fetchall())

    def one(self, sql: str, params: tuple | list = ()):
        row = self._run(sql, params, lambda cursor: cursor.fetchone())
        return row[0] if row else None

    # ------------------------------------------------------------------ names
    def names(self, actors) -> dict[str, str]:
        """actor key -> the name it is most often given in the stored articles."""
        actors = list(set(actors))
        named: dict[str, str] = {}
        for start in range(0, len(actors), 500):
            chunk = actors[start:start + 500]
            for actor, name in self.rows(
                    "SELECT actor, name FROM (SELECT actor, name, row_number() OVER"
                    " (PARTITION BY actor ORDER BY SUM(count) DESC, name) AS n FROM mentions"
                    f" WHERE actor IN ({_placeholders(chunk)}) GROUP BY actor, name) AS ranked WHERE n = 1", chunk):
                named[actor] = name
        return {actor: named.get(actor, actor) for actor in actors}

    @cached_property
    def _dictionary_names(self) -> dict[str, str]:
        """Every lower-cased name the actor dictionary knows a state, seat, body or person by
        (Indonesian and English) -> the actor key the store uses for it."""
        from warta.actordict import actor_dictionary

        keys = {}
        for surface, entry in actor_dictionary().names.items():
            if entry.kind in ("state", "seat", "body") and entry.country:
                keys.setdefault(surface.lower(), entry.country)
            elif entry.kind == "person":
                keys.setdefault(surface.lower(), entry.name)
        return keys

    @cached_property
    def _written_as(self) -> dict[str, list[str]]:
        """A state's or body's code -> the names the dictionary knows it by (a state's upper-case
        dateline forms left out), for the actor page."""
        from warta.actordict import actor_dictionary

        names = defaultdict(set)
        for surface, entry in actor_dictionary().names.items():
            if entry.country and (entry.kind == "body" or entry.kind == "state" and not surface.isupper()):
                names[entry.country].add(surface)
        return {code: sorted(surfaces) for code, surfaces in names.items()}

    # ------------------------------------------------------------------ pages
    def overview(self) -> dict:
        counts = {
            "articles": self.one("SELECT count(*) FROM articles WHERE duplicate_of IS NULL"),
            "duplicates": self.one("SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL"),
            "events": self.one("SELECT count(*) FROM events"),
            "quotes": self.one("SELECT count(*) FROM quotes"),
            "actors": self.one("SELECT count(DISTINCT actor) FROM mentions"),
            "outlets": self.one("SELECT count(DISTINCT outlet) FROM articles"),
            "failures": self.one("SELECT count(*) FROM failures"),
        }
        first, last = self.rows("SELECT min(substr(published, 1, 10)), max(substr(published, 1, 10))"
                                " FROM articles")[0]
        return {"counts": counts, "first_day": first, "last_day": last,
                "latest": self.articles(ArticleFilter(), limit=10)["articles"],
                "months": _month_rows(self.rows("SELECT substr(date, 1, 7), type, count(*) FROM events"
                                                " WHERE date GLOB '[0-9][0-9][0-9][0-9]-*' GROUP BY 1, 2")),
                "top_actors": self.top_actors(), "places": self.places()}

    def places(self, ids: list[int] | None = None, parties: tuple[str, ...] = (), limit: int = MAP_EVENTS
               ) -> list[dict]:
        """Where events took place, for the map: one point per place with coordinates (of the
        newest `limit` events that have one), with its cooperative and conflictual events counted;
        `ids` and `parties` as in `events`."""
        if ids is not None and not ids:
            return []
        where, params = ["e.location IS NOT NULL"], []
        for party in parties:
            where.append(TAKES_PART)
            params.append(party)
        if ids is not None:
            where.append(f"e.id IN ({_placeholders(ids)})")
            params.extend(ids)
        points: dict[tuple[float, float], dict] = {}
        for kind, location in self.rows(f"SELECT e.type, e.location FROM events e WHERE {' AND '.join(where)}"
                                        " ORDER BY e.id DESC LIMIT ?", [*params, limit]):
            place = json.loads(location)
            if place.get("lat") is None or place.get("lon") is None:
                continue
            x, y = project(place["lat"], place["lon"])
            point = points.setdefault((place["lat"], place["lon"]), {
                "name": place.get("place") or place["name"], "country": place.get("country"),
                "precision": place.get("precision"), "lat": place["lat"], "lon": place["lon"],
                "x": round(x, 2), "y": round(y, 2), "cooperative": 0, "conflictual": 0})
            point["cooperative" if cooperative(kind) else "conflictual"] += 1
        return sorted(points.values(), key=lambda p: (-(p["cooperative"] + p["conflictual"]), p["name"]))

    def top_actors(self, limit: int = 12) -> list[dict]:
        """The actors that take part in the most events."""
        top = self.rows("SELECT party, count(DISTINCT event_id) FROM event_parties GROUP BY party"
                        " ORDER BY 2 DESC, 1 LIMIT ?", (limit,))
        names = self.names(actor for actor, _ in top)
        return [{"actor": a, "name": names[a], "events": n} for a, n in top]

    def articles(self, query: ArticleFilter, limit: int = 20, offset: int = 0) -> dict:
        """Articles that match, best first (bm25) when there are words, else newest first;
        `total` counts them all."""
        query.check()
        where, params = ["a.duplicate_of IS NULL"], []
        if query.q and query.q.strip() and self.postgres:  # plainto: every word, as data; raw: tsquery syntax
            if query.raw and not self._tsquery_words(query.q):
                raise BadQuery(f"search {query.q!r}: no words to search for in this tsquery")
            source = f"articles a, {'to_tsquery' if query.raw else 'plainto_tsquery'}('simple', ?) q"
            where.insert(0, "a.search @@ q")
            params.append(query.q)
            snippet = (f"ts_headline('simple', a.body, q, 'StartSel={MATCH_START}, StopSel={MATCH_END}, "
                       f"MaxWords={SNIPPET_WORDS}, MinWords={SNIPPET_WORDS // 2}, MaxFragments=1')")
            order = "ts_rank(a.search, q) DESC, a.id"
        elif query.q and query.q.strip():
            try:
                match = fts_match(query.q, query.raw)
            except CostlyQuery as error:
                raise BadQuery(f"search {query.q!r}: {error}") from None
            source = "articles_fts JOIN articles a ON a.id = articles_fts.rowid"
            where.insert(0, "articles_fts MATCH ?")
            params.append(match)
            snippet = f"snippet(articles_fts, -1, '{MATCH_START}', '{MATCH_END}', '…', {SNIPPET_WORDS})"
            order = "bm25(articles_fts), a.id"
        else:
            source, snippet = "articles a", "substr(a.body, 1, 240)"
            order = "a.published IS NULL, a.published DESC, a.id DESC"
        # The filters `warta export` has too, then the cited agency, which only search has.
        shared, values = Filters(since=query.since, until=query.until, kind=query.event_type, actor=query.actor,
                                 outlet=query.outlet and canonical_outlet(query.outlet)).article_conditions()
        where += shared
        params += values
        if query.source:
            where.append("EXISTS (SELECT 1 FROM cited_sources c WHERE c.article_id = a.id AND c.name = ?)")
            params.append(canonical_source(query.source))
        sql_where = " WHERE " + " AND ".join(where)
        try:
            total = self.one(f"SELECT count(*) FROM {source}{sql_where}", params)
            rows = self.rows(f"SELECT a.id, a.doc_id, a.title, {LEDE}, a.published, a.outlet, a.url, {snippet}"
                             f" FROM {source}{sql_where} ORDER BY {order} LIMIT ? OFFSET ?", [*params, limit, offset])
        except self.errors as error:
            raise BadQuery(f"search {query.q!r}: {str(error).strip()}") from None
        return {"total": total, "limit": limit, "offset": offset, "articles": [
            {"id": row, "doc_id": doc, "title": title, "heading": heading(title, lede), "published": published,
             "outlet": outlet, "url": url, "snippet": text.replace(MATCH_START, "").replace(MATCH_END, ""),
             "snippet_parts": _snippet_parts(text)}
            for row, doc, title, lede, published, outlet, url, text in rows]}

    def _tsquery_words(self, raw: str) -> int:
        try:
            return self.one("SELECT numnode(to_tsquery('simple', ?))", (raw,))
        except self.errors as error:
            raise BadQuery(f"search {raw!r}: {str(error).strip()}") from None

    def article_row(self, key: str) -> int:
        """The row of the article whose own id is `key` (the first stored, if several share it),
        else of row number `key`: links made before articles went by their own ids still work."""
        found = self.one("SELECT min(id) FROM articles WHERE doc_id = ?", (key,))
        if found is not None:
            return found
        if key.isdigit() and int(key) < 2 ** 63:
            return int(key)
        raise NotFound(f"no article {key!r}")

    def article(self, row: int) -> dict:
        found = self.rows("SELECT a.record, a.duplicate_of, a.similarity FROM articles a WHERE a.id = ?", (row,))
        if not found:
            raise NotFound(f"no article {row}")
        record_text, duplicate_of, similarity = found[0]
        record = json.loads(record_text)
        events = [{"id": event_id, "type": kind, "evidence": evidence, "start": start, "end": end,
                   "date": day, "date_precision": precision or "day", "confidence": confidence,
                   "actors": json.loads(actors), "recipients": json.loads(recipients)}
                  for event_id, kind, evidence, start, end, day, precision, confidence, actors, recipients in self.rows(
                      "SELECT e.id, e.type, r.evidence, r.start, r.end, e.date, e.date_precision, r.confidence,"
                      " e.actors, e.recipients FROM event_reports r JOIN events e ON e.id = r.event_id"
                      " WHERE r.article_id = ? ORDER BY r.start", (row,))]
        spans = [{"start": e["start"], "end": e["end"], "kind": "event", "label": e["type"]} for e in events]
        spans += [{"start": q["start"], "end": q["end"], "kind": "quote",
                   "label": "quote: " + speaker_words(q.get("speaker"))}
                  for q in record["quotes"]]
        spans += [{"start": e["start"], "end": e["end"], "kind": "entity-" + e["type"].lower(),
                   "label": " · ".join(filter(None, (e["type"], e["name"], e.get("country"), e.get("role"))))}
                  for e in record["entities"]]
        repeats = [{"id": r, "title": t, "heading": heading(t, lede), "outlet": o, "similarity": s}
                   for r, t, lede, o, s in self.rows(f"SELECT a.id, a.title, {LEDE}, a.outlet, a.similarity"
                                                     " FROM articles a WHERE a.duplicate_of = ? ORDER BY a.id", (row,))]
        original = None
        if duplicate_of:
            [(title, lede)] = self.rows(f"SELECT a.title, {LEDE} FROM articles a WHERE a.id = ?", (duplicate_of,))
            original = {"id": duplicate_of, "similarity": similarity, "title": title, "heading": heading(title, lede)}
        return {"id": row, "record": record, "heading": heading(record["title"], record["body"][:LEDE_CHARS]),
                "events": events, "segments": highlight(record["body"], spans),
                "duplicate_of": original, "repeated_by": repeats,
                "actors": {key: name for key, name in self.rows(
                    "SELECT actor, name FROM mentions WHERE article_id = ?", (row,))}}

    def events(self, actor: str | None = None, recipient: str | None = None, kind: str | None = None,
               since: dt.date | None = None, until: dt.date | None = None, parties: tuple[str, ...] = (),
               ids: list[int] | None = None, min_confidence: float | None = None, limit: int = 50,
               offset: int = 0, outlet: str | None = None) -> dict:
        """Events, newest day first. `actor` acts (every party of a meeting or an agreement
        acts), `recipient` is acted on, each of `parties` takes part either way; `ids`: only these;
        `min_confidence`: only events the models are at least that sure of; `outlet`: reported
        by an article of that outlet."""
        if kind and kind not in PLOVER_TYPES:
            raise BadQuery(f"unknown event type {kind!r}; one of {', '.join(PLOVER_TYPES)}")
        if since and until and since > until:
            raise BadQuery(f"since ({since}) is after until ({until})")
        where, params = Filters(since=since, until=until, kind=kind, actor=actor, recipient=recipient,
                                outlet=outlet and canonical_outlet(outlet)).event_conditions()
        for value, condition in (
                *((party, TAKES_PART) for party in parties),
                (min_confidence, "e.confidence >= ?")):
            if value:
                where.append(condition)
                params.append(value)
        if ids is not None:
            where.append(f"e.id IN ({_placeholders(ids)})")
            params.extend(ids)
        sql_where = (" WHERE " + " AND ".join(where)) if where else ""
        total = self.one(f"SELECT count(*) FROM events e{sql_where}", params)
        rows = self.rows(
            "SELECT e.id, e.type, e.mode, e.actors, e.recipients, e.date, e.date_precision, e.confidence, e.location,"
            " (SELECT count(*) FROM event_reports r WHERE r.event_id = e.id),"
            f" {OUTLETS_OF_EVENT},"
            " (SELECT r.evidence FROM event_reports r WHERE r.event_id = e.id ORDER BY r.article_id LIMIT 1),"
            " (SELECT json_group_array(r.article_id) FROM (SELECT article_id FROM event_reports r"
            "  WHERE r.event_id = e.id ORDER BY r.article_id LIMIT 20) r)"
            f" FROM events e{sql_where} ORDER BY e.date IS NULL, e.date DESC, e.id DESC LIMIT ? OFFSET ?",
            [*params, limit, offset])
        return {"total": total, "limit": limit, "offset": offset, "events": [
            {"id": event_id, "type": kind_, "mode": mode, "cooperative": cooperative(kind_),
             "actors": json.loads(actors), "recipients": json.loads(recipients), "date": day,
             "date_precision": precision or "day", "confidence": confidence,
             "location": json.loads(location) if location else None, "articles": reports, "outlets": outlets,
             "evidence": evidence, "article_ids": json_list(article_ids)}
            for event_id, kind_, mode, actors, recipients, day, precision, confidence, location, reports, outlets,
            evidence, article_ids in rows]}

    def event(self, event_id: int) -> dict:
        """One event, with every article that reports it and the sentence each read it from."""
        found = self.events(ids=[event_id], limit=1)["events"]
        if not found:
            raise NotFound(f"no event {event_id}")
        event = found[0]
        event["cameo"] = cameo_code(event["type"], event["mode"])
        event["reports"] = [
            {"article": row, "doc_id": doc, "title": title, "heading": heading(title, lede), "published": published,
             "outlet": outlet, "url": url, "evidence": evidence, "confidence": confidence}
            for row, doc, title, lede, published, outlet, url, evidence, confidence in self.rows(
                f"SELECT a.id, a.doc_id, a.title, {LEDE}, a.published, a.outlet, a.url, r.evidence, r.confidence"
                " FROM event_reports r JOIN articles a ON a.id = r.article_id WHERE r.event_id = ? ORDER BY a.id",
                (event_id,))]
        return event

    def actors(self, q: str, limit: int = 20) -> dict:
        """Actors whose name (Indonesian or English, as the dictionary or the articles give it)
        contains `q`, most written about first."""
        q = q.strip()
        if not q:
            raise BadQuery("give a name to look for")
        keys = set()
        exact = self._dictionary_names.get(q.lower())
        if exact:
            keys.add(exact)
        if len(q) >= 3:
            keys.update(key for name, key in self._dictionary_names.items() if q.lower() in name)
        pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        keys.update(r[0] for r in self.rows(
            "SELECT DISTINCT actor FROM mentions WHERE name LIKE ? ESCAPE '\\' OR actor LIKE ? ESCAPE '\\'",
            (pattern, pattern)))
        keys = list(keys)
        found = []
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            found += self.rows(
                "SELECT actor, min(type), max(country), count(DISTINCT article_id), sum(count) FROM mentions"
                f" WHERE actor IN ({_placeholders(chunk)}) GROUP BY actor", chunk)
        found.sort(key=lambda r: (r[0] != exact, -r[3], r[0]))
        names = self.names(r[0] for r in found[:limit])
        return {"q": q, "total": len(found), "actors": [
            {"actor": actor, "name": names[actor], "type": kind, "country": country, "articles": articles,
             "mentions": mentions} for actor, kind, country, articles, mentions in found[:limit]]}

    def actor(self, key: str) -> dict:
        from warta.actordict import actor_dictionary

        kinds = self.rows("SELECT type, country, count(DISTINCT article_id), sum(count) FROM mentions"
                          " WHERE actor = ? GROUP BY type, country ORDER BY 4 DESC", (key,))
        kind, country = (kinds[0][0], kinds[0][1]) if kinds else (None, None)
        ids = self._events_of(key, kind)
        if not kinds and not ids:
            raise NotFound(f"no actor {key!r} in this database")
        name = self.names([key])[key]
        person = actor_dictionary().persons.get(name) if kind == "PERSON" else None
        offices = [_office(o) for o in (person.offices if person else [])]
        # The office to show: the one held on the day of the latest article naming the person.
        latest = self.one("SELECT max(substr(a.published, 1, 10)) FROM mentions m JOIN articles a"
                          " ON a.id = m.article_id WHERE m.actor = ?", (key,)) if person else None
        office = person.office_on(latest) if person else None
        # A state's or body's quotes are those of its officials; a person's are their own.
        who = ("speaker_country = ?", key) if key == country else ("speaker = ?", name)
        quotes = [{"article": article, "title": title, "heading": heading(title, lede), "published": published,
                   "speaker": speaker, "text": text, "direct": bool(direct)}
                  for article, title, lede, published, speaker, text, direct in self.rows(
                      f"SELECT q.article_id, a.title, {LEDE}, a.published, q.speaker, q.text, q.direct FROM quotes q"
                      f" JOIN articles a ON a.id = q.article_id WHERE q.{who[0]} AND a.duplicate_of IS NULL"
                      " ORDER BY a.published IS NULL, a.published DESC, q.id LIMIT 10", (who[1],))]
        among = f"({_placeholders(ids)})"
        partners = Counter()
        partner_kinds: dict[str, Counter] = defaultdict(Counter)
        for other, kind_ in self.rows(
                "SELECT p.party, e.type FROM event_parties p JOIN events e ON e.id = p.event_id"
                f" WHERE p.event_id IN {among} AND p.party NOT IN (?, ?) GROUP BY p.party, e.id",
                [*ids, key, country or key]):
            partners[other] += 1
            partner_kinds[other]["cooperative" if cooperative(kind_) else "conflictual"] += 1
        top = partners.most_common(10)
        partner_names = self.names(p for p, _ in top)
        return {
            "actor": key, "name": name, "type": kind, "country": country, "also_known_as": self._written_as.get(key, [])[:20],
            "articles": sum(r[2] for r in kinds), "mentions": sum(r[3] for r in kinds), "events": len(ids),
            "offices": offices,
            "office": _office(office) if office else None, "office_on": latest,
            "timeline": _month_rows(self.rows(
                f"SELECT substr(date, 1, 7), type, count(*) FROM events WHERE id IN {among}"
                " AND date GLOB '[0-9][0-9][0-9][0-9]-*' GROUP BY 1, 2", ids)),
            "partners": [{"actor": p, "name": partner_names[p], "events": n, **partner_kinds[p]} for p, n in top],
            "quotes": quotes,
            "latest_events": self.events(ids=ids, limit=20)["events"],
            "places": self.places(ids=ids),
        }

    def _events_of(self, key: str, kind: str | None, most: int = 5000) -> list[int]:
        """The events an actor takes part in: as a party (a state, a body, anyone coded by
        name), or for a person also as the one named in an event's evidence, since events are
        coded to the state a person acts for."""
        ids = {r[0] for r in self.rows("SELECT event_id FROM event_parties WHERE party = ? LIMIT ?", (key, most))}
        if kind == "PERSON":
            records: dict[int, list] = {}
            for article, record, event_id, start, end in self.rows(
                    "SELECT a.id, a.record, r.event_id, r.start, r.end FROM mentions m"
                    " JOIN event_reports r ON r.article_id = m.article_id JOIN articles a ON a.id = m.article_id"
                    " WHERE m.actor = ? LIMIT ?", (key, most)):
                if article not in records:
                    records[article] = [(e["start"], e["end"]) for e in json.loads(record)["entities"]
                                        if e["name"] == key]
                if any(start <= s and e <= end for s, e in records[article]):
                    ids.add(event_id)
        return sorted(ids)[-most:]

    def dyad(self, first: str, second: str) -> dict:
        """Events between two actors (either direction), per month, cooperative against conflictual."""
        if first == second:
            raise BadQuery("a dyad needs two different actors")
        joined = ("FROM events e JOIN event_parties a ON a.event_id = e.id AND a.party = ?"
                  " JOIN event_parties b ON b.event_id = e.id AND b.party = ?")
        months = _month_rows(self.rows(
            f"SELECT substr(e.date, 1, 7), e.type, count(DISTINCT e.id) {joined}"
            " WHERE e.date GLOB '[0-9][0-9][0-9][0-9]-*' GROUP BY 1, 2", (first, second)))
        directions: dict[str, set] = defaultdict(set)
        for event_id, kind, side_a, side_b in self.rows(f"SELECT e.id, e.type, a.side, b.side {joined}",
                                                        (first, second)):
            if kind in UNDIRECTED or side_a == side_b:
                directions["together"].add(event_id)
            else:
                directions[f"{first}→{second}" if side_a == "actor" else f"{second}→{first}"].add(event_id)
        total = self.one(f"SELECT count(DISTINCT e.id) {joined}", (first, second))
        names = self.names([first, second])
        if not total and not all(self.one("SELECT 1 FROM mentions WHERE actor = ? LIMIT 1", (k,)) or
                                 self.one("SELECT 1 FROM event_parties WHERE party = ? LIMIT 1", (k,))
                                 for k in (first, second)):
            raise NotFound(f"no actor {first!r} or {second!r} in this database")
        dated = sum(m["total"] for m in months)
        return {
            "actors": [{"actor": first, "name": names[first]}, {"actor": second, "name": names[second]}],
            "total": total, "undated": total - dated, "months": months,
            "directions": {direction: len(ids) for direction, ids in sorted(directions.items())},
            "cooperative": sum(m["cooperative"] for m in months), "conflictual": sum(m["conflictual"] for m in months),
            "score": round(sum(m["score"] * m["total"] for m in months) / dated, 2) if dated else None,
            "events": self.events(parties=(first, second))["events"],
            "places": self.places(parties=(first, second)),
        }

    def network(self, nodes: int = 40, min_events: int = 1) -> dict:
        """Who acts with or on whom: actors as nodes (sized by events), pairs as edges weighted
        by the events they share, split into cooperative and conflictual."""
        edges: dict[tuple[str, str], Counter] = defaultdict(Counter)
        for first, second, kind, count in self.rows(
                "SELECT a.party, b.party, e.type, count(DISTINCT e.id) FROM event_parties a"
                " JOIN event_parties b ON b.event_id = a.event_id AND a.party < b.party"
                " JOIN events e ON e.id = a.event_id GROUP BY 1, 2, 3"):
            edges[(first, second)]["cooperative" if cooperative(kind) else "conflictual"] += count
        weights = {pair: sum(c.values()) for pair, c in edges.items() if sum(c.values()) >= min_events}
        degree = Counter()
        for (first, second), weight in weights.items():
            degree[first] += weight
            degree[second] += weight
        kept = {actor for actor, _ in degree.most_common(nodes)}
        names = self.names(kept)
        return {
            "nodes": [{"actor": a, "name": names[a], "weight": degree[a]}
                      for a in sorted(kept, key=lambda a: -degree[a])],
            "edges": [{"source": a, "target": b, "source_name": names[a], "target_name": names[b], "weight": w,
                       **edges[(a, b)]}
                      for (a, b), w in sorted(weights.items(), key=lambda x: -x[1]) if a in kept and b in kept],
        }

    def sources(self) -> dict:
        """Outlets with their articles and the agencies they cite; agencies with who cites them."""
        cited: dict[str | None, list] = defaultdict(list)
        for outlet, name, count in self.rows(
                "SELECT a.outlet, c.name, count(*) FROM cited_sources c JOIN articles a ON a.id = c.article_id"
                " WHERE a.duplicate_of IS NULL GROUP BY 1, 2 ORDER BY 3 DESC, 2"):
            cited[outlet].append({"name": name, "articles": count})
        outlets = [{"outlet": outlet, "country": _medium_country(outlet), "articles": count, "first": first,
                    "last": last, "cited": cited.get(outlet, [])}
                   for outlet, count, first, last in self.rows(
                       "SELECT outlet, count(*), min(substr(published, 1, 10)), max(substr(published, 1, 10))"
                       " FROM articles WHERE duplicate_of IS NULL GROUP BY outlet ORDER BY 2 DESC, 1")]
        agencies = [{"name": name, "country": _medium_country(name), "articles": articles, "outlets": outlets_}
                    for name, articles, outlets_ in self.rows(
                        "SELECT c.name, count(DISTINCT c.article_id), count(DISTINCT coalesce(a.outlet, ''))"
                        " FROM cited_sources c"
                        " JOIN articles a ON a.id = c.article_id WHERE a.duplicate_of IS NULL"
                        " GROUP BY c.name ORDER BY 2 DESC, 1")]
        return {"outlets": outlets, "agencies": agencies}


def _medium_country(name: str | None) -> str | None:
    """Where a medium is based, from data/news_sources.tsv (None when the table lacks it)."""
    source = lookup_news_source(name) if name else None
    return source.country if source else None


OUTLETS_OF_EVENT = ("(SELECT count(DISTINCT coalesce(ao.outlet, 'article ' || ao.id)) FROM event_reports ro"
                    " JOIN articles ao ON ao.id = ro.article_id WHERE ro.event_id = e.id)")
LEDE_CHARS = 300
LEDE = f"substr(a.body, 1, {LEDE_CHARS})"  # what a heading is made from when there is no title
HEADING_WORDS = 12


def speaker_words(speaker: dict | None) -> str:
    """A quote's speaker in words for pages: the name, the body that spoke, the states of a
    statement, an unnamed source of a state, or that none is named (never `None` or `unknown`)."""
    speaker = speaker or {}
    if speaker.get("name"):
        return speaker["name"]
    if speaker.get("body"):
        codes = speaker.get("countries") or []
        return speaker["body"] + (f" ({', '.join(codes)})" if codes else "")
    if speaker.get("countries"):
        return "a statement of " + ", ".join(speaker["countries"])
    if speaker.get("country"):
        return f"an unnamed source ({speaker['country']})"
    return "no speaker named"


def heading(title: str | None, lede: str | None) -> str | None:
    """What to head an article with: its title; for an input that gives none (IndoSum's
    articles), the first sentence of its lede, the dateline left off, cut at twelve words. The
    record's `title` stays null: this is for pages and lists only."""
    if title:
        return title
    paragraph = without_dateline((lede or "").split("\n\n", 1)[0])
    sentence = re.split(r"(?<=[.!?])\s", " ".join(paragraph.split()), maxsplit=1)[0]
    words = sentence.split()
    return " ".join(words[:HEADING_WORDS]) + ("…" if len(words) > HEADING_WORDS else "") if words else None


def _office(office) -> dict:
    return {"role": office.role, "country": office.country, "start": office.start or None, "end": office.end or None}

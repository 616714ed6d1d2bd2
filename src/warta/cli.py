"""The `warta` command: a thin layer over the library that maps arguments to options."""
from __future__ import annotations

import datetime as dt
import json
import os
import sys
import textwrap
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, Optional

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from warta import __version__
from warta.limits import DEFAULT_MAX_BYTES, DEFAULT_TIME_LIMIT
from warta.pipeline import Options, run_records
from warta.read import ReadFailure, input_size, read, shown

app = typer.Typer(help="Warta: Indonesian-language news to event data.", no_args_is_help=True,
                  add_completion=False)
err = Console(stderr=True)
out = Console()

PathsArg = typer.Argument(..., help="Files or folders (.txt, .html, .jsonl, .warc, .warc.gz), or - for standard input.")
AsOfOption = typer.Option(None, "--as-of", help="Reference day, YYYY-MM-DD: dates without a year are put in the "
                                                 "latest year not after it (default: today).")
DbOption = typer.Option("warta.db", "--db", help="SQLite database file (or sqlite:///PATH), or a PostgreSQL URL "
                                                 "postgresql://USER@HOST/DATABASE (pip install 'warta\\[postgres]').")
CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
WorkersOption = typer.Option(CORES, "--workers", min=1, help="Worker processes for the pipeline (default: the "
                                                             "cores). Small runs stay in one process.")
MaxBytesOption = typer.Option(DEFAULT_MAX_BYTES, "--max-bytes", min=1,
                              help="Largest article, in bytes of raw input; a bigger one is a failure.")
TimeLimitOption = typer.Option(DEFAULT_TIME_LIMIT, "--time-limit", min=0,
                               help="Seconds one article may take; a slower one is a failure (0: no limit).")
ThresholdOption = typer.Option(0.8, help="Estimated Jaccard similarity of word 3-shingles at which an "
                                        "article counts as a near-duplicate.")
# Records stored per call of Store.add_records: a few round trips to the database per batch.
STORE_BATCH = 100
# Show a progress bar when a run reads more than a handful of files or a large file.
HANDFUL_FILES, HANDFUL_BYTES = 5, 2_000_000


def _day(value: Optional[str], option: str) -> Optional[dt.date]:
    try:
        return dt.date.fromisoformat(value) if value is not None else None
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date of the form YYYY-MM-DD", param_hint=option) from None


def _options(as_of: Optional[str], time_limit: float = DEFAULT_TIME_LIMIT) -> Options:
    return Options(as_of=_day(as_of, "--as-of") or dt.date.today(), time_limit=time_limit or None)


@contextmanager
def _progress(paths: list[str]) -> Iterator[tuple[Callable[[int], None], Callable[[], None]]]:
    """(advance by bytes read, count one article); a bar with rate and ETA on big runs only."""
    files, total = input_size(paths)
    show = err.is_terminal and (files > HANDFUL_FILES or total > HANDFUL_BYTES)
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), TaskProgressColumn(),
                  TextColumn("{task.fields[articles]} articles, {task.fields[rate]}/s"),
                  TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                  console=err, disable=not show) as bar:
        task = bar.add_task("reading", total=total or None, articles=0, rate="0")
        started = dt.datetime.now()
        count = 0

        def advance(nbytes: int) -> None:
            bar.advance(task, nbytes)

        def article() -> None:
            nonlocal count
            count += 1
            seconds = max((dt.datetime.now() - started).total_seconds(), 1e-6)
            bar.update(task, articles=count, rate=f"{count / seconds:.0f}")

        yield advance, article


class _Named:
    """Who the stored articles name and how often they are quoted: the summary after ingest."""

    def __init__(self) -> None:
        self.articles: Counter[tuple[str, str]] = Counter()
        self.quotes: Counter[str] = Counter()

    def count(self, record: dict) -> None:
        self.articles.update({(e["name"], e["country"] or "") for e in record["entities"]
                              if e["type"] == "PERSON" and e["name"]})
        self.quotes.update(q["speaker"]["name"] for q in record["quotes"] if q["speaker"] and q["speaker"].get("name"))

    def print(self, limit: int = 10) -> None:
        if not self.articles:
            return
        table = Table(title="persons the stored articles name", title_justify="left")
        for column in ("person", "country", "articles", "quotes"):
            table.add_column(column, justify="right" if column in ("articles", "quotes") else "left")
        for (name, country), count in self.articles.most_common(limit):
            table.add_row(name, country or "-", str(count), str(self.quotes[name]))
        out.print(table)


def _print_events(events: list[dict]) -> None:
    if not events:
        return
    table = Table(title="events the stored articles report most", title_justify="left")
    for column in ("type", "actors", "recipients", "day", "articles"):
        table.add_column(column, justify="right" if column == "articles" else "left", overflow="fold")
    table.add_column("evidence")
    parties = lambda ps: ", ".join(p.get("country") or p.get("name") or "?" for p in ps) or "-"  # noqa: E731
    for event in events:
        table.add_row(event["type"], parties(event["actors"]), parties(event["recipients"]), event["date"] or "?",
                      str(event["articles"]), textwrap.shorten(event["evidence"], 60, placeholder=" …"))
    out.print(table)


class _Failures:
    """The failures of a run: every one counted, the first `keep` kept (to show and to store), so
    a file of a billion bad lines costs no more memory or database than a file of a thousand."""

    def __init__(self, keep: int = 1000) -> None:
        self.keep, self.count, self.kept = keep, 0, []

    def add(self, failure: ReadFailure) -> bool:
        """Count `failure`; True when it is one of those kept."""
        self.count += 1
        if len(self.kept) < self.keep:
            self.kept.append(failure)
            return True
        return False

    def __len__(self) -> int:
        return self.count

    def print(self, limit: int = 20) -> None:
        if not self.count:
            return
        table = Table(title=f"Could not read {self.count} input(s); the run went on", title_justify="left")
        table.add_column("input", overflow="fold")
        table.add_column("reason", overflow="fold")
        for failure in self.kept[:limit]:
            table.add_row(_escape(failure.input), _escape(failure.reason))
        if self.count > limit:
            table.add_row(f"... and {self.count - limit} more", "")
        err.print(table)


def _some_input_exists(paths: list[str]) -> None:
    """Stop at once, with exit code 1, when not one of `paths` exists (nothing to read)."""
    if any(path == "-" or os.path.lexists(path) for path in paths):
        return
    for path in paths:
        error_line(f"{shown(path)}: no such file or folder")
    raise typer.Exit(1)


@app.command()
def extract(paths: list[str] = PathsArg,
            output: str = typer.Option("-", "-o", "--output", help="JSON Lines file to write (default: standard output)."),
            as_of: Optional[str] = AsOfOption, workers: int = WorkersOption, max_bytes: int = MaxBytesOption,
            time_limit: float = TimeLimitOption) -> None:
    """Read articles and write one article record per line (JSON Lines), in input order."""
    options = _options(as_of, time_limit)
    _some_input_exists(paths)
    failures = _Failures()
    written = 0
    handle = sys.stdout if output == "-" else open(output, "w", encoding="utf-8")
    try:
        with _progress(paths) as (advance, counted):
            sources = read(paths, progress=advance, max_bytes=max_bytes)
            for item in run_records(sources, options, workers=workers):
                if isinstance(item, ReadFailure):
                    failures.add(item)
                    continue
                handle.write(json.dumps(item[1], ensure_ascii=False) + "\n")
                written += 1
                counted()
    finally:
        if handle is not sys.stdout:
            handle.close()
    failures.print()
    err.print(f"{written} article record(s) written to {'standard output' if output == '-' else output}"
              + (f"; {len(failures)} input(s) could not be read" if failures else ""))
    if written == 0:
        raise typer.Exit(1)


@app.command()
def ingest(paths: list[str] = PathsArg, db: str = DbOption, as_of: Optional[str] = AsOfOption,
           threshold: float = ThresholdOption, workers: int = WorkersOption, max_bytes: int = MaxBytesOption,
           time_limit: float = TimeLimitOption) -> None:
    """Read articles, run the pipeline and store them; print what was stored.

    Worker processes run the pipeline; this process alone writes, in input order, so the
    database is the same whatever the number of workers. Articles already stored are skipped
    before the pipeline, so a run that was stopped part-way can simply be run again."""
    from warta.store import content_hash

    options = _options(as_of, time_limit)
    _some_input_exists(paths)  # before the database is made: a typo must not leave an empty one

    def records(store, counts, advance, counted):
        def new_sources():
            for item in read(paths, progress=advance, max_bytes=max_bytes):
                if not isinstance(item, ReadFailure):
                    counts["read"] += 1
                    if store.stored_row(item) is not None:
                        counts["already stored"] += 1
                        counted()
                        continue
                yield item

        for item in run_records(new_sources(), options, workers=workers):
            yield item if isinstance(item, ReadFailure) else (item[1], content_hash(item[0]), item[0].origin)

    _store_run("ingest", paths, db, threshold, records)


@app.command()
def load(paths: list[str] = typer.Argument(..., help="Record files or folders: `warta extract` output (.jsonl, "
                                                     ".jsonl.gz), `warta spark` output folders (JSON Lines part "
                                                     "files or Parquet)."),
         db: str = DbOption, threshold: float = ThresholdOption) -> None:
    """Store Warta records as they are, without running the pipeline again; print what was stored.

    For records made elsewhere, by `warta spark` on a cluster or `warta extract`: each is checked
    against the record format (one that is not a record is a failure, and the run goes on) and
    stored exactly as `ingest` stores the article it came from: the same rows, duplicate links
    and merged events. Records already stored are skipped, so a stopped load can be run again."""
    from warta.records import read_prepared
    from warta.store import Prepared

    _some_input_exists(paths)

    def records(store, counts, advance, counted):
        for item in read_prepared(paths, progress=advance, db=db):
            if isinstance(item, ReadFailure):
                yield item
                continue
            ready, origin = item
            counts["read"] += 1
            if isinstance(ready, Prepared):
                yield ready, ready.identity, origin
            else:  # (record, identity) of a record the database holds already
                yield ready[0], ready[1], origin

    _store_run("load", paths, db, threshold, records)


def _store_run(command: str, paths: list[str], db: str, threshold: float, records) -> None:
    """Store what `records(store, counts, advance, counted)` yields, (record, identity, origin)
    (the record as it is, or `store.prepare`d) or ReadFailure, in order, `STORE_BATCH` records
    to a call; then print the summary. A database fault stops the run with one line (what was
    stored before it is kept)."""
    from warta.store import Prepared, Store, StoreError, database_trouble, safe_url

    counts: Counter[str] = Counter()
    failures = _Failures()
    named = _Named()
    try:
        store = Store(db, threshold=threshold)
    except StoreError as error:
        error_line(str(error))
        raise typer.Exit(2) from None
    pending: list[tuple[dict | Prepared, str, str]] = []

    def store_pending() -> None:
        items = [r if isinstance(r, Prepared) else (r, i) for r, i, _ in pending]
        for (record, _, origin), added in zip(pending, store.add_records(items)):
            record = record.record if isinstance(record, Prepared) else record
            if isinstance(added, StoreError):  # this article only; the ones before it are kept
                failure = ReadFailure(origin, str(added))
                if failures.add(failure):
                    store.add_failure(failure)
            elif not added.stored:
                counts["already stored"] += 1
            else:
                counts["stored"] += 1
                named.count(record)
                if added.duplicate_of is not None:
                    counts["near-duplicates" if added.similarity < 1 else "exact duplicates"] += 1
        pending.clear()

    try:
        with store, _progress(paths) as (advance, counted):
            for item in records(store, counts, advance, counted):
                if isinstance(item, ReadFailure):
                    if failures.add(item):
                        store.add_failure(item)
                    continue
                counted()
                pending.append(item)
                if len(pending) >= STORE_BATCH:
                    store_pending()
            store_pending()
            totals = store.count()
            reported = list(store.events(most_reported=10))
    except store.errors as error:  # the database itself failed: locked by another writer, disk full
        error_line(f"{safe_url(db)}: {database_trouble(error)}; the articles stored before it are kept")
        raise typer.Exit(2) from None
    table = Table(title=f"warta {command} → {safe_url(db)}", title_justify="left")
    table.add_column("")
    table.add_column("records" if command == "load" else "articles", justify="right")
    for label in ("read", "stored", "already stored", "exact duplicates", "near-duplicates"):
        table.add_row(label, str(counts[label]))
    table.add_row("failed", str(len(failures)))
    table.add_row("in the database", str(totals["articles"]))
    table.add_row("events in the database", str(totals["events"]))
    out.print(table)
    named.print()
    _print_events(reported)
    failures.print()
    if len(failures) > failures.keep:
        err.print(f"The first {failures.keep} failures are stored in the database's failures table, "
                  f"the other {len(failures) - failures.keep} only counted.")
    if counts["read"] == 0:
        raise typer.Exit(1)


@app.command()
def search(query: str = typer.Argument(..., help="Words to find (all of them), or FTS5 syntax with --raw."),
           db: str = DbOption, limit: int = typer.Option(10, min=1, max=1000, help="How many hits."),
           raw: bool = typer.Option(False, help='Pass FTS5 query syntax through: "exact phrase", OR, NOT, '
                                                'prefix* (at most 4, of 3 letters or more).'),
           duplicates: bool = typer.Option(False, "--duplicates", help="Include articles that repeat another.")) -> None:
    """Full-text search over stored titles and bodies, best match first."""
    from warta.store import StoreError

    try:
        with _existing_store(db) as store:
            hits = store.search(query, limit=limit, raw=raw, duplicates=duplicates, mark=("\x02", "\x03"))
    except StoreError as error:
        error_line(str(error))
        raise typer.Exit(2) from None
    if not hits:
        err.print(f"no article matches {query!r}")
        return
    table = Table(title=f"{len(hits)} best match(es) for {query!r}", title_justify="left", show_lines=True)
    for column in ("id", "published", "outlet", "title / snippet"):
        table.add_column(column, overflow="fold")
    for hit in hits:
        snippet = _escape(" ".join(hit.snippet.split())).replace("\x02", "[bold yellow]").replace("\x03", "[/bold yellow]")
        title = f"[bold]{_escape(hit.title)}[/bold]\n" if hit.title else ""
        table.add_row(hit.doc_id, hit.published or "", hit.outlet or "", title + snippet)
    out.print(table)


def _writable(db: str) -> bool:
    """Whether a SQLite database and its folder can be written (PostgreSQL: assumed so)."""
    from warta.postgres import is_postgres
    from warta.store import sqlite_path

    if is_postgres(db):
        return True
    path = Path(sqlite_path(db))
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _existing_store(db: str, read_only: bool = True):
    """Open a database that must already exist: opening a missing one would create it empty.
    Read-only unless asked, so that search and export work on a read-only filesystem."""
    from warta.postgres import is_postgres
    from warta.store import Store, StoreError, sqlite_path

    path = None if is_postgres(db) else sqlite_path(db)
    if path is not None and path != ":memory:" and not Path(path).exists():
        raise StoreError(f"{db}: no such database; run `warta ingest PATH --db {db}` first")
    return Store(db, read_only=read_only)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def error_line(message: str) -> None:
    """One red `error:` line on standard error, `message` as written (`'warta[postgres]'` is
    an install hint, not rich markup)."""
    err.print("[red]error:[/red] " + _escape(message), soft_wrap=True)  # one line, however narrow the terminal


EXPORT_FORMATS = {"jsonl": "article records", "csv": "one row per article", "plover": "one PLOVER JSON event per line",
                  "gdelt": "tab-separated, one row per dyad with CAMEO root, QuadClass and intensity"}


@app.command()
def export(db: str = DbOption,
           format: str = typer.Option("jsonl", "--format", help="; ".join(f"{name}: {what}" for name, what
                                                                   in EXPORT_FORMATS.items()) + "."),
           output: str = typer.Option("-", "-o", "--output", help="File to write (default: standard output)."),
           min_confidence: Optional[float] = typer.Option(
               None, "--min-confidence", min=0.0, max=1.0,
               help="Only events the models give at least this probability of being right as coded (0-1); "
                    "for jsonl, the events of each record. Events stored without a confidence are left "
                    "out."),
           since: Optional[str] = typer.Option(None, "--since", help="Events on or after this day (YYYY-MM-DD); "
                                                                     "articles published on or after it."),
           until: Optional[str] = typer.Option(None, "--until", help="Events, or articles, up to this day."),
           kind: Optional[str] = typer.Option(None, "--type", help="Events of this PLOVER type (ASSAULT, ...); "
                                                                   "articles that report one."),
           actor: Optional[str] = typer.Option(None, "--actor", help="Events this actor (RUS, Xi Jinping) "
                                                                     "carries out; articles that name it."),
           recipient: Optional[str] = typer.Option(None, "--recipient", help="Events aimed at this actor; "
                                                                             "articles that report one."),
           outlet: Optional[str] = typer.Option(None, "--outlet", help="Articles of this outlet; events one of "
                                                                       "its articles reports.")) -> None:
    """Write every stored article, or every stored event, out (or those the filters let through)."""
    from warta.export import gdelt_rows, plover_record
    from warta.resources import PLOVER_TYPES, canonical_outlet
    from warta.store import Filters, StoreError, csv_rows

    if format not in EXPORT_FORMATS:
        raise typer.BadParameter(f"{format!r}: choose one of {', '.join(EXPORT_FORMATS)}", param_hint="--format")
    if kind is not None and kind.upper() not in PLOVER_TYPES:
        raise typer.BadParameter(f"{kind!r}: not a PLOVER type; one of {', '.join(PLOVER_TYPES)}", param_hint="--type")
    days = {name: _day(value, f"--{name}") for name, value in (("since", since), ("until", until))}
    if days["since"] and days["until"] and days["since"] > days["until"]:
        raise typer.BadParameter(f"--since {since} is after --until {until}", param_hint="--since")
    only = Filters(since=days["since"], until=days["until"], kind=kind and kind.upper(), actor=actor,
                   recipient=recipient, outlet=outlet and canonical_outlet(outlet))
    try:
        store = _existing_store(db)
    except StoreError as error:
        error_line(str(error))
        raise typer.Exit(2) from None
    handle = sys.stdout if output == "-" else open(output, "w", encoding="utf-8", newline="")
    count, what = 0, "event(s)" if format in ("plover", "gdelt") else "article(s)"
    try:
        with store:
            if format == "jsonl":
                for record in store.records(only):
                    if min_confidence is not None:
                        record["events"] = [e for e in record["events"]
                                            if e.get("confidence") is not None and e["confidence"] >= min_confidence]
                    handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                    count += 1
            elif format == "csv":
                counted_rows = Counter()

                def counting_records(records):
                    for record in records:
                        counted_rows["articles"] += 1
                        yield record

                for chunk in csv_rows(counting_records(store.records(only))):
                    handle.write(chunk)
                count = counted_rows["articles"]
            elif format == "plover":
                for event in store.events(min_confidence=min_confidence, only=only):
                    handle.write(json.dumps(plover_record(event), ensure_ascii=False) + "\n")
                    count += 1
            else:
                counted = Counter()

                def counting(events):
                    for event in events:
                        counted["events"] += 1
                        yield event

                for line in gdelt_rows(counting(store.events(min_confidence=min_confidence, only=only))):
                    handle.write(line)
                count = counted["events"]
    finally:
        if handle is not sys.stdout:
            handle.close()
    err.print(f"{count} {what} exported")


@app.command()
def serve(db: str = DbOption,
          host: str = typer.Option("127.0.0.1", help="Address to listen on. The default answers this machine only; "
                                                    "0.0.0.0 opens the server to the network."),
          port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
          workers: int = typer.Option(1, min=1, max=64, help="Server processes sharing the port (uvicorn's "
                                                             "workers); each answers requests on its own core.")) -> None:
    """Serve the database read-only: a dashboard at /, a JSON API under /api/ (documented at /docs)."""
    from warta.store import StoreError

    try:
        from warta.serve import serve as run_server
    except ImportError as error:
        error_line(f"the server needs FastAPI, uvicorn, Jinja2 and plotly ({error.name} is missing): "
                   "pip install 'warta[serve]'")
        raise typer.Exit(2) from None
    try:
        # Opening it as a store first brings an older database to this schema; the server itself
        # opens it read-only.
        _existing_store(db, read_only=not _writable(db)).close()
    except StoreError as error:
        error_line(str(error))
        raise typer.Exit(2) from None
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"[yellow]warning:[/yellow] listening on {host}: anyone who can reach this machine can read the database")
    run_server(db, host=host, port=port, workers=workers)


@app.command("spark")
def spark_command(
        input: str = typer.Argument(..., help="A file or folder: JSON Lines (split by Spark), .jsonl.gz, WARC, "
                                              "text, HTML."),
        output: str = typer.Argument(..., help="Folder to write: the records, and their failures in OUTPUT/_failures."),
        format: str = typer.Option("jsonl", "--format", help="jsonl: Spark's part files, one record per line; "
                                                           "parquet: one row per record."),
        as_of: Optional[str] = AsOfOption,
        master: str = typer.Option("local[*]", help="Spark master: local[*] runs on this machine's cores; "
                                                    "spark://HOST:7077 or yarn on a cluster."),
        partitions: Optional[int] = typer.Option(None, min=1, help="Partitions to split inputs into "
                                                                  "(default: Spark's parallelism)."),
        max_bytes: int = MaxBytesOption, time_limit: float = TimeLimitOption) -> None:
    """Run the pipeline on Spark and write the article records, in input order."""
    from warta.spark import FORMATS

    if format not in FORMATS:
        raise typer.BadParameter(f"{format!r}: choose one of {', '.join(FORMATS)}", param_hint="--format")
    if "://" not in output and Path(output).exists():
        err.print(f"[red]error:[/red] {output} exists; Spark writes a new folder (remove it or name another)")
        raise typer.Exit(2)
    import importlib.util

    # PySpark is imported only once Spark starts, so its absence is looked for here, before.
    if importlib.util.find_spec("pyspark") is None:
        error_line("warta spark needs PySpark (pyspark is missing): pip install 'warta[spark]'")
        raise typer.Exit(2)
    from warta.spark import run_spark
    done = run_spark([input], output, format, _options(as_of, time_limit), master=master, partitions=partitions,
                     max_bytes=max_bytes)
    err.print(f"{done.records} article record(s) written to {output} ({format})"
              + (f"; {done.failures} input(s) could not be read, listed in {output}/_failures"
                 if done.failures else ""))
    if done.records == 0:
        raise typer.Exit(1)


def _version(value: bool) -> None:
    if value:
        out.print(f"warta {__version__}")
        raise typer.Exit()


@app.callback()
def main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                      help="Print the version and exit.")) -> None:
    """Warta reads Indonesian news and turns it into article records and, as stages land, event data."""

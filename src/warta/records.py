"""Warta records read back from files, for `warta load`: checked, then stored as `ingest` would.

A corpus too big for one machine is extracted by `warta spark`; its records are stored from
the part files without a second extraction. What is read:

- JSON Lines of records (`warta extract` output, `.jsonl` or `.jsonl.gz`), and folders of them:
  `warta spark`'s output folder, whose part files (`part-00000`, ...) are read in name order,
  which is input order; files whose names begin with `_` or `.` (`_SUCCESS`, checksums) are not
  records and are passed over, but the inputs listed in `_failures` are stored as failures, as
  `ingest` stores the inputs it cannot read.
- Parquet as `warta spark --format parquet` writes it (needs pyarrow: `warta[spark]`).

Each record is checked against the record format (../shared/docs/output-format.md) before it is
stored: a line that is not JSON, a record missing a key the store needs or holding the wrong
type, or a record of a newer format version than this Warta reads is a failure named by
`file:LINE`, and the rest go on. A checked record keeps the key order `Article.to_record`
writes, so the stored record, and every export, is byte for byte what `ingest` stores.
"""
from __future__ import annotations

import gzip
import json
import multiprocessing
import queue
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from warta.article import RECORD_VERSION, sha256_of
from warta.read import ReadError, ReadFailure, repaired_json, shown
from warta.resources import PLOVER_TYPES

# The keys of a record in the order `Article.to_record` writes them.
RECORD_KEYS = ("id", "source", "url", "language", "title", "published", "dateline", "dateline_place", "outlet",
               "cited_sources",
               "body", "entities", "quotes", "events", "pipeline_version", "record_version", "input_sha256")
_TEXT = ("id", "source", "body")
_TEXT_OR_NULL = ("url", "language", "title", "published", "dateline", "outlet", "pipeline_version")
_LISTS = ("entities", "quotes", "events")
_HEX = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True, slots=True)
class LoadedRecord:
    record: dict
    identity: str  # the store's content_hash
    origin: str  # file:LINE, for messages


def check_record(obj: object) -> tuple[dict, str]:
    """(the record in `to_record`'s key order, its identity), or ReadError saying what is wrong."""
    if not isinstance(obj, dict):
        raise ReadError(f"a JSON {type(obj).__name__}, not a record")
    version = obj.get("record_version", RECORD_VERSION)
    if not isinstance(version, int) or isinstance(version, bool):
        raise ReadError(f"'record_version' is {type(version).__name__}, not a number")
    if version > RECORD_VERSION:
        raise ReadError(f"record format version {version} is newer than this Warta reads ({RECORD_VERSION}); "
                        "upgrade Warta")
    for key in _TEXT:
        if key not in obj:
            raise ReadError(f"no '{key}': not a Warta record")
        if not isinstance(obj[key], str):
            raise ReadError(f"'{key}' is {type(obj[key]).__name__}, not a string")
    if not obj["id"]:
        raise ReadError("'id' is empty")
    for key in _TEXT_OR_NULL:
        if obj.get(key) is not None and not isinstance(obj[key], str):
            raise ReadError(f"'{key}' is {type(obj[key]).__name__}, not a string or null")
    if obj.get("dateline_place") is not None and not isinstance(obj["dateline_place"], dict):
        raise ReadError(f"'dateline_place' is {type(obj['dateline_place']).__name__}, not an object or null")
    cited = obj.get("cited_sources", [])
    if not isinstance(cited, list) or not all(isinstance(name, str) for name in cited):
        raise ReadError("'cited_sources' is not a list of strings")
    for key in _LISTS:
        items = obj.get(key, [])
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            raise ReadError(f"'{key}' is not a list of objects")
    for number, event in enumerate(obj.get("events", []), 1):
        if event.get("type") not in PLOVER_TYPES:
            raise ReadError(f"event {number}: type {event.get('type')!r} is not a PLOVER type")
        for side in ("actors", "recipients"):
            if not isinstance(event.get(side, []), list) or not all(isinstance(p, dict) for p in event.get(side, [])):
                raise ReadError(f"event {number}: '{side}' is not a list of objects")
    record = {key: obj.get(key, [] if key in _LISTS or key == "cited_sources" else None) for key in RECORD_KEYS}
    record.update((key, value) for key, value in obj.items() if key not in record)
    identity = obj.get("input_sha256")
    if not (isinstance(identity, str) and _HEX.fullmatch(identity)):
        # A record from before the key was written: its id and body stand for the input.
        identity = sha256_of(record["id"], record["body"])
        record["input_sha256"] = identity
    if "record_version" not in obj:
        record["record_version"] = RECORD_VERSION
    return record, identity


def record_files(paths: list[str]) -> Iterator[Path | ReadFailure]:
    """The record files `paths` name, a folder's in name order; and the inputs a `warta spark`
    run could not read (its `_failures`), as the failures they were, so that the load stores
    them where `ingest` would have."""
    for name in paths:
        path = Path(name)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p.relative_to(path)))
            if not files:
                yield ReadFailure(shown(name), "a folder with no record files")
            yield from files
            yield from _spark_failures(path / "_failures")
        elif path.is_file():
            yield path
        else:
            yield ReadFailure(shown(name), "no such file or folder")


def _spark_failures(folder: Path) -> Iterator[ReadFailure]:
    for part in sorted(folder.glob("part-*")) if folder.is_dir() else []:
        with part.open(encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle, 1):
                try:
                    failure = json.loads(line)
                    yield ReadFailure(str(failure["input"]), str(failure["reason"]))
                except (ValueError, KeyError, TypeError):
                    yield ReadFailure(f"{shown(part)}:{number}", "not a failure of warta spark ({input, reason})")


def _hidden(relative: Path) -> bool:
    return any(part.startswith(("_", ".")) for part in relative.parts)


def read_records(paths: list[str], progress: Callable[[int], None] | None = None
                 ) -> Iterator[LoadedRecord | ReadFailure]:
    """Every record in `paths`, checked; a failure in place of each one that is not a record.
    `progress` is told the bytes read."""
    progress = progress or (lambda nbytes: None)
    for item in record_files(paths):
        if isinstance(item, ReadFailure):
            yield item
        elif item.name.lower().endswith(".parquet"):
            yield from _parquet(item)
            progress(item.stat().st_size)
        else:
            yield from _jsonl(item, progress)


def _jsonl(path: Path, progress: Callable[[int], None]) -> Iterator[LoadedRecord | ReadFailure]:
    name = shown(str(path))
    try:
        raw = path.open("rb")
        handle = gzip.open(raw) if raw.read(2) == b"\x1f\x8b" else raw
        raw.seek(0)
        with handle:
            for number, line in enumerate(handle, 1):
                progress(len(line))
                if line.strip():
                    yield _checked(line, f"{name}:{number}")
    except (OSError, EOFError, zlib.error) as error:
        yield ReadFailure(name, f"cannot be read to the end: {type(error).__name__}: {error}")


# A JSON escape of a lone surrogate (`\udcff`) is what `repaired_json` mends; a line with none
# (nearly all) is not walked through.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _checked(line: bytes, origin: str) -> LoadedRecord | ReadFailure:
    try:
        parsed = json.loads(line)
        record, identity = check_record(repaired_json(parsed) if _SURROGATE_ESCAPE.search(line) else parsed)
    except ReadError as error:
        return ReadFailure(origin, str(error))
    except UnicodeDecodeError:
        return ReadFailure(origin, "line is not valid UTF-8")
    except ValueError as error:
        return ReadFailure(origin, f"not JSON: {error}")
    except RecursionError:
        return ReadFailure(origin, "JSON nested too deep")
    return LoadedRecord(record, identity, origin)


def _parquet(path: Path) -> Iterator[LoadedRecord | ReadFailure]:
    name = shown(str(path))
    try:
        import pyarrow.parquet as pq
    except ImportError:
        yield ReadFailure(name, "reading Parquet needs pyarrow: pip install 'warta[spark]'")
        return
    from warta.spark import PARQUET_JSON

    try:
        table = pq.ParquetFile(path)
        number = 0
        for batch in table.iter_batches():
            for row in batch.to_pylist():
                number += 1
                origin = f"{name}:{number}"
                try:
                    for key in PARQUET_JSON:
                        if isinstance(row.get(key), str):
                            row[key] = json.loads(row[key])
                    record, identity = check_record(repaired_json(row))
                except ReadError as error:
                    yield ReadFailure(origin, str(error))
                    continue
                except ValueError as error:
                    yield ReadFailure(origin, f"not JSON: {error}")
                    continue
                yield LoadedRecord(record, identity, origin)
    except Exception as error:  # noqa: BLE001 - any fault of one file's Parquet is that file's failure
        yield ReadFailure(name, f"not readable as Parquet: {type(error).__name__}: {error}")


# Records a message of the preparing process carries, and messages it may hold unread.
_CHUNK, _WAITING = 200, 8


def read_prepared(paths: list[str], progress: Callable[[int], None] | None = None, db: str | None = None
                  ) -> Iterator[tuple | ReadFailure]:
    """`read_records` as (item, origin), or the failure in its place, in order; the item is the
    record `store.prepare`d, or (record, identity) where the database `db` holds it already
    (preparing it would be wasted: a load run again is mostly such records). The reading,
    checking and preparing is done by a process of its own while the caller stores the records
    before (it is half of what storing a record costs in Python, and a thread would hold the
    lock the caller's Python needs). The process ends when this generator does, or when its
    parent dies."""
    progress = progress or (lambda nbytes: None)
    context = multiprocessing.get_context("spawn")
    messages = context.Queue(_WAITING)
    child = context.Process(target=_prepare_into, args=(list(paths), messages, db), name="warta-load-reader",
                            daemon=True)
    child.start()
    try:
        while True:
            try:
                kind, payload, nbytes = messages.get(timeout=1.0)
            except queue.Empty:
                if child.exitcode is not None:
                    raise RuntimeError(f"the process reading the records ended (exit code {child.exitcode})") from None
                continue
            progress(nbytes)
            if kind == "end":
                return
            if kind == "error":
                raise RuntimeError(f"reading the records failed: {payload}")
            yield from payload
    finally:
        if child.is_alive():
            child.terminate()
        child.join()


def _prepare_into(paths: list[str], messages, db: str | None) -> None:
    """The preparing process: records of `paths` into `messages`, _CHUNK to a message."""
    from warta.pipeline import exit_with_parent
    from warta.store import Store, prepare

    exit_with_parent()
    read = [0]

    def count(nbytes: int) -> None:
        read[0] += nbytes

    try:
        store = Store(db, read_only=True) if db else None
    except Exception:  # noqa: BLE001 - without a look at the database, every record is prepared
        store = None

    def send(items: list) -> None:
        identities = {item.identity for item in items if isinstance(item, LoadedRecord)}
        # Stored by an earlier run. (One the first process stores after this look is prepared
        # all the same, and the store then finds it stored.)
        stored = {row[0] for row in store.select_in("SELECT content_hash FROM articles WHERE content_hash IN ({})",
                                                    identities)} if store and identities else set()
        messages.put(("items", [item if isinstance(item, ReadFailure) else
                                ((item.record, item.identity) if item.identity in stored else
                                 prepare(item.record, item.identity, signature=True), item.origin)
                                for item in items], read[0]))
        read[0] = 0

    items: list = []
    try:
        for item in read_records(paths, count):
            items.append(item)
            if len(items) >= _CHUNK:
                send(items)
                items = []
        send(items)
        messages.put(("end", None, 0))
    except BaseException as error:  # said to the parent, which raises it
        messages.put(("error", f"{type(error).__name__}: {error}", 0))
    finally:
        if store is not None:
            store.close()

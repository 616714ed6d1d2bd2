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
from warta.read import read, read_stdin

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
    return expected


@pytest.mark.slow
def test_every_hostile_input_is_a_record_or_a_named_failure_and_the_run_finishes(tmp_path, monkeypatch):
    corpus = tmp_path / "kiriman"
    corpus.mkdir()
    expected = hostile_corpus(corpus)
    if os.geteuid() == 0:  # chmod 0 stops other users only; as root the refusal is simulated
        refuse_reading(monkeypatch, corpus / "terkunci.txt")
    db = tmp_path / "w.db"
    result = CliRunner().invoke(app, ["ingest", str(corpus), "--db", str(db), "--workers", "2"])
    assert result.exit_code == 0, result.output
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

"""Worker processes: the same records as one process, in input order, and no article lost when a
worker dies."""
import json
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from conftest import EXAMPLES
from synthetic import write_jsonl

from warta.pipeline import Options, process_records, run_records
from warta.read import ReadFailure, read

AS_OF = "2025-01-01"


def warta(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "warta", *args], capture_output=True, text=True, check=True)


@pytest.mark.slow
def test_two_workers_store_and_extract_what_one_worker_does(tmp_path):
    corpus = write_jsonl(tmp_path / "sintetis.jsonl", 150)
    exports = {}
    for workers in ("1", "2"):
        db = str(tmp_path / f"w{workers}.db")
        warta("ingest", str(EXAMPLES), str(corpus), "--db", db, "--workers", workers, "--as-of", AS_OF)
        out = tmp_path / f"x{workers}.jsonl"
        warta("extract", str(EXAMPLES), str(corpus), "-o", str(out), "--workers", workers, "--as-of", AS_OF)
        with sqlite3.connect(db) as connection:
            tables = {table: connection.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
                      for table in ("events", "event_reports", "mentions", "event_parties", "cited_sources")}
            tables["articles"] = connection.execute("SELECT id, doc_id, content_hash, record, duplicate_of,"
                                                    " similarity FROM articles ORDER BY id").fetchall()
            tables["failures"] = connection.execute("SELECT input, reason FROM failures ORDER BY input").fetchall()
        exports[workers] = (tables, out.read_text(encoding="utf-8"))
    one, two = exports["1"], exports["2"]
    assert len(one[0]["articles"]) == 150 + 6 and one[0]["events"]  # enough work for three batches and more
    assert one[0] == two[0]
    assert one[1] == two[1]
    ids = [json.loads(line)["id"] for line in one[1].splitlines()]
    assert ids[-150:] == [f"sintetis-{n:06d}" for n in range(150)]  # input order


@pytest.mark.slow
def test_a_worker_killed_mid_run_costs_no_other_article(tmp_path):
    corpus = write_jsonl(tmp_path / "sintetis.jsonl", 240)
    options = Options()
    outcomes, killed = [], None
    for item in run_records(read([str(corpus)]), options, workers=2, batch_size=16):
        outcomes.append(item)
        if killed is None:  # the first result is back: the workers are busy with later batches
            killed = multiprocessing.active_children()[0].pid
            os.kill(killed, signal.SIGKILL)
    assert killed is not None
    assert not [item for item in outcomes if isinstance(item, ReadFailure)]
    assert [source.id for source, _ in outcomes] == [f"sintetis-{n:06d}" for n in range(240)]
    sources = [source for source, _ in outcomes[-16:]]
    assert [record for _, record in outcomes[-16:]] == process_records(sources, options)


@pytest.mark.slow
def test_html_pages_are_extracted_in_the_workers_not_in_the_reading_process(tmp_path, monkeypatch):
    import warta.webpage as webpage

    page = (EXAMPLES / "kunjungan-kenegaraan.html").read_text(encoding="utf-8")
    for n in range(8):  # four batches of two: enough for the workers to start
        (tmp_path / f"halaman-{n}.html").write_text(page.replace("Kabar Contoh", f"Kabar Contoh {n}"))
    (tmp_path / "kosong.html").write_text("<html><body><nav>Beranda</nav></body></html>")
    alone = list(run_records(read([str(tmp_path)]), Options(), workers=1, batch_size=2))

    def not_here(source):
        raise AssertionError("extracted in the reading process")

    monkeypatch.setattr(webpage, "page_text", not_here)  # spawned workers import their own
    shared = list(run_records(read([str(tmp_path)]), Options(), workers=2, batch_size=2))
    failures = [item for item in shared if isinstance(item, ReadFailure)]
    assert [(f.input, f.reason.split(" (")[0]) for f in failures] == [(str(tmp_path / "kosong.html"),
                                                                         "HTML with no main text")]
    records = [record for _, record in (item for item in shared if not isinstance(item, ReadFailure))]
    assert [r["id"] for r in records] == [f"halaman-{n}" for n in range(8)]
    assert all("Kabar Contoh" in r["body"] and r["title"] for r in records)
    assert shared == alone  # the same records and failures as in one process


@pytest.mark.slow
def test_a_worker_stuck_where_the_time_limit_cannot_reach_is_killed_and_costs_one_article(monkeypatch):
    import stuck_stage

    from warta import pipeline
    from warta.article import Source

    monkeypatch.setattr(pipeline, "warm_up", stuck_stage.warm_up_with_a_stuck_stage)  # the workers' initializer
    monkeypatch.setattr(pipeline, "STAGES", pipeline.STAGES)  # restored after, should this process warm up too
    monkeypatch.setattr(pipeline, "WORKER_GRACE", 30.0)  # worker start-up, with room for a slow machine
    text = "Presiden Rusia Vladimir Putin bertemu Presiden China Xi Jinping di Beijing pada Senin."
    sources = [Source(id=f"a{n}", origin=f"a{n}", text=text + (f" {stuck_stage.MARK}." if n == 3 else ""))
               for n in range(8)]
    started = time.monotonic()
    out = list(run_records(sources, Options(time_limit=1.0), workers=2, batch_size=2))
    assert time.monotonic() - started < 240  # about 80 s here; without the watchdog it never ends
    [failure] = [item for item in out if isinstance(item, ReadFailure)]
    assert failure.input == "a3" and "did not stop at the time limit" in failure.reason
    assert [item[0].id if isinstance(item, tuple) else item.input for item in out] == [f"a{n}" for n in range(8)]
    assert all(record["events"] for _, record in (item for item in out if isinstance(item, tuple)))

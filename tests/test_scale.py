"""Worker processes: the same records as one process, in input order, and no article lost when a
worker dies."""
import json
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys

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

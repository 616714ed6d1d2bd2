"""The whole IndoSum corpus through `warta ingest`, twice: all stored once, nothing twice."""
import re
import sqlite3
import subprocess
import sys

import pytest
from conftest import shared_path


@pytest.mark.slow
def test_indosum_is_stored_whole_and_only_once(tmp_path):
    corpus = shared_path("corpus", "indosum", "articles.jsonl")
    db = tmp_path / "indosum.db"
    command = [sys.executable, "-m", "warta", "ingest", str(corpus), "--db", str(db)]
    subprocess.run(command, check=True, capture_output=True)
    count = sqlite3.connect(db).execute("SELECT count(*) FROM articles").fetchone()[0]
    assert count == sum(1 for line in corpus.open() if line.strip())
    again = subprocess.run(command, check=True, capture_output=True, text=True)
    assert re.search(r"│ stored +│ +0 │", again.stdout)
    check = sqlite3.connect(db)
    assert check.execute("SELECT count(*) FROM articles").fetchone()[0] == count
    # each event report is stored once: the second run added none
    reports = check.execute("SELECT count(*), count(DISTINCT event_id || ' ' || article_id) FROM event_reports").fetchone()
    assert reports[0] == reports[1] > 0
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

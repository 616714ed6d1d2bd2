import json
import re
import sqlite3

from conftest import EXAMPLES
from typer.testing import CliRunner

from warta.cli import app

runner = CliRunner()
RECORD_KEYS = {"id", "source", "language", "title", "published", "dateline", "outlet", "cited_sources",
               "body", "entities", "quotes", "events"}


def test_extract_writes_one_record_per_article(tmp_path):
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["extract", str(EXAMPLES), "-o", str(out), "--as-of", "2025-01-01"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(records) == 6
    assert all(RECORD_KEYS <= set(r) for r in records)
    by_id = {r["id"]: r for r in records}
    page = by_id["maritim-vietnam"]
    assert page["published"] == "2024-03-12T14:20:00+07:00" and page["cited_sources"] == ["Xinhua"]
    assert "BACA JUGA" not in page["body"] and "Iklan" not in page["body"]
    assert "could not be read" in result.output and "articles.jsonl:3" in result.output


def test_extract_to_stdout_and_from_stdin():
    result = runner.invoke(app, ["extract", "-"], input='{"id": "x", "text": "JAKARTA - Kalimat berita pertama."}\n')
    assert result.exit_code == 0
    assert json.loads(result.stdout.splitlines()[0])["dateline"] == "Jakarta"


def test_exit_code_is_nonzero_only_when_nothing_was_read(tmp_path):
    empty = tmp_path / "kosong.txt"
    empty.write_text("")
    result = runner.invoke(app, ["extract", str(empty), "-o", str(tmp_path / "o.jsonl")])
    assert result.exit_code == 1 and "empty file" in result.output
    result = runner.invoke(app, ["extract", str(empty), str(EXAMPLES / "maritim-vietnam.txt"),
                                 "-o", str(tmp_path / "o.jsonl")])
    assert result.exit_code == 0


def test_bad_as_of_is_a_usage_error():
    result = runner.invoke(app, ["extract", str(EXAMPLES), "--as-of", "kemarin"])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output


def row(label: str, count: int, output: str) -> bool:
    """Whether the summary table has `label` with `count`, whatever the column widths."""
    return re.search(rf"│ {re.escape(label)} +│ +{count} │", output) is not None


def test_ingest_twice_search_and_export(tmp_path):
    db = str(tmp_path / "w.db")
    first = runner.invoke(app, ["ingest", str(EXAMPLES), "--db", db])
    assert first.exit_code == 0, first.output
    assert row("stored", 6, first.output)
    assert row("near-duplicates", 1, first.output)
    second = runner.invoke(app, ["ingest", str(EXAMPLES), "--db", db])
    assert row("stored", 0, second.output)
    assert row("already stored", 6, second.output)
    found = runner.invoke(app, ["search", "patroli bersama", "--db", db])
    assert found.exit_code == 0 and "maritim-vietnam" in found.output
    exported = runner.invoke(app, ["export", "--db", db, "--format", "jsonl"])
    assert len([line for line in exported.stdout.splitlines() if line.startswith("{")]) == 6
    csv_out = tmp_path / "w.csv"
    assert runner.invoke(app, ["export", "--db", db, "--format", "csv", "-o", str(csv_out)]).exit_code == 0
    assert csv_out.read_text().startswith("id,source")


def test_search_and_export_name_a_missing_database(tmp_path):
    result = runner.invoke(app, ["search", "x", "--db", str(tmp_path / "tidak.db")])
    assert result.exit_code == 2 and "no such database" in " ".join(result.output.split())
    result = runner.invoke(app, ["export", "--db", str(tmp_path / "tidak.db"), "--format", "xml"])
    assert result.exit_code == 2


def test_a_stage_that_fails_on_one_article_costs_that_article_only(tmp_path, monkeypatch):
    from warta import pipeline

    def fragile_meta(article, options):
        if "Tokyo" in article.source.text:
            raise ValueError("pola tak terduga")
        return original_meta(article, options)

    original_meta = pipeline.meta
    monkeypatch.setattr(pipeline, "STAGES", tuple(fragile_meta if s is original_meta else s for s in pipeline.STAGES))
    db = str(tmp_path / "w.db")
    result = runner.invoke(app, ["ingest", str(EXAMPLES), "--db", db])
    assert result.exit_code == 0
    assert row("stored", 5, result.output)
    failures = sqlite3.connect(db).execute("SELECT input, reason FROM failures ORDER BY input").fetchall()
    assert (str(EXAMPLES / "articles.jsonl:4"), "the fragile_meta stage failed: ValueError: pola tak terduga") \
        in failures


def test_a_run_with_no_input_that_exists_stops_at_once_and_makes_no_database(tmp_path):
    from typer.testing import CliRunner

    from warta.cli import app

    db = tmp_path / "x.db"
    result = CliRunner().invoke(app, ["ingest", str(tmp_path / "nope.jsonl"), "--db", str(db)])
    assert result.exit_code == 1 and "nope.jsonl: no such file or folder" in " ".join(result.output.split())
    assert not db.exists()
    extracted = CliRunner().invoke(app, ["extract", str(tmp_path / "nope.jsonl")])
    assert extracted.exit_code == 1 and "no such file or folder" in extracted.output


def test_spark_without_pyspark_is_one_line_naming_the_extra(tmp_path, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "pyspark" else real(name, *a))
    done = runner.invoke(app, ["spark", str(EXAMPLES), str(tmp_path / "keluaran")])
    assert done.exit_code == 2
    assert "pip install 'warta[spark]'" in done.output and "Traceback" not in done.output
    assert len(done.output.strip().splitlines()) == 1

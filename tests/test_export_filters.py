"""`warta export` filters (issue 17): each lets through only what it names, on SQLite and PostgreSQL."""
import csv
import io
import json

import pytest
from conftest import EXAMPLES
from synthetic import write_jsonl
from typer.testing import CliRunner

from warta.cli import app
from warta.resources import UNDIRECTED
from warta.store import Store

runner = CliRunner()


@pytest.fixture
def filled(store_url, tmp_path):
    corpus = write_jsonl(tmp_path / "sintetis.jsonl", 60)
    done = runner.invoke(app, ["ingest", str(EXAMPLES), str(corpus), "--db", store_url, "--as-of", "2025-01-01"])
    assert done.exit_code == 0, done.output
    return store_url


def export(db: str, fmt: str, *filters: str) -> str:
    done = runner.invoke(app, ["export", "--db", db, "--format", fmt, *filters])
    assert done.exit_code == 0, done.output
    return done.stdout


def plover(db: str, *filters: str) -> list[dict]:
    return [json.loads(line) for line in export(db, "plover", *filters).splitlines() if line.startswith("{")]


def records(db: str, *filters: str) -> list[dict]:
    return [json.loads(line) for line in export(db, "jsonl", *filters).splitlines() if line.startswith("{")]


def codes(parties: list[dict]) -> set:
    return {p["country"] or p["name"] for p in parties}


def test_event_filters(filled):
    every = plover(filled)
    assert len(every) > 10
    kind = max({e["event"] for e in every}, key=lambda k: sum(e["event"] == k for e in every))
    actor = next(iter(codes(every[0]["actor"])))
    recipient = next(iter(codes(next(e for e in every if e["recipient"])["recipient"])))
    middle = sorted(e["date"] for e in every if e["date"] and e["date"][0].isdigit())[len(every) // 2]
    with Store(filled, read_only=True) as store:
        outlets = {doc: outlet for doc, outlet in store.db.execute("SELECT doc_id, outlet FROM articles")}
    outlet = next(o for o in outlets.values() if o)
    checks = {
        ("--type", kind.lower()): lambda e: e["event"] == kind,
        # every party of a meeting or an agreement acts
        ("--actor", actor): lambda e: actor in codes(e["actor"]) or (
            e["event"] in UNDIRECTED and actor in codes(e["recipient"])),
        ("--recipient", recipient): lambda e: recipient in codes(e["recipient"]),
        ("--since", middle): lambda e: e["date"] >= middle,
        ("--until", middle): lambda e: e["date"] <= middle and e["date"][0].isdigit(),
        ("--outlet", outlet): lambda e: any(outlets[doc] == outlet for doc in e["article_ids"]),
    }
    for option, holds in checks.items():
        found = plover(filled, *option)
        assert found, option
        assert len(found) < len(every), option
        assert all(holds(e) for e in found), option
        # the GDELT-style rows are of the same events
        rows = [r for r in csv.DictReader(io.StringIO(export(filled, "gdelt", *option)), delimiter="\t")]
        assert {r["WartaEventID"] for r in rows} <= {e["id"].removeprefix("warta-") for e in found}, option
    both = plover(filled, "--type", kind, "--since", middle)
    assert all(e["event"] == kind and e["date"] >= middle for e in both)


def test_article_filters(filled):
    every = records(filled)
    outlet = next(r["outlet"] for r in every if r["outlet"])
    middle = sorted(r["published"][:10] for r in every if r["published"])[len(every) // 2]
    checks = {
        ("--outlet", outlet): lambda r: r["outlet"] == outlet,
        ("--since", middle): lambda r: (r["published"] or "")[:10] >= middle,
        ("--until", middle): lambda r: (r["published"] or "9")[:10] <= middle,
        ("--type", "CONSULT"): lambda r: any(e["type"] == "CONSULT" for e in r["events"]),
        ("--actor", "RUS"): lambda r: any(m["country"] == "RUS" for m in r["entities"]),
    }
    for option, holds in checks.items():
        found = records(filled, *option)
        assert found and len(found) < len(every), option
        assert all(holds(r) for r in found), option
    table = list(csv.DictReader(io.StringIO(export(filled, "csv", "--outlet", outlet))))
    assert table and {row["outlet"] for row in table} == {outlet}


@pytest.mark.parametrize("option, says", [
    (("--type", "HUG"), "not a PLOVER type"),
    (("--since", "kemarin"), "YYYY-MM-DD"),
    (("--since", "2024-02-01", "--until", "2024-01-01"), "is after"),
])
def test_bad_filters_are_named(tmp_path, option, says):
    db = tmp_path / "kosong.db"
    Store(str(db)).close()
    done = runner.invoke(app, ["export", "--db", str(db), "--format", "plover", *option])
    assert done.exit_code == 2 and says in done.output

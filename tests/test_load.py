"""`warta load` stores records exactly as `warta ingest` stores the articles they came from."""
import gzip
import json

import pytest
from conftest import EXAMPLES, empty_postgres_schema
from synthetic import write_jsonl
from typer.testing import CliRunner

from warta.cli import app
from warta.records import check_record
from warta.read import ReadError
from warta.store import Store

AS_OF = "2025-01-01"
TABLES = ("events", "event_reports", "mentions", "event_parties", "cited_sources", "quotes")
runner = CliRunner()


def run(*args: str, code: int = 0) -> str:
    done = runner.invoke(app, list(args))
    assert done.exit_code == code, done.output
    return done.output


def dump(url: str, failures: bool = True) -> dict:
    """Every table that `ingest` writes, less the time each article was stored (and less the
    failures, for records from `warta extract`, which prints its failures instead)."""
    with Store(url, read_only=True) as store:
        tables = {table: store.db.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall() for table in TABLES}
        tables["articles"] = store.db.execute(
            "SELECT id, doc_id, origin, url, content_hash, body_hash, title, published, dateline, outlet, language,"
            " body, record, duplicate_of, similarity FROM articles ORDER BY id").fetchall()
        tables["minhashes"] = store.db.execute("SELECT * FROM minhashes ORDER BY 1").fetchall()
        if failures:
            tables["failures"] = store.db.execute("SELECT input, reason FROM failures ORDER BY 1, 2").fetchall()
    return tables


def exports(url: str, tmp_path, name: str) -> dict:
    found = {}
    for fmt in ("jsonl", "plover", "gdelt"):
        out = tmp_path / f"{name}.{fmt}"
        run("export", "--db", url, "--format", fmt, "-o", str(out))
        found[fmt] = out.read_bytes()
    return found


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The examples and generated articles, with near-duplicates and cross-article events, and
    the records `warta extract` makes of them."""
    folder = tmp_path_factory.mktemp("load")
    write_jsonl(folder / "sintetis.jsonl", 40)
    records = folder / "records.jsonl"
    run("extract", str(EXAMPLES), str(folder / "sintetis.jsonl"), "-o", str(records), "--as-of", AS_OF)
    return folder, records


@pytest.fixture(params=["sqlite", "postgresql"])
def two_stores(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "ingested.db"), str(tmp_path / "loaded.db")
    return empty_postgres_schema("load_ingested"), empty_postgres_schema("load_loaded")


def test_load_stores_what_ingest_stores(corpus, two_stores, tmp_path):
    folder, records = corpus
    ingested, loaded = two_stores
    run("ingest", str(EXAMPLES), str(folder / "sintetis.jsonl"), "--db", ingested, "--as-of", AS_OF)
    said = run("load", str(records), "--db", loaded)
    assert "stored" in said and "46" in said
    assert dump(loaded, failures=False) == dump(ingested, failures=False)
    assert exports(loaded, tmp_path, "loaded") == exports(ingested, tmp_path, "ingested")
    # Loading again adds nothing; nor does loading what ingest stored, from its own records.
    before = dump(loaded, failures=False)
    again = run("load", str(records), "--db", loaded)
    assert dump(loaded, failures=False) == before and "already stored" in again
    run("load", str(records), "--db", ingested)
    assert dump(ingested, failures=False) == before


def test_a_stopped_load_resumes_where_it_stopped(corpus, tmp_path):
    _, records = corpus
    lines = records.read_text(encoding="utf-8").splitlines(keepends=True)
    first = tmp_path / "first.jsonl"
    first.write_text("".join(lines[:17]), encoding="utf-8")
    resumed, whole = str(tmp_path / "resumed.db"), str(tmp_path / "whole.db")
    run("load", str(first), "--db", resumed)
    run("load", str(records), "--db", resumed)
    run("load", str(records), "--db", whole)
    assert dump(resumed)["articles"] == dump(whole)["articles"]
    assert {t: v for t, v in dump(resumed).items() if t != "articles"} == {
        t: v for t, v in dump(whole).items() if t != "articles"}


def test_records_that_are_not_records_are_named_and_the_rest_stored(corpus, tmp_path):
    _, records = corpus
    good = records.read_text(encoding="utf-8").splitlines()
    no_body = json.loads(good[1])
    del no_body["body"]
    newer = json.loads(good[2]) | {"record_version": 99}
    mixed = tmp_path / "campur.jsonl.gz"
    with gzip.open(mixed, "wt", encoding="utf-8") as handle:
        handle.write("\n".join([good[0], '{"id": "patah", "body": ', json.dumps(no_body), json.dumps(newer),
                                "[1, 2]", *good[3:6]]) + "\n")
    db = str(tmp_path / "campur.db")
    said = run("load", str(mixed), "--db", db)
    with Store(db, read_only=True) as store:
        assert store.count()["articles"] == 4
        failures = dict(store.db.execute("SELECT input, reason FROM failures").fetchall())
    name = str(mixed)
    assert failures[f"{name}:2"].startswith("not JSON")
    assert failures[f"{name}:3"] == "no 'body': not a Warta record"
    assert "record format version 99 is newer" in failures[f"{name}:4"]
    assert failures[f"{name}:5"] == "a JSON list, not a record"
    assert "4 input(s)" in said or "Could not read 4" in said


def test_nothing_to_load_is_an_error_and_leaves_no_database(tmp_path):
    db = tmp_path / "kosong.db"
    run("load", str(tmp_path / "tidak-ada.jsonl"), "--db", str(db), code=1)
    assert not db.exists()


@pytest.mark.parametrize("record, reason", [
    ({"id": "a", "source": "s"}, "no 'body'"),
    ({"id": "", "source": "s", "body": "b"}, "'id' is empty"),
    ({"id": "a", "source": "s", "body": 3}, "'body' is int"),
    ({"id": "a", "source": "s", "body": "b", "title": ["x"]}, "'title' is list"),
    ({"id": "a", "source": "s", "body": "b", "events": [{"type": "HUG"}]}, "not a PLOVER type"),
    ({"id": "a", "source": "s", "body": "b", "events": [{"type": "ACCUSE", "actors": "RUS"}]}, "'actors'"),
    ({"id": "a", "source": "s", "body": "b", "record_version": "1"}, "not a number"),
])
def test_record_checks(record, reason):
    with pytest.raises(ReadError, match=reason):
        check_record(record)


def test_a_record_of_before_input_sha256_gets_an_identity_from_its_id_and_body():
    record, identity = check_record({"body": "isi", "source": "s", "id": "a", "extra": 1})
    assert list(record)[:3] == ["id", "source", "url"] and record["extra"] == 1
    assert record["input_sha256"] == identity and len(identity) == 64
    assert check_record({"id": "a", "source": "s", "body": "isi"})[1] == identity
    assert check_record({"id": "b", "source": "s", "body": "isi"})[1] != identity


def test_a_carried_signature_is_taken_only_when_made_as_this_warta_makes_them():
    from warta.store import SIGNATURE_KEY, minhash_signature, prepare, signature_text

    body = "Presiden Rusia Vladimir Putin bertemu Presiden China Xi Jinping di Moskow pada Senin."
    made = minhash_signature(body)
    other = minhash_signature("Sesuatu yang lain sama sekali, tentang sepak bola.")

    def record(signature) -> dict:
        return {"body": body, "entities": [], "quotes": [], "cited_sources": [], SIGNATURE_KEY: signature}

    carried = prepare(record(signature_text(other)), "id")
    assert (carried.signature == other).all()  # taken as it is, without a look at the body
    assert SIGNATURE_KEY not in carried.record and SIGNATURE_KEY not in carried.text  # and not stored
    for wrong in ("datasketch-other-128-w3:" + signature_text(other).split(":", 1)[1], "rusak", 7,
                  signature_text(other)[:-8]):
        assert prepare(record(wrong), "id").signature is None  # the batch computes it, if the record is new
        assert (prepare(record(wrong), "id", signature=True).signature == made).all()


def test_records_prepared_by_their_own_process_come_in_order_with_their_failures(corpus, tmp_path):
    import multiprocessing

    from warta.records import read_prepared, read_records
    from warta.store import prepare

    _, records = corpus
    good = records.read_text(encoding="utf-8").splitlines()
    lines = [good[n % len(good)] if n % 97 else "{broken" for n in range(450)]  # more than one message
    mixed = tmp_path / "banyak.jsonl"
    mixed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    read = []
    got = list(read_prepared([str(mixed)], progress=read.append))
    expected = list(read_records([str(mixed)]))
    assert len(got) == len(expected) == 450 and sum(read) == mixed.stat().st_size
    for item, want in zip(got, expected):
        if hasattr(want, "reason"):
            assert item == want
        else:
            prepared, origin = item
            assert origin == want.origin and prepared.identity == want.identity
            assert prepared.text == prepare(want.record, want.identity).text
            assert prepared.signature is not None  # computed in that process, not by the store
    # Records the database holds already are not prepared, only passed on.
    db = str(tmp_path / "sebagian.db")
    first = tmp_path / "pertama.jsonl"
    first.write_text("\n".join(good[:5]) + "\n", encoding="utf-8")
    run("load", str(first), "--db", db)
    again = [ready for ready, _ in read_prepared([str(records)], db=db)]
    assert [type(ready).__name__ for ready in again] == ["tuple"] * 5 + ["Prepared"] * (len(good) - 5)
    assert [ready[1] for ready in again[:5]] == [check_record(json.loads(line))[1] for line in good[:5]]
    # Stopping early ends the process.
    items = read_prepared([str(mixed)])
    next(items)
    items.close()
    assert [child.name for child in multiprocessing.active_children()] == []

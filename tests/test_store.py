import json
import re
import sqlite3

import pytest

from warta.article import Source
from warta.pipeline import process
from warta.read import ReadFailure
from warta.store import SCHEMA_VERSION, Store, StoreError, csv_rows

BODY = ("Jakarta (Kabar Contoh) - Para menteri luar negeri ASEAN mendesak junta Myanmar untuk segera "
        "menghentikan kekerasan dan membuka akses bantuan kemanusiaan, dalam pertemuan di Jakarta pada Rabu.\n\n"
        "Pernyataan bersama para menteri menyerukan dialog yang melibatkan semua pihak di Myanmar, "
        "termasuk kelompok oposisi dan organisasi etnis bersenjata, seperti dikutip dari AFP.\n\n"
        "Para menteri juga sepakat mengirim utusan khusus ke Naypyidaw dalam waktu dekat untuk bertemu "
        "dengan pemimpin militer dan tokoh masyarakat sipil.")
OTHER = ("Tokyo, Kabar Contoh - Jepang dan Filipina menggelar latihan bersama penjaga pantai di Laut China "
         "Selatan pada Kamis, latihan pertama sejak kedua negara menandatangani perjanjian akses timbal balik.")


def art(id, text):
    return process(Source(id=id, origin=f"{id}.txt", text=text))


@pytest.fixture
def store(store_url):
    with Store(store_url) as opened:
        yield opened


def test_same_input_twice_is_stored_once(store):
    first, again = store.add(art("a", BODY)), store.add(art("a", BODY))
    assert first.stored and not again.stored and again.row == first.row
    assert store.count()["articles"] == 1


def test_exact_and_near_duplicates_are_stored_and_linked(store):
    original = store.add(art("a", BODY))
    exact = store.add(art("b", BODY))
    near = store.add(art("c", BODY.replace("pada Rabu.", "pada Rabu sore.")))
    unrelated = store.add(art("d", OTHER))
    assert (exact.duplicate_of, exact.similarity) == (original.row, 1.0)
    assert near.duplicate_of == original.row and 0.8 <= near.similarity < 1
    assert unrelated.duplicate_of is None
    assert {k: v for k, v in store.count().items() if k != "events"} == {"articles": 4, "duplicates": 2, "failures": 0}
    exported = {r["id"]: r["duplicate_of"] for r in store.records()}
    assert exported == {"a": None, "b": "a", "c": "a", "d": None}


def test_search_ranks_snippets_and_hides_duplicates(store):
    store.add(art("a", BODY))
    store.add(art("b", BODY))
    store.add(art("d", OTHER))
    hits = store.search("junta Myanmar")
    assert [h.doc_id for h in hits] == ["a"] and "[Myanmar]" in hits[0].snippet
    assert {h.doc_id for h in store.search("junta Myanmar", duplicates=True)} == {"a", "b"}
    assert [h.doc_id for h in store.search("latihan", raw=True)] == ["d"]
    assert store.search('Myanmar" OR "x') == []  # quotes in words are data, not syntax
    assert store.search("   ") == []
    with pytest.raises(StoreError):
        store.search('"tidak ditutup', raw=True)


def test_failures_are_recorded_once(store):
    for _ in range(2):
        store.add_failure(ReadFailure("x.txt", "empty file"))
    assert store.count()["failures"] == 1


def test_schema_is_versioned_and_reopening_keeps_data(tmp_path):
    path = str(tmp_path / "warta.db")
    with Store(path) as store:
        store.add(art("a", BODY))
    with Store(path) as store:
        assert store.schema_version == SCHEMA_VERSION and store.count()["articles"] == 1
    db = sqlite3.connect(path)
    db.execute("UPDATE schema_info SET value = ? WHERE key = 'version'", (str(SCHEMA_VERSION + 1),))
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="newer than this Warta"):
        Store(path)


def test_bad_database_files_and_urls_are_clear_errors(tmp_path):
    junk = tmp_path / "bukan.db"
    junk.write_bytes(b"ini bukan database SQLite" * 100)
    with pytest.raises(StoreError, match="bukan.db"):
        Store(str(junk))
    with pytest.raises(StoreError, match="unsupported database URL"):
        Store("mysql://localhost/warta")
    with pytest.raises(StoreError, match="does not exist"):
        Store(str(tmp_path / "tidak" / "ada.db"))


def test_csv_export_has_a_header_and_a_row_per_record(store):
    store.add(art("a", BODY))
    text = "".join(csv_rows(store.records()))
    lines = text.splitlines()
    assert lines[0].startswith("id,source,url,title")
    assert lines[1].startswith("a,a.txt") and "AFP" in text


def test_stored_record_is_the_article_record(store):
    added = store.add(art("a", BODY))
    record = json.loads(store.db.execute("SELECT record FROM articles WHERE id = ?", (added.row,)).fetchone()[0])
    assert record["id"] == "a" and record["cited_sources"] == ["AFP"] and record["dateline"] == "Jakarta"


REPORT_A = ("Beijing, KabarSatu.com - Presiden China Xi Jinping bertemu dengan Presiden Rusia Vladimir Putin di Beijing "
            "pada Kamis, 16 Mei 2024. Amerika Serikat mengecam Rusia pada 16 Mei 2024.")
REPORT_B = ("Beijing, KabarDua.com - Presiden Rusia Vladimir Putin dan Presiden China Xi Jinping bertemu di "
            "Beijing pada 16 Mei 2024, dalam kunjungan kenegaraan dua hari.")


def test_an_event_reported_by_two_articles_is_one_event_with_two_reports(store):
    store.add(process(Source(id="a", origin="a.txt", text=REPORT_A)))
    store.add(process(Source(id="b", origin="b.txt", text=REPORT_B)))
    events = list(store.events())
    consult = [e for e in events if e["type"] == "CONSULT"]
    assert len(consult) == 1
    assert consult[0]["articles"] == 2 and consult[0]["outlets"] == 2
    assert sorted(consult[0]["article_ids"]) == ["a", "b"]
    accuse = [e for e in events if e["type"] == "ACCUSE"]
    assert len(accuse) == 1 and accuse[0]["articles"] == 1
    assert store.count()["events"] == len(events)
    # the same article again adds no report
    store.add(process(Source(id="a", origin="a.txt", text=REPORT_A)))
    assert [e["articles"] for e in store.events() if e["type"] == "CONSULT"] == [2]


def test_plover_and_gdelt_exports(store):
    from warta.export import GDELT_COLUMNS, gdelt_rows, plover_record

    store.add(process(Source(id="a", origin="a.txt", text=REPORT_A, url="https://contoh.id/a")))
    events = list(store.events())
    records = [plover_record(e) for e in events]
    accuse = next(r for r in records if r["event"] == "ACCUSE")
    assert accuse["actor"][0]["country"] == "USA" and accuse["recipient"][0]["country"] == "RUS"
    assert accuse["date"] == "2024-05-16" and "mengecam" in accuse["event_text"]
    rows = [line.rstrip("\n").split("\t") for line in gdelt_rows(events)]
    assert tuple(rows[0]) == GDELT_COLUMNS
    by_type = {r["PloverType"]: r for r in (dict(zip(GDELT_COLUMNS, row)) for row in rows[1:])}
    assert 0 < accuse["confidence"] <= 1 and abs(float(by_type["ACCUSE"]["Confidence"]) - accuse["confidence"]) < 1e-3
    assert by_type["ACCUSE"]["EventRootCode"] == "11" and by_type["ACCUSE"]["QuadClass"] == "3"
    assert by_type["ACCUSE"]["Day"] == "20240516" and by_type["ACCUSE"]["SourceURL"] == "https://contoh.id/a"
    assert {by_type["CONSULT"]["Actor1Code"], by_type["CONSULT"]["Actor2Code"]} == {"CHN", "RUS"}
    assert float(by_type["CONSULT"]["GoldsteinScale"]) > 0 > float(by_type["ACCUSE"]["GoldsteinScale"])
    ids = [row[0] for row in rows[1:]]
    assert len(ids) == len(set(ids))  # one GlobalEventID per row, even for an event of several dyads
    assert all(int(r[0]) // 1000 == int(r[1]) for r in rows[1:])  # and the event's own id beside it
    accuse = by_type["ACCUSE"]
    assert accuse["NumArticles"] == accuse["NumMentions"] and int(accuse["NumSources"]) >= 1


def test_postgresql_store_gives_what_sqlite_gives_through_the_command_line(tmp_path, postgres_url):
    from typer.testing import CliRunner

    from conftest import EXAMPLES
    from warta.cli import app

    runner, sqlite_db = CliRunner(), str(tmp_path / "w.db")
    outputs = {}
    for db in (sqlite_db, postgres_url):
        first = runner.invoke(app, ["ingest", str(EXAMPLES), "--db", db, "--as-of", "2025-01-01"])
        again = runner.invoke(app, ["ingest", str(EXAMPLES), "--db", db, "--as-of", "2025-01-01"])
        assert first.exit_code == 0 and again.exit_code == 0, first.output
        assert re.search(r"│ already stored +│ +6 │", again.output), again.output
        exports = [runner.invoke(app, ["export", "--db", db, "--format", form]).stdout
                   for form in ("jsonl", "plover", "gdelt")]
        found = runner.invoke(app, ["search", "patroli bersama", "--db", db])
        assert found.exit_code == 0 and "maritim-vietnam" in found.output
        outputs[db] = exports
    assert outputs[sqlite_db] == outputs[postgres_url]
    assert len(outputs[sqlite_db][0].splitlines()) == 6 and outputs[sqlite_db][1]


def test_postgresql_errors_are_clear(postgres_url):
    with pytest.raises(StoreError, match="cannot connect to PostgreSQL") as raised:
        Store("postgresql://warta:rahasia@127.0.0.1:1/tidak_ada")
    assert "rahasia" not in str(raised.value)  # no password in messages
    with Store(postgres_url) as store:
        store.add(art("a", BODY))
    with Store(postgres_url) as store:
        assert store.schema_version == SCHEMA_VERSION and store.count()["articles"] == 1
        with pytest.raises(StoreError):
            store.search("tidak & (", raw=True)
        assert [h.doc_id for h in store.search("junta Myanmar")] == ["a"]  # usable after the error


def test_events_keep_their_confidence_and_exports_filter_on_it(store):
    store.add(process(Source(id="a", origin="a.txt", text=REPORT_A)))
    store.add(process(Source(id="b", origin="b.txt", text=REPORT_B)))
    reports = {row[0]: row[1] for row in store.db.execute(
        "SELECT r.article_id, r.confidence FROM event_reports r JOIN events e ON e.id = r.event_id"
        " WHERE e.type = 'CONSULT'").fetchall()}
    events = list(store.events())
    consult = next(e for e in events if e["type"] == "CONSULT")
    # an event reported twice is as confident as its most confident report
    assert len(reports) == 2 and consult["confidence"] == pytest.approx(max(reports.values()))
    assert all(0 < e["confidence"] <= 1 and e["date_precision"] == "day" for e in events)
    cut = sorted(e["confidence"] for e in events)[len(events) // 2]
    kept = list(store.events(min_confidence=cut))
    assert kept and [e["id"] for e in kept] == [e["id"] for e in events if e["confidence"] >= cut]


def test_a_schema_3_database_gains_confidence_columns_and_keeps_its_events(tmp_path):
    path = tmp_path / "old.db"
    with Store(str(path)) as store:
        store.add(process(Source(id="a", origin="a.txt", text=REPORT_A)))
        before = store.count()["events"]
    with sqlite3.connect(path) as db:
        db.executescript("DROP INDEX events_confidence; ALTER TABLE events DROP COLUMN confidence;"
                         "ALTER TABLE events DROP COLUMN date_precision; ALTER TABLE event_reports DROP COLUMN confidence;"
                         "UPDATE schema_info SET value = '3' WHERE key = 'version';")
    with Store(str(path)) as store:
        assert store.schema_version == SCHEMA_VERSION
        events = list(store.events())
        # events coded before the models had no confidence: kept, but no confidence filter lets them through
        assert len(events) == before and all(e["confidence"] is None for e in events)
        assert list(store.events(min_confidence=0.0)) == []


def test_gdelt_rows_of_one_event_of_three_parties_have_three_ids_and_its_place():
    from warta.export import GDELT_COLUMNS, gdelt_rows

    event = {"id": 7, "type": "CONSULT", "date": "2024-05-16", "date_precision": "day", "confidence": 0.8,
             "actors": [{"name": "China", "country": "CHN"}, {"name": "Russia", "country": "RUS"},
                        {"name": "Iran", "country": "IRN"}], "recipients": [],
             "location": {"name": "Samarkand", "country": "UZB"}, "articles": 2, "outlets": 1, "urls": []}
    rows = [dict(zip(GDELT_COLUMNS, line.rstrip("\n").split("\t"))) for line in list(gdelt_rows([event]))[1:]]
    assert [r["GlobalEventID"] for r in rows] == ["7000", "7001", "7002"]
    assert {r["WartaEventID"] for r in rows} == {"7"}
    assert {(r["ActionGeo_FullName"], r["ActionGeo_CountryCode"]) for r in rows} == {("Samarkand", "UZB")}
    assert {(r["NumMentions"], r["NumArticles"], r["NumSources"]) for r in rows} == {("2", "2", "1")}


def test_a_postgres_writer_compresses_with_lz4_and_batches_index_entries(postgres_url):
    with Store(postgres_url) as store:
        settings = {name: store.db.execute(f"SHOW {name}").fetchone()[0]
                    for name in ("default_toast_compression", "gin_pending_list_limit")}
        store.db.execute("ROLLBACK")  # a failed statement later must not undo the session's settings
        assert store.db.execute("SHOW gin_pending_list_limit").fetchone()[0] == "64MB"
        lz4 = store.db.execute("SELECT 'lz4' = ANY(enumvals) FROM pg_settings"
                               " WHERE name = 'default_toast_compression'").fetchone()[0]
    # (a server built without lz4 keeps pglz; Debian's has it)
    assert settings == {"default_toast_compression": "lz4" if lz4 else "pglz", "gin_pending_list_limit": "64MB"}

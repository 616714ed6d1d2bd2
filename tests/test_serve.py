"""The server: API answers, filters and paging, parameter validation, JSON twins, escaping of
untrusted article text, and that nothing it serves can write to the database."""
import csv
import io
import json
import re
import sqlite3
from html.parser import HTMLParser

import pytest
from conftest import XSS_ARTICLE

fastapi = pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from warta.explore import Explorer  # noqa: E402
from warta.serve import create_app  # noqa: E402
from warta.store import SCHEMA_VERSION, Store  # noqa: E402
from warta.resources import lookup_news_source  # noqa: E402


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def client(request, served_db):
    """Every test of the API and pages runs on both stores, filled with the same articles."""
    if request.param == "sqlite":
        return TestClient(create_app(str(served_db)))
    return TestClient(create_app(request.getfixturevalue("served_postgres")))


@pytest.fixture(scope="module")
def xss_row(served_db):
    with sqlite3.connect(served_db) as db:
        return db.execute("SELECT id FROM articles WHERE doc_id = ?", (XSS_ARTICLE["id"],)).fetchone()[0]


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code, response.text[:300])
    return response


# ---------------------------------------------------------------------- API
def test_search_ranks_with_snippets_and_counts(client):
    found = get(client, "/api/articles?q=kerja+sama&limit=2").json()
    assert found["total"] >= 2 and len(found["articles"]) == 2
    for hit in found["articles"]:
        assert any(part["match"] for part in hit["snippet_parts"])
        assert hit["snippet"] == "".join(part["text"] for part in hit["snippet_parts"])
    page_two = get(client, "/api/articles?q=kerja+sama&limit=2&offset=2").json()
    assert page_two["total"] == found["total"]
    assert {a["id"] for a in page_two["articles"]}.isdisjoint(a["id"] for a in found["articles"])


def test_article_filters_hold_for_every_hit(client):
    everything = get(client, "/api/articles?limit=100").json()
    assert everything["total"] >= 4
    records = {a["id"]: get(client, f"/api/articles/{a['id']}").json() for a in everything["articles"]}
    days = sorted({r["record"]["published"][:10] for r in records.values() if r["record"]["published"]})
    middle = days[len(days) // 2]
    outlet = next(r["record"]["outlet"] for r in records.values() if r["record"]["outlet"])
    checks = {
        f"outlet={outlet}": lambda r: r["record"]["outlet"] == outlet,
        f"since={middle}": lambda r: (r["record"]["published"] or "")[:10] >= middle,
        f"until={middle}": lambda r: (r["record"]["published"] or "9")[:10] <= middle,
        "actor=RUS": lambda r: "RUS" in r["actors"],
        "type=CONSULT": lambda r: any(e["type"] == "CONSULT" for e in r["events"]),
    }
    cited = next((r["record"]["cited_sources"][0] for r in records.values() if r["record"]["cited_sources"]), None)
    if cited:
        checks[f"source={cited}"] = lambda r: cited in r["record"]["cited_sources"]
    for query, holds in checks.items():
        hits = get(client, f"/api/articles?{query}&limit=100").json()["articles"]
        assert hits, query
        assert len(hits) < len(records), query
        assert all(holds(records[h["id"]]) for h in hits), query


def test_one_article_has_entities_quotes_events_and_highlights(client, xss_row):
    article = get(client, f"/api/articles/{xss_row}").json()
    assert article["record"]["id"] == XSS_ARTICLE["id"]
    assert {e["type"] for e in article["events"]} >= {"CONSULT", "ACCUSE"}
    assert article["record"]["quotes"] and article["record"]["entities"]
    body = article["record"]["body"]
    assert "".join(s["text"] for s in article["segments"]) == body
    kinds = {m["kind"] for s in article["segments"] for m in s["marks"]}
    assert {"event", "quote", "entity-person", "entity-gpe"} <= kinds


def test_an_article_is_found_by_its_own_id_as_by_its_row(client, xss_row):
    by_row = get(client, f"/api/articles/{xss_row}").json()
    by_id = get(client, f"/api/articles/{XSS_ARTICLE['id']}").json()
    assert by_id == by_row
    page = client.get(f"/articles/{XSS_ARTICLE['id']}")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    twin = get(client, f"/articles/{XSS_ARTICLE['id']}.json").json()
    assert twin["record"]["id"] == XSS_ARTICLE["id"]


def test_events_filters_and_paging(client):
    russia = get(client, "/api/events?actor=RUS").json()
    assert russia["total"] >= 2
    assert all(any(p["country"] == "RUS" for p in e["actors"] + (e["recipients"] if e["type"] in
                                                                 ("CONSULT", "AGREE", "COOPERATE") else []))
               for e in russia["events"])
    on_usa = get(client, "/api/events?recipient=USA&type=ACCUSE").json()["events"]
    assert on_usa and all(e["type"] == "ACCUSE" and any(p["country"] == "USA" for p in e["recipients"]) for e in on_usa)
    first, second = (get(client, f"/api/events?limit=1&offset={n}").json() for n in (0, 1))
    assert first["total"] == second["total"] >= 2 and first["events"][0]["id"] != second["events"][0]["id"]
    days = [e["date"] for e in get(client, "/api/events?since=2022-09-05&until=2022-09-05").json()["events"]]
    assert days and set(days) == {"2022-09-05"}
    every = get(client, "/api/events?limit=100").json()["events"]
    assert every and all(0 < e["confidence"] <= 1 for e in every)
    cut = sorted(e["confidence"] for e in every)[len(every) // 2]
    sure = get(client, f"/api/events?limit=100&min_confidence={cut}").json()
    assert [e["id"] for e in sure["events"]] == [e["id"] for e in every if e["confidence"] >= cut]
    assert sure["total"] == len(sure["events"])


def test_actors_are_found_by_indonesian_and_english_names(client):
    for name in ("Tiongkok", "china", "Rusia", "Russia"):
        found = get(client, f"/api/actors?q={name}").json()["actors"]
        assert found and found[0]["actor"] in ("CHN", "RUS"), name
    putin = get(client, "/api/actors?q=Putin").json()["actors"]
    assert putin[0]["actor"] == "Vladimir Putin" and putin[0]["country"] == "RUS"


def test_one_actor_has_offices_quotes_events_and_partners(client):
    putin = get(client, "/api/actors/Vladimir%20Putin").json()
    assert any(o["role"] == "president" and o["country"] == "RUS" for o in putin["offices"])
    assert any("kerja sama" in q["text"] for q in putin["quotes"])
    # events are coded to his state; his page has those whose evidence names him
    assert putin["latest_events"] and "CHN" in {p["actor"] for p in putin["partners"]}
    assert "RUS" not in {p["actor"] for p in putin["partners"]}
    russia = get(client, "/api/actors/RUS").json()
    assert russia["events"] >= 2 and "Rusia" in russia["also_known_as"]
    assert {p["actor"] for p in russia["partners"]} >= {"CHN", "USA"}
    assert russia["latest_events"] and russia["timeline"]


def test_dyad_counts_months_and_a_score(client):
    dyad = get(client, "/api/dyads/CHN/RUS").json()
    assert dyad["total"] >= 1 and dyad["months"]
    month = dyad["months"][0]
    assert month["total"] == month["cooperative"] + month["conflictual"] == sum(month["types"].values())
    assert -10 <= dyad["score"] <= 10 and dyad["cooperative"] >= 1
    conflict = get(client, "/api/dyads/RUS/USA").json()
    assert conflict["conflictual"] >= 1 and conflict["score"] < 0
    assert conflict["directions"].get("RUS→USA", 0) >= 1
    assert sum(conflict["directions"].values()) >= conflict["total"]
    assert conflict["total"] == conflict["undated"] + sum(m["total"] for m in conflict["months"])


def test_sources_and_network(client):
    sources = get(client, "/api/sources").json()
    stored = get(client, "/api/articles?limit=1").json()["total"]
    assert sum(o["articles"] for o in sources["outlets"]) == stored
    # Each outlet once, with the country data/news_sources.tsv gives it.
    assert len({o["outlet"] for o in sources["outlets"]}) == len(sources["outlets"])
    assert all(o["country"] == (lookup_news_source(o["outlet"]).country if lookup_news_source(o["outlet"] or "")
                                else None) for o in sources["outlets"])
    network = get(client, "/api/network").json()
    actors = {n["actor"] for n in network["nodes"]}
    assert {"CHN", "RUS", "USA"} <= actors
    assert all(e["source"] in actors and e["target"] in actors and e["weight"] >= 1 for e in network["edges"])


# ---------------------------------------------------------------------- bad parameters
@pytest.mark.parametrize("url, status, says", [
    ("/api/events?min_confidence=2", 422, "min_confidence"),
    ("/api/articles?since=2020-13-01", 400, "not a day"),
    ("/api/articles?since=yesterday", 422, "pattern"),
    ("/api/articles?since=2021-01-01&until=2020-01-01", 400, "after"),
    ("/api/articles?type=FIGHT", 422, "pattern"),
    ("/api/articles?limit=0", 422, "greater than"),
    ("/api/articles?limit=1000", 422, "less than"),
    ("/api/articles?offset=-1", 422, "greater than"),
    ("/api/articles?q=%22&raw=true", 400, "search '\\\"'"),  # FTS5: unterminated; tsquery: no words
    ("/api/articles?q=" + "x" * 501, 422, "at most 500"),
    ("/api/articles/abc", 404, "no article 'abc'"),
    ("/api/articles/" + "9" * 30, 404, "no article"),
    ("/api/articles/999999", 404, "no article"),
    ("/api/events?type=fight", 422, "pattern"),
    ("/api/events?until=2020-02-30", 400, "not a day"),
    ("/api/actors", 422, "Field required"),
    ("/api/actors/Nobody%20Here", 404, "no actor"),
    ("/api/dyads/CHN/CHN", 400, "two different"),
    ("/api/dyads/CHN/XXX", 404, "no actor"),
    ("/api/network?nodes=1", 422, "greater than"),
    ("/search.json?since=2020-13-01", 400, "not a day"),
    ("/articles/999999.json", 404, "no article"),
])
def test_bad_parameters_get_a_4xx_with_a_message(client, url, status, says):
    response = get(client, url, status)
    assert says in response.text


def test_bad_parameters_on_a_page_get_an_error_page(client):
    page = get(client, "/search?since=%3Cscript%3Ealert(1)%3C/script%3E", 422)
    assert page.headers["content-type"].startswith("text/html")
    assert "<script>alert" not in page.text and "id=\"error-message\"" in page.text
    assert "no article" in get(client, "/articles/999999", 404).text


# ---------------------------------------------------------------------- pages and twins
PAGES = ["/", "/search?q=kerja+sama", "/search?actor=RUS&type=ACCUSE", "/actors", "/actors?q=Tiongkok",
         "/actors/RUS", "/actors/Vladimir%20Putin", "/dyads/CHN/RUS", "/network", "/sources"]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_has_a_json_twin(client, url):
    page = get(client, url)
    assert page.headers["content-type"].startswith("text/html")
    path, _, query = url.partition("?")
    twin_url = ("/.json" if path == "/" else path + ".json") + (f"?{query}" if query else "")
    twin = get(client, twin_url)
    assert twin.headers["content-type"] == "application/json" and twin.json()
    assert f'href="{twin_url.replace("&", "&amp;")}"' in page.text


def test_article_page_and_twin(client, xss_row):
    assert get(client, f"/articles/{xss_row}.json").json()["record"]["id"] == XSS_ARTICLE["id"]
    assert 'id="article-body"' in get(client, f"/articles/{xss_row}").text


def test_api_twins_agree_with_the_api(client):
    assert get(client, "/dyads/CHN/RUS.json").json() == get(client, "/api/dyads/CHN/RUS").json()
    assert get(client, "/actors/RUS.json").json() == get(client, "/api/actors/RUS").json()


def test_openapi_documents_the_api(client):
    paths = get(client, "/openapi.json").json()["paths"]
    assert {"/api/articles", "/api/articles/{article}", "/api/events", "/api/actors", "/api/actors/{actor}",
            "/api/dyads/{first}/{second}", "/api/sources", "/api/network"} <= set(paths)
    assert "/search" not in paths
    # /docs works offline: Swagger UI from this server, started by a script file (no inline script)
    docs = get(client, "/docs").text
    assert "https://" not in docs and "<script>" not in docs
    scripts = re.findall(r'<script src="([^"]+)"', docs)
    assert scripts == ["/static/vendor/swagger/swagger-ui-bundle.js", "/static/docs.js"]
    for script in scripts:
        served = get(client, script)
        assert served.headers["content-type"].startswith("text/javascript") and len(served.content) > 100
    assert get(client, "/static/vendor/swagger/swagger-ui.css").headers["content-type"].startswith("text/css")
    assert client.get("/static/vendor/swagger/../../warta.db").status_code == 404


def test_charts_library_comes_from_the_installed_package(client):
    script = get(client, "/static/vendor/plotly.min.js")
    assert script.headers["content-type"].startswith("text/javascript") and b"plotly" in script.content[:2000].lower()
    home = get(client, "/").text
    assert 'src="/static/vendor/plotly.min.js"' in home and "https://" not in home.split("<main>")[0]


# ---------------------------------------------------------------------- safety
class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


@pytest.mark.parametrize("url", ["/articles/{row}", "/search?q=Putin", "/search?q=script", "/", "/actors/RUS",
                                 "/actors/Vladimir%20Putin", "/dyads/RUS/USA", "/dyads/CHN/RUS", "/sources"])
def test_untrusted_article_text_is_escaped_everywhere(client, xss_row, url):
    html = get(client, url.format(row=xss_row)).text
    for tag, attrs in _tags(html):
        assert tag != "img", url
        assert not any(name.startswith("on") for name in attrs), (url, tag, attrs)
        if tag == "script":
            assert attrs.get("type") == "application/json" or attrs.get("src", "").startswith("/static/"), (url, attrs)
        if tag == "a":
            assert not attrs.get("href", "").lower().startswith("javascript:"), (url, attrs)
    assert "<script>alert" not in html and "<img src=x" not in html


def test_the_payloads_are_shown_as_text(client, xss_row):
    html = get(client, f"/articles/{xss_row}").text
    assert "&lt;script&gt;alert(&#39;body&#39;)&lt;/script&gt;" in html
    assert "&#34; onmouseover=&#34;alert(&#39;attr&#39;)&#34;" in html
    # and the JSON in <script type="application/json"> blocks cannot close its element
    assert "</script>\"" not in html


def test_security_headers(client):
    headers = get(client, "/").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"


def test_the_server_only_reads(client, served_db):
    app = client.app
    for route in app.routes:
        assert not (getattr(route, "methods", None) or set()) - {"GET", "HEAD"}, route.path
    assert client.post("/api/articles").status_code == 405
    explorer = Explorer(str(served_db))
    with pytest.raises(sqlite3.OperationalError, match="readonly|read-only|query_only"):
        explorer.db.execute("DELETE FROM articles")


def test_serve_binds_loopback_unless_told(monkeypatch, served_db):
    from typer.testing import CliRunner

    import warta.serve
    from warta.cli import app

    calls = []
    monkeypatch.setattr(warta.serve, "serve", lambda db, host, port, workers: calls.append((db, host, port, workers)))
    assert CliRunner().invoke(app, ["serve", "--db", str(served_db)]).exit_code == 0
    assert calls[-1] == (str(served_db), "127.0.0.1", 8000, 1)
    result = CliRunner().invoke(app, ["serve", "--db", str(served_db / "missing.db")])
    assert result.exit_code == 2 and "no such database" in " ".join(result.output.split())


# ---------------------------------------------------------------------- schema 3
def test_a_schema_2_database_gains_the_actor_tables(tmp_path, served_db):
    copy = tmp_path / "old.db"
    with sqlite3.connect(served_db) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    with sqlite3.connect(copy) as db:
        before = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("mentions", "quotes", "event_parties")}
        db.executescript("DROP TABLE mentions; DROP TABLE quotes; DROP TABLE event_parties;"
                         # what schema 4 added, so that the copy is a schema 2 database indeed
                         "DROP INDEX events_confidence; ALTER TABLE events DROP COLUMN confidence;"
                         "ALTER TABLE events DROP COLUMN date_precision; ALTER TABLE event_reports DROP COLUMN confidence;"
                         "UPDATE schema_info SET value = '2' WHERE key = 'version';")
    with Store(str(copy)) as store:
        assert store.schema_version == SCHEMA_VERSION
        after = {t: store.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in before}
    assert after == before and all(before.values())


# ---------------------------------------------------------------------- concurrent use
@pytest.mark.slow
def test_the_server_answers_while_ingest_writes(tmp_path, served_db):
    """WAL: `warta ingest` writes in another process while the server reads; every answer
    comes, none is an error, and what the reader sees only grows."""
    import json
    import subprocess
    import sys
    import time

    db = tmp_path / "busy.db"
    with sqlite3.connect(served_db) as source, sqlite3.connect(db) as target:
        source.backup(target)
    corpus = tmp_path / "more.jsonl"
    with corpus.open("w", encoding="utf-8") as out:
        for n in range(60):
            out.write(json.dumps({"id": f"more-{n}", "text": f"Jakarta - Menteri Luar Negeri Retno Marsudi bertemu "
                                  f"Menteri Luar Negeri Jepang di Tokyo pada Senin. Pertemuan ke-{n} itu membahas "
                                  f"kerja sama maritim dan perdagangan. " +
                                  " ".join(f"butir{n}x{i}" for i in range(60))}) + "\n")  # not near-duplicates
    client = TestClient(create_app(str(db)))
    before = get(client, "/api/articles?limit=1").json()["total"]
    writer = subprocess.Popen([sys.executable, "-m", "warta", "ingest", str(corpus), "--db", str(db)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seen, answers = [before], 0
    while writer.poll() is None:
        seen.append(get(client, "/api/articles?q=kerja+sama&limit=5").json()["total"] and
                    get(client, "/api/articles?limit=1").json()["total"])
        get(client, "/api/actors/JPN" if seen[-1] > before else "/api/sources")
        answers += 1
        time.sleep(0.05)
    assert writer.returncode == 0, writer.stderr.read().decode()[-2000:]
    seen.append(get(client, "/api/articles?limit=1").json()["total"])
    assert answers >= 5 and seen == sorted(seen) and seen[-1] == before + 60


def test_a_file_that_is_not_a_warta_database_is_refused(tmp_path):
    from warta.store import StoreError

    other = tmp_path / "other.db"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE t (x)")
    with pytest.raises(StoreError, match="not a Warta database"):
        Explorer(str(other))
    with pytest.raises(StoreError, match="no such database"):
        Explorer(str(tmp_path / "missing.db"))


ENDLESS = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"


def test_a_query_over_the_time_budget_is_stopped_and_the_others_still_answer(served_db):
    import threading
    import time

    from warta.explore import Explorer, TooCostly

    explorer = Explorer(str(served_db), budget=1.0)
    outcome = {}

    def costly():
        started = time.monotonic()
        try:
            explorer.rows(ENDLESS)
        except TooCostly as error:
            outcome["error"] = str(error)
        outcome["seconds"] = time.monotonic() - started

    worker = threading.Thread(target=costly)
    worker.start()
    time.sleep(0.2)
    started = time.monotonic()
    assert explorer.overview()["counts"]["articles"] > 0  # another thread, its own connection, meanwhile
    assert time.monotonic() - started < 0.5 and worker.is_alive()
    worker.join(10)
    assert "stopped after 1 s" in outcome["error"] and 1.0 <= outcome["seconds"] < 2.0
    assert explorer.one("SELECT count(*) FROM articles") > 0  # the connection is still good


def test_the_server_answers_a_search_over_budget_with_503(served_db, monkeypatch):
    import warta.explore

    client = TestClient(create_app(str(served_db)), raise_server_exceptions=False)
    monkeypatch.setattr(warta.explore, "QUERY_BUDGET", 0.0)
    monkeypatch.setattr(warta.explore, "_PROGRESS_EVERY", 1)
    api = client.get("/api/articles", params={"q": "kerja sama"})
    assert api.status_code == 503 and "stopped after 0 s" in api.json()["detail"]
    assert api.headers["Retry-After"] == "1"
    page = client.get("/search", params={"q": "kerja sama"})
    assert page.status_code == 503 and "narrower" in page.text


@pytest.mark.parametrize("raw, reason", [(" ".join(["p*"] * 160), "160 prefix terms"),
                                         ("kerja OR k*", "prefix 'k*' is too short")])
def test_raw_fts5_searches_of_unbounded_cost_are_refused_before_they_run(served_db, raw, reason):
    # FTS5 expands a prefix inside one step no budget interrupts: `p*` 160 times took 71 s.
    # (PostgreSQL's tsquery has no `*`; its statement_timeout stops what runs too long.)
    found = TestClient(create_app(str(served_db))).get("/api/articles", params={"q": raw, "raw": "true"})
    assert found.status_code == 400 and reason in found.json()["detail"]
    assert TestClient(create_app(str(served_db))).get(
        "/api/articles", params={"q": "kerja OR kerj*", "raw": "true"}).status_code == 200


@pytest.mark.parametrize("title, lede, shown", [
    ("Judul Asli", "Jakarta - Isi berita.", "Judul Asli"),
    # IndoSum gives no titles: the lede's first sentence, its dateline left off, at most 12 words
    (None, "Jakarta, CNN Indonesia -- Presiden Joko Widodo menerima Perdana Menteri Jepang di Istana Bogor pada "
           "Selasa pagi untuk membahas kerja sama. Kalimat kedua.",
     "Presiden Joko Widodo menerima Perdana Menteri Jepang di Istana Bogor pada Selasa…"),
    (None, "Rusia mengecam sanksi baru. Kalimat kedua.\n\nParagraf kedua.", "Rusia mengecam sanksi baru."),
    (None, "", None),
])
def test_articles_without_a_title_are_headed_by_their_lede(title, lede, shown):
    from warta.explore import heading

    assert heading(title, lede) == shown


def test_every_listed_article_has_a_heading(client):
    for hit in get(client, "/api/articles?limit=100").json()["articles"]:
        assert hit["heading"] and (hit["title"] is None or hit["heading"] == hit["title"])


def test_events_page_filters_pages_and_downloads(client):
    every = get(client, "/events.json").json()
    assert every["total"] >= 3 and all({"outlets", "articles", "evidence", "confidence"} <= set(e) for e in every["events"])
    russia = get(client, "/events.json?actor=RUS").json()
    api = get(client, "/api/events?actor=RUS").json()
    assert russia["events"] == api["events"] and 0 < russia["total"] < every["total"]
    page = client.get("/events?actor=RUS&limit=1")
    assert page.status_code == 200 and 'id="events"' in page.text and "offset=1" in page.text
    assert 'href="/events.csv?actor=RUS"' in page.text  # the download is of the filtered set
    rows = list(csv.DictReader(io.StringIO(client.get("/events.csv?actor=RUS").text)))
    assert [int(r["id"]) for r in rows] == [e["id"] for e in russia["events"]]
    lines = client.get("/events.jsonl?actor=RUS").text.splitlines()
    assert [json.loads(line)["id"] for line in lines] == [e["id"] for e in russia["events"]]
    assert client.get("/events?min_confidence=2").status_code == 422
    # the page's form sends empty fields; its download links carry them along
    assert client.get("/events.csv?type=&actor=RUS&min_confidence=&since=").status_code == 200
    sure = client.get("/events.jsonl?min_confidence=0.5").text.splitlines()
    assert all(json.loads(line)["confidence"] >= 0.5 for line in sure)


def test_an_event_page_lists_every_article_that_reports_it(client):
    busiest = max(get(client, "/api/events?limit=100").json()["events"], key=lambda e: e["articles"])
    event = get(client, f"/api/events/{busiest['id']}").json()
    assert len(event["reports"]) == event["articles"] >= 1
    assert all(r["evidence"] and r["article"] for r in event["reports"])
    assert get(client, f"/events/{busiest['id']}.json").json() == event
    assert client.get(f"/events/{busiest['id']}").status_code == 200
    assert client.get("/api/events/999999").status_code == 404


@pytest.mark.parametrize("store", ["sqlite", "postgresql"])
def test_the_query_of_a_client_that_disconnects_is_stopped(request, served_db, monkeypatch, store):
    import socket
    import threading
    import time

    import uvicorn

    import warta.explore

    url = str(served_db) if store == "sqlite" else request.getfixturevalue("served_postgres")
    monkeypatch.setattr(warta.explore, "QUERY_BUDGET", 60.0)  # far longer than the test waits
    outcome = {}

    def endless_overview(self):
        outcome["started"] = time.monotonic()
        try:
            self.rows(ENDLESS)
        except Exception as error:
            outcome["error"] = type(error).__name__
            outcome["ended"] = time.monotonic()
            raise
        return {}

    monkeypatch.setattr(warta.explore.Explorer, "overview", endless_overview)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(url), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        with socket.create_connection(("127.0.0.1", port)) as client:
            client.sendall(b"GET /api/overview HTTP/1.1\r\nHost: localhost\r\n\r\n")
            while "started" not in outcome and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(0.3)
            assert "ended" not in outcome  # the query runs while the client waits
        gone = time.monotonic()
        while "ended" not in outcome and time.monotonic() < gone + 10:
            time.sleep(0.05)
        assert outcome.get("error") == "ClientGone" and outcome["ended"] - gone < 2.0
        # the server and its connections go on answering
        with socket.create_connection(("127.0.0.1", port)) as client:
            client.sendall(b"GET /api/articles?limit=1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            answer = b""
            while chunk := client.recv(65536):
                answer += chunk
        assert answer.startswith(b"HTTP/1.1 200")
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.mark.slow
def test_serve_with_workers_answers_and_its_workers_die_with_it(served_db):
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "warta", "serve", "--db", str(served_db), "--port", str(port),
                               "--workers", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    try:
        deadline, answers = time.monotonic() + 60, set()
        while len(answers) < 1 and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/articles?q=kerja+sama", timeout=5) as got:
                    answers.add(json.loads(got.read())["total"])
            except OSError:
                time.sleep(0.3)
        assert len(answers) == 1 and next(iter(answers)) > 0

        def group() -> list[int]:
            listed = subprocess.run(["ps", "-o", "pid=", "-g", str(server.pid)], capture_output=True, text=True)
            return [int(pid) for pid in listed.stdout.split() if int(pid) != server.pid]

        assert len(group()) >= 2  # the workers (and multiprocessing's helper)
    finally:
        os.kill(server.pid, signal.SIGKILL)  # as `kill -9` would
        server.wait(10)
    time.sleep(10)
    assert group() == []

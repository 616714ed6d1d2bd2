"""The dashboard in headless Chromium: each page type loads from a real `warta serve`, shows its
key elements and charts, logs no script error, and runs none of the article's payloads.
Screenshots go to build/screenshots/.

Debian's chromium (/usr/bin/chromium) is driven by Playwright. Without it these tests skip,
unless WARTA_BROWSER_TESTS=1 (set by .ci/run), where a missing browser is a failure."""
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT, XSS_ARTICLE

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = ROOT / "build" / "screenshots"
# Without the background-networking flags Chromium keeps calling Google's hosts, which this
# machine's closed network refuses.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update"]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("WARTA_BROWSER_TESTS") == "1":
            pytest.fail(f"{CHROMIUM} is missing and WARTA_BROWSER_TESTS=1: install Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server(served_db):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "warta", "serve", "--db", str(served_db), "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/api/sources", timeout=2)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"warta serve did not start: {process.stdout.read().decode()[-2000:]}")
            time.sleep(0.3)
    yield base
    process.terminate()
    process.wait(10)


@pytest.fixture(scope="module")
def xss_row(served_db):
    with sqlite3.connect(served_db) as db:
        return db.execute("SELECT id FROM articles WHERE doc_id = ?", (XSS_ARTICLE["id"],)).fetchone()[0]


# page, the elements it must show (CSS selectors), whether it draws a chart
PAGES = {
    "home": ("/", ["#top-actors li", "#latest li", ".count", "#map .land path", "#map circle.place"],
             "#events-over-time"),
    # the map, drawn from the server's own outlines: no tile or outline is fetched
    "actor-map": ("/actors/IDN", ["#map .land path", "#map circle.place"], "#timeline"),
    "dyad-map": ("/dyads/AUS/IDN", ["#map .land path", "#map circle.place"], "#dyad-months"),
    "search": ("/search?q=kerja+sama", ["#results li", "#results mark", "#search-form"], None),
    "search-filtered": ("/search?actor=RUS&type=ACCUSE", ["#results li"], None),
    "article": ("/articles/{row}", ["#article-body .mark-entity-person", "#article-body .mark-quote",
                                    "#article-body .mark-event", "#events li", "#quotes li"], None),
    "actors": ("/actors?q=Tiongkok", ["#actor-results tbody tr"], None),
    "actor": ("/actors/RUS", ["#actor-name", "#partners tbody tr", "#events li"], "#timeline"),
    "person": ("/actors/Vladimir%20Putin", ["#offices li", "#quotes li"], "#timeline"),
    "dyad": ("/dyads/CHN/RUS", ["#dyad-title", "#events li", "#dyad-score"], "#dyad-months"),
    "network": ("/network", ["#ties tbody tr"], "#network"),
    "sources": ("/sources", ["#outlets tbody tr"], None),
    "events": ("/events?type=CONSULT", ["#events li", "#events-form", "#download-csv"], None),
    "event": ("/events/{event}", ["#event-title", "#reports li .evidence", "#event-cameo"], None),
    # Swagger UI from the server's own files, its operations listed
    "docs": ("/docs", ["#swagger-ui .opblock", "#swagger-ui .opblock-tag"], None),
}


@pytest.fixture(scope="module")
def event_id(served_db):
    with sqlite3.connect(served_db) as db:
        return db.execute("SELECT event_id FROM event_reports GROUP BY event_id ORDER BY count(*) DESC, event_id"
                          " LIMIT 1").fetchone()[0]


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_with_its_elements_and_no_script_error(browser, server, xss_row, event_id, name):
    path, selectors, chart = PAGES[name]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems, dialogs = [], []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("requestfailed", lambda request: problems.append(f"{request.url}: {request.failure}"))
    # Nothing leaves the machine: every request goes to this server (or is data: / about:).
    page.on("request", lambda request: None if request.url.startswith((server, "data:", "about:"))
            else problems.append(f"request to another host: {request.url}"))
    try:
        response = page.goto(server + path.format(row=xss_row, event=event_id))
        assert response.status == 200
        page.wait_for_load_state("networkidle")
        page.wait_for_selector(selectors[0], timeout=10_000)
        for selector in selectors:
            assert page.locator(selector).count() > 0, f"{name}: nothing matches {selector}"
        if chart:
            # plotly.js has drawn: its SVG is in the chart element and the element says so
            page.wait_for_selector(f"{chart}[data-drawn='yes'] svg.main-svg", timeout=10_000)
        assert not page.locator("img").count(), "an article's <img> payload became an element"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    finally:
        page.close()
    assert not dialogs, f"{name}: a script from an article ran: {dialogs}"
    assert not problems, f"{name}: {problems}"


def test_network_click_opens_the_actor(browser, server):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(server + "/network")
        page.wait_for_selector("#network[data-drawn='yes'] svg.main-svg")
        point = page.locator("#network .scatterlayer .trace:last-child .point").first
        with page.expect_navigation():
            point.click(force=True)
        assert "/actors/" in page.url
        assert page.locator("#actor-name").count() == 1
    finally:
        page.close()


def test_search_form_filters(browser, server):
    page = browser.new_page()
    try:
        page.goto(server + "/search")
        page.fill("#search-form input[name=q]", "kerja sama")
        page.select_option("#search-form select[name=type]", "CONSULT")
        with page.expect_navigation():
            page.click("#search-form button")
        assert "type=CONSULT" in page.url
        assert page.locator("#results li").count() >= 1
    finally:
        page.close()

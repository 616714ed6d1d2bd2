"""Latency of `warta serve` over HTTP: full-text search and the other API calls, on a database
(the IndoSum one for issue 6's goal: search median under 100 ms). Run on demand:

    .venv/bin/warta ingest ../shared/corpus/indosum/articles.jsonl ../shared/corpus/seeds --db indosum.db
    .venv/bin/python benchmarks/serve_search.py indosum.db

It starts the server as a user would (`warta serve`), waits for it, warms each URL once, then
times each request from a separate client and prints median, 95th percentile and maximum.
With `--concurrent N` it then sends N searches at once (N client threads, loopback only) and
prints requests per second, median, p95 and failures; and it times the costly query of issue
19 (`p*` 160 times, raw), which the server's query budget stops.
"""
import argparse
import socket
import urllib.error
from concurrent.futures import ThreadPoolExecutor
import statistics
import subprocess
import sys
import time
import urllib.request

# Words and phrases an analyst of world affairs in Indonesian news would look for.
QUERIES = ["kerja sama", "sanksi", "Tiongkok", "Rusia", "Amerika Serikat", "Korea Utara", "nuklir", "Presiden",
           "pertemuan bilateral", "Xi Jinping", "Donald Trump", "Jokowi", "ASEAN", "PBB", "perdagangan", "teroris",
           "Myanmar Rohingya", "Laut China Selatan", "menteri luar negeri", "investasi", "rudal", "perang",
           "demonstrasi", "pemilu", "ekonomi", "bantuan kemanusiaan", "Israel Palestina", "Suriah", "Filipina",
           "Jepang"]
OTHER = ["/api/articles?q=kerja+sama&type=AGREE", "/api/articles?actor=CHN&since=2017-01-01",
         "/api/events?actor=USA", "/api/events?type=ACCUSE&limit=100", "/api/actors?q=Tiongkok", "/api/actors/CHN",
         "/api/actors/Joko%20Widodo", "/api/dyads/CHN/RUS", "/api/dyads/USA/PRK", "/api/network", "/api/sources",
         "/search?q=kerja+sama", "/"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch_ms(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
    return (time.perf_counter() - started) * 1000


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return f"{statistics.median(ordered):8.1f} {p95:8.1f} {ordered[-1]:8.1f}"


def _try(url: str) -> float | None:
    try:
        return fetch_ms(url)
    except (OSError, urllib.error.HTTPError):
        return None


def load(searches: list[str], count: int) -> None:
    urls = [searches[n % len(searches)] for n in range(count)]
    started = time.perf_counter()
    with ThreadPoolExecutor(count) as pool:
        times = list(pool.map(_try, urls))
    seconds = time.perf_counter() - started
    done = [t for t in times if t is not None]
    print(f"\n{count} searches at once: {count / seconds:.0f} requests/s, "
          f"median {statistics.median(done):.0f} ms, p95 {sorted(done)[int(0.95 * (len(done) - 1))]:.0f} ms, "
          f"{count - len(done)} failed")


def costly(base: str) -> None:
    url = f"{base}/api/articles?raw=true&q={urllib.request.quote(' '.join(['p*'] * 160))}"
    started = time.perf_counter()
    try:
        fetch_ms(url)
        status = 200
    except urllib.error.HTTPError as error:
        status = error.code
    print(f"costly raw query (p* x160): HTTP {status} after {time.perf_counter() - started:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db")
    parser.add_argument("--rounds", type=int, default=5, help="Times each search is asked (default 5).")
    parser.add_argument("--concurrent", type=int, default=0, help="Then send this many searches at once.")
    parser.add_argument("--workers", type=int, default=1, help="`warta serve --workers N` (default 1).")
    args = parser.parse_args()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "warta", "serve", "--db", args.db, "--port", str(port),
                               "--workers", str(args.workers)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                fetch_ms(base + "/api/sources")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    sys.exit("warta serve did not start")
                time.sleep(0.3)
        searches = [f"{base}/api/articles?q={urllib.request.quote(q)}" for q in QUERIES]
        for url in searches + [base + path for path in OTHER]:
            fetch_ms(url)  # warm: the first call of a kind loads the actor dictionary or fills caches
        search_times = [fetch_ms(url) for _ in range(args.rounds) for url in searches]
        print(f"{'request':44s} {'median':>8s} {'p95':>8s} {'max':>8s}  (ms)")
        print(f"{f'/api/articles?q=… ({len(QUERIES)} queries x {args.rounds})':44s} {summary(search_times)}")
        for path in OTHER:
            print(f"{path:44s} {summary([fetch_ms(base + path) for _ in range(args.rounds)])}")
        if args.concurrent:
            load(searches, args.concurrent)
            costly(base)
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()

"""Issue 20's path at scale: generated articles through `warta spark` in local mode, the part
files stored by `warta load` into PostgreSQL and SQLite, then search latency on the result.
Run on demand, not in the test suite:

    .venv/bin/python benchmarks/spark_load.py ../shared/corpus/indosum/articles.jsonl \\
        --size 100000 --postgres postgresql://USER@HOST/postgres

`--postgres` names a server (and a database to connect to there); the benchmark makes a new
database `warta_bench` on it, dropping one of that name first, and leaves it for a look.
Prints a Markdown table for benchmarks/RESULTS.md.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from throughput import _children, _rss_mb, generate, machine  # noqa: E402


def _tree(pid: int) -> list[int]:
    """`pid` and all its descendants (Spark's JVM and its Python workers are grandchildren)."""
    found, todo = [], [pid]
    while todo:
        found.append(todo.pop())
        todo += _children(found[-1])
    return found


def measured(command: list[str]) -> dict:
    """Wall seconds and peak resident MB of the whole process tree of `command`."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = {"mb": 0.0}

    def sample() -> None:
        while process.poll() is None:
            peak["mb"] = max(peak["mb"], sum(_rss_mb(p) for p in _tree(process.pid)))
            time.sleep(0.5)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command[2:4])} failed:\n{stderr[-3000:]}")
    return {"seconds": time.perf_counter() - started, "peak_mb": peak["mb"]}


def fresh_database(server: str, name: str = "warta_bench") -> str:
    import psycopg

    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name}")
        connection.execute(f"CREATE DATABASE {name}")
    base, _, rest = server.rpartition("/")
    query = "?" + rest.split("?", 1)[1] if "?" in rest else ""
    return f"{base}/{name}{query}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="the IndoSum JSONL (../shared/corpus/indosum/articles.jsonl)")
    parser.add_argument("--size", type=int, default=100_000, help="generated articles (default 100,000)")
    parser.add_argument("--postgres", required=True, help="a PostgreSQL server URL to make the database on")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--keep", type=Path, help="keep the generated corpus and Spark's output in this folder; "
                                                  "a Spark output of an earlier run there is loaded again, not remade")
    args = parser.parse_args()
    warta = [sys.executable, "-m", "warta"]
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        output, spark = folder / "spark-out", None
        if (output / "_SUCCESS").exists():
            print(f"(Spark's output of an earlier run, {output}, is loaded; the spark step is not timed.)\n")
        else:
            corpus = generate(args.corpus, folder / "generated.jsonl", args.size)
            spark = measured(warta + ["spark", str(corpus), str(output), "--master", args.master,
                                      "--as-of", "2026-01-01"])
        records = sum(1 for part in output.glob("part-*") for _ in part.open(encoding="utf-8"))
        if spark:
            rows.append((f"warta spark --master {args.master}", spark, records))
        database = fresh_database(args.postgres)
        rows.append(("warta load → PostgreSQL", measured(warta + ["load", str(output), "--db", database]), records))
        again = measured(warta + ["load", str(output), "--db", database])
        rows.append(("warta load again (nothing new)", again, records))
        sqlite = str(Path(scratch) / "bench.db")
        rows.append(("warta load → SQLite", measured(warta + ["load", str(output), "--db", sqlite]), records))
        print(f"Machine: {machine()}; {os.cpu_count()} cores as seen by the OS\n")
        print("| step | records | seconds | records/s | peak MB (process tree) |")
        print("|---|--:|--:|--:|--:|")
        for name, run, count in rows:
            print(f"| {name} | {count:,} | {run['seconds']:.0f} | {count / run['seconds']:,.0f} | {run['peak_mb']:,.0f} |")
        for db in (database, sqlite):
            print(f"\nwarta serve on {'PostgreSQL' if db == database else 'SQLite'}, {records:,} articles:\n")
            subprocess.run([sys.executable, str(Path(__file__).parent / "serve_search.py"), db, "--rounds", "5"],
                           check=True)


if __name__ == "__main__":
    main()

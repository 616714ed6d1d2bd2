"""Time `warta ingest` on a corpus, twice (the second run must store nothing), and report
articles per second and peak memory. Run on demand, not in the test suite:

    .venv/bin/python benchmarks/ingest.py ../shared/corpus/indosum/articles.jsonl
"""
import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed(command: list[str]) -> tuple[float, float, str]:
    """(seconds, peak resident MB of the child, stdout)."""
    started = time.perf_counter()
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # max over children so far
    return seconds, peak_mb, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus")
    args = parser.parse_args()
    articles = sum(1 for line in open(args.corpus, encoding="utf-8") if line.strip())
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "bench.db")
        base = [sys.executable, "-m", "warta"]
        rows = [("extract", *timed(base + ["extract", args.corpus, "-o", str(Path(folder) / "out.jsonl")]))]
        rows.append(("ingest (new database)", *timed(base + ["ingest", args.corpus, "--db", db])))
        rows.append(("ingest again (nothing new)", *timed(base + ["ingest", args.corpus, "--db", db])))
    print(f"{articles} articles in {args.corpus}")
    print(f"{'run':28s} {'seconds':>8s} {'articles/s':>11s} {'peak MB so far':>15s}")
    for name, seconds, peak, _ in rows:
        print(f"{name:28s} {seconds:8.1f} {articles / seconds:11.0f} {peak:15.0f}")


if __name__ == "__main__":
    main()

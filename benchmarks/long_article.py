"""Memory and time of one very long article (issue 19, item 11). Run on demand:

    .venv/bin/python benchmarks/long_article.py [--time-limit 20]

It writes three one-article inputs: a short one (to time loading the models), a 1.6 MB
paragraph of news sentences with no paragraph break, and 1 MB of words with no full stop.
Each runs through `warta extract --workers 1 --time-limit T` in its own process; printed are
the wall time, the time beyond loading the models (what the time limit bounds), the peak
resident memory of the process tree, and whether the article came out as a record or a
named failure.
"""
import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SENTENCE = ("Menteri Luar Negeri Retno Marsudi bertemu Menteri Luar Negeri Jepang di Tokyo pada Senin "
            "untuk membahas kerja sama maritim kedua negara. ")
WORDS = ["kerja", "sama", "Presiden", "Jokowi", "dan", "di", "yang", "Rusia", "bertemu", "mengatakan", "bahwa",
         "Tiongkok"]


def inputs(folder: Path) -> dict[str, Path]:
    random.seed(1)
    texts = {
        "short article (loading the models)": SENTENCE * 3,
        "1.6 MB, one paragraph of news sentences": SENTENCE * (1_600_000 // len(SENTENCE)),
        "1.0 MB, words with no full stop": " ".join(random.choice(WORDS) for _ in range(150_000)),
    }
    paths = {}
    for number, (name, text) in enumerate(texts.items()):
        paths[name] = folder / f"article{number}.jsonl"
        paths[name].write_text(json.dumps({"id": f"a{number}", "text": text}) + "\n", encoding="utf-8")
    return paths


def peak_mb_of(command: list[str]) -> tuple[float, float, int, str]:
    """(wall seconds, peak MB of the process tree, exit code, last line of output) of a run
    in a fresh child: `ru_maxrss` of the children is the largest any of them reached."""
    runner = ("import resource, subprocess, sys, time; t = time.monotonic(); "
              "r = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
              "w = time.monotonic() - t; "
              "print(w, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, r.returncode); "
              "print((r.stdout + r.stderr).strip().splitlines()[-1] if (r.stdout + r.stderr).strip() else '')")
    done = subprocess.run([sys.executable, "-c", runner, *command], capture_output=True, text=True, check=True)
    numbers, last = done.stdout.split("\n", 1)
    wall, peak, code = numbers.split()
    return float(wall), float(peak), int(code), last.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--time-limit", type=float, default=20.0)
    args = parser.parse_args()
    warta = str(Path(sys.executable).with_name("warta"))
    with tempfile.TemporaryDirectory() as folder:
        rows, loading = [], None
        for name, path in inputs(Path(folder)).items():
            out = Path(folder) / (path.stem + ".out.jsonl")
            wall, peak, code, last = peak_mb_of([warta, "extract", str(path), "-o", str(out), "--workers", "1",
                                                 "--time-limit", str(args.time_limit)])
            records = len(out.read_text().splitlines()) if out.exists() else 0
            loading = wall if loading is None else loading
            outcome = "record" if records else f"failure: {last[:80]}"
            rows.append((name, path.stat().st_size / 1e6, wall, max(0.0, wall - loading), peak, code, outcome))
    print(f"# One long article (benchmarks/long_article.py, issue 19)\n\n"
          f"{time.strftime('%Y-%m-%d')}, `warta extract --workers 1 --time-limit {args.time_limit:g}`, one article "
          f"per run.\n\n| input | MB | wall s | s beyond loading | peak MB | exit | outcome |\n"
          f"|---|--:|--:|--:|--:|--:|---|")
    for name, size, wall, beyond, peak, code, outcome in rows:
        print(f"| {name} | {size:.2f} | {wall:.1f} | {beyond:.1f} | {peak:,.0f} | {code} | {outcome} |")


if __name__ == "__main__":
    main()

"""Throughput of `warta extract` against a floor that only reads and tokenizes the same texts,
on the IndoSum corpus and on 10,000- and 100,000-article corpora generated from it. Run on
demand, not in the test suite (the 100k run takes about 20 minutes on 2 cores):

    .venv/bin/python benchmarks/throughput.py ../shared/corpus/indosum/articles.jsonl
    .venv/bin/python benchmarks/throughput.py CORPUS --sizes 10000      # a quicker look

It prints a table and writes it, with the date and the machine, to benchmarks/RESULTS.md.

- extract: `warta extract CORPUS --workers CORES` in a subprocess, wall time; per core is the
  rate divided by the workers (the reader and writer process shares the cores with them). On
  IndoSum it also runs with `--workers 1` (one process, no worker start-up, nothing shared).
- tokenize floor: one process reads the same JSONL and runs spaCy's Indonesian tokenizer
  (`spacy.blank("id")`) on each text; it uses one core.
- memory: the resident size of each process of the extract run, sampled from /proc every
  0.2 s; the largest worker and the main process are given apart.
- The generated corpora cycle through IndoSum with new ids and the paragraphs of every
  repeat rotated, so no two articles are the same text.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

RESULTS = Path(__file__).with_name("RESULTS.md")
GOALS = ("extract at most 10x the cost of tokenizing alone; at least 50 articles/s per core; "
         "time linear from 10k to 100k articles; peak memory under 1 GB per worker")


def generate(source: Path, target: Path, count: int) -> Path:
    articles = [json.loads(line) for line in source.open(encoding="utf-8") if line.strip()]
    with target.open("w", encoding="utf-8") as out:
        for number in range(count):
            base = articles[number % len(articles)]
            paragraphs = base["text"].split("\n\n") if "\n\n" in base["text"] else base["text"].split(". ")
            turn = (number // len(articles)) % max(1, len(paragraphs))
            joiner = "\n\n" if "\n\n" in base["text"] else ". "
            text = joiner.join(paragraphs[turn:] + paragraphs[:turn])
            out.write(json.dumps({"id": f"gen-{number:06d}", "text": text}, ensure_ascii=False) + "\n")
    return target


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def extract(corpus: Path, workers: int, out: Path) -> dict:
    """Wall seconds and peak RSS (main process, largest worker, whole tree) of warta extract."""
    command = [sys.executable, "-m", "warta", "extract", str(corpus), "-o", str(out), "--workers", str(workers),
               "--as-of", "2026-01-01"]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = {"main": 0.0, "worker": 0.0, "total": 0.0}

    def sample() -> None:
        while process.poll() is None:
            main, workers_rss = _rss_mb(process.pid), [_rss_mb(c) for c in _children(process.pid)]
            peak["main"] = max(peak["main"], main)
            peak["worker"] = max([peak["worker"], *workers_rss])
            peak["total"] = max(peak["total"], main + sum(workers_rss))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    seconds = time.perf_counter() - started
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"warta extract failed on {corpus}:\n{stderr[-2000:]}")
    records = sum(1 for _ in out.open(encoding="utf-8"))
    return {"seconds": seconds, "articles": records, **{f"{k}_mb": v for k, v in peak.items()}}


def tokenize_floor(corpus: Path) -> dict:
    """Read the JSONL and tokenize every text with spaCy's Indonesian tokenizer, in this process."""
    import spacy

    tokenizer = spacy.blank("id").tokenizer
    started = time.perf_counter()
    count = tokens = 0
    with corpus.open("rb") as handle:
        for line in handle:
            if line.strip():
                tokens += len(tokenizer(json.loads(line)["text"]))
                count += 1
    return {"seconds": time.perf_counter() - started, "articles": count, "tokens": tokens}


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown CPU")
    memory = next((int(line.split()[1]) / 1024 ** 2 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0)
    return (f"{cpu}, {len(os.sched_getaffinity(0))} cores, {memory:.0f} GiB RAM; Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}")


def _row(r: dict) -> str:
    worker = f"{r['worker_mb']:.0f}" if r["worker_mb"] else "–"  # one process: no worker
    return (f"| {r['corpus']} | {r['articles']:,} | {r['extract_s']:.0f} | {r['extract_per_core']:.1f} | "
            f"{r['floor_per_core']:.0f} | {r['ratio']:.1f}x | {r['s_per_1k']:.1f} | {r['main_mb']:.0f} | "
            f"{worker} | {r['total_mb']:.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="the IndoSum JSONL (../shared/corpus/indosum/articles.jsonl)")
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000], help="generated corpus sizes")
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        # IndoSum in one process too: what a core does with no reader or writer beside it.
        corpora = [("IndoSum, 1 process", args.corpus, 1), ("IndoSum", args.corpus, args.workers)]
        corpora += [(f"generated {n:,}", generate(args.corpus, Path(folder) / f"gen{n}.jsonl", n), args.workers)
                    for n in args.sizes]
        for name, corpus, workers in corpora:
            print(f"{name}: extract with {workers} worker(s) ...", file=sys.stderr, flush=True)
            run = extract(corpus, workers, Path(folder) / "out.jsonl")
            print(f"{name}: tokenize floor ...", file=sys.stderr, flush=True)
            floor = tokenize_floor(corpus)
            per_core = run["articles"] / run["seconds"] / workers
            floor_rate = floor["articles"] / floor["seconds"]
            rows.append({"corpus": name, "articles": run["articles"], "extract_s": run["seconds"],
                         "extract_per_core": per_core, "floor_per_core": floor_rate,
                         "ratio": floor_rate / per_core, "s_per_1k": 1000 * run["seconds"] / run["articles"],
                         "main_mb": run["main_mb"], "worker_mb": run["worker_mb"], "total_mb": run["total_mb"]})
    header = ("| corpus | articles | extract s | extract art/s/core | tokenize art/s/core | ratio | s per 1k art "
              "| peak MB main | peak MB worker | peak MB all |\n|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    lines = [header] + [_row(r) for r in rows]
    generated = [r for r in rows if r["corpus"].startswith("generated")]
    growth = ""
    if len(generated) >= 2:
        small, large = generated[0], generated[-1]
        growth = (f"\nTime from {small['articles']:,} to {large['articles']:,} articles: x"
                  f"{large['extract_s'] / small['extract_s']:.2f} for x{large['articles'] / small['articles']:.0f} "
                  f"the articles (seconds per 1,000: {small['s_per_1k']:.1f} -> {large['s_per_1k']:.1f}).\n")
    table = "\n".join(lines) + "\n" + growth
    print(table)
    section = (f"# Throughput (benchmarks/throughput.py)\n\nLast run: {dt.date.today().isoformat()}, "
               f"`--workers {args.workers}`\n\nMachine: {machine()}\n\nGoals: {GOALS}.\n\n{table}")
    RESULTS.write_text(replace_section(RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "", section),
                       encoding="utf-8")
    print(f"written to {RESULTS} (its throughput section; the other benchmarks' sections kept)", file=sys.stderr)


def replace_section(text: str, section: str) -> str:
    """`text` with its `# Throughput` section (up to the next `# ` heading) in place of the old
    one: the results file holds every benchmark's section, and this run rewrites only its own.
    The new section's head replaces the old one's; what the old section said below its table
    (the notes of earlier runs) is kept after it."""
    head = "# Throughput (benchmarks/throughput.py)"
    if head not in text:
        return text.rstrip("\n") + "\n\n" + section
    start = text.index(head)
    following = text.find("\n# ", start + len(head))
    end = len(text) if following < 0 else following + 1
    old = text[start:end]
    # Keep the old section's notes after its first table (what earlier runs measured).
    table_end = old.find("\n\n", old.find("\n|"))
    notes = old[table_end:].strip("\n") if table_end > 0 else ""
    return text[:start] + section.rstrip("\n") + "\n\n" + (notes + "\n\n" if notes else "") + text[end:]


if __name__ == "__main__":
    main()

"""How much the cleaner removes from a corpus, by rule, with a sample of each rule's lines.

    python scripts/furniture_report.py ../shared/corpus/indosum/articles.jsonl [--sample 5] [--seed 1]

Reads JSONL (or any input `warta extract` reads) and prints, per rule, how many lines it
removed and a random sample of them: the check that the rules remove furniture, not news.
"""
import argparse
import random
from collections import defaultdict

from warta.clean import clean_text, normalize_text
from warta.read import ReadFailure, read


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--sample", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    removed, articles, lines, touched = defaultdict(list), 0, 0, 0
    for source in read(args.paths):
        if isinstance(source, ReadFailure):
            continue
        articles += 1
        lines += sum(1 for line in normalize_text(source.text).split("\n") if line)
        cleaned = clean_text(source.text)
        touched += bool(cleaned.removed)
        for line in cleaned.removed:
            removed[line.rule].append((source.id, line.text))
    total = sum(len(v) for v in removed.values())
    print(f"{articles} articles, {lines} non-empty lines; {total} lines or tails removed "
          f"({100 * total / max(lines, 1):.2f}%) from {touched} articles")
    rng = random.Random(args.seed)
    for rule, items in sorted(removed.items(), key=lambda kv: -len(kv[1])):
        print(f"\n{rule}: {len(items)}")
        for doc_id, text in rng.sample(items, min(args.sample, len(items))):
            print(f"  {doc_id[:40]:40s} {text[:90]!r}")


if __name__ == "__main__":
    main()

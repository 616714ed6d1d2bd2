"""Mine the speech verbs of reported quotes from the annotated training articles.

    python scripts/build_quote_cues.py [--shared ../shared] [--min-count 3]

For every reported (not direct) quote of ../shared/data/annotated/*-train.jsonl, the word right
before its `start` in the article's text (past `bahwa`, `jika`, `kalau`) is the verb that
reported it: `Polisi mengatakan bahwa ...`, `AS memperingatkan ...`. Active verbs (prefix me-
or ber-; a passive `dikatakan` names its speaker after it, which a subject reader would get
wrong) seen at least --min-count times, neither a stop word (`mereka`) nor the -nya form of a
known cue (`menurutnya`), and not already in the hand-made data/quote_cues.tsv are written, with their counts, to data/quote_cues_annotated.tsv; the
loader (warta.resources.quote_cues) reads both. The dev golds and the seeds are never read.
"""
from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FILES = {"indosum-train.jsonl": "indosum", "clickid-train.jsonl": "clickid"}
COMPLEMENTISERS = {"bahwa", "jika", "kalau"}
SPEECH_FORM = re.compile(r"^(me|ber)\w{4,}$")


def texts(shared: Path, folder: str, ids: set[str]) -> dict[str, str]:
    out = {}
    for line in (shared / "corpus" / folder / "articles.jsonl").open(encoding="utf-8"):
        if line.strip():
            item = json.loads(line)
            if item.get("id") in ids:
                out[item["id"]] = item.get("text") or ""
    return out


def mined(shared: Path) -> Counter:
    counts = Counter()
    for name, folder in FILES.items():
        golds = [json.loads(line) for line in (shared / "data" / "annotated" / name).open(encoding="utf-8")
                 if line.strip()]
        bodies = texts(shared, folder, {g["id"] for g in golds})
        for gold in golds:
            body = bodies.get(gold["id"], "")
            for quote in gold.get("quotes", []):
                at = body.find(quote["start"]) if not quote["direct"] else -1
                if at < 0:
                    continue
                words = re.findall(r"\w+", body[max(0, at - 60):at].lower())
                while words and words[-1] in COMPLEMENTISERS:
                    words.pop()
                if words and SPEECH_FORM.match(words[-1]):
                    counts[words[-1]] += 1
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--min-count", type=int, default=3)
    args = parser.parse_args()
    data = ROOT / "src" / "warta" / "data"
    known = {line.split("\t")[0].strip().lower() for line in (data / "quote_cues.tsv").open(encoding="utf-8")
             if "\t" in line and not line.startswith("#")}
    from spacy.lang.id.stop_words import STOP_WORDS

    counts = mined(args.shared)
    kept = sorted(((w, n) for w, n in counts.items() if n >= args.min_count and w not in known
                   and w not in STOP_WORDS and w.removesuffix("nya") not in known),
                  key=lambda item: (-item[1], item[0]))
    lines = ["# Speech verbs of reported quotes in ../shared/data/annotated (the training files), made by",
             "# scripts/build_quote_cues.py; those of data/quote_cues.tsv left out. cue<TAB>kind<TAB>count",
             *(f"{w}\tverb\t{n}" for w, n in kept)]
    (data / "quote_cues_annotated.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(kept)} verbs written: {', '.join(w for w, _ in kept)}")


if __name__ == "__main__":
    main()

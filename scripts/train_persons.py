"""Train the classifier of lone model names (warta.actors.lone_features) on the annotated persons.

    python scripts/train_persons.py [--shared ../shared]

A lone capitalised word that only the NER model calls a person (`kata Hendrawan`, `Zidane`,
but also `Spotify`, `Raqqa`, `Rohingya`) is kept or dropped by a logistic regression. Its
examples are every such word in the annotated training articles of ../shared/data/annotated
(the IndoSum and CLICK-ID training files), taken through the stages up to actors as `warta
extract` would: one of the article's persons when it is a word of a gold person's name or
aliases, else not. Held-out accuracy and person F1 come from 5 folds by article; person_f1 on
the dev golds is measured, never trained on. Writes src/warta/data/persons.json.gz and its
card persons.md; the same data gives the same file. Ids of the dev golds or the seeds in the
training data stop it.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from train_events import AS_OF, CORPORA, DEV_GOLDS, ROOT, held_out_ids, read_sources  # noqa: E402

STAGES = ("webpage", "clean", "meta", "tokens")  # what the actors stage reads
STRENGTHS = (0.1, 0.3, 1.0)


def tokenized(sources: list) -> list:
    from warta.article import Article
    from warta.pipeline import STAGES as ALL, Options

    options = Options(as_of=AS_OF, time_limit=None)
    articles = [Article(source=s) for s in sources]
    for stage in (s for s in ALL if s.__name__ in STAGES):
        for article in articles:
            stage(article, options)
    return articles


class Item:
    """One article: its gold persons' name words and its lone model names with features."""

    def __init__(self, gold: dict, article):
        from warta.actordict import iso_day
        from warta.actors import lone_names

        self.id, self.gold = gold["id"], gold
        body = article.cleaned.body if article.cleaned else ""
        day = iso_day(article.meta.published if article.meta and article.meta.published else AS_OF.isoformat())
        self.lone = lone_names(body, day, article.tokens) if body else []
        self.words = {w for p in gold.get("persons", []) for n in [p["name"], *p.get("aliases", [])]
                      for w in n.replace("-", " ").split()}
        self.optional = {w for n in gold.get("persons_optional", []) for w in n.split()}

    def examples(self) -> list[tuple[list[str], str]]:
        return [(features, "person" if mention.text in self.words else "other")
                for mention, features in self.lone if mention.text not in self.optional - self.words]


def load(shared: Path, files: dict, forbidden: set[str]) -> list[Item]:
    from rich.progress import Progress

    items = []
    for gold_path, folder in files.values():
        golds = [json.loads(line) for line in Path(gold_path).open(encoding="utf-8") if line.strip()]
        if forbidden & {g["id"] for g in golds}:
            sys.exit(f"{gold_path} holds ids of the dev golds or the seeds: those are for measuring only")
        sources = read_sources(shared / "corpus" / folder / "articles.jsonl", {g["id"] for g in golds})
        golds = [g for g in golds if g["id"] in sources]
        with Progress(transient=True) as progress:
            task = progress.add_task(f"reading {Path(gold_path).name}", total=len(golds))
            for gold in golds:
                items.append(Item(gold, tokenized([sources[gold["id"]]])[0]))
                progress.advance(task)
    return items


def fit(items: list[Item], c: float):
    from warta import linear

    return linear.fit([e for item in items for e in item.examples()], ("other", "person"), c=c)


def accuracy(items: list[Item], model, cut: float = 0.5) -> tuple[int, int, int, int]:
    """(right, kept that are persons, kept, persons) over the lone names of `items`."""
    right = tp = kept = positives = 0
    for item in items:
        for features, label in item.examples():
            keep = model.probability(features, "person") >= cut
            right += keep == (label == "person")
            tp += keep and label == "person"
            kept += keep
            positives += label == "person"
    return right, tp, kept, positives


def folds(items: list[Item], k: int = 5) -> list[list[Item]]:
    ranked = sorted(items, key=lambda i: hashlib.sha1(i.id.encode()).hexdigest())
    return [ranked[f::k] for f in range(k)]


def cross_validate(items: list[Item], c: float) -> tuple[int, int, int, int, int]:
    totals = [0, 0, 0, 0]
    for held in folds(items):
        model = fit([i for i in items if i not in held], c)
        totals = [a + b for a, b in zip(totals, accuracy(held, model))]
    return (*totals, sum(len(i.examples()) for i in items))


def main() -> None:
    from warta import linear

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--out", type=Path, default=ROOT / "src" / "warta" / "data" / "persons.json.gz")
    args = parser.parse_args()
    files = {c: (str(args.shared / "data" / "annotated" / g), f) for c, (g, f) in CORPORA.items()}
    items = load(args.shared, files, held_out_ids(args.shared))
    results = {c: cross_validate(items, c) for c in STRENGTHS}
    c = max(STRENGTHS, key=lambda k: (results[k][0], -k))
    right, tp, kept, positives, total = results[c]
    model = fit(items, c)
    dev = {name: load(args.shared, {"dev": (str(args.shared / "eval" / name), "indosum")}, set()) for name in DEV_GOLDS}
    measured = {name: accuracy(dev_items, model) for name, dev_items in dev.items()}
    base = sum(1 for i in items for _, label in i.examples() if label == "other")
    linear.save(args.out, {"lone": model, "trained_on": sorted(i.id for i in items)})
    card = f"""# Lone model names: model card

Made by `python scripts/train_persons.py` (deterministic), read by `warta.actors.lone_name_model`;
the features are `warta.actors._Finder.lone_features`.

## Data
{len(items)} annotated training articles of `../shared/data/annotated` (IndoSum and CLICK-ID), taken
through the stages up to actors. {total} lone words that only the NER model called a person and
nothing else backed (no title, no full name, no office-holder); {positives} of them are a word of a
gold person's name or aliases. No dev-gold or seed article is among them.

## Model
Logistic regression (L2, C = {c}, chosen on the folds: {", ".join(f"C={k}: {v[0] / v[4]:.3f}" for k, v in results.items())})
over the word before and after, the two before, a speech cue before or a verb after, opening a
sentence, how often the article writes the word and whether also in lower case, all capitals,
a place of the gazetteer, a name the dictionary knows, suffix and length. Kept at P >= 0.5.

## Held-out (5 folds by article)
Accuracy {right / total:.3f} (dropping every one, as before: {base / total:.3f}); of the words kept,
{tp / kept if kept else 0:.3f} are persons; {tp / positives if positives else 0:.3f} of the persons are kept.

## Dev golds (measured only)
{chr(10).join(f"- {n}: accuracy {r[0] / max(1, sum(len(i.examples()) for i in dev[n])):.3f}, kept {r[2]}, of them persons {r[1]}, persons {r[3]}" for n, r in measured.items())}

## Retrain
`python scripts/train_persons.py` (a minute or two), after `train_ner.py` if the NER changed.
"""
    args.out.with_suffix("").with_suffix(".md").write_text(card, encoding="utf-8")
    print(f"wrote {args.out}: held-out accuracy {right / total:.3f} (drop all {base / total:.3f}), "
          f"precision {tp / max(1, kept):.3f}, recall {tp / max(1, positives):.3f}")


if __name__ == "__main__":
    main()

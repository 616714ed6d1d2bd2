"""Train the speaker ranker (warta.speakers) on the annotated quotes of ../shared, or measure it.

    python scripts/train_speakers.py [--shared ../shared]

writes src/warta/data/speakers.json.gz and its model card speakers.md, with the held-out
accuracy, the accuracy on the dev golds and a learning curve measured on them.

Training reads ../shared/data/annotated/{indosum,clickid}-train.jsonl and the texts they
annotate, takes each article through the stages before quotes as `warta extract` would, finds
its quotes with the readers of warta.quotes, and pairs each quote with the gold quote the scorer
would pair it with (`../shared/eval/score.py`: the gold quote's first words inside its text).
Every candidate of a paired quote is an example: right when it is the gold speaker as the
scorer compares them. A logistic regression over the candidates' features is fitted; held-out
accuracy comes from 5 folds by article, which also choose the L2 strength. The same data gives
the same file. An id of a dev gold or a seed in the training data stops it; the dev golds are
read only to measure.
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

from train_events import AS_OF, CORPORA, DEV_GOLDS, ROOT, held_out_ids, read_sources, scorer  # noqa: E402

READ_STAGES = ("webpage", "clean", "meta", "tokens", "actors")  # what the quotes stage reads
STRENGTHS = (0.1, 0.3, 1.0, 3.0)  # the L2 strengths C tried on the held-out folds


def prepared(sources: list) -> list:
    from rich.progress import Progress

    from warta.article import Article
    from warta.pipeline import STAGES, Options

    options = Options(as_of=AS_OF, time_limit=None)
    stages = [s for s in STAGES if s.__name__ in READ_STAGES]
    articles = [Article(source=source) for source in sources]
    with Progress(transient=True) as progress:
        task = progress.add_task("reading the articles", total=len(articles))
        for i in range(0, len(articles), 16):
            chunk = articles[i:i + 16]
            for stage in stages:
                if batch := getattr(stage, "batch", None):
                    batch(chunk, options)
                else:
                    for article in chunk:
                        stage(article, options)
            progress.advance(task, len(chunk))
    return articles


class Item:
    """One article: its gold, and its body, mentions, sentences and rule-found quotes."""

    def __init__(self, gold: dict, article, corpus: str):
        from warta.quotes import find_quotes

        self.id, self.gold, self.corpus = gold["id"], gold, corpus
        self.body = article.cleaned.body if article.cleaned else ""
        self.mentions = article.actors.mentions if article.actors else []
        self.sentences = article.tokens.sentences if article.tokens else []
        self.quotes = find_quotes(self.body, self.mentions, self.sentences, ranker=False)


def load(shared: Path, files: dict[str, tuple[str, str]], forbidden: set[str]) -> list[Item]:
    items = []
    for corpus, (gold_path, folder) in files.items():
        golds = [json.loads(line) for line in Path(gold_path).open(encoding="utf-8") if line.strip()]
        leaked = forbidden & {g["id"] for g in golds}
        if leaked:
            sys.exit(f"{gold_path} holds ids of the dev golds or the seeds ({sorted(leaked)[:3]}...): "
                     "those are for measuring only")
        sources = read_sources(shared / "corpus" / folder / "articles.jsonl", {g["id"] for g in golds})
        golds = [g for g in golds if g["id"] in sources]
        articles = prepared([sources[g["id"]] for g in golds])
        items += [Item(g, a, corpus) for g, a in zip(golds, articles)]
    return items


def pairs(item: Item, score) -> list[tuple[int, dict]]:
    """(index of the quote, its gold quote) as the scorer pairs them; optional golds left out."""
    used, out = set(), []
    for i, quote in enumerate(item.quotes):
        text = score.norm(quote.text)
        hit = next((j for j, g in enumerate(item.gold.get("quotes", [])) if j not in used
                    and score.norm(g["start"]) in text), None)
        if hit is None:
            continue
        used.add(hit)
        if not item.gold["quotes"][hit].get("optional"):
            out.append((i, item.gold["quotes"][hit]))
    return out


def right(score, names, speaker: dict | None, gold: dict) -> bool:
    speaker = speaker or {}
    if "speaker" in gold:
        return names.canonical(speaker.get("name") or "") == names.canonical(gold["speaker"])
    return score.countries_of([speaker]) == set(gold["speaker_countries"])


def examples(item: Item, score) -> list[tuple[list[str], str, int]]:
    """(features, yes|no, quote number) for every candidate of every paired quote; the quote
    before's speaker is the readers' one, as in warta.speakers.rank."""
    from warta.speakers import Context

    context = Context(item.body, item.mentions, item.sentences)
    names = score.Names(item.gold)
    gold_of = dict(pairs(item, score))
    out, previous = [], None
    for i, quote in enumerate(item.quotes):
        candidates = context.candidates(quote, previous, item.quotes)
        gold = gold_of.get(i)
        previous = quote.speaker
        if gold is None:
            continue
        for candidate in candidates:
            ok = right(score, names, candidate.speaker, gold)
            out.append((sorted(candidate.features), "yes" if ok else "no", i))
    return out


def fit(items: list[Item], score, c: float):
    from warta import linear

    data = [(f, label) for item in items for f, label, _ in examples(item, score)]
    return linear.fit(data, ("no", "yes"), c=c)


def accuracy(items: list[Item], score, model) -> tuple[int, int, int]:
    """(right with the model, right with the readers alone, paired quotes) over `items`."""
    from warta.speakers import rank

    ranked = rule = total = 0
    for item in items:
        names = score.Names(item.gold)
        by_rule = [q.speaker for q in item.quotes]
        if model is not None:
            rank(item.body, item.mentions, item.sentences, item.quotes, model)
        for i, gold in pairs(item, score):
            total += 1
            ranked += right(score, names, item.quotes[i].speaker, gold)
            rule += right(score, names, by_rule[i], gold)
        for quote, speaker in zip(item.quotes, by_rule):
            quote.speaker, quote.speaker_confidence = speaker, None
    return ranked, rule, total


def folds(items: list[Item], k: int) -> list[list[Item]]:
    ranked = sorted(items, key=lambda i: hashlib.sha1(i.id.encode()).hexdigest())
    return [ranked[f::k] for f in range(k)]


def cross_validate(items: list[Item], score, k: int, c: float) -> tuple[int, int, int]:
    totals = [0, 0, 0]
    for f, held in enumerate(folds(items, k)):
        train = [i for i in items if i not in held]
        model = fit(train, score, c)
        for t, n in enumerate(accuracy(held, score, model)):
            totals[t] += n
    return tuple(totals)


def dev_items(shared: Path) -> dict[str, list[Item]]:
    return {name: load(shared, {"dev": (str(shared / "eval" / name), "indosum")}, set())
            for name in DEV_GOLDS}


def card(items: list[Item], model, c: float, cs: dict, dev: dict, curve: list[str]) -> str:
    ranked, rule, total = cs[c]
    return f"""# Speaker ranker: model card

Made by `python scripts/train_speakers.py` (deterministic: the same data gives the same file),
read by `warta.speakers.packaged_model`; features and candidates are in `src/warta/speakers.py`.

## Data
{len(items)} annotated articles of `../shared/data/annotated` (the IndoSum and CLICK-ID training
files); their quotes found by the readers of `warta.quotes` and paired with a gold quote as the
scorer pairs them: {total} paired quotes. Each candidate speaker of a paired quote is one example,
right when it is the gold speaker as `../shared/eval/score.py` compares them. No dev-gold or seed
article is among them (the script refuses).

## Model
Binary logistic regression (L2, C = {c}) over {len(model.index)} features: who proposed the candidate
(the readers' choice, the quote before's speaker, a person before or after the quote, the last
person named, an organisation or state that speaks, no one), where it stands (side, rank,
distance, same sentence or the next), a cue between, how often the article names it, each
crossed with the quote's kind (direct or reported, the cue's kind, `-nya`, opening a paragraph).
The quote's speaker is the best-scoring candidate; `speaker_confidence` its softmax share.

## Held-out accuracy (5 folds by article, paired quotes)
Ranker {ranked / total:.3f}, the readers' choice alone {rule / total:.3f} ({total} quotes).
C chosen on these folds: {", ".join(f"C={k}: {v[0] / v[2]:.3f}" for k, v in cs.items())}.

## Dev golds (measured only; paired quotes)
{chr(10).join(f"- {name}: ranker {r / t:.3f}, readers alone {u / t:.3f} ({t} quotes)" for name, (r, u, t) in dev.items())}

## Learning curve (speaker accuracy on the dev golds, paired quotes)
{chr(10).join(curve)}

## Retrain
`python scripts/train_speakers.py` (about a minute). New annotation in `../shared/data/annotated`
is picked up as it is.
"""


def main() -> None:
    from warta import linear

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--out", type=Path, default=ROOT / "src" / "warta" / "data" / "speakers.json.gz")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    score = scorer(args.shared)
    forbidden = held_out_ids(args.shared)
    files = {corpus: (str(args.shared / "data" / "annotated" / gold), folder)
             for corpus, (gold, folder) in CORPORA.items()}
    items = load(args.shared, files, forbidden)
    cs = {}
    for c in STRENGTHS:
        cs[c] = cross_validate(items, score, args.folds, c)
        print(f"C={c}: held-out speaker accuracy {cs[c][0] / cs[c][2]:.3f}", file=sys.stderr)
    c = max(STRENGTHS, key=lambda k: (cs[k][0], -k))
    cv = cs[c]
    model = fit(items, score, c)
    dev = dev_items(args.shared)
    measured = {name: accuracy(dev_set, score, model) for name, dev_set in dev.items()}
    ranked_items = sorted(items, key=lambda i: hashlib.sha1(i.id.encode()).hexdigest())
    curve = ["| training articles | " + " | ".join(DEV_GOLDS) + " |", "|--:|" + "--:|" * len(DEV_GOLDS)]
    for share in (25, 50, 100):
        subset = ranked_items[:round(len(ranked_items) * share / 100)]
        partial = fit(subset, score, c)
        cells = []
        for dev_set in dev.values():
            r, _, t = accuracy(dev_set, score, partial)
            cells.append(f"{r / t:.3f}")
        curve.append(f"| {len(subset)} ({share}%) | " + " | ".join(cells) + " |")
    linear.save(args.out, {"ranker": model, "trained_on": sorted(i.id for i in items)})
    args.out.with_suffix("").with_suffix(".md").write_text(card(items, model, c, cs, measured, curve),
                                                           encoding="utf-8")
    print(f"wrote {args.out}; held-out accuracy {cv[0] / cv[2]:.3f} (readers alone {cv[1] / cv[2]:.3f}); "
          + "; ".join(f"{n} {r / t:.3f} (readers {u / t:.3f})" for n, (r, u, t) in measured.items()))


if __name__ == "__main__":
    main()

"""Train the two person classifiers of warta.actors on the annotated persons.

    python scripts/train_persons.py [--shared ../shared]

The span classifier (warta.actors._Finder.span_features) cuts a person span the finders made
to the name in it, or refuses it: `Sinar Foods Budi Hartono` gave `Sinar Foods Budi`, firms
and places came out as persons. Its examples are every run of words inside every such span of
the training articles; a run is a name when it is a gold person's name or alias, or one word of
one, and no longer run of the span is one. The cut below which a span is refused is chosen with
C on the folds.

The lone-name classifier: a lone capitalised word that only the NER model calls a person
(`kata Hendrawan`, `Zidane`, but also `Spotify`, `Raqqa`, `Rohingya`) is kept or dropped by a
logistic regression. Its examples are every such word in the annotated training articles of
../shared/data/annotated (the IndoSum and CLICK-ID training files), taken through the stages up
to actors as `warta extract` would (after the span classifier): one of the article's persons when it is a word of a gold person's name or
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

from train_events import AS_OF, CORPORA, DEV_GOLDS, ROOT, held_out_ids, read_sources, scorer  # noqa: E402

STAGES = ("webpage", "clean", "meta", "tokens")  # what the actors stage reads
STRENGTHS = (0.1, 0.3, 1.0)
SPAN_CUTS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)


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
    """One article: its gold persons' names and words, its person spans and lone model names
    with features."""

    def __init__(self, gold: dict, article, name_key):
        from warta.actordict import iso_day
        from warta.actors import person_spans

        self.id, self.gold, self.article = gold["id"], gold, article
        self.body = article.cleaned.body if article.cleaned else ""
        self.day = iso_day(article.meta.published if article.meta and article.meta.published else AS_OF.isoformat())
        self.words = {w for p in gold.get("persons", []) for n in [p["name"], *p.get("aliases", [])]
                      for w in n.replace("-", " ").split()}
        self.optional = {w for n in gold.get("persons_optional", []) for w in n.split()}
        names = {name_key(n) for p in gold.get("persons", []) for n in [p["name"], *p.get("aliases", [])]}
        names |= {name_key(n) for n in gold.get("persons_optional", [])}
        # Each span as (features, is the name) per candidate part: a part is the name when it is
        # a gold name or alias, or one word of one (`Obama`, which the article resolves to
        # Barack Obama), and no longer part holding it is one.
        self.spans = []
        for candidates in person_spans(self.body, self.day, article.tokens) if self.body else []:
            named = [text for text, _ in candidates if name_key(text) in names or text in self.words]
            self.spans.append([(features, "person" if text in named and not any(
                text != other and text in other for other in named) else "other") for text, features in candidates])
        self.lone = []

    def find_lone(self, span) -> None:
        """The lone model names as the finders leave them with the span classifier `span`."""
        from warta.actors import lone_names

        self.lone = lone_names(self.body, self.day, self.article.tokens, span) if self.body else []

    def examples(self) -> list[tuple[list[str], str]]:
        return [(features, "person" if mention.text in self.words else "other")
                for mention, features in self.lone if mention.text not in self.optional - self.words]

    def span_examples(self) -> list[tuple[list[str], str]]:
        return [example for span in self.spans for example in span]


def load(shared: Path, files: dict, forbidden: set[str]) -> list[Item]:
    from rich.progress import Progress

    name_key = scorer(shared).name_key  # names compared as the scorer compares them
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
                items.append(Item(gold, tokenized([sources[gold["id"]]])[0], name_key))
                progress.advance(task)
    return items


def fit(items: list[Item], c: float):
    from warta import linear

    return linear.fit([e for item in items for e in item.examples()], ("other", "person"), c=c)


def fit_spans(items: list[Item], c: float):
    from warta import linear

    return linear.fit([e for item in items for e in item.span_examples()], ("other", "person"), c=c)


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


def span_outcomes(items: list[Item], model) -> list[tuple[float, bool, bool]]:
    """Per span: (the best part's probability, whether it is the name, whether any part is)."""
    outcomes = []
    for item in items:
        for span in item.spans:
            p, label = max((model.probability(f, "person"), label) for f, label in span)
            outcomes.append((p, label == "person", any(label == "person" for _, label in span)))
    return outcomes


def span_right(outcomes: list[tuple[float, bool, bool]], cut: float) -> int:
    """Spans judged right at `cut`: the best part is kept and is the name, or it is refused and
    no part is one."""
    return sum(best if p >= cut else not named for p, best, named in outcomes)


def whole_right(items: list[Item]) -> int:
    """Spans right when kept whole, as the finders made them (before the classifier)."""
    return sum(any(label == "person" for f, label in span if "left_out=0" in f and "right_out=0" in f)
               for item in items for span in item.spans)


def cross_validate_spans(items: list[Item], c: float) -> list[tuple[float, bool, bool]]:
    outcomes = []
    for held in folds(items):
        outcomes += span_outcomes(held, fit_spans([i for i in items if i not in held], c))
    return outcomes


def main() -> None:
    from warta import linear

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--out", type=Path, default=ROOT / "src" / "warta" / "data" / "persons.json.gz")
    args = parser.parse_args()
    files = {c: (str(args.shared / "data" / "annotated" / g), f) for c, (g, f) in CORPORA.items()}
    items = load(args.shared, files, held_out_ids(args.shared))
    dev = {name: load(args.shared, {"dev": (str(args.shared / "eval" / name), "indosum")}, set()) for name in DEV_GOLDS}

    # The span classifier first: the lone names are what is left after it has cut the spans.
    # The best part of a span competes with the other parts, so its probability runs low: the
    # cut below which a span is refused is chosen on the folds with C.
    span_results = {c: cross_validate_spans(items, c) for c in STRENGTHS}
    span_c, span_cut = max(((c, cut) for c in STRENGTHS for cut in SPAN_CUTS),
                           key=lambda k: (span_right(span_results[k[0]], k[1]), -k[0], k[1]))
    span_model = fit_spans(items, span_c)
    spans = len(span_results[span_c])
    right_spans = span_right(span_results[span_c], span_cut)
    span_base = whole_right(items)
    span_dev = {}
    for name, d in dev.items():
        outcomes = span_outcomes(d, span_model)
        span_dev[name] = (whole_right(d), span_right(outcomes, span_cut), len(outcomes))
    named = sum(any(label == "person" for _, label in span) for i in items for span in i.spans)

    for item in [*items, *(i for d in dev.values() for i in d)]:
        item.find_lone((span_model, span_cut))
    results = {c: cross_validate(items, c) for c in STRENGTHS}
    c = max(STRENGTHS, key=lambda k: (results[k][0], -k))
    right, tp, kept, positives, total = results[c]
    model = fit(items, c)
    measured = {name: accuracy(dev_items, model) for name, dev_items in dev.items()}
    base = sum(1 for i in items for _, label in i.examples() if label == "other")
    linear.save(args.out, {"lone": model, "span": span_model, "span_cut": span_cut, "trained_on": sorted(i.id for i in items)})
    card = f"""# Person classifiers: model card

Made by `python scripts/train_persons.py` (deterministic), read by `warta.actors.span_model` and
`warta.actors.lone_name_model`; the features are `warta.actors._Finder.span_features` and
`warta.actors._Finder.lone_features`.

## Data
{len(items)} annotated training articles of `../shared/data/annotated` (IndoSum and CLICK-ID), taken
through the stages up to actors. No dev-gold or seed article is among them.
- Spans: {spans} person spans that a finder made and no dictionary name backs (a name after a
  title, or the NER's of more than one word); {named} hold a gold person's name or alias, or a
  word of one, as one of their runs of words.
- Lone names: {total} lone words that only the NER model called a person and nothing else
  backed (no title, no full name, no office-holder), after the span classifier has cut the
  spans; {positives} of them are a word of a gold person's name or aliases.

## Span model
Logistic regression (L2, C = {span_c}, chosen on the folds with the cut: {", ".join(f"C={k}: {span_right(v, span_cut) / spans:.3f}" for k, v in span_results.items())} at the cut)
scoring every run of up to {_span_words()} words of a span: its first and last word, the words
either side, how many words it leaves out on each side, the words' suffixes and shapes (digits,
capitals), how many are Indonesian words, a title or office word before it, a name the dictionary
knows, a place of the gazetteer, how often the article writes its last word, a verb after it. The
best run is the name when P >= {span_cut} (the cut of the folds: {", ".join(f"{cut}: {span_right(span_results[span_c], cut) / spans:.3f}" for cut in SPAN_CUTS)});
below, the span is no person.

Held-out (5 folds by article): {right_spans / spans:.3f} of the spans judged right (the best run is the
name, or no run is one and the span is refused); keeping every span whole, as before: {span_base / spans:.3f}.

## Lone-name model
Logistic regression (L2, C = {c}, chosen on the folds: {", ".join(f"C={k}: {v[0] / v[4]:.3f}" for k, v in results.items())})
over the word before and after, the two before, a speech cue before or a verb after, opening a
sentence, how often the article writes the word and whether also in lower case, all capitals,
a place of the gazetteer, a name the dictionary knows, suffix and length. Kept at P >= 0.5.

Held-out (5 folds by article): accuracy {right / total:.3f} (dropping every one, as before: {base / total:.3f});
of the words kept, {tp / kept if kept else 0:.3f} are persons; {tp / positives if positives else 0:.3f} of the persons are kept.

## Dev golds (measured only)
{chr(10).join(f"- {n}: spans right {span_dev[n][1]}/{span_dev[n][2]} (whole, as before: {span_dev[n][0]}); lone names: accuracy {r[0] / max(1, sum(len(i.examples()) for i in dev[n])):.3f}, kept {r[2]}, of them persons {r[1]}, persons {r[3]}" for n, r in measured.items())}

## Retrain
`python scripts/train_persons.py` (a few minutes), after `train_ner.py` if the NER changed, and
before `train_speakers.py` and `train_events.py`, which read the persons it leaves.
"""
    args.out.with_suffix("").with_suffix(".md").write_text(card, encoding="utf-8")
    print(f"wrote {args.out}: spans held-out {right_spans / spans:.3f} at cut {span_cut} (whole {span_base / spans:.3f}); "
          f"lone names held-out accuracy {right / total:.3f} (drop all {base / total:.3f}), "
          f"precision {tp / max(1, kept):.3f}, recall {tp / max(1, positives):.3f}")


def _span_words() -> int:
    from warta.actors import _SPAN_WORDS

    return _SPAN_WORDS


if __name__ == "__main__":
    main()

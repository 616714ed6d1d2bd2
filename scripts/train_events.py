"""Train the event models (warta.eventmodel) on the annotated articles of ../shared, or measure them.

    python scripts/train_events.py [--shared ../shared] [--corpora indosum,clickid]
    python scripts/train_events.py --evaluate       # the packaged models on the dev golds
    python scripts/train_events.py --curve          # the learning curve, measured on the dev golds

Training reads ../shared/data/annotated/{indosum,clickid}-train.jsonl and the texts they
annotate (corpus/indosum, corpus/clickid), takes them through every stage before events as
`warta extract` would, fits the domain, type, role and day models, calibrates the confidence
and chooses the cut on 5 cross-validation folds by article, and writes
src/warta/data/events.json.gz and its model card src/warta/data/events.md. The same data gives
the same files. An id of a dev gold or a seed in the training data stops it: those are for
measuring only, and neither training nor the cut ever reads them.

--evaluate and --curve read the dev golds (eval/indosum-dev*.gold.jsonl) to measure: event and
dyad F1, precision and recall per type, the accuracy of the day over the pairs found, and the
expected calibration error of the confidence.
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import sys
from collections import Counter
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one thread: the same floating-point sums every run
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2026, 1, 1)  # the reference day of training: after every annotated article
DEV_GOLDS = ("indosum-dev.gold.jsonl", "indosum-dev2.gold.jsonl")
CORPORA = {"indosum": ("indosum-train.jsonl", "indosum"), "clickid": ("clickid-train.jsonl", "clickid")}


def scorer(shared: Path):
    spec = importlib.util.spec_from_file_location("score", shared / "eval" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def held_out_ids(shared: Path) -> set[str]:
    ids = set()
    for name in (*DEV_GOLDS, "seeds.gold.jsonl"):
        ids |= {json.loads(line)["id"] for line in (shared / "eval" / name).open(encoding="utf-8") if line.strip()}
    return ids


def read_sources(path: Path, ids: set[str]) -> dict:
    """The articles of `ids` in a corpus file, read as `warta extract` reads JSON Lines."""
    from warta.read import ReadFailure, read

    return {s.id: s for s in read([str(path)]) if not isinstance(s, ReadFailure) and s.id in ids}


def annotated(shared: Path, corpora: list[str]):
    from warta.eventmodel import Annotated

    forbidden = held_out_ids(shared)
    items = []
    for corpus in corpora:
        gold_name, folder = CORPORA[corpus]
        golds = [json.loads(line) for line in (shared / "data" / "annotated" / gold_name).open(encoding="utf-8")
                 if line.strip()]
        leaked = forbidden & {g["id"] for g in golds}
        if leaked:
            sys.exit(f"{gold_name} holds ids of the dev golds or the seeds ({sorted(leaked)[:3]}...): "
                     "those are for measuring only")
        sources = read_sources(shared / "corpus" / folder / "articles.jsonl", {g["id"] for g in golds})
        missing = [g["id"] for g in golds if g["id"] not in sources]
        if missing:
            sys.exit(f"{len(missing)} annotated article(s) of {gold_name} have no text, first {missing[0]}")
        articles = prepared([sources[g["id"]] for g in golds], f"preparing {corpus}")
        items += [Annotated(g["id"], a, g, corpus) for g, a in zip(golds, articles)]
    return items


def prepared(sources: list, label: str) -> list:
    from rich.progress import Progress

    from warta.eventmodel import prepare

    out = []
    with Progress(transient=True) as progress:
        task = progress.add_task(label, total=len(sources))
        for i in range(0, len(sources), 16):
            out += prepare(sources[i:i + 16], AS_OF)
            progress.advance(task, len(sources[i:i + 16]))
    return out


# ---------------------------------------------------------------------- measuring on the dev golds
def dev_articles(shared: Path):
    golds = {}
    for name in DEV_GOLDS:
        golds[name] = {json.loads(line)["id"]: json.loads(line) for line in (shared / "eval" / name).open(encoding="utf-8")
                       if line.strip()}
    ids = {i for g in golds.values() for i in g}
    sources = read_sources(shared / "corpus" / "indosum" / "articles.jsonl", ids)
    # The dev articles go through the stages as at run time: parsed where the packaged vocabulary says.
    articles = dict(zip(sorted(sources), prepared([sources[i] for i in sorted(sources)], "preparing the dev articles")))
    return golds, articles


def measure(models, golds: dict, articles: dict, score) -> dict:
    """Every figure of the note for one set of models, on each dev gold."""
    from warta.events import find_events

    out = {}
    for name, gold in golds.items():
        records = {}
        for doc_id in gold:
            events = find_events(articles[doc_id], AS_OF, models)
            records[doc_id] = (events, {"id": doc_id, "events": [e.to_record() for e in events]})
        typed, untyped = score.Ratio(), score.Ratio()
        per_type: dict[str, object] = {}
        dated = [0, 0]
        confidences = []
        for doc_id, g in gold.items():
            events, record = records[doc_id]
            score.score_events(g, record, True, typed, [])
            score.score_events(g, record, False, untyped, [])
            for kind in sorted({e["type"] for e in g.get("events", [])} | {e["type"] for e in record["events"]}):
                ratio = per_type.setdefault(kind, score.Ratio())
                score.score_events({"events": [e for e in g.get("events", []) if e["type"] == kind]},
                                   {"events": [e for e in record["events"] if e["type"] == kind]}, True, ratio, [])
            right, total = dates_over_matched(score, g, record)
            dated[0] += right
            dated[1] += total
            from warta.eventmodel import is_right

            confidences += [(e.confidence, is_right(score, g, e)) for e in events]
        out[name] = {"event_f1": typed.f1, "event_p": typed.p, "event_r": typed.r, "dyad_f1": untyped.f1,
                     "per_type": {k: (r.p, r.r, r.tp + r.fn) for k, r in per_type.items()},
                     "date_acc": dated[0] / dated[1] if dated[1] else None, "dated": dated[1],
                     "ece": ece(confidences), "events": len(confidences)}
    return out


def dates_over_matched(score, gold: dict, record: dict) -> tuple[int, int]:
    """Of the required gold pairs that some predicted event has (type and parties), how many it
    also has on the right day."""
    golds = [g for g in score.gold_dyads(gold) if not g["optional"]]
    predicted = score.predicted_dyads(record)
    right = total = 0
    for g in golds:
        days = [day for key, day in predicted if score.dyad_matches({**g, "slack": 10 ** 6, "day": g["day"] or (2000, 1, 1)},
                                                                    key, day or (2000, 1, 1))]
        if days:
            total += 1
            right += any(score.dyad_matches(g, key, day, True) for key, day in predicted)
    return right, total


def ece(pairs: list[tuple[float, bool]], bins: int = 10) -> float | None:
    """Expected calibration error: the mean gap between confidence and accuracy over 10 bins,
    weighted by how many events fall in each."""
    if not pairs:
        return None
    total = 0.0
    for b in range(bins):
        inside = [(c, r) for c, r in pairs if b / bins <= c < (b + 1) / bins or (b == bins - 1 and c == 1.0)]
        if inside:
            total += len(inside) / len(pairs) * abs(sum(r for _, r in inside) / len(inside)
                                                    - sum(c for c, _ in inside) / len(inside))
    return total


def show(results: dict, title: str) -> None:
    print(f"\n{title}")
    for name, m in results.items():
        print(f"  {name}: event_f1 {m['event_f1']:.3f} (P {m['event_p']:.3f} R {m['event_r']:.3f}) "
              f"dyad_f1 {m['dyad_f1']:.3f}; day right on {m['date_acc'] or 0:.3f} of {m['dated']} pairs found; "
              f"ECE {m['ece'] or 0:.3f} over {m['events']} events")
        for kind, (p, r, n) in sorted(m["per_type"].items()):
            print(f"      {kind:10s} P {'-' if p is None else f'{p:.2f}':>5} R {'-' if r is None else f'{r:.2f}':>5}"
                  f"  gold pairs {n}")


# ---------------------------------------------------------------------- the model card
def card(models, report, items, counts) -> str:
    from warta.eventmodel import Report

    by_corpus = Counter(i.corpus for i in items)
    events = sum(len(i.gold.get("events", [])) for i in items)
    tp, fp, fn = report.event
    reliability = []
    for b in range(10):
        inside = [(c, r) for c, r in report.confidences if b / 10 <= c < (b + 1) / 10]
        if inside:
            reliability.append(f"| {b / 10:.1f}-{(b + 1) / 10:.1f} | {len(inside)} | "
                               f"{sum(r for _, r in inside) / len(inside):.2f} |")
    return f"""# Event models: model card

Made by `python scripts/train_events.py` (deterministic: the same data gives these same files),
read by `warta.eventmodel.packaged_models`. The code of features, training and loading is
`src/warta/eventmodel.py`; the candidates they decide on come from `src/warta/events.py`.

## Data
{len(items)} annotated articles of `../shared/data/annotated` ({", ".join(f"{n} {c}" for c, n in sorted(by_corpus.items()))}),
{events} gold events (optional ones too: they are codable either way, so still positive examples).
No article of the dev golds or the seeds is among them (the script refuses, and
`tests/test_eventmodel.py` checks `trained_on`).

## Models
- domain: logistic regression, the content words of the first 400 words and the number of
  states named -> P(the article codes any event). Its probability is a feature of the type model,
  cross-fitted in training (each article's from a model that did not see it).
- type: multinomial logistic regression over NONE and the 16 PLOVER types, for each candidate
  (a lexicon trigger of data/event_triggers.tsv or a word of the trigger vocabulary:
  {len(models.vocabulary)} roots of the annotated triggers). Features: the trigger, its affixes and
  lexicon type, the words before and after it and in its clause, negation, intent,
  hypotheticals, plans and purpose clauses, the quote it sits in, the parties before and after
  it, the article's domain and number of states, the trigger's relation, head and children in
  the parse. {counts["types"]} examples.
- role: multinomial logistic regression (neither, actor, recipient) for each party of an event:
  its kind (mention, pronoun, statement, speaker, previous sentence), side and coordinated
  group relative to the trigger, the word before it, its relation path to the trigger and its
  `case` word in the parse, the trigger's voice, the event type, whether it is the speaker.
  {counts["roles"]} examples.
- day: logistic regression over the days the text offers (the sentence's dates, `kemarin`-style
  words, the paragraph's dates, the lede's, the story's last dated act, the publication date):
  their kind, form, distance from the trigger and from the publication date, tense words.
  {counts["days"]} examples.
- calibration: logistic regression of "right as coded" (type, parties and day all match the
  gold) on the logits of the type and role probabilities and the event's shape, fitted on the
  held-out folds. Confidence cut: {models.cut:.2f}, the cut of the best held-out event F1.

## Cross-validation ({report.folds} folds by article)
Held-out event F1 at the cut: {Report.f1(report.event):.3f} (tp {tp}, fp {fp}, fn {fn}); dyad F1
{Report.f1(report.dyad):.3f}. {report.aligned} gold events fall on a candidate, {report.unaligned} do not (their
trigger is in neither the lexicon nor the vocabulary, so no model can find them).

Reliability of the confidence on the held-out folds (events at or above the cut):

| confidence | events | share right |
|---|--:|--:|
{chr(10).join(reliability)}

## Retrain
`python scripts/train_events.py` (two to five minutes on two cores). New annotation in
`../shared/data/annotated` is picked up as it is; `--curve` measures what more would bring.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--out", type=Path, default=ROOT / "src" / "warta" / "data" / "events.json.gz")
    parser.add_argument("--corpora", default="indosum,clickid")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--evaluate", action="store_true", help="measure the packaged models on the dev golds")
    parser.add_argument("--curve", action="store_true", help="the learning curve, measured on the dev golds")
    args = parser.parse_args()
    score = scorer(args.shared)
    if args.evaluate:
        from warta.eventmodel import packaged_models

        golds, articles = dev_articles(args.shared)
        show(measure(packaged_models(), golds, articles, score), "packaged models on the dev golds")
        return
    from warta import linear
    from warta.eventmodel import train

    items = annotated(args.shared, args.corpora.split(","))
    if args.curve:
        curve(items, args, score)
        return
    models, report = train(items, AS_OF, score, k=args.folds,
                           progress=lambda i, k: print(f"fold {i}/{k} done", file=sys.stderr))
    linear.save(args.out, models.to_json())
    counts = example_counts(models, items)
    args.out.with_suffix("").with_suffix(".md").write_text(card(models, report, items, counts), encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e3:.0f} kB); held-out event F1 "
          f"{report.f1(report.event):.3f}, dyad F1 {report.f1(report.dyad):.3f} at cut {report.cut:.2f}")


def example_counts(models, items) -> dict:
    from warta.eventmodel import examples

    counts = Counter()
    for item in items:
        found = examples(item, models, 0.5, AS_OF)
        counts["types"] += len(found.types)
        counts["roles"] += len(found.roles)
        counts["days"] += len(found.days)
    return counts


def curve(items, args, score) -> None:
    """Dev event F1 for models trained on 25, 50 and 100% of the articles (the same subsets every
    run), and on IndoSum alone against IndoSum and CLICK-ID."""
    import hashlib

    from warta.eventmodel import train

    golds, articles = dev_articles(args.shared)
    ranked = sorted(items, key=lambda i: hashlib.sha1(i.id.encode()).hexdigest())
    runs = [(f"{share}% of both", ranked[:round(len(ranked) * share / 100)]) for share in (25, 50, 100)]
    indosum = [i for i in ranked if i.corpus == "indosum"]
    runs += [(f"{share}% of IndoSum", indosum[:round(len(indosum) * share / 100)]) for share in (50, 100)]
    print("| training | articles | " + " | ".join(f"{n} event_f1 | {n} dyad_f1" for n in golds) + " |")
    for label, subset in runs:
        models, _ = train(subset, AS_OF, score, k=args.folds)
        results = measure(models, golds, articles, score)
        print(f"| {label} | {len(subset)} | " + " | ".join(f"{r['event_f1']:.3f} | {r['dyad_f1']:.3f}"
                                                           for r in results.values()) + " |", flush=True)


if __name__ == "__main__":
    main()

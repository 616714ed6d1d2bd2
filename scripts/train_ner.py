"""Train Warta's statistical NER (PERSON / ORG / LOC) from ../shared/data/ner and evaluate it.

    python scripts/train_ner.py [--shared ../shared] [--out src/warta/data/ner] [--nerp raw|truecase]
    python scripts/train_ner.py --evaluate-only

The corpora and how their labels map:
    idner-news-2k   PER ORG LOC                      train + dev; test is held out for the score
    NER-Grit        PERSON ORGANISATION PLACE        train + valid
    NERP (PROSA)    PPL IND PLC (EVT, FNB dropped)   lower-cased: only with --nerp
    annotated       persons of data/annotated        projected onto their texts (--annotated)

The annotated articles (../shared/data/annotated, the training files only) name every person
they mention, with aliases. `--annotated` finds those names in each article's text as Warta
reads it and adds its sentences that hold one: the names are PERSON spans, the other words in
lower case are outside any name, and capitalised words no annotation names are left *missing*
(they may be an organisation or a place, which the annotation does not say). This is news text
as Warta meets it, with titles and offices glued to names (`Kabid Humas Polda Jabar Kombes Pol
Yusri Yunus`), which the NER corpora have little of.

NERP is all lower case. Capitalisation is the strongest cue a small model has for a name in
Indonesian news, and a model that learns `jakarta` as a place also learns to look past the
shape feature. `--nerp truecase` adds it with the first letter of every entity token and of
every sentence capitalised, which is how Indonesian news writes them; `--nerp raw` adds it as
it is. Both are there to measure the trade; see the closing note of issue 3 for the numbers.

The model is spaCy's efficiency NER (hash embeddings of norm, prefix, suffix and shape, a
small CNN, transition-based parser) on the `id` tokenizer. It is written to --out and loaded
by warta.actors; nothing is downloaded. The score printed at the end is span-level precision,
recall and F1 per label and micro over all three, on the idner-news-2k test split.
"""
from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
from pathlib import Path

from warta.ner import evaluate, gold_doc, read_conll

# Wide enough to learn, small enough that `warta extract` keeps 50 articles a second a core;
# --width and --depth set the tok2vec's size (the defaults are what data/ner was trained with).
CONFIG_OVERRIDES = {
    "components.tok2vec.model.embed.rows": [3000, 2000, 2000, 1000],
    "training.max_epochs": 40,
    "training.patience": 2400,
    "training.eval_frequency": 200,
    "training.dropout": 0.2,
}


def truecased(sentence: list[tuple[str, str]]) -> list[tuple[str, str]]:
    out = []
    for i, (token, tag) in enumerate(sentence):
        if (i == 0 or tag != "O") and token[:1].isalpha():
            token = token[:1].upper() + token[1:]
        out.append((token, tag))
    return out


def corpus(shared: Path, nerp: str | None, annotated: bool = False) -> tuple[list, list, list]:
    ner = shared / "data" / "ner"
    train = read_conll(ner / "idner-news-2k" / "train.txt")
    train += read_conll(ner / "nergrit_ner-grit" / "train_preprocess.txt")
    train += read_conll(ner / "nergrit_ner-grit" / "valid_preprocess.txt")
    if nerp:
        extra = read_conll(ner / "nerp_ner-prosa" / "train_preprocess.txt")
        train += [truecased(s) for s in extra] if nerp == "truecase" else extra
    if annotated:
        train += projected(shared)
    dev = read_conll(ner / "idner-news-2k" / "dev.txt")
    test = read_conll(ner / "idner-news-2k" / "test.txt")
    return train, dev, test


def projected(shared: Path) -> list[list[tuple[str, str | None]]]:
    """Sentences of the annotated training articles with their persons as PERSON spans (tag
    None: missing, not known to be outside)."""
    import json
    import re

    import spacy

    from train_events import AS_OF, CORPORA, held_out_ids, read_sources
    from warta.eventmodel import prepare

    forbidden = held_out_ids(shared)
    tokenizer = spacy.blank("id").tokenizer
    out = []
    for gold_name, folder in CORPORA.values():
        golds = [json.loads(line) for line in (shared / "data" / "annotated" / gold_name).open(encoding="utf-8")
                 if line.strip()]
        if forbidden & {g["id"] for g in golds}:
            sys.exit(f"{gold_name} holds ids of the dev golds or the seeds: those are for measuring only")
        sources = read_sources(shared / "corpus" / folder / "articles.jsonl", {g["id"] for g in golds})
        for gold in golds:
            if gold["id"] not in sources:
                continue
            article = prepare([sources[gold["id"]]], AS_OF)[0]
            body = article.cleaned.body if article.cleaned else ""
            names = sorted({n for p in gold.get("persons", []) for n in [p["name"], *p.get("aliases", [])] if n},
                           key=len, reverse=True)
            taken: list[tuple[int, int]] = []
            for name in names:
                for found in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", body):
                    if not any(s < found.end() and found.start() < e for s, e in taken):
                        taken.append(found.span())
            for start, end in article.tokens.sentences if article.tokens else []:
                inside = [(s, e) for s, e in taken if start <= s and e <= end]
                if inside:
                    out.append(tagged(tokenizer(body[start:end]), start, inside))
    return out


def tagged(doc, offset: int, names: list[tuple[int, int]]) -> list[tuple[str, str | None]]:
    """(token, tag) of one sentence: B-/I-PER on the name spans, O on lower-case words and
    punctuation and on the title before a name, None (missing) on other capitalised words and on
    tokens a name cuts through."""
    from warta.resources import indonesian_words

    words = indonesian_words()
    out = []
    for token in doc:
        if token.is_space:
            continue
        start, end = offset + token.idx, offset + token.idx + len(token)
        span = next(((s, e) for s, e in names if s < end and start < e), None)
        if span is None:
            out.append((token.text, None if token.text[:1].isupper() else "O"))
        elif span[0] <= start and end <= span[1]:
            out.append((token.text, "B-PER" if start == span[0] else "I-PER"))
        else:
            out.append((token.text, None))
    # The title right before a name is outside it (`Presiden`, `Wakil Menteri` are common words;
    # `Polda`, `Kombes` are not and stay missing).
    for i in range(len(out) - 1, 0, -1):
        if out[i][1] in ("B-PER", "O") and out[i - 1][1] is None and out[i - 1][0].lower() in words \
                and (out[i][1] == "B-PER" or out[i][0][:1].isupper()):
            out[i - 1] = (out[i - 1][0], "O")
    # A name whose first token was cut through has no B-: the whole name is missing then.
    for i, (token, tag) in enumerate(out):
        if tag == "I-PER" and (i == 0 or out[i - 1][1] not in ("B-PER", "I-PER")):
            j = i
            while j < len(out) and out[j][1] == "I-PER":
                out[j] = (out[j][0], None)
                j += 1
    return out


def print_scores(scores: dict) -> None:
    print(f"{'label':8} {'P':>6} {'R':>6} {'F1':>6}")
    for label, s in sorted(scores["ents_per_type"].items()):
        print(f"{label:8} {s['p']:6.3f} {s['r']:6.3f} {s['f']:6.3f}")
    print(f"{'micro':8} {scores['ents_p']:6.3f} {scores['ents_r']:6.3f} {scores['ents_f']:6.3f}")


def train(shared: Path, out: Path, nerp: str | None, annotated: bool, seed: int, width: int, depth: int, pieces: int,
          hidden: int) -> None:
    import spacy
    from spacy.cli.init_config import init_config
    from spacy.cli.train import train as spacy_train
    from spacy.tokens import DocBin

    train_sents, dev_sents, _ = corpus(shared, nerp, annotated)
    random.Random(seed).shuffle(train_sents)
    nlp = spacy.blank("id")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for name, sentences in (("train", train_sents), ("dev", dev_sents)):
            DocBin(docs=[gold_doc(nlp.vocab, s) for s in sentences]).to_disk(tmp / f"{name}.spacy")
        config = init_config(lang="id", pipeline=["ner"], optimize="efficiency")
        config_path = tmp / "config.cfg"
        config.to_disk(config_path)
        overrides = {"paths.train": str(tmp / "train.spacy"), "paths.dev": str(tmp / "dev.spacy"),
                     "system.seed": seed, **CONFIG_OVERRIDES,
                     "components.tok2vec.model.embed.width": width,
                     "components.tok2vec.model.encode.width": width,
                     "components.tok2vec.model.encode.depth": depth,
                     "components.tok2vec.model.encode.maxout_pieces": pieces,
                     "components.ner.model.hidden_width": hidden}
        print(f"training on {len(train_sents)} sentences, dev {len(dev_sents)}", file=sys.stderr)
        spacy_train(config_path, tmp / "output", overrides=overrides)
        if out.exists():
            shutil.rmtree(out)
        shutil.copytree(tmp / "output" / "model-best", out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument("--out", type=Path,
                        default=Path(__file__).resolve().parents[1] / "src" / "warta" / "data" / "ner")
    parser.add_argument("--nerp", choices=["raw", "truecase"], help="add the lower-cased NERP corpus")
    parser.add_argument("--annotated", action=argparse.BooleanOptionalAction, default=True,
                        help="add the persons of data/annotated, projected onto their texts")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--width", type=int, default=48)
    parser.add_argument("--depth", type=int, default=2)
    parser.add_argument("--pieces", type=int, default=3, help="maxout pieces of the tok2vec encoder")
    parser.add_argument("--hidden", type=int, default=64, help="hidden width of the NER's state layer")
    parser.add_argument("--evaluate-only", action="store_true")
    args = parser.parse_args()
    if not args.evaluate_only:
        train(args.shared, args.out, args.nerp, args.annotated, args.seed, args.width, args.depth, args.pieces, args.hidden)
    import spacy

    nlp = spacy.load(args.out)
    _, _, test = corpus(args.shared, None)
    print(f"idner-news-2k test: {len(test)} sentences", file=sys.stderr)
    print_scores(evaluate(nlp, test))


if __name__ == "__main__":
    main()

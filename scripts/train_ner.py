"""Train Warta's statistical NER (PERSON / ORG / LOC) from ../shared/data/ner and evaluate it.

    python scripts/train_ner.py [--shared ../shared] [--out src/warta/data/ner] [--nerp raw|truecase]
    python scripts/train_ner.py --evaluate-only

The corpora and how their labels map:
    idner-news-2k   PER ORG LOC                      train + dev; test is held out for the score
    NER-Grit        PERSON ORGANISATION PLACE        train + valid
    NERP (PROSA)    PPL IND PLC (EVT, FNB dropped)   lower-cased: only with --nerp

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


def corpus(shared: Path, nerp: str | None) -> tuple[list, list, list]:
    ner = shared / "data" / "ner"
    train = read_conll(ner / "idner-news-2k" / "train.txt")
    train += read_conll(ner / "nergrit_ner-grit" / "train_preprocess.txt")
    train += read_conll(ner / "nergrit_ner-grit" / "valid_preprocess.txt")
    if nerp:
        extra = read_conll(ner / "nerp_ner-prosa" / "train_preprocess.txt")
        train += [truecased(s) for s in extra] if nerp == "truecase" else extra
    dev = read_conll(ner / "idner-news-2k" / "dev.txt")
    test = read_conll(ner / "idner-news-2k" / "test.txt")
    return train, dev, test


def print_scores(scores: dict) -> None:
    print(f"{'label':8} {'P':>6} {'R':>6} {'F1':>6}")
    for label, s in sorted(scores["ents_per_type"].items()):
        print(f"{label:8} {s['p']:6.3f} {s['r']:6.3f} {s['f']:6.3f}")
    print(f"{'micro':8} {scores['ents_p']:6.3f} {scores['ents_r']:6.3f} {scores['ents_f']:6.3f}")


def train(shared: Path, out: Path, nerp: str | None, seed: int, width: int, depth: int, pieces: int,
          hidden: int) -> None:
    import spacy
    from spacy.cli.init_config import init_config
    from spacy.cli.train import train as spacy_train
    from spacy.tokens import DocBin

    train_sents, dev_sents, _ = corpus(shared, nerp)
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
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--width", type=int, default=48)
    parser.add_argument("--depth", type=int, default=2)
    parser.add_argument("--pieces", type=int, default=3, help="maxout pieces of the tok2vec encoder")
    parser.add_argument("--hidden", type=int, default=64, help="hidden width of the NER's state layer")
    parser.add_argument("--evaluate-only", action="store_true")
    args = parser.parse_args()
    if not args.evaluate_only:
        train(args.shared, args.out, args.nerp, args.seed, args.width, args.depth, args.pieces, args.hidden)
    import spacy

    nlp = spacy.load(args.out)
    _, _, test = corpus(args.shared, None)
    print(f"idner-news-2k test: {len(test)} sentences", file=sys.stderr)
    print_scores(evaluate(nlp, test))


if __name__ == "__main__":
    main()

"""Train Warta's dependency parser (UPOS, features, UD relations) from the Indonesian UD treebanks.

    python scripts/train_parser.py [--shared ../shared] [--out src/warta/data/parser]
    python scripts/train_parser.py --evaluate-only

Training data: CSUI train, GSD dev and PUD (the revised release of Alfina et al., which follows
the same guidelines as CSUI and GSD). GSD and CSUI test are held out for the scores printed at
the end; a tenth of the training sentences (every tenth) is spaCy's dev set for choosing the
best checkpoint. GSD has no train split in ../shared, which is why its dev split is trained on.

The model is spaCy's efficiency tok2vec (hash embeddings of norm, prefix, suffix and shape, a
small CNN) shared by a morphologizer (UPOS and UD features: `Voice=Pass` marks the passive)
and a transition-based parser. Multi-word tokens are one token (warta.parse.read_conllu), as
spaCy's Indonesian tokenizer leaves `menyetujuinya`. Training is deterministic (fixed seed,
one thread); it takes a few minutes on two cores.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from warta.parse import evaluate, gold_doc, read_conllu

CONFIG_OVERRIDES = {
    "training.max_epochs": 30,
    "training.patience": 1600,
    "training.eval_frequency": 200,
    "training.dropout": 0.2,
    "components.tok2vec.model.embed.rows": [5000, 2000, 2000, 1000],
}


def corpus(shared: Path) -> tuple[list, list, dict[str, list]]:
    ud = shared / "data" / "ud"
    train = read_conllu(ud / "csui" / "id_csui-ud-train.conllu")
    train += read_conllu(ud / "gsd" / "id_gsd-ud-dev.conllu")
    train += read_conllu(ud / "pud" / "id_pud-ud-test-revised-1-0.indolem.conllu")
    dev = train[9::10]
    train = [s for i, s in enumerate(train) if i % 10 != 9]
    tests = {"GSD test": read_conllu(ud / "gsd" / "id_gsd-ud-test.conllu"),
             "CSUI test": read_conllu(ud / "csui" / "id_csui-ud-test.conllu")}
    return train, dev, tests


def train(shared: Path, out: Path, seed: int, width: int, depth: int, hidden: int) -> None:
    import spacy
    from spacy.cli.init_config import init_config
    from spacy.cli.train import train as spacy_train
    from spacy.tokens import DocBin

    train_sents, dev_sents, _ = corpus(shared)
    nlp = spacy.blank("id")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for name, sentences in (("train", train_sents), ("dev", dev_sents)):
            DocBin(docs=[gold_doc(nlp.vocab, s) for s in sentences]).to_disk(tmp / f"{name}.spacy")
        config = init_config(lang="id", pipeline=["morphologizer", "parser"], optimize="efficiency")
        config_path = tmp / "config.cfg"
        config.to_disk(config_path)
        overrides = {"paths.train": str(tmp / "train.spacy"), "paths.dev": str(tmp / "dev.spacy"),
                     "system.seed": seed, **CONFIG_OVERRIDES,
                     "components.tok2vec.model.embed.width": width,
                     "components.tok2vec.model.encode.width": width,
                     "components.tok2vec.model.encode.depth": depth,
                     "components.parser.model.hidden_width": hidden}
        print(f"training on {len(train_sents)} sentences, dev {len(dev_sents)}", file=sys.stderr)
        spacy_train(config_path, tmp / "output", overrides=overrides)
        if out.exists():
            shutil.rmtree(out)
        shutil.copytree(tmp / "output" / "model-best", out)
        # The paths of the temporary folder mean nothing once it is gone.
        cfg = (out / "config.cfg").read_text(encoding="utf-8")
        (out / "config.cfg").write_text(cfg.replace(str(tmp), "TRAINING_TMP"), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument("--out", type=Path,
                        default=Path(__file__).resolve().parents[1] / "src" / "warta" / "data" / "parser")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--width", type=int, default=48)
    parser.add_argument("--depth", type=int, default=2)
    parser.add_argument("--hidden", type=int, default=32, help="hidden width of the parser's state layer")
    parser.add_argument("--evaluate-only", action="store_true")
    args = parser.parse_args()
    if not args.evaluate_only:
        train(args.shared, args.out, args.seed, args.width, args.depth, args.hidden)
    import spacy

    nlp = spacy.load(args.out)
    _, _, tests = corpus(args.shared)
    print(f"{'test set':10} {'tokens':>7} {'UAS':>6} {'LAS':>6} {'UPOS':>6}")
    for name, sentences in tests.items():
        s = evaluate(nlp, sentences)
        print(f"{name:10} {s['tokens']:7d} {s['uas']:6.3f} {s['las']:6.3f} {s['upos']:6.3f}")


if __name__ == "__main__":
    main()

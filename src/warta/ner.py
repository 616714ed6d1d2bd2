"""The statistical NER: a spaCy pipeline trained by scripts/train_ner.py, shipped in data/ner.

It finds PERSON, ORG and LOC names that no dictionary or role phrase covers. The helpers to
read CoNLL files and score spans live here too, so the training script and the test that
holds the model to its floor measure it the same way.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

# The three label sets of ../shared/data/ner, mapped onto ours. NERP's EVT (events) and FNB
# (food and beverage) have no counterpart and become O.
LABELS = {
    "PER": "PERSON", "PERSON": "PERSON", "PPL": "PERSON",
    "ORG": "ORG", "ORGANISATION": "ORG", "IND": "ORG",
    "LOC": "LOC", "PLACE": "LOC", "PLC": "LOC",
}


class ModelMissing(RuntimeError):
    pass


def model_path() -> Path:
    return Path(str(resources.files("warta") / "data" / "ner"))


@lru_cache(maxsize=1)
def model():
    """The trained pipeline, loaded once per process."""
    import spacy

    path = model_path()
    if not (path / "config.cfg").exists():
        raise ModelMissing(f"no NER model at {path}: run `python scripts/train_ner.py` to train it")
    # The tokenizer saved with the model is spaCy's Indonesian one, which the language class
    # builds anyway; loading it again from disk re-adds its 32,000 special cases (~4 s).
    nlp = spacy.load(path, exclude=["tokenizer"])
    # spaCy refuses texts over a million characters (E088), for the memory of whole-document
    # parsing. Warta's own limits are --max-bytes per article and --time-limit; within them the
    # tokenizer and this model run paragraph by paragraph, so spaCy's cap is lifted.
    nlp.max_length = 1 << 40
    return nlp


# Tokens a model reads in one batch. The NER's memory is about 3 kB a token of the batch, and
# spaCy batches by number of Docs (1,000): 1,000 pieces of an overlong article took 1.1 GB.
BATCH_TOKENS = 20_000


def pipe_bounded(nlp, docs, most: int = BATCH_TOKENS):
    """`nlp.pipe(docs)` in batches of at most `most` tokens (or one Doc, if it alone is
    longer). `docs` may be a generator: only one batch of them is held at a time."""
    batch, size = [], 0
    for doc in docs:
        if batch and size + len(doc) > most:
            yield from nlp.pipe(batch, batch_size=len(batch))
            batch, size = [], 0
        batch.append(doc)
        size += len(doc)
    if batch:
        yield from nlp.pipe(batch, batch_size=len(batch))


def recognize(docs):
    """Run the model on Docs its tokenizer made (the tokens stage's paragraphs)."""
    return pipe_bounded(model(), docs)


def read_conll(path: Path) -> list[list[tuple[str, str]]]:
    """Sentences of (token, BIO tag) from a CoNLL-style file; the tag is the last column."""
    sentences, sentence = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts:
            if sentence:
                sentences.append(sentence)
            sentence = []
            continue
        sentence.append((parts[0], parts[-1]))
    if sentence:
        sentences.append(sentence)
    return sentences


def mapped_tags(tags: list[str | None]) -> list[str | None]:
    """Our labels for a corpus's BIO tags; None (a token whose tag is not known) stays None."""
    out = []
    for tag in tags:
        if tag is None:
            out.append(None)
            continue
        prefix, _, label = tag.partition("-")
        label = LABELS.get(label) if label else None
        out.append(f"{prefix}-{label}" if label else "O")
    # An I- tag with nothing of its label before it (after a dropped label) opens the span.
    for i, tag in enumerate(out):
        if tag and tag.startswith("I-") and (i == 0 or (out[i - 1] or "")[2:] != tag[2:]):
            out[i] = "B-" + tag[2:]
    return out


def gold_doc(vocab, sentence: list[tuple[str, str | None]]):
    """A Doc of one sentence with its entity tags; a None tag is missing (neither in nor out)."""
    from spacy.tokens import Doc

    return Doc(vocab, words=[token for token, _ in sentence],
               ents=mapped_tags([tag for _, tag in sentence]))


def evaluate(nlp, sentences: list[list[tuple[str, str]]]) -> dict:
    """Span-level P/R/F1 per label and micro, predicting on the gold tokens."""
    from spacy.scorer import Scorer
    from spacy.tokens import Doc
    from spacy.training import Example

    examples = []
    for sentence in sentences:
        predicted = nlp(Doc(nlp.vocab, words=[token for token, _ in sentence]))
        examples.append(Example(predicted, gold_doc(nlp.vocab, sentence)))
    return Scorer.score_spans(examples, "ents")

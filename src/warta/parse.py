"""The `parse` stage: UPOS, features and dependency relations for the sentences that need them.

The model is a spaCy pipeline (a morphologizer and a parser on one small tok2vec) trained on
the Indonesian UD treebanks by scripts/train_parser.py and shipped in data/parser. Parsing
costs more than everything else a sentence goes through, so only the sentences the later
stages read a parse of are parsed: those with an event trigger candidate and an actor mention
or a pronoun that could be a party (`wanted`).

The CoNLL-U reader and the scorer live here too, so the training script and the test that
holds the model to its floor read and measure the treebanks the same way.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from warta.article import Article, Parse, Parsed

if TYPE_CHECKING:
    from warta.pipeline import Options

_WORD = re.compile(r"\w+(?:[-’']\w+)*")
# Words that may stand for a party where no actor mention does.
_PRONOUNS = frozenset({"ia", "dia", "beliau", "mereka", "pihaknya", "keduanya", "pernyataan"})


class ModelMissing(RuntimeError):
    pass


def model_path() -> Path:
    return Path(str(resources.files("warta") / "data" / "parser"))


@lru_cache(maxsize=1)
def model():
    """The trained pipeline, loaded once per process (without its tokenizer: sentences come in
    tokenized by the tokens stage)."""
    import spacy

    path = model_path()
    if not (path / "config.cfg").exists():
        raise ModelMissing(f"no parser model at {path}: run `python scripts/train_parser.py` to train it")
    return spacy.load(path, exclude=["tokenizer"])


def parse_sentences(sentences: list[list[tuple[str, bool, int]]]) -> list[list[Parsed]]:
    """Parse sentences given as (token text, whitespace after it, character offset) lists."""
    from spacy.tokens import Doc

    from warta.ner import pipe_bounded

    nlp = model()
    docs = (Doc(nlp.vocab, words=[t for t, _, _ in s], spaces=[w for _, w, _ in s]) for s in sentences)
    out = []
    for sentence, doc in zip(sentences, pipe_bounded(nlp, docs)):
        out.append([Parsed(token.text, offset, offset + len(token.text), token.pos_, token.dep_,
                           token.head.i, "Pass" in token.morph.get("Voice"))
                    for (_, _, offset), token in zip(sentence, doc)])
    return out


def wanted(article: Article, cues: frozenset[str] | None = None) -> list[int]:
    """The sentences to parse: a word of `cues` (by default a trigger candidate), and a party
    (an actor mention with a country, or a pronoun). Only the events stage reads the parse so
    far; a stage that comes to read it elsewhere adds its cues here."""
    if cues is None:
        from warta.events import candidate_words

        cues = candidate_words()
    tokens, body = article.tokens, article.cleaned.body if article.cleaned else ""
    if not tokens or not body:
        return []
    mentions = sorted(m.start for m in (article.actors.mentions if article.actors else [])
                      if m.country or m.countries)
    out, i = [], 0
    for number, (start, end) in enumerate(tokens.sentences):
        while i < len(mentions) and mentions[i] < start:
            i += 1
        words = {w.lower() for w in _WORD.findall(body[start:end])}
        party = (i < len(mentions) and mentions[i] < end) or bool(words & _PRONOUNS)
        if party and (cues is EVERY_WORD or words & cues):
            out.append(number)
    return out


# `wanted(article, EVERY_WORD)`: every sentence with a party, whatever its words. Training parses
# so, as the trigger vocabulary it would select by is what it is about to learn.
EVERY_WORD: frozenset[str] = frozenset({"\0every word"})


def _sentence_tokens(article: Article, number: int) -> list[tuple[str, bool, int]]:
    tokens = article.tokens
    paragraph, first, last = tokens.token_spans[number]
    offset = tokens.sentences[number][0] - tokens.docs[paragraph][first].idx
    return [(t.text, bool(t.whitespace_), offset + t.idx) for t in tokens.docs[paragraph][first:last]]


def parse_articles(articles: list[Article], cues: frozenset[str] | None = None) -> None:
    """One pass of the model over the wanted sentences of many articles."""
    jobs = [(article, number) for article in articles for number in wanted(article, cues)]
    parsed = parse_sentences([_sentence_tokens(article, number) for article, number in jobs])
    for article in articles:
        article.parse = Parse()
    for (article, number), tokens in zip(jobs, parsed):
        article.parse.sentences[number] = tokens


def parse(article: Article, options: Options) -> None:
    parse_articles([article])


parse.batch = lambda articles, options: parse_articles(articles)


# ---------------------------------------------------------------------- treebanks
@dataclass(slots=True)
class TreebankSentence:
    words: list[str]
    spaces: list[bool]
    heads: list[int]  # absolute indices; the root points at itself
    deps: list[str]
    pos: list[str]
    morphs: list[str]


def read_conllu(path: Path) -> list[TreebankSentence]:
    """Sentences of a CoNLL-U file, with each multi-word token (`menyetujuinya` = `menyetujui` +
    `nya`) made one token, as spaCy's tokenizer leaves it: the token takes the relation, head,
    tag and features of its word whose head lies outside it, and relations into its other words
    point at it."""
    sentences, block = [], []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.strip():
            if not line.startswith("#"):
                block.append(line.split("\t"))
            continue
        if block:
            sentences.append(_sentence(block))
        block = []
    return sentences


def _sentence(rows: list[list[str]]) -> TreebankSentence:
    words = {int(r[0]): r for r in rows if r[0].isdigit()}
    ranges = {}
    for r in rows:
        if "-" in r[0]:
            first, last = map(int, r[0].split("-"))
            ranges[first] = (last, r)
    tokens = []  # (surface, space after, word ids)
    i = 1
    while i <= max(words):
        if i in ranges:
            last, r = ranges[i]
            tokens.append((r[1], "SpaceAfter=No" not in r[9], list(range(i, last + 1))))
            i = last + 1
        elif i in words:
            tokens.append((words[i][1], "SpaceAfter=No" not in words[i][9], [i]))
            i += 1
        else:  # an empty node (`8.1`) is skipped by the isdigit filter; its id leaves no gap here
            i += 1
    token_of = {w: t for t, (_, _, ids) in enumerate(tokens) for w in ids}
    out = TreebankSentence([], [], [], [], [], [])
    for t, (surface, space, ids) in enumerate(tokens):
        outside = [w for w in ids if int(words[w][6]) not in ids] or ids[:1]
        row = words[outside[0]]
        head = int(row[6])
        out.words.append(surface)
        out.spaces.append(space)
        out.heads.append(t if head == 0 else token_of[head])
        out.deps.append("ROOT" if head == 0 else row[7])
        out.pos.append(row[3])
        out.morphs.append("" if row[5] == "_" else row[5])
    return out


def gold_doc(vocab, sentence: TreebankSentence):
    from spacy.tokens import Doc

    return Doc(vocab, words=sentence.words, spaces=sentence.spaces, heads=sentence.heads,
               deps=sentence.deps, pos=sentence.pos, morphs=sentence.morphs)


def evaluate(nlp, sentences: list[TreebankSentence]) -> dict:
    """UAS, LAS and UPOS accuracy on the gold tokens (punctuation included, as CoNLL 2018 counts)."""
    from spacy.tokens import Doc

    total = uas = las = pos = 0
    docs = [Doc(nlp.vocab, words=s.words, spaces=s.spaces) for s in sentences]
    for sentence, doc in zip(sentences, nlp.pipe(docs)):
        for token, head, dep, tag in zip(doc, sentence.heads, sentence.deps, sentence.pos):
            total += 1
            pos += token.pos_ == tag
            if token.head.i == head:
                uas += 1
                las += token.dep_.lower() == dep.lower()
    return {"uas": uas / total, "las": las / total, "upos": pos / total, "tokens": total}

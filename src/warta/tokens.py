"""The `tokens` stage: sentences and tokens with spaCy's Indonesian tokenizer.

spaCy's sentencizer does not split on blank lines, so each paragraph of the body is run on
its own and its sentence offsets shifted into the body: a headline or a sub-heading without
a full stop never runs into the sentence that follows it.

The tokenizer is the one of the trained NER pipeline (warta.ner), and the paragraph Docs are
kept for the actors stage, which runs the model on them: the text is tokenized once.
"""
from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from warta.article import Article, Tokens
from warta.ner import model

if TYPE_CHECKING:
    from warta.pipeline import Options


@lru_cache(maxsize=1)
def _sentencizer():
    from spacy.pipeline import Sentencizer

    return Sentencizer()


def tokenize(body: str) -> Tokens:
    nlp, sentencizer = model(), _sentencizer()
    tokens = Tokens()
    offset = 0
    paragraphs = body.split("\n\n") if body else []
    for number, paragraph in enumerate(paragraphs):
        doc = sentencizer(nlp.make_doc(paragraph))
        tokens.docs.append(doc)
        for sentence in doc.sents:
            tokens.sentences.append((offset + sentence.start_char, offset + sentence.end_char))
            tokens.token_spans.append((number, sentence.start, sentence.end))
        tokens.token_count += len(doc)
        offset += len(paragraph) + 2
    return tokens


def tokens(article: Article, options: Options) -> None:
    article.tokens = tokenize(article.cleaned.body if article.cleaned else "")

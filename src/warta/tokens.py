"""The `tokens` stage: sentences and tokens with spaCy's Indonesian tokenizer.

spaCy's sentencizer does not split on blank lines, so each paragraph of the body is run on
its own and its sentence offsets shifted into the body: a headline or a sub-heading without
a full stop never runs into the sentence that follows it.

The tokenizer is the one of the trained NER pipeline (warta.ner), and the paragraph Docs are
kept for the actors stage, which runs the model on them: the text is tokenized once.

Bounds, for text that is not news (a page whose paragraphs were joined, or words with no
breaks at all): a sentence of more than MAX_SENTENCE_TOKENS tokens is cut into pieces of that
many, as the later stages weigh the words and mentions of a sentence against each other; and
a paragraph of more than MAX_DOC_TOKENS tokens is cut into Docs of whole sentences, as the
model's memory grows with the length of the Doc it reads.
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


# Tokens in one sentence at most: the longest of the 65,417 sentences of IndoSum and CLICK-ID
# has 140.
MAX_SENTENCE_TOKENS = 300
# Tokens in one Doc at most; the paragraphs of news have a few hundred.
MAX_DOC_TOKENS = 5_000


def _sentences(doc, most: int) -> list[tuple[int, int]]:
    """The doc's sentences as token ranges, those over `most` tokens cut every `most` tokens."""
    ranges = []
    for sentence in doc.sents:
        for start in range(sentence.start, sentence.end, most):
            ranges.append((start, min(start + most, sentence.end)))
    return ranges


def _pieces(sentences: list[tuple[int, int]], most: int) -> list[list[tuple[int, int]]]:
    """Consecutive sentences grouped, at most `most` tokens a group."""
    groups: list[list[tuple[int, int]]] = []
    for start, end in sentences:
        if groups and end - groups[-1][0][0] <= most:
            groups[-1].append((start, end))
        else:
            groups.append([(start, end)])
    return groups


def tokenize(body: str, most: int = MAX_DOC_TOKENS, sentence_most: int = MAX_SENTENCE_TOKENS) -> Tokens:
    nlp, sentencizer = model(), _sentencizer()
    tokens = Tokens()
    offset = 0
    paragraphs = body.split("\n\n") if body else []
    for paragraph in paragraphs:
        doc = sentencizer(nlp.make_doc(paragraph))
        sentences = _sentences(doc, sentence_most)
        groups = _pieces(sentences, most) if len(doc) > most else [sentences]
        for group in groups:
            if len(groups) == 1:  # the paragraph's own Doc (empty, for an empty paragraph)
                piece, first, at = doc, 0, 0
            else:
                first = group[0][0]
                piece, at = doc[first:group[-1][1]].as_doc(), doc[first].idx
            number = len(tokens.docs)
            tokens.docs.append(piece)
            tokens.doc_starts.append(offset + at)
            for start, end in group:
                last = doc[end - 1]
                tokens.sentences.append((offset + doc[start].idx, offset + last.idx + len(last.text)))
                tokens.token_spans.append((number, start - first, end - first))
        tokens.token_count += len(doc)
        offset += len(paragraph) + 2
    return tokens


def tokens(article: Article, options: Options) -> None:
    article.tokens = tokenize(article.cleaned.body if article.cleaned else "")

"""The tokens stage: sentences and Docs that point into the body, and bounds on both for text
that is not news (one paragraph of a megabyte, words with no full stop)."""
import pytest

from warta.ner import pipe_bounded, model
from warta.tokens import tokenize


def _check(body: str, tokens, most: int, sentence_most: int) -> None:
    assert len(tokens.docs) == len(tokens.doc_starts)
    for (start, end), (number, first, last) in zip(tokens.sentences, tokens.token_spans, strict=True):
        doc, at = tokens.docs[number], tokens.doc_starts[number]
        assert 0 < last - first <= sentence_most
        # the sentence's tokens are the body's words at the sentence's offsets
        assert body[start:end] == doc[first:last].text
        assert at + doc[first].idx == start
    assert all(len(doc) <= most for doc in tokens.docs)
    assert sum(len(doc) for doc in tokens.docs) == tokens.token_count


@pytest.mark.parametrize("body", [
    "Judul tanpa titik\n\nPresiden Joko Widodo bertemu Xi Jinping. Keduanya membahas kerja sama.\n\nPenutup.",
    "",
    "Satu kalimat saja",
])
def test_sentences_of_news_are_its_paragraphs_sentences(body):
    tokens = tokenize(body)
    _check(body, tokens, 5_000, 300)
    assert len(tokens.docs) == len(body.split("\n\n")) if body else tokens.docs == []
    if body.startswith("Judul"):
        assert [body[s:e] for s, e in tokens.sentences] == [
            "Judul tanpa titik", "Presiden Joko Widodo bertemu Xi Jinping.", "Keduanya membahas kerja sama.",
            "Penutup."]


def test_an_overlong_paragraph_is_cut_into_docs_of_whole_sentences():
    sentence = "Menteri Luar Negeri Retno Marsudi bertemu Menteri Luar Negeri Jepang di Tokyo pada Senin. "
    body = "Pembuka.\n\n" + sentence * 300 + "\n\nPenutup."  # 4,500 tokens: one Doc by default
    tokens = tokenize(body, most=200, sentence_most=300)
    _check(body, tokens, 200, 300)
    whole = tokenize(body)
    assert len(whole.docs) == 3 and len(tokens.docs) > 20
    # the same sentences, wherever the Docs are cut
    assert tokens.sentences == whole.sentences


def test_words_without_a_full_stop_are_cut_into_bounded_sentences():
    body = " ".join(["kerja", "sama", "Rusia", "dan", "Tiongkok"] * 2_000)
    tokens = tokenize(body, most=1_000, sentence_most=300)
    _check(body, tokens, 1_000, 300)
    assert len(tokens.sentences) == 34  # 10,000 words, 300 at most a sentence


def test_the_model_reads_batches_of_bounded_tokens_and_keeps_their_order():
    nlp = model()
    docs = [nlp.make_doc(f"Presiden Joko Widodo bertemu {name} di Jakarta.") for name in ("Xi Jinping", "Putin") * 30]
    seen = []

    class Counting:
        """The model, counting the tokens of each batch it is given."""
        def pipe(self, batch, batch_size):
            seen.append(sum(len(doc) for doc in batch))
            return nlp.pipe(batch, batch_size=batch_size)

    out = list(pipe_bounded(Counting(), iter(docs), most=40))
    assert [doc.text for doc in out] == [doc.text for doc in docs]
    assert len(seen) > 10 and max(seen) <= 40
    assert any(ent.text == "Joko Widodo" for ent in out[-1].ents)

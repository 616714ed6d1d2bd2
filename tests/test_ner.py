"""The packaged NER model against the held-out test split of idner-news-2k (issue 3: F1 >= 0.80)."""
import pytest
from conftest import shared_path

from warta.ner import evaluate, gold_doc, mapped_tags, model, read_conll


def test_label_sets_map_onto_ours():
    assert mapped_tags(["B-PPL", "I-PPL", "B-IND", "B-PLC", "B-EVT", "I-EVT", "I-PLACE"]) == \
        ["B-PERSON", "I-PERSON", "B-ORG", "B-LOC", "O", "O", "B-LOC"]


def test_gold_doc_keeps_the_tokens_and_spans():
    doc = gold_doc(model().vocab, [("Menurut", "O"), ("Joko", "B-PER"), ("Widodo", "I-PER"), (",", "O")])
    assert [(e.text, e.label_) for e in doc.ents] == [("Joko Widodo", "PERSON")]


@pytest.mark.slow
def test_model_span_f1_on_idner_news_2k_test_split():
    sentences = read_conll(shared_path("data", "ner", "idner-news-2k", "test.txt"))
    scores = evaluate(model(), sentences)
    assert len(sentences) == 509
    assert scores["ents_f"] >= 0.80, scores["ents_per_type"]
    for label in ("PERSON", "ORG", "LOC"):
        assert scores["ents_per_type"][label]["f"] >= 0.70, (label, scores["ents_per_type"][label])

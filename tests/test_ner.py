"""The packaged NER model against the held-out test split of idner-news-2k (issue 3: F1 >= 0.80; issue 16: >= 0.85)."""
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
    assert scores["ents_f"] >= 0.85, scores["ents_per_type"]
    for label in ("PERSON", "ORG", "LOC"):
        assert scores["ents_per_type"][label]["f"] >= 0.70, (label, scores["ents_per_type"][label])


def test_a_missing_tag_is_neither_inside_nor_outside():
    doc = gold_doc(model().vocab, [("Kombes", None), ("Pol", None), ("Yusri", "B-PER"), ("Yunus", "I-PER"),
                                   ("di", "O"), ("Mapolda", None)])
    assert [(e.text, e.label_) for e in doc.ents] == [("Yusri Yunus", "PERSON")]
    assert [t.ent_iob_ for t in doc] == ["", "", "B", "I", "O", ""]


def test_annotated_persons_are_projected_with_their_titles_outside():
    import sys

    import spacy
    from conftest import ROOT

    sys.path.insert(0, str(ROOT / "scripts"))
    from train_ner import tagged

    text = "kata Wakil Menteri Luar Negeri Polda Jabar Kombes Pol Yusri Yunus di Bandung."
    name = text.index("Yusri")
    tags = tagged(spacy.blank("id").tokenizer(text), 0, [(name, name + len("Yusri Yunus"))])
    assert tags == [("kata", "O"), ("Wakil", None), ("Menteri", None), ("Luar", None), ("Negeri", None),
                    ("Polda", None), ("Jabar", None), ("Kombes", None), ("Pol", None), ("Yusri", "B-PER"),
                    ("Yunus", "I-PER"), ("di", "O"), ("Bandung", None), (".", "O")]
    # a common word right before the name is a title, outside it: `Presiden Joko Widodo`
    text = "Presiden Joko Widodo tiba."
    assert tagged(spacy.blank("id").tokenizer(text), 0, [(9, 20)])[:3] == [
        ("Presiden", "O"), ("Joko", "B-PER"), ("Widodo", "I-PER")]

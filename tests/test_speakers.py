"""The speaker ranker (issue 16): its candidates, its choice and probability, and its model file."""
import json

import numpy as np
from conftest import shared_path

from warta.article import Mention, Quote, Source
from warta.linear import LinearModel, packaged
from warta.pipeline import Options, process
from warta.speakers import MODEL_FILE, Context, key, packaged_model, rank

BODY = ('Menteri Luar Negeri China Wang Yi bertemu Menlu Rusia Sergey Lavrov di Moskow.\n\n'
        '"Kami akan memperdalam kerja sama energi kedua negara," kata Lavrov.\n\n'
        '"Itu sudah kami sepakati tahun lalu," ujarnya.')


def mention(text: str, name: str, country: str, after: int = 0) -> Mention:
    start = BODY.index(text, after)
    return Mention(start, start + len(text), text, "PERSON", name, country)


MENTIONS = [mention("Wang Yi", "Wang Yi", "CHN"), mention("Sergey Lavrov", "Sergey Lavrov", "RUS"),
            mention("Lavrov", "Sergey Lavrov", "RUS", BODY.index("kata"))]
SENTENCES = [(0, BODY.index("\n")), (BODY.index("\n") + 2, BODY.rindex("\n") - 1),
             (BODY.rindex("\n") + 1, len(BODY))]


def quotes() -> list[Quote]:
    first, second = BODY.index("Kami"), BODY.index("Itu")
    return [Quote(BODY[first:BODY.index(",", first)], True, "kata", {"name": "Sergey Lavrov", "country": "RUS"},
                  first, BODY.index(",", first)),
            Quote(BODY[second:BODY.index(",", second)], True, "ujar", None, second, BODY.index(",", second))]


def test_one_identity_per_speaker():
    assert key({"name": "Kim Jong-un", "country": "PRK"}) == key({"name": "kim jong un"})
    assert key({"name": None, "countries": ["USA", "CHN"]}) == key({"name": None, "country": None, "countries": ["CHN", "USA"]})
    assert key({"name": None, "country": "USA"}) == ("countries", ("USA",))
    assert key(None) == key({"name": None, "country": None}) == ("none",)


def test_candidates_are_the_readers_choice_the_persons_around_and_no_one():
    first, second = quotes()
    context = Context(BODY, MENTIONS, SENTENCES)
    found = {key(c.speaker): c.features for c in context.candidates(first, None, [first, second])}
    assert set(found) >= {("person", "sergey lavrov"), ("person", "wang yi"), ("none",)}
    lavrov = found[("person", "sergey lavrov")]
    assert {"rule", "after", "after_cue_first", "before"} <= lavrov
    assert "rule" not in found[("person", "wang yi")] and "before" in found[("person", "wang yi")]
    # the second quote's `previous` is whoever was chosen for the first
    later = {key(c.speaker): c.features for c in context.candidates(second, {"name": "Wang Yi"}, [first, second])}
    assert "previous" in later[("person", "wang yi")]


def model_trusting(feature: str) -> LinearModel:
    return LinearModel(("no", "yes"), {feature: 0}, np.array([[0.0, 5.0]]), np.zeros(2))


def test_the_ranker_takes_the_best_scored_candidate_with_its_share_as_probability():
    found = quotes()
    rank(BODY, MENTIONS, SENTENCES, found, model_trusting("after_cue_first"))
    assert found[0].speaker["name"] == "Sergey Lavrov" and 0.5 < found[0].speaker_confidence <= 1
    found = quotes()
    rank(BODY, MENTIONS, SENTENCES, found, model_trusting("none"))
    assert [q.speaker for q in found] == [None, None]


def test_the_packaged_ranker_is_trained_on_the_annotation_only():
    assert packaged_model() is not None
    held_out = set()
    for name in ("indosum-dev.gold.jsonl", "indosum-dev2.gold.jsonl", "seeds.gold.jsonl"):
        held_out |= {json.loads(line)["id"] for line in shared_path("eval", name).open(encoding="utf-8")
                     if line.strip()}
    trained_on = set(packaged(MODEL_FILE)["trained_on"])
    assert len(trained_on) >= 300 and not held_out & trained_on


def test_records_carry_the_speaker_and_its_probability():
    article = process(Source(id="t", origin="t.txt", text=BODY), Options())
    records = [q.to_record() for q in article.quotes.quotes]
    assert [r["speaker"]["name"] for r in records] == ["Sergey Lavrov", "Sergey Lavrov"]
    assert all(0 < r["speaker_confidence"] <= 1 for r in records)

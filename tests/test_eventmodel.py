"""The event models: their files, their arithmetic, and that training is reproducible and never
sees the articles they are measured on."""
import json

import numpy as np
import pytest
from conftest import ROOT, shared_path

from warta import linear
from warta.eventmodel import (
    CALIBRATION_INPUTS,
    Calibration,
    EventModels,
    assign_roles,
    packaged_models,
    trigger_heads,
)
from warta.events import Party


def test_the_packaged_models_load_and_name_what_they_were_trained_on():
    models = packaged_models()
    assert len(models.trained_on) >= 300 and models.vocabulary
    assert 0 < models.cut < 1 and len(models.calibration.weights) == len(CALIBRATION_INPUTS)


def test_no_dev_or_seed_article_is_in_the_training_data():
    held_out = set()
    for name in ("indosum-dev.gold.jsonl", "indosum-dev2.gold.jsonl", "seeds.gold.jsonl"):
        held_out |= {json.loads(line)["id"] for line in shared_path("eval", name).open(encoding="utf-8")
                     if line.strip()}
    assert len(held_out) == 29 + 40 + 5
    assert not held_out & set(packaged_models().trained_on)
    annotated = {json.loads(line)["id"] for name in ("indosum-train.jsonl", "clickid-train.jsonl")
                 for line in shared_path("data", "annotated", name).open(encoding="utf-8") if line.strip()}
    assert set(packaged_models().trained_on) == annotated


def test_a_linear_model_reads_back_what_it_wrote(tmp_path):
    examples = [(["a", "x"], "yes"), (["a", "y"], "yes"), (["b", "x"], "no"), (["b", "y"], "no"), (["a"], "yes"),
                (["b"], "no")]
    model = linear.fit(examples, ("no", "yes"), c=10.0, min_count=1)
    assert model.probability(["a"], "yes") > 0.8 and model.probability(["b"], "yes") < 0.2
    path = tmp_path / "m.json.gz"
    linear.save(path, {"m": model})
    again = linear.LinearModel.from_json(linear.read(path)["m"])
    for features in (["a"], ["b", "x"], ["unseen"]):
        assert np.allclose(again.probabilities(features), model.probabilities(features), atol=1e-4)
    # the same models make the same bytes: no time stamp in the file
    other = tmp_path / "n.json.gz"
    linear.save(other, {"m": model})
    assert path.read_bytes() == other.read_bytes()


def test_a_class_never_seen_in_training_is_never_predicted():
    model = linear.fit([(["a"], "yes"), (["b"], "no")] * 3, ("no", "yes", "maybe"), min_count=1)
    assert model.probability(["a"], "maybe") < 1e-6


def test_the_confidence_grows_with_the_models_probabilities():
    calibration = packaged_models().calibration
    inputs = [0.0] * len(CALIBRATION_INPUTS)
    low, high = list(inputs), list(inputs)
    low[0], high[0] = -2.0, 2.0  # logit P(type)
    assert calibration(low) < calibration(high)
    assert 0 < calibration(low) < calibration(high) < 1
    assert Calibration()([0.0] * len(CALIBRATION_INPUTS)) == 0.5


def party(code, kind="mention"):
    return Party([{"name": code, "country": code}], 0, 0, kind)


def test_roles_go_to_the_likeliest_side():
    parties = [party("JPN"), party("PRK"), party("UZB")]
    p = [np.array([0.1, 0.8, 0.1]), np.array([0.1, 0.1, 0.8]), np.array([0.9, 0.05, 0.05])]
    actors, recipients, likely = assign_roles(parties, p, "ACCUSE")
    assert [a["country"] for a in actors] == ["JPN"] and [r["country"] for r in recipients] == ["PRK"]
    assert likely == pytest.approx(0.8)
    # a meeting: everyone likely enough acts
    actors, recipients, _ = assign_roles(parties, p, "CONSULT")
    assert {a["country"] for a in actors} == {"JPN", "PRK"} and recipients == []


def test_with_no_likely_actor_the_likeliest_party_acts_whole():
    statement = Party([{"name": "China", "country": "CHN"}, {"name": "Rusia", "country": "RUS"}], 0, 0, "statement")
    actors, recipients, likely = assign_roles([statement, party("USA")],
                                              [np.array([0.5, 0.45, 0.05]), np.array([0.1, 0.1, 0.8])], "ACCUSE")
    assert {a["country"] for a in actors} == {"CHN", "RUS"} and [r["country"] for r in recipients] == ["USA"]
    assert likely == pytest.approx(0.45)
    assert assign_roles([party("USA")], [np.array([0.9, 0.05, 0.05])], "ACCUSE") is None


def test_a_trigger_phrase_is_known_by_its_first_content_word():
    assert [k for k, _ in trigger_heads([
        {"type": "REJECT", "trigger": "tidak akan melakukan pembicaraan", "evidence": "..."},
        {"type": "ACCUSE", "trigger": "Pemerintah Indonesia mengecam", "evidence": "x Pemerintah Indonesia mengecam"},
        {"type": "SANCTION", "trigger": "memanggil diplomat India", "evidence": "..."},
    ])] == ["bicara", "kecam", "panggil"]


@pytest.mark.slow
def test_training_is_deterministic_and_its_models_decide(tmp_path):
    """The models fitted twice on the same annotated articles are the same bytes, and read like
    the packaged ones (a round trip through the file)."""
    import datetime as dt
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    import train_events

    from warta.eventmodel import fit_models

    items = train_events.annotated(shared_path(), ["indosum"])[:60]
    first, second = (fit_models(items, dt.date(2026, 1, 1)) for _ in range(2))
    a, b = tmp_path / "a.json.gz", tmp_path / "b.json.gz"
    linear.save(a, first.to_json())
    linear.save(b, second.to_json())
    assert a.read_bytes() == b.read_bytes()
    again = EventModels.from_json(linear.read(a))
    assert again.vocabulary == first.vocabulary and set(again.trained_on) == {i.id for i in items}

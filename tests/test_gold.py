"""Quality floors on the gold files of ../shared/eval, enforced through `warta extract`.

The floors are those the issues name; the IndoSum floors sit just under the scores measured
when each stage landed, so that a change that makes them worse fails here.
"""
import json
import subprocess
import sys

import pytest
from conftest import shared_path

SEED_FLOORS = {"title_acc": 1.0, "dateline_acc": 1.0, "outlet_acc": 1.0, "published_acc": 1.0,
               "body_acc": 1.0, "source_f1": 0.9, "future_dates_max": 0,
               # issue 3 (actors)
               "person_f1": 0.95, "org_r": 0.9, "gpe_r": 0.9,
               # issue 4 (quotes)
               "quote_f1": 0.90, "direct_quote_r": 0.95, "speaker_acc": 0.90,
               # issue 5 (events)
               "event_f1": 0.85}
# Measured when the actors stage landed: person_f1 0.874, org_r 1.000, gpe_r 0.992; and the
# quotes stage: quote_f1 0.874, direct_quote_r 0.976, speaker_acc 0.720; and the events stage:
# event_f1 0.236 (far below the seeds' 0.893: see the issue 5 note).
INDOSUM_FLOORS = {"dateline_acc": 0.95, "outlet_acc": 0.95, "source_f1": 0.9,
                  "person_f1": 0.85, "org_r": 0.95, "gpe_r": 0.95,
                  "quote_f1": 0.85, "direct_quote_r": 0.95, "speaker_acc": 0.70,
                  "event_f1": 0.20, "future_dates_max": 0}


def extract_and_score(inputs, gold, out):
    subprocess.run([sys.executable, "-m", "warta", "extract", str(inputs), "-o", str(out)], check=True,
                   capture_output=True)
    scored = subprocess.run([sys.executable, str(shared_path("eval", "score.py")), str(gold), str(out), "--json"],
                            check=True, capture_output=True, text=True)
    return json.loads(scored.stdout)


def test_seed_floors(tmp_path):
    metrics = extract_and_score(shared_path("corpus", "seeds"), shared_path("eval", "seeds.gold.jsonl"),
                                tmp_path / "seeds.jsonl")
    assert metrics["missing_articles"] == 0
    for metric, floor in SEED_FLOORS.items():
        if metric == "future_dates_max":
            assert metrics["future_dates"] <= floor
        else:
            assert metrics[metric] >= floor, f"{metric} {metrics[metric]} < {floor}"


@pytest.mark.slow
def test_indosum_dev_floors(tmp_path):
    metrics = extract_and_score(shared_path("corpus", "indosum", "articles.jsonl"),
                                shared_path("eval", "indosum-dev.gold.jsonl"), tmp_path / "indosum.jsonl")
    assert metrics["missing_articles"] == 0
    for metric, floor in INDOSUM_FLOORS.items():
        if metric == "future_dates_max":
            assert metrics["future_dates"] <= floor
        else:
            assert metrics[metric] >= floor, f"{metric} {metrics[metric]} < {floor}"

"""Sparse linear models over string features: what Warta's learned decisions are made with.

A decision (is this an event and of which type, is this party the actor, which day) is a
multinomial logistic regression over features written as strings (`prev=akan`,
`type=ACCUSE&prep=terhadap`). Training uses scikit-learn (`fit`, the `train` extra); the fitted
weights are written to a JSON file in `warta/data`, and predicting needs only NumPy: a
prediction sums the weight rows of the features present. A model file is data: it is made by
a script in `scripts/`, the same bytes for the same training data.

`Calibration` maps a raw score to a probability of being right (Platt scaling), fitted on
predictions for articles the model was not trained on (cross-validation folds).
"""
from __future__ import annotations

import gzip
import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

_DIGITS = 5  # weights are rounded on saving, so that a retrained model is the same file


class ModelFileError(ValueError):
    """A model file in warta/data is missing or cannot be read."""


@dataclass(slots=True)
class LinearModel:
    classes: tuple[str, ...]
    index: dict[str, int]  # feature -> row of `weights`
    weights: np.ndarray  # (features, classes)
    bias: np.ndarray  # (classes,)

    def scores(self, features: Iterable[str]) -> np.ndarray:
        rows = [self.index[f] for f in set(features) if f in self.index]
        total = self.bias.copy()
        if rows:
            total += self.weights[rows].sum(axis=0)
        return total

    def probabilities(self, features: Iterable[str]) -> np.ndarray:
        """P(class) in the order of `classes`."""
        scores = self.scores(features)
        scores = np.exp(scores - scores.max())
        return scores / scores.sum()

    def probability(self, features: Iterable[str], label: str) -> float:
        return float(self.probabilities(features)[self.classes.index(label)])

    def to_json(self) -> dict:
        rows = {}
        for feature, row in sorted(self.index.items()):
            values = [round(float(v), _DIGITS) for v in self.weights[row]]
            if any(values):
                rows[feature] = values
        return {"classes": list(self.classes), "bias": [round(float(v), _DIGITS) for v in self.bias],
                "features": rows}

    @classmethod
    def from_json(cls, data: dict) -> LinearModel:
        features = data["features"]
        index = {feature: i for i, feature in enumerate(features)}
        weights = np.array(list(features.values()), dtype=float).reshape(len(features), len(data["classes"]))
        return cls(tuple(data["classes"]), index, weights, np.array(data["bias"], dtype=float))


@dataclass(frozen=True, slots=True)
class Calibration:
    """P(right) = sigmoid(a * logit(score) + b), fitted on held-out predictions."""

    a: float = 1.0
    b: float = 0.0

    def __call__(self, score: float) -> float:
        score = min(max(score, 1e-6), 1 - 1e-6)
        return 1 / (1 + math.exp(-(self.a * math.log(score / (1 - score)) + self.b)))

    @classmethod
    def fit(cls, scores: Sequence[float], right: Sequence[bool]) -> Calibration:
        from sklearn.linear_model import LogisticRegression

        if len(set(right)) < 2:
            return cls()
        x = np.array([[math.log(min(max(s, 1e-6), 1 - 1e-6) / (1 - min(max(s, 1e-6), 1 - 1e-6)))]
                      for s in scores])
        fitted = LogisticRegression(C=1e4, max_iter=1000).fit(x, np.array(right, dtype=int))
        return cls(round(float(fitted.coef_[0][0]), _DIGITS), round(float(fitted.intercept_[0]), _DIGITS))


def fit(examples: Sequence[tuple[Sequence[str], str]], classes: Sequence[str], c: float = 1.0,
        min_count: int = 2, weights: Sequence[float] | None = None) -> LinearModel:
    """A multinomial logistic regression on (features, label) examples (scikit-learn, L2, lbfgs).
    Features seen in fewer than `min_count` examples are left out: they would only be learnt
    by heart."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    counts = Counter(f for features, _ in examples for f in set(features))
    kept = sorted(f for f, n in counts.items() if n >= min_count)
    index = {f: i for i, f in enumerate(kept)}
    rows, cols = [], []
    for i, (features, _) in enumerate(examples):
        for f in set(features):
            if f in index:
                rows.append(i)
                cols.append(index[f])
    x = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(examples), len(index)))
    labels = np.array([classes.index(label) for _, label in examples])
    present = sorted(set(labels))
    model = LogisticRegression(C=c, max_iter=5000, tol=1e-6)
    model.fit(x, labels, sample_weight=None if weights is None else np.asarray(weights, dtype=float))
    weights_out = np.zeros((len(index), len(classes)))
    bias = np.full(len(classes), -30.0)  # a class never seen in training is never predicted
    if len(present) == 2:  # scikit-learn fits one column for two classes: the second's logit
        weights_out[:, present[1]] = model.coef_[0]
        bias[present[0]], bias[present[1]] = 0.0, model.intercept_[0]
    else:
        for column, label in enumerate(model.classes_):
            weights_out[:, label] = model.coef_[column]
            bias[label] = model.intercept_[column]
    return LinearModel(tuple(classes), index, weights_out, bias)


# ---------------------------------------------------------------------- model files
def save(path: Path, models: dict) -> None:
    """Write `models` (JSON-ready values, LinearModel and Calibration objects) to a gzipped JSON
    file whose bytes depend on nothing but the models (no time stamp in the gzip header)."""
    def ready(value):
        if isinstance(value, LinearModel):
            return value.to_json()
        if isinstance(value, Calibration):
            return {"a": value.a, "b": value.b}
        if isinstance(value, dict):
            return {k: ready(v) for k, v in value.items()}
        return value

    text = json.dumps(ready(models), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as handle:
        handle.write(text.encode("utf-8"))


def read(path: Path) -> dict:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError) as error:
        raise ModelFileError(f"cannot read the model file {path}: {error}") from error


@lru_cache(maxsize=None)
def packaged(name: str) -> dict:
    """A model file of warta/data, read once per process."""
    path = Path(str(resources.files("warta") / "data" / name))
    if not path.exists():
        raise ModelFileError(f"no model file at {path}: run the training script named in the README to make it")
    return read(path)

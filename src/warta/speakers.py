"""Who said it: the speakers a quote could have, and a trained ranker that picks one.

The readers of `warta.quotes` find a quote and name the speaker their cue points at. That
choice is one candidate among the others a reader weighs: the persons named around the quote
(before it, after its cue, in the sentence before), the speaker of the quote before, the last
person named, an organisation or a state that speaks (`KCNA`, `Gedung Putih`: its state), and
no one. Each candidate is described by features (where it stands, what lies between it and
the quote, which readers proposed it) and a logistic regression trained on the annotated
quotes of ../shared/data/annotated (`scripts/train_speakers.py`) scores it; the best one is
the speaker, and its share of the scores (a softmax over the quote's candidates) is kept in
the record as `speaker_confidence`.
"""
from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from warta.article import Mention, Quote
from warta.linear import LinearModel, ModelFileError, packaged
from warta.resources import quote_cues

MODEL_FILE = "speakers.json.gz"
_REGION = 1  # sentences before the quote's first and after its last that are searched for persons
_WORD = re.compile(r"\w+")


@dataclass(slots=True)
class Candidate:
    speaker: dict[str, Any] | None
    features: set[str] = field(default_factory=set)


def key(speaker: dict | None) -> tuple:
    """One identity per speaker: a person by name, a statement or an organisation by countries."""
    if not speaker:
        return ("none",)
    if speaker.get("name"):
        return ("person", re.sub(r"[\s\-.']+", " ", speaker["name"].lower()).strip())
    countries = speaker.get("countries") or ([speaker["country"]] if speaker.get("country") else [])
    return ("countries", tuple(sorted(countries))) if countries else ("none",)


def _bucket(chars: int) -> str:
    for limit in (0, 10, 30, 80, 200, 500):
        if chars <= limit:
            return str(limit)
    return "far"


class Context:
    """What the candidates of one article are read from: its body, mentions and sentences."""

    def __init__(self, body: str, mentions: list[Mention], sentences: list[tuple[int, int]]):
        self.body, self.mentions = body, mentions
        self.sentences = sentences or [(0, len(body))]
        self.ends = [end for _, end in self.sentences]
        # Looked up by position (bisection), not scanned per quote: an article may hold
        # thousands of mentions and hundreds of quotes.
        self.persons = sorted((m for m in mentions if m.type == "PERSON" and m.name), key=lambda m: m.start)
        self.person_starts = [m.start for m in self.persons]
        self.bodies = sorted((m for m in mentions if m.type in ("ORG", "GPE") and m.country), key=lambda m: m.start)
        self.body_starts = [m.start for m in self.bodies]
        self.counts = Counter(key({"name": m.name}) for m in self.persons)
        self.top = self.counts.most_common(1)[0][0] if self.counts else None
        self.cues = quote_cues()
        self._quotes: list[Quote] | None = None  # the quotes the spans below were made from
        self.quote_spans: list[tuple[int, int]] = []
        self.quote_ends: list[int] = []

    def sentence_of(self, position: int) -> int:
        """The number of the sentence `position` falls in (the last one past the end)."""
        return min(bisect_right(self.ends, position), len(self.sentences) - 1)

    def use_quotes(self, quotes: list[Quote]) -> None:
        """The article's quotes, by start and by end, for `in_quote` and the gap to the last one."""
        if quotes is not self._quotes:
            self._quotes = quotes
            self.quote_spans = sorted((q.start, q.end) for q in quotes)
            self.quote_ends = sorted(q.end for q in quotes)

    def in_quote(self, position: int) -> bool:
        i = bisect_right(self.quote_spans, (position, float("inf"))) - 1
        return i >= 0 and self.quote_spans[i][0] <= position < self.quote_spans[i][1]

    def persons_in(self, start: int, end: int) -> list[Mention]:
        """The persons whose mention starts in `start`..`end`, in order."""
        return self.persons[bisect_left(self.person_starts, start):bisect_left(self.person_starts, end)]

    def between(self, start: int, end: int) -> list[str]:
        return [w.lower() for w in _WORD.findall(self.body[start:end])]

    def candidates(self, quote: Quote, previous: dict | None, quotes: list[Quote]) -> list[Candidate]:
        body = self.body
        found: dict[tuple, Candidate] = {}

        def add(speaker: dict | None, *features: str) -> None:
            candidate = found.setdefault(key(speaker), Candidate(speaker))
            candidate.features.update(features)

        first, last = self.sentence_of(quote.start), self.sentence_of(max(quote.start, quote.end - 1))
        region = (self.sentences[max(0, first - _REGION)][0], self.sentences[min(len(self.sentences) - 1,
                                                                                   last + _REGION)][1])
        cue_kind = self.cues.get(quote.cue or "", "none")
        context = {"direct" if quote.direct else "reported", f"cue_kind={cue_kind}"}
        after_text = body[quote.end:quote.end + 40].lower()
        if re.match(r"[\W]*\w+nya\b", after_text):
            context.add("nya_after")
        if quote.start < 3 or "\n" in body[max(0, quote.start - 3):quote.start]:
            context.add("opens_paragraph")

        def with_context(*features: str) -> list[str]:
            return [*features, *(f"{f}&{c}" for f in features for c in context)]

        self.use_quotes(quotes)
        add(quote.speaker, *with_context("rule"))
        if key(previous) != ("none",):  # an unknown speaker before says nothing of this one's
            ended = bisect_right(self.quote_ends, quote.start)
            last_end = self.quote_ends[ended - 1] if ended else 0
            add(previous, *with_context("previous"), f"previous_gap={_bucket(quote.start - last_end)}")
        add(None, *with_context("none"))

        before = [m for m in self.persons_in(region[0], quote.start) if m.end <= quote.start]
        after = [m for m in self.persons_in(quote.end, region[1]) if m.end <= region[1]]
        for rank, mention in enumerate(reversed(before)):
            gap = self.between(mention.end, quote.start)
            sentence = "same_sentence" if self.sentence_of(mention.start) == first else "sentence_before"
            features = ["before", f"before_rank={min(rank, 2)}", f"before_{sentence}",
                        f"before_gap={_bucket(quote.start - mention.end)}", f"before_words={min(len(gap), 6)}"]
            if any(w in self.cues for w in gap[:4]) or any(w.removesuffix("nya") in self.cues for w in gap[:4]):
                features.append("before_then_cue")
            add(self.speaker(mention), *with_context(*features))
        for rank, mention in enumerate(after):
            gap = self.between(quote.end, mention.start)
            sentence = "same_sentence" if self.sentence_of(mention.start) == last else "sentence_after"
            features = ["after", f"after_rank={min(rank, 2)}", f"after_{sentence}",
                        f"after_gap={_bucket(mention.start - quote.end)}", f"after_words={min(len(gap), 6)}"]
            if gap and gap[0] in self.cues:
                features.append("after_cue_first")
            add(self.speaker(mention), *with_context(*features))
        # The last person named before the quote, wherever: the story's speaker so far.
        earlier = next((m for m in reversed(self.persons_in(0, quote.start))
                        if m.end <= quote.start and not self.in_quote(m.start)), None)
        if earlier:
            add(self.speaker(earlier), *with_context("last_person"),
                f"last_person_gap={_bucket(quote.start - earlier.end)}")
        # Organisations and states that speak, as their state: right after the cue or before the verb.
        for mention in self.bodies[bisect_left(self.body_starts, region[0]):bisect_left(self.body_starts, region[1])]:
            side = "after" if mention.start >= quote.end else "before" if mention.end <= quote.start else "inside"
            distance = mention.start - quote.end if side == "after" else quote.start - mention.end
            if side != "inside" and distance <= 80:
                add({"name": None, "countries": [mention.country], "body": mention.name},
                    *with_context(f"body_{side}", f"body_{mention.type}"), f"body_gap={_bucket(distance)}")
        for candidate in found.values():
            speaker_key = key(candidate.speaker)
            if speaker_key[0] == "person":
                count = self.counts.get(speaker_key, 0)
                candidate.features.add(f"mentions={min(count, 5)}")
                if speaker_key == self.top:
                    candidate.features.add("top_person")
                if candidate.speaker.get("country"):
                    candidate.features.add("has_country")
            else:
                candidate.features.add(f"kind={speaker_key[0]}")
                candidate.features.update(f"kind={speaker_key[0]}&{c}" for c in context)
        return list(found.values())

    @staticmethod
    def speaker(mention: Mention) -> dict:
        return {"name": mention.name, "country": mention.country}


@lru_cache(maxsize=1)
def packaged_model() -> LinearModel | None:
    """The trained ranker of warta/data, or None where it has not been trained yet (the readers'
    choice stands then)."""
    try:
        return LinearModel.from_json(packaged(MODEL_FILE)["ranker"])
    except ModelFileError:
        return None


def choose(model: LinearModel, candidates: list[Candidate]) -> tuple[Candidate, float]:
    """The best candidate and its share of the softmax over the quote's candidates."""
    scores = []
    for candidate in candidates:
        no, yes = model.scores(candidate.features)
        scores.append(float(yes - no))
    top = max(scores)
    weights = [math.exp(s - top) for s in scores]
    best = max(range(len(candidates)), key=lambda i: (scores[i], -i))
    return candidates[best], weights[best] / sum(weights)


def rank(body: str, mentions: list[Mention], sentences: list[tuple[int, int]], quotes: list[Quote],
         model: LinearModel | None = None) -> None:
    """Set each quote's speaker. A quote's `previous` is the readers' speaker of the quote
    before, in training as here: the ranker's own earlier choice would carry its errors on, and
    would not be what it was trained on."""
    model = model or packaged_model()
    if model is None or not quotes:
        return
    context = Context(body, mentions, sentences)
    previous = None
    chosen = []
    for quote in quotes:
        chosen.append(choose(model, context.candidates(quote, previous, quotes)))
        previous = quote.speaker
    for quote, (best, probability) in zip(quotes, chosen):
        quote.speaker, quote.speaker_confidence = best.speaker, round(probability, 3)

"""The one object every stage works on: an `Article` with a section per stage.

Each section is a slotted dataclass, so assigning a field that does not exist raises
`AttributeError` instead of silently growing the object (like spaCy's `Doc` extensions,
which must be registered before use). A stage writes only its own section.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from warta import __version__

# The version of the record format this Warta writes and reads back (`warta load`): raised when
# a key changes meaning, so that an older Warta refuses records it would misread.
RECORD_VERSION = 1


class NotAnArticle(Exception):
    """A stage found that the input holds no article to code; the message says why, and is the
    reason its failure entry gives."""


@dataclass(slots=True)
class Source:
    """What the `read` stage found: the raw text (or a page's HTML) and whatever metadata the
    input gave."""

    id: str
    origin: str  # where it came from: a path, `path:LINE` for JSONL, `path#N` for WARC
    text: str
    url: str | None = None
    title: str | None = None  # given by the input (JSONL key, HTML <title>), not guessed
    published: str | None = None  # given by the input, ISO 8601 if it could be read
    extra: dict[str, Any] = field(default_factory=dict)  # other keys the input carried
    # An HTML page's markup, decoded. The reader leaves `text` empty and the `webpage` stage
    # (the first, in the workers) fills it in; kept after, as the raw input the page is known by.
    html: str | None = None

    def identity(self) -> str:
        """What makes an input the same article: its id and its raw input, the text or a page's
        HTML (SHA-256). Known before the pipeline runs, so stored articles are skipped before
        any work; carried in the record (`input_sha256`), so `warta load` knows it too."""
        return sha256_of(self.id, self.html if self.html is not None else self.text)


def sha256_of(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


@dataclass(slots=True)
class RemovedLine:
    """A line the cleaner took out of the body, and the rule that took it."""

    text: str
    rule: str
    source: str | None = None  # for `Sumber: X` lines and trailing `(Antara)`: the cited name


@dataclass(slots=True)
class Cleaned:
    """The `clean` stage: the body without page furniture, paragraphs split by blank lines."""

    body: str
    removed: list[RemovedLine] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[str]:
        return self.body.split("\n\n") if self.body else []


@dataclass(slots=True)
class Meta:
    """The `meta` stage."""

    title: str | None = None
    published: str | None = None
    dateline: str | None = None
    dateline_place: dict | None = None  # the dateline on the map: warta.places.locate's keys
    outlet: str | None = None
    cited_sources: list[str] = field(default_factory=list)
    language: str | None = None


@dataclass(slots=True)
class Tokens:
    """The `tokens` stage: sentence spans as character offsets into `body`."""

    sentences: list[tuple[int, int]] = field(default_factory=list)
    # For each sentence, where its tokens are: (paragraph Doc, first token, token after the last).
    token_spans: list[tuple[int, int, int]] = field(default_factory=list)
    token_count: int = 0
    # One spaCy Doc per paragraph (or per piece of an overlong one: warta.tokens), for the
    # stages that run models on them, and where each starts in `body`; not in the record.
    docs: list[Any] = field(default_factory=list, repr=False)
    doc_starts: list[int] = field(default_factory=list, repr=False)


@dataclass(frozen=True, slots=True)
class Parsed:
    """One token of a parsed sentence: what the event and speaker models read of the parse."""

    text: str
    start: int  # character offsets into `body`
    end: int
    pos: str  # UPOS
    dep: str  # UD relation to the head (`nsubj`, `obj`, `obl`, `ROOT`, ...)
    head: int  # index of the head token in the sentence; the root points at itself
    passive: bool  # Voice=Pass


@dataclass(slots=True)
class Parse:
    """The `parse` stage: the sentences that were parsed, by their index in `Tokens.sentences`
    (only those with a trigger candidate or a speech cue, and a party, are)."""

    sentences: dict[int, list[Parsed]] = field(default_factory=dict)


@dataclass(slots=True)
class Mention:
    """One mention of an actor in the body, resolved to its canonical actor."""

    start: int
    end: int
    text: str
    type: str  # PERSON, ORG, GPE, LOC
    name: str | None  # canonical: a person's full name even where the text says `Zhang`
    country: str | None  # ISO alpha-3, or a body code (UN, NATO, ...); a person's: whom they act for
    role: str | None = None  # a role key of data/actors/roles.tsv, for persons
    countries: list[str] | None = None  # for a group (`kedua negara`): the states it points at
    source: str = "dictionary"  # which finder: role, dictionary, ner, coreference

    def to_record(self) -> dict[str, Any]:
        record = {"text": self.text, "type": self.type, "name": self.name, "country": self.country,
                  "role": self.role, "start": self.start, "end": self.end}
        if self.countries:
            record["countries"] = list(self.countries)
        return record


@dataclass(slots=True)
class Actors:
    """The `actors` stage."""

    mentions: list[Mention] = field(default_factory=list)


@dataclass(slots=True)
class Quote:
    """Something said: in the speaker's words (`direct`) or reported."""

    text: str
    direct: bool
    cue: str | None  # the speech cue that marks it (`kata`, `mengatakan`, `menurut`), if any
    speaker: dict[str, Any] | None  # {"name", "country"} or, for a statement, {"name": None, "countries"}
    start: int
    end: int
    # The speaker ranker's probability that `speaker` is the one (warta.speakers); None where the
    # readers' choice stands alone (no ranker packaged).
    speaker_confidence: float | None = None

    def to_record(self) -> dict[str, Any]:
        return {"text": self.text, "direct": self.direct, "cue": self.cue, "speaker": self.speaker,
                "speaker_confidence": self.speaker_confidence, "start": self.start, "end": self.end}


@dataclass(slots=True)
class Quotes:
    """The `quotes` stage."""

    quotes: list[Quote] = field(default_factory=list)


@dataclass(slots=True)
class Event:
    """One PLOVER event read from one sentence: who did what to whom, when and where."""

    type: str  # one of the 16 PLOVER types (../shared/docs/event-types.md)
    mode: str | None
    context: list[str]
    actors: list[dict[str, Any]]  # {"name", "country"}; country may be None
    recipients: list[dict[str, Any]]
    date: str | None  # YYYY-MM-DD, or --MM-DD where the year cannot be known
    date_from: str | None  # what gave the date: sentence, period, relative, paragraph_before, lede, published, ...
    location: dict[str, Any] | None  # {"name", "country"}
    evidence: str  # the sentence, as in body[start:end]
    start: int
    end: int
    trigger: str  # the words that signalled it, as in the text
    # day, or month / year where the text names only those (`pada Februari 2019`, `pada 2015`):
    # then `date` is the middle of that month (the 15th) or year (1 July).
    date_precision: str | None = "day"
    # The probability that the event is right as coded (type, parties and day), calibrated on
    # annotated articles the models were not trained on (warta.eventmodel).
    confidence: float = 1.0

    def to_record(self) -> dict[str, Any]:
        return {"type": self.type, "mode": self.mode, "context": list(self.context),
                "actors": self.actors, "recipients": self.recipients, "date": self.date,
                "date_precision": self.date_precision, "date_from": self.date_from,
                "location": self.location, "evidence": self.evidence, "start": self.start,
                "end": self.end, "trigger": self.trigger, "confidence": round(self.confidence, 3)}


@dataclass(slots=True)
class Events:
    """The `events` stage."""

    events: list[Event] = field(default_factory=list)


@dataclass(slots=True)
class Article:
    source: Source
    cleaned: Cleaned | None = None
    meta: Meta | None = None
    tokens: Tokens | None = None
    actors: Actors | None = None
    parse: Parse | None = None
    quotes: Quotes | None = None
    events: Events | None = None

    def to_record(self) -> dict[str, Any]:
        """The interchange record of ../shared/docs/output-format.md (one JSON Lines object)."""
        meta = self.meta or Meta()
        return {
            "id": self.source.id,
            "source": self.source.origin,
            "url": self.source.url,
            "language": meta.language,
            "title": meta.title,
            "published": meta.published,
            "dateline": meta.dateline,
            "dateline_place": meta.dateline_place,
            "outlet": meta.outlet,
            "cited_sources": list(meta.cited_sources),
            "body": self.cleaned.body if self.cleaned else "",
            "entities": [m.to_record() for m in self.actors.mentions] if self.actors else [],
            "quotes": [q.to_record() for q in self.quotes.quotes] if self.quotes else [],
            "events": [e.to_record() for e in self.events.events] if self.events else [],
            "pipeline_version": __version__,
            "record_version": RECORD_VERSION,
            "input_sha256": self.source.identity(),
        }

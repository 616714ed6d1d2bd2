"""The orchestrator: one article through the stages, in this order.

    read    files, folders, JSONL, HTML, WARC, stdin -> Source     (warta.read, before the loop)
    clean   page furniture out, paragraphs kept        -> Cleaned  (warta.clean)
    meta    title, published, dateline, outlet, cited sources, language -> Meta (warta.meta)
    tokens  sentences and tokens (spaCy's Indonesian tokenizer) -> Tokens (warta.tokens)
    actors  persons, states, places, bodies -> canonical actors with codes -> Actors (warta.actors)
    quotes  direct and reported speech with canonical speakers -> Quotes  (warta.quotes)
    events  PLOVER events: type, actors, recipients, day, place, evidence -> Events (warta.events)

Each stage is a plain function that reads the sections before it and writes its own.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from warta.actors import actors
from warta.article import Article, Source
from warta.clean import clean
from warta.events import events
from warta.meta import meta
from warta.quotes import quotes
from warta.read import Progress, ReadFailure, read
from warta.tokens import tokens


@dataclass(frozen=True, slots=True)
class Options:
    # The reference day: a date the text gives without a year is put in the latest year not
    # after it, and nothing is dated after it.
    as_of: dt.date = field(default_factory=dt.date.today)


STAGES: tuple[Callable[[Article, Options], None], ...] = (clean, meta, tokens, actors, quotes, events)


class StageError(Exception):
    """A stage raised on one article; says which stage and what it raised."""

    def __init__(self, stage: str, error: Exception):
        super().__init__(f"the {stage} stage failed: {type(error).__name__}: {error}")


def process(source: Source, options: Options | None = None) -> Article:
    options = options or Options()
    article = Article(source=source)
    for stage in STAGES:
        try:
            stage(article, options)
        except Exception as error:
            raise StageError(stage.__name__, error) from error
    return article


def process_or_fail(source: Source, options: Options) -> Article | ReadFailure:
    """`process`, but a stage that raises on one article costs that article, not the run."""
    return process_many([source], options)[0]


def process_many(sources: list[Source], options: Options) -> list[Article | ReadFailure]:
    """`process_or_fail` over several articles. A stage with a `batch` form runs once over all
    of them (the NER model is faster on many documents at once); if the batch raises, the
    stage runs article by article, so that only the article it fails on is lost."""
    articles = [Article(source=source) for source in sources]
    failed: dict[int, ReadFailure] = {}
    for stage in STAGES:
        live = [i for i in range(len(articles)) if i not in failed]
        batch = getattr(stage, "batch", None)
        if batch is not None:
            try:
                batch([articles[i] for i in live], options)
                continue
            except Exception:
                pass
        for i in live:
            try:
                stage(articles[i], options)
            except Exception as error:
                failed[i] = ReadFailure(sources[i].origin, str(StageError(stage.__name__, error)))
    return [failed.get(i, article) for i, article in enumerate(articles)]


def run(paths: Iterable[str], options: Options | None = None, progress: Progress | None = None,
        batch_size: int = 32) -> Iterator[Article | ReadFailure]:
    """Every article under `paths` through every stage, in input order; inputs that cannot be
    read, or that a stage fails on, come out as failures naming the input and the reason.
    Articles go through the stages `batch_size` at a time."""
    options = options or Options()
    pending: list[Source | ReadFailure] = []
    for item in read(paths, progress):
        pending.append(item)
        if len(pending) >= batch_size:
            yield from _through_stages(pending, options)
            pending = []
    yield from _through_stages(pending, options)


def _through_stages(items: list[Source | ReadFailure], options: Options) -> list[Article | ReadFailure]:
    done = iter(process_many([i for i in items if not isinstance(i, ReadFailure)], options))
    return [item if isinstance(item, ReadFailure) else next(done) for item in items]

"""The orchestrator: one article through the stages, in this order.

    read    files, folders, JSONL, HTML, WARC, stdin -> Source     (warta.read, before the loop)
    clean   page furniture out, paragraphs kept        -> Cleaned  (warta.clean)
    meta    title, published, dateline, outlet, cited sources, language -> Meta (warta.meta)
    tokens  sentences and tokens (spaCy blank "id")    -> Tokens   (warta.tokens)
    actors  persons, states, places, bodies -> canonical actors with codes -> Actors (warta.actors)
    quotes  direct and reported speech with canonical speakers -> Quotes  (warta.quotes)

The events stage joins this list when it lands. Each stage is a plain
function that reads the sections before it and writes its own.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from warta.actors import actors
from warta.article import Article, Source
from warta.clean import clean
from warta.meta import meta
from warta.quotes import quotes
from warta.read import Progress, ReadFailure, read
from warta.tokens import tokens


@dataclass(frozen=True, slots=True)
class Options:
    # The reference day: a date the text gives without a year is put in the latest year not
    # after it, and nothing is dated after it.
    as_of: dt.date = field(default_factory=dt.date.today)


STAGES: tuple[Callable[[Article, Options], None], ...] = (clean, meta, tokens, actors, quotes)


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
    try:
        return process(source, options)
    except StageError as error:
        return ReadFailure(source.origin, str(error))


def run(paths: Iterable[str], options: Options | None = None,
        progress: Progress | None = None) -> Iterator[Article | ReadFailure]:
    """Every article under `paths` through every stage; inputs that cannot be read, or that
    a stage fails on, come out as failures naming the input and the reason."""
    options = options or Options()
    for item in read(paths, progress):
        yield item if isinstance(item, ReadFailure) else process_or_fail(item, options)

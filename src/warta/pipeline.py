"""The orchestrator: one article through the stages, in this order.

    read    files, folders, JSONL, HTML, WARC, stdin -> Source     (warta.read, before the loop)
    webpage an HTML page's main text, title and date -> Source     (warta.webpage)
    clean   page furniture out, paragraphs kept        -> Cleaned  (warta.clean)
    meta    title, published, dateline, outlet, cited sources, language -> Meta (warta.meta)
    tokens  sentences and tokens (spaCy's Indonesian tokenizer) -> Tokens (warta.tokens)
    actors  persons, states, places, bodies -> canonical actors with codes -> Actors (warta.actors)
    parse   UPOS and dependencies of the sentences with a trigger or speech cue -> Parse (warta.parse)
    quotes  direct and reported speech with canonical speakers -> Quotes  (warta.quotes)
    events  PLOVER events: type, actors, recipients, day, place, evidence -> Events (warta.events)

Each stage is a plain function that reads the sections before it and writes its own.

`run` takes articles through in batches in this process; `run_records` hands the batches to
worker processes (each loads the models once) and gives the records back in input order.
Either way an article that a stage raises on, or that runs past `Options.time_limit`, becomes
a failure naming it, and the others go on.
"""
from __future__ import annotations

import datetime as dt
import itertools
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from warta.actors import actors
from warta.article import Article, NotAnArticle, Source
from warta.clean import clean
from warta.events import events
from warta.limits import DEFAULT_TIME_LIMIT, TimeLimit, deadline
from warta.meta import meta
from warta.parse import parse
from warta.quotes import quotes
from warta.read import Progress, ReadFailure, read
from warta.tokens import tokens
from warta.webpage import webpage


@dataclass(frozen=True, slots=True)
class Options:
    # The reference day: a date the text gives without a year is put in the latest year not
    # after it, and nothing is dated after it.
    as_of: dt.date = field(default_factory=dt.date.today)
    # Seconds one article may take through all the stages before it is given up as a failure,
    # so that one pathological page cannot stall a run; None: no limit.
    time_limit: float | None = DEFAULT_TIME_LIMIT


STAGES: tuple[Callable[[Article, Options], None], ...] = (webpage, clean, meta, tokens, actors, parse, quotes, events)
# The stages that read Indonesian words. An article `meta` finds to be in another language
# gets a record with its language, body and metadata, and no actors, quotes or events coded by
# misreading it. Below LANGUAGE_EVIDENCE words the language guess is not trusted for this
# (on IndoSum's first sentences alone, 10 of 3,423 are taken for English, Javanese, ...).
INDONESIAN_STAGES = frozenset({"actors", "parse", "quotes", "events"})
LANGUAGE_EVIDENCE = 25


def _reads(stage: Callable, article: Article) -> bool:
    if stage.__name__ not in INDONESIAN_STAGES or article.meta is None or article.meta.language in (None, "id"):
        return True
    return len(article.cleaned.body.split()) < LANGUAGE_EVIDENCE


class StageError(Exception):
    """A stage raised on one article; says which stage and what it raised."""

    def __init__(self, stage: str, error: Exception):
        super().__init__(f"the {stage} stage failed: {type(error).__name__}: {error}")


def process(source: Source, options: Options | None = None) -> Article:
    options = options or Options()
    article = Article(source=source)
    for stage in STAGES:
        if not _reads(stage, article):
            continue
        try:
            stage(article, options)
        except NotAnArticle:
            raise
        except Exception as error:
            raise StageError(stage.__name__, error) from error
    return article


def process_many(sources: list[Source], options: Options) -> list[Article | ReadFailure]:
    """`process` over several articles, where a stage that raises on one article costs that
    article, not the run: it comes back as a failure naming it. A stage with a `batch` form
    runs once over all of them (the NER model is faster on many documents at once); if the
    batch raises, the stage runs article by article, so that only the article it fails on is
    lost.

    The batch as a whole must finish within `options.time_limit` (an ordinary batch takes well
    under a second). If it does not, and one article had taken most of that time when it ran
    out, that article is the failure and the others are run again; otherwise each article is
    run again on its own with that limit, and one that still runs past it becomes a failure.
    So a slow article costs about the limit, not twice it."""
    warm_up()
    clock = _Clock()
    try:
        with deadline(options.time_limit):
            return _through_all_stages(sources, options, clock)
    except TimeLimit:
        pass
    culprit = 0 if len(sources) == 1 else clock.culprit(options.time_limit)
    done: list[Article | ReadFailure] = []
    for i, source in enumerate(sources):
        if i == culprit:
            done.append(_too_slow(source, options))
            continue
        try:
            with deadline(options.time_limit):
                done.extend(_through_all_stages([source], options))
        except TimeLimit:
            done.append(_too_slow(source, options))
    return done


def _too_slow(source: Source, options: Options) -> ReadFailure:
    return ReadFailure(source.origin, f"took longer than the time limit of {options.time_limit:g} s "
                                      "per article (--time-limit)")


class _Clock:
    """Seconds each article of a batch has spent in the stages run article by article, and
    which article was running; a batch-form stage (the NER) runs with no article named."""

    def __init__(self) -> None:
        self.spent: dict[int, float] = {}
        self.running: int | None = None
        self.since = 0.0

    def start(self, article: int | None) -> None:
        self.running, self.since = article, time.monotonic()

    def stop(self) -> None:
        if self.running is not None:
            self.spent[self.running] = self.spent.get(self.running, 0.0) + time.monotonic() - self.since
        self.running = None

    def culprit(self, limit: float | None) -> int | None:
        """The article that was running when time ran out, if it alone took most of `limit`."""
        running = self.running
        self.stop()
        if running is None or not limit or self.spent.get(running, 0.0) < 0.5 * limit:
            return None
        return running


def _through_all_stages(sources: list[Source], options: Options, clock: _Clock | None = None
                        ) -> list[Article | ReadFailure]:
    articles = [Article(source=source) for source in sources]
    failed: dict[int, ReadFailure] = {}
    clock = clock or _Clock()
    for stage in STAGES:
        live = [i for i in range(len(articles)) if i not in failed and _reads(stage, articles[i])]
        batch = getattr(stage, "batch", None)
        if batch is not None:
            try:
                clock.start(live[0] if len(live) == 1 else None)
                batch([articles[i] for i in live], options)
                continue
            except Exception:
                pass
        for i in live:
            clock.start(i)
            try:
                stage(articles[i], options)
            except NotAnArticle as error:
                failed[i] = ReadFailure(sources[i].origin, str(error))
            except Exception as error:
                failed[i] = ReadFailure(sources[i].origin, str(StageError(stage.__name__, error)))
            clock.stop()
    return [failed.get(i, article) for i, article in enumerate(articles)]


def run(paths: Iterable[str], options: Options | None = None, progress: Progress | None = None,
        batch_size: int = 32) -> Iterator[Article | ReadFailure]:
    """Every article under `paths` through every stage, in input order; inputs that cannot be
    read, or that a stage fails on, come out as failures naming the input and the reason.
    Articles go through the stages `batch_size` at a time."""
    options = options or Options()
    for batch in _batched(read(paths, progress), batch_size):
        done = iter(process_many(_sources(batch), options))
        yield from (item if isinstance(item, ReadFailure) else next(done) for item in batch)


# ---------------------------------------------------------------------- worker processes
Record = dict[str, Any]


def process_records(sources: list[Source], options: Options) -> list[Record | ReadFailure]:
    """`process_many` as article records: what crosses a process boundary (an Article holds
    spaCy Docs, which are large to pickle and not needed by a writer)."""
    return [item if isinstance(item, ReadFailure) else item.to_record() for item in process_many(sources, options)]


def _start_worker(load: Callable[[], None]) -> None:
    """A worker process's start: it watches its parent, then loads the models (`warm_up`,
    passed in so that the parent decides which)."""
    exit_with_parent()
    load()


def exit_with_parent() -> None:
    """Watch this process's parent from a thread and end this process once the parent is gone,
    however it died (`kill -9` included). For every process Warta starts: ingest's workers,
    load's reader, serve's workers."""
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), name="warta-parent-watch", daemon=True).start()


def _exit_with_parent(parent: int, every: float = 0.5) -> None:
    """End this process once its parent is gone: an orphan is adopted by another process, so
    the parent's id changes. Without this, orphaned workers of a killed `warta ingest` run on,
    holding their models, for good."""
    while os.getppid() == parent:
        time.sleep(every)
    os._exit(1)


@lru_cache(maxsize=1)
def warm_up() -> None:
    """Load every model and table, once per process, by taking one short article through the
    stages with no time limit: loading takes seconds, and the time limit is for articles (a
    limit shorter than the loading would otherwise fail every article, as each try reloads)."""
    _through_all_stages([Source(id="warm-up", origin="warm-up", text="Presiden Rusia Vladimir Putin bertemu "
                                                                      "Presiden China Xi Jinping di Beijing.")],
                        Options(time_limit=None))


def run_records(items: Iterable[Source | ReadFailure], options: Options | None = None, workers: int = 1,
                batch_size: int = 32) -> Iterator[tuple[Source, Record] | ReadFailure]:
    """(source, record) for every source in `items`, in input order, failures passed through.

    With `workers` > 1, batches go to that many worker processes, at most two batches per
    worker in flight: `items` is read only as fast as the workers take it, so memory stays
    bounded whatever the input's size. A run of two batches or fewer stays in this process
    (starting workers costs more than it saves). A worker that dies takes no other article
    with it: its batch is run again one article per task, and the article that kills a worker
    again becomes a failure."""
    options = options or Options()
    batches = _batched(items, batch_size)
    head = list(itertools.islice(batches, 3))
    if workers <= 1 or len(head) < 3:
        for batch in itertools.chain(head, batches):
            yield from _paired(batch, process_records(_sources(batch), options))
        return
    pool = _Pool(workers, options)
    try:
        in_flight: deque[tuple[list, Future]] = deque()
        for batch in itertools.chain(head, batches):
            in_flight.append((batch, pool.submit(_sources(batch))))
            while len(in_flight) >= 2 * workers:
                yield from _paired(*pool.result(*in_flight.popleft()))
        while in_flight:
            yield from _paired(*pool.result(*in_flight.popleft()))
    finally:
        pool.shutdown()


# Seconds a worker may need beyond the time limits to start (spawn, load the models) and to
# send its batch back, before the watchdog takes it to be stuck.
WORKER_GRACE = 60.0


class _Pool:
    """Worker processes (spawned, so nothing of this process's threads or handles is copied)
    and what to do when one dies or is stuck.

    Stuck: the time limit is SIGALRM inside the worker, which interrupts Python code but not a
    native call that never returns (a hang deep in a C library). So this process is the
    watchdog: a batch that is not back long after every time limit it could have used has its
    worker killed, and is run again an article per task like a batch whose worker died."""

    def __init__(self, workers: int, options: Options):
        self.workers, self.options = workers, options
        self.executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_start_worker, initargs=(warm_up,))

    def patience(self, articles: int) -> float | None:
        """Seconds to wait for a batch: the worker's own limits (the batch, then each article
        alone) twice over, as the batch may wait behind another one, and the grace."""
        limit = self.options.time_limit
        return None if limit is None else 2 * (articles + 1) * limit + WORKER_GRACE

    def submit(self, sources: list[Source]) -> Future:
        """Submit, starting new workers first if a dead one broke the pool (the batches that
        were out with it are run again by `result`)."""
        try:
            return self.executor.submit(process_records, sources, self.options)
        except BrokenProcessPool:
            self.restart()
            return self.executor.submit(process_records, sources, self.options)

    def restart(self, kill: bool = False) -> None:
        """New workers in place of broken ones, or of stuck ones (`kill`): the batches that were
        out with them fail, and `result` runs them again."""
        if kill:  # the executor has no public way to stop a running worker; its process table does
            for process in list((self.executor._processes or {}).values()):
                process.kill()
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = self._start()

    def result(self, batch: list, future: Future) -> tuple[list, list[Record | ReadFailure]]:
        sources = _sources(batch)
        try:
            return batch, future.result(timeout=self.patience(len(sources)))
        except (BrokenProcessPool, CancelledError):
            pass
        except TimeoutError:
            self.restart(kill=True)
        # A worker died (a crash in native code, the kernel's OOM killer, the watchdog) while
        # this batch was out: every batch in flight fails with it. Run this one an article per task.
        done: list[Record | ReadFailure] = []
        for source in sources:
            try:
                done.extend(self.submit([source]).result(timeout=self.patience(1)))
            except (BrokenProcessPool, CancelledError):
                done.append(ReadFailure(source.origin, "a worker process died while processing this article"))
            except TimeoutError:
                self.restart(kill=True)
                done.append(ReadFailure(source.origin, "did not stop at the time limit (stuck outside Python, "
                                                       "where --time-limit cannot reach); its worker was killed"))
        return batch, done

    def shutdown(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


def _batched(items: Iterable[Source | ReadFailure], size: int) -> Iterator[list[Source | ReadFailure]]:
    """Lists of up to `size` sources each; read failures ride along in their place."""
    batch: list[Source | ReadFailure] = []
    count = 0
    for item in items:
        batch.append(item)
        count += not isinstance(item, ReadFailure)
        if count >= size:
            yield batch
            batch, count = [], 0
    if batch:
        yield batch


def _sources(batch: list[Source | ReadFailure]) -> list[Source]:
    return [item for item in batch if not isinstance(item, ReadFailure)]


def _paired(batch: list[Source | ReadFailure], done: list[Record | ReadFailure]
            ) -> Iterator[tuple[Source, Record] | ReadFailure]:
    results = iter(done)
    for item in batch:
        if isinstance(item, ReadFailure):
            yield item
            continue
        result = next(results)
        yield result if isinstance(result, ReadFailure) else (item, result)

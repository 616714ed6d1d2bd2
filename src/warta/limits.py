"""Limits that keep one input from stalling or swamping a run: its size and its time."""
from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# The most raw bytes one article may have (a text file, a JSONL line, an HTML page or WARC
# record). A news page, scripts and all, is well under 2 MB; a bigger one is a dump or a
# mistake, and would cost minutes.
DEFAULT_MAX_BYTES = 5_000_000
# Seconds one article may take through all the stages (HTML extraction included) before it
# is given up. An ordinary article takes a few hundredths of a second.
DEFAULT_TIME_LIMIT = 60.0


class TimeLimit(BaseException):
    """The time given ran out. A BaseException, so that an `except Exception` in the code
    that was interrupted cannot swallow it."""


@contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Raise TimeLimit in the block after `seconds`. It uses SIGALRM, so it times only on the
    main thread of a process (worker processes included); elsewhere, and with no limit, the
    block runs untimed."""
    if not seconds or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGALRM"):
        yield
        return

    def expire(signum, frame):
        raise TimeLimit()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def megabytes(size: int) -> str:
    return f"{size / 1e6:.1f} MB"

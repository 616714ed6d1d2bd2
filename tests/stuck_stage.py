"""A stage stuck where the time limit cannot reach it, for tests/test_scale.py. Spawned workers
import their own modules, so it is installed by the workers' initializer, not by monkeypatch."""
import signal
import time

from warta import pipeline

MARK = "MACET"


def _stuck(article, options):
    if MARK in article.source.text:
        # As a native call that never returns to Python would be: the alarm is never acted on.
        signal.signal(signal.SIGALRM, signal.SIG_IGN)
        while True:
            time.sleep(1)


def warm_up_with_a_stuck_stage():
    pipeline.STAGES = (*pipeline.STAGES, _stuck)
    pipeline.warm_up()

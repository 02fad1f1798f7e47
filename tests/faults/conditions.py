"""Waiting on a condition the system must reach, with what was awaited in the failure message."""

import time
from collections.abc import Callable


def wait_for(condition: Callable[[], bool], *, timeout: float = 30.0, what: str = "the condition",
             every: float = 0.1) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(every)

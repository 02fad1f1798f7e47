"""Backoff for the loops that must outlive a dependency's outage (relay, consumers), built on tenacity."""

import threading
from collections.abc import Callable

from tenacity import RetryCallState, Retrying, retry_if_exception_type, wait_exponential_jitter


def until_stopped(stop_event: threading.Event, *, initial: float = 0.2, maximum: float = 5.0,
                  on_retry: Callable[[BaseException, float], None] | None = None,
                  retry_on: tuple[type[BaseException], ...] = (Exception,)) -> Retrying:
    """Retry a step with jittered exponential backoff until it succeeds or stop_event is set; the wait is
    stop_event.wait, so stopping never waits out a backoff. Each call starts again from `initial`."""

    def before_sleep(state: RetryCallState) -> None:
        if on_retry is not None and state.outcome is not None and state.next_action is not None:
            on_retry(state.outcome.exception(), state.next_action.sleep)

    return Retrying(
        retry=retry_if_exception_type(retry_on),
        wait=wait_exponential_jitter(multiplier=initial, max=maximum, jitter=initial),
        stop=lambda _state: stop_event.is_set(),
        sleep=stop_event.wait,
        before_sleep=before_sleep,
        reraise=True,
    )

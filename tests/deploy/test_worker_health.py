"""A worker set's health: live while each thread runs and keeps trying; working only while each succeeds."""

import threading

from shared.workers import Heartbeat, WorkerSet


class Loop:
    """A worker whose step succeeds or fails as told, beating like the relay and the consumers do."""

    def __init__(self, succeed: bool = True, die: bool = False):
        self.heartbeat, self.succeed, self.die = Heartbeat(), succeed, die
        self.stop_event, self.beat = threading.Event(), threading.Event()

    def run(self) -> None:
        while not self.die and not self.stop_event.is_set():
            self.heartbeat.tried()
            if self.succeed:
                self.heartbeat.succeeded()
            self.beat.set()
            self.stop_event.wait(0.01)

    def stop(self) -> None:
        self.stop_event.set()


def _started(*workers: Loop) -> WorkerSet:
    group = WorkerSet(list(workers))
    group.start()
    for worker in workers:
        if worker.die:
            group.threads[workers.index(worker)].join(5)
        else:
            assert worker.beat.wait(5)
    return group


def test_running_and_succeeding_workers_are_live_and_working():
    group = _started(Loop(), Loop())
    try:
        live, working, details = group.health(stale_seconds=30)
        assert (live, working) == (True, True)
        assert all(d["thread_alive"] and d["last_success_seconds_ago"] is not None for d in details)
    finally:
        group.stop()


def test_a_dead_worker_thread_makes_the_set_not_live():
    group = _started(Loop(), Loop(die=True))
    try:
        live, working, details = group.health(stale_seconds=30)
        assert (live, working) == (False, False)
        assert [d["thread_alive"] for d in details] == [True, False]
    finally:
        group.stop()


def test_a_worker_that_keeps_failing_is_live_but_not_working():
    group = _started(Loop(), Loop(succeed=False))
    try:
        assert group.health(stale_seconds=30)[:2] == (True, False)
    finally:
        group.stop()


def test_a_worker_that_stopped_trying_is_stale():
    group = _started(Loop())
    try:
        group.workers[0].heartbeat.tried_at -= 120  # its last try two minutes ago: the thread is stuck
        assert group.health(stale_seconds=60)[:2] == (False, False)
    finally:
        group.stop()

"""The fault suite's seed: GRANTS_FAULT_SEED replays a run; a failing test prints the seed it ran with."""

import os
import random

import pytest

DEFAULT_SEED = 2026  # the seed the soak sizes were proven with


@pytest.fixture
def fault_seed(request) -> random.Random:  # type: ignore[no-untyped-def]
    """A random source for where and when faults strike: GRANTS_FAULT_SEED (a number replays a run; `random`
    draws a fresh one, as `make soak` does), else a fixed seed so that `make test` is repeatable."""
    chosen = os.environ.get("GRANTS_FAULT_SEED") or str(DEFAULT_SEED)
    seed = random.SystemRandom().randrange(1 << 32) if chosen == "random" else int(chosen)
    request.node.fault_seed = seed
    return random.Random(seed)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    seed = getattr(item, "fault_seed", None)
    if seed is not None and report.failed:
        report.sections.append(("fault seed", f"replay with GRANTS_FAULT_SEED={seed}"))

"""The cyclic garbage collector, tuned for a long-running process that works in batches.

A consumer applies up to 2,000 events a transaction and allocates hundreds of thousands of short-lived
containers doing it (payload dicts, rows, facts, entries). At CPython's default thresholds (700, 10, 10) the
collector ran hundreds of times a batch, and each full collection walked everything the process built at
start-up as well (SQLAlchemy's metadata, pydantic's validators, kafka-python's client), none of which ever
becomes garbage. Frozen after start-up, that heap is left out of every collection; with a young generation
of 50,000 the collector runs a few times a batch instead of hundreds. Reference counting frees the batch's
objects as before: only cycles wait longer, for a full collection at most every 10 million allocations.

Called once a process has built what it keeps (never in tests, which build app after app in one process: a
frozen object is never collected).
"""

import gc

THRESHOLDS = (50_000, 20, 10)


def settle_after_startup() -> None:
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)

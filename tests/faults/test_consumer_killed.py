"""(b) The consumer process SIGKILLed at random moments, again and again (inside a transaction, between the
database commit and the offset commit, while polling): after its last restart every event of a stream over
three partitions is applied exactly once."""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from shared.events import topic
from shared.kafka_clients import ensure_topics
from tests.faults.conditions import wait_for
from tests.faults.sizes import sized
from tests.faults.stream import applied_rows, assert_each_applied_once, publish_all, stage
from tests.shared.kafka_offsets import caught_up, group_offsets
from tests.shared.messaging_support import make_db

EVENTS, KILLS = sized(5_000, 50_000), sized(10, 40)
SCRIPT = Path(__file__).with_name("consumer_process.py")


def _start(pg_url: str, broker: str, prefix: str, group: str, log: Path) -> subprocess.Popen:
    # unbuffered: a SIGKILL would otherwise take the last lines of its log with it
    env = {**os.environ, "PYTHONPATH": str(Path.cwd()), "PYTHONUNBUFFERED": "1"}
    with log.open("w") as out:  # kept under the test's tmp_path (printed) to read after a failure
        return subprocess.Popen([sys.executable, str(SCRIPT), pg_url, broker, prefix, group], env=env,
                                stdout=out, stderr=subprocess.STDOUT)


def test_a_consumer_killed_ten_times_at_random_moments_applies_every_event_exactly_once(
        pg_url, broker, topic_prefix, fault_seed, tmp_path):
    engine = make_db(pg_url)
    ensure_topics(broker, topic_prefix, partitions=3)
    ids = stage(engine, EVENTS)
    publish_all(engine, broker, topic_prefix)
    group = f"{topic_prefix}.g"
    # kill k comes once the stream passed its mark (spread over the run), after a random moment more
    marks = sorted(fault_seed.sample(range(EVENTS // 20, EVENTS * 9 // 10), KILLS))
    kills = []
    logs = [tmp_path / f"consumer-{n:02d}.log" for n in range(len(marks) + 1)]
    print("consumer logs:", tmp_path)
    for mark, log in zip(marks, logs):
        proc = _start(pg_url, broker, topic_prefix, group, log)
        began = time.monotonic()
        try:
            start = applied_rows(engine)
            # past its mark and on since the start; once the stream is wholly applied (the last rounds' marks
            # can lie below what an earlier consumer reached) there is nothing more to pass: it is killed idle
            wait_for(lambda: applied_rows(engine) > max(mark, start) or applied_rows(engine) >= EVENTS
                     or proc.poll() is not None, timeout=60, every=0.02,
                     what=f"the consumer to pass {max(mark, start)} events (it started at {start})")
            assert proc.poll() is None, f"the consumer exited by itself with {proc.returncode}"
            threading.Event().wait(fault_seed.uniform(0, 0.3))  # the random moment itself
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        kills.append((applied_rows(engine), round(time.monotonic() - began, 1)))
    assert len(kills) >= 10
    proc = _start(pg_url, broker, topic_prefix, group, logs[-1])
    try:
        wait_for(lambda: caught_up(broker, group, topic(topic_prefix, "claims.v1")), every=0.5, timeout=120,
                 what="the group's offsets at the end of every partition after the last restart")
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    print("(applied rows, seconds since its start) when each kill struck:", kills)
    print("(committed, end) offset of each partition:", group_offsets(broker, group, topic(topic_prefix, "claims.v1")))
    assert_each_applied_once(engine, ids)

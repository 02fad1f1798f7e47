"""The consumer as its own process, for the test that SIGKILLs it: the real IdempotentConsumer over the tiny
service of tests.shared.messaging_support, polls spanning the partitions."""

import logging
import sys
import time

from kafka import KafkaConsumer

from shared import kafka_clients
from shared.consumer import ConsumerSpec, IdempotentConsumer
from shared.events import CLAIM_SUBMITTED
from shared.logging import configure_logging
from tests.shared.messaging_support import inbox, make_db, record

class ReportingConsumer(IdempotentConsumer):
    """Once a second, a line of what the consumer holds and where it stands: after a kill, the kept log shows
    whether a restarted consumer got its partitions and whether its polls returned anything."""

    _reported, _handled = 0.0, 0

    def poll_once(self, timeout_ms: int = 200) -> int:
        handled = super().poll_once(timeout_ms)
        self._handled += handled
        if time.monotonic() - self._reported >= 1 and self._consumer is not None:
            self._reported = time.monotonic()
            held = sorted(self._consumer.assignment(), key=lambda tp: tp.partition)
            # highwater() only reads the last fetch's answer; position() could block, changing what is observed
            where = {tp.partition: self._consumer.highwater(tp) for tp in held}
            print(f"{time.strftime('%H:%M:%S')} handled {self._handled}; high watermark by partition held {where}")
        return handled


if __name__ == "__main__":
    db_url, bootstrap, prefix, group = sys.argv[1:5]
    spec = ConsumerSpec(name="test.recorder", group_id=group, topic_suffixes=["claims.v1"],
                        handlers={CLAIM_SUBMITTED: record}, max_poll_records=100, max_partition_fetch_bytes=16_000)
    # A short session: each restart waits out the killed process's session before the group hands it the
    # partitions; what is under test (offsets, dedup, seek-back) is the same with production's six seconds.
    def short_session(*args, **kwargs):  # type: ignore[no-untyped-def]
        return KafkaConsumer(*args, **{**kwargs, "session_timeout_ms": 1500, "heartbeat_interval_ms": 300})

    kafka_clients.KafkaConsumer = short_session
    configure_logging("development", logging.INFO)  # to the log file the test keeps for a failure's report
    print("consuming", flush=True)
    ReportingConsumer(make_db(db_url), inbox, spec, bootstrap, prefix).run()

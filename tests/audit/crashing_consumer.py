"""The audit consumer alone in a process, for tests that SIGKILL it at random points.

    python -m tests.audit.crashing_consumer DB_URL BOOTSTRAP PREFIX GROUP
"""

import logging
import sys

from kafka import KafkaConsumer, TopicPartition

from shared.db import make_engine
from services.audit.db.tables import inbox
from services.audit.messaging.spec import ledger_consumer_spec
from services.audit.messaging.consumer import AuditConsumer
from shared.events import topic
from shared.kafka_clients import PARTITIONS
from shared.logging import configure_logging
from tests.audit.support import audit_settings


class AssignedAuditConsumer(AuditConsumer):
    """The audit consumer with its partitions assigned rather than subscribed.

    Processing, the inbox and the offset commits are the real ones. Only group membership differs:
    a killed member holds its partitions until its session times out, so a restarted subscriber waits
    ~10 s per kill on the test broker; an assigned consumer resumes at once from the committed offsets.
    Polls are smaller than the service's (100, not 500) so a restart re-reads fewer applied events.
    """

    def _connect(self) -> None:
        if self._consumer is None:  # the test created the topics
            consumer = KafkaConsumer(bootstrap_servers=self.bootstrap.split(","), group_id=self.spec.group_id,
                                     enable_auto_commit=False, auto_offset_reset="earliest", max_poll_records=100)
            consumer.assign([TopicPartition(topic(self.prefix, suffix), p) for suffix in self.spec.topic_suffixes
                             for p in range(PARTITIONS)])
            self._consumer = consumer


def main(db_url: str, bootstrap: str, prefix: str, group: str) -> None:
    configure_logging("test", level=logging.WARNING)
    spec = ledger_consumer_spec(audit_settings(db_url, bootstrap, prefix))
    spec.group_id = group
    AssignedAuditConsumer(make_engine(db_url), inbox, spec, bootstrap, prefix).run()


if __name__ == "__main__":
    main(*sys.argv[1:5])

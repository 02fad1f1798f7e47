"""Dead-lettering: a message that cannot be processed is parked on <prefix>.deadletter.v1 with the error."""

import traceback

from shared.events import topic
from shared.kafka_clients import make_producer
from shared.logging import get_logger

log = get_logger("shared.deadletter")


class DeadLetters:
    def __init__(self, bootstrap: str, prefix: str, consumer: str):
        self.bootstrap, self.prefix, self.consumer = bootstrap, prefix, consumer
        self._producer = None

    def send(self, message, exc: BaseException) -> None:  # type: ignore[no-untyped-def]
        """Publish synchronously: the offset may only move once the message is safe on the dead-letter topic."""
        error = f"{type(exc).__name__}: {exc}"
        log.error("consumer.dead_lettered", consumer=self.consumer, topic=message.topic,
                  partition=message.partition, offset=message.offset, error=error[:500])
        headers = [
            ("error", error[:2000].encode()),
            ("error_trace", "".join(traceback.format_exception_only(exc))[:2000].encode()),
            ("consumer", self.consumer.encode()),
            ("original_topic", message.topic.encode()),
            ("original_partition", str(message.partition).encode()),
            ("original_offset", str(message.offset).encode()),
        ]
        if self._producer is None:
            self._producer = make_producer(self.bootstrap)
        self._producer.send(topic(self.prefix, "deadletter.v1"), key=message.key, value=message.value, headers=headers)
        self._producer.flush(timeout=15)

    def close(self) -> None:
        if self._producer is not None:
            try:
                self._producer.close(timeout=1)
            except Exception:  # noqa: BLE001 - a producer of a dead broker may fail to close; it is dropped anyway
                pass
            self._producer = None

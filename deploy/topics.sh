#!/usr/bin/env sh
# Creates the contract's topics (contract §6) on an Apache Kafka cluster; idempotent. The services never
# create topics in production (they stop at start naming a missing one), so this runs before them.
#
# GRANTS_TOPIC_PARTITIONS is the one place the partition count is set (default 12: the most consumer
# replicas of one service that can share the work). Partitions can be added later, never removed, and
# adding them moves keys to other partitions: choose before the first event. Every topic is replicated
# three times and takes a write only when two replicas have it (acks=all), so one broker can be lost.
set -eu
BOOTSTRAP="${GRANTS_KAFKA_BOOTSTRAP:-kafka-1:9092}"
PREFIX="${GRANTS_TOPIC_PREFIX:-grants}"
PARTITIONS="${GRANTS_TOPIC_PARTITIONS:-12}"
REPLICATION_FACTOR=3
MIN_INSYNC_REPLICAS=2
# How long Kafka keeps a record: deleted a whole segment at a time once the segment's newest record is older
# than RETENTION_MS, so a record lives at most RETENTION_MS + SEGMENT_MS (8 days). The consumers' inboxes must
# remember an event longer than that (GRANTS_INBOX_RETENTION_HOURS, default 336 h; docs/operations.md
# "Retention"), or a copy still in the log could be applied twice.
RETENTION_MS=604800000  # 7 days
SEGMENT_MS=86400000     # 1 day
PATH="/opt/kafka/bin:$PATH"  # where the apache/kafka image keeps kafka-topics.sh

for t in claims.v1 payments.v1 batches.v1 deadletter.v1 checkpoints.v1 control.v1; do
  kafka-topics.sh --bootstrap-server "$BOOTSTRAP" --create --if-not-exists --topic "$PREFIX.$t" \
    --partitions "$PARTITIONS" --replication-factor "$REPLICATION_FACTOR" \
    --config "min.insync.replicas=$MIN_INSYNC_REPLICAS" \
    --config "retention.ms=$RETENTION_MS" --config "segment.ms=$SEGMENT_MS"
done
echo "topics ready: $PREFIX.{claims,payments,batches,deadletter,checkpoints,control}.v1 ($PARTITIONS partitions, rf $REPLICATION_FACTOR)"

#!/usr/bin/env sh
# Creates the contract's topics (contract §6) on an Apache Kafka cluster; idempotent.
set -eu
BOOTSTRAP="${GRANTS_KAFKA_BOOTSTRAP:-kafka:9092}"
PREFIX="${GRANTS_TOPIC_PREFIX:-grants}"
for t in claims.v1 payments.v1 batches.v1 deadletter.v1 checkpoints.v1; do
  /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$BOOTSTRAP" --create --if-not-exists \
    --topic "$PREFIX.$t" --partitions 3 --replication-factor 1 --config min.insync.replicas=1
done

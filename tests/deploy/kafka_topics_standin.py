"""Stands in for Apache Kafka's bin/kafka-topics.sh (not on this machine) when tests run deploy/topics.sh:
the same options, carried out with kafka-python's admin client against the suite's real broker."""

import argparse
import sys

from kafka import KafkaAdminClient
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError


def main() -> int:
    parser = argparse.ArgumentParser(prog="kafka-topics.sh")
    parser.add_argument("--bootstrap-server", required=True)
    parser.add_argument("--create", action="store_true", required=True)
    parser.add_argument("--if-not-exists", action="store_true")
    parser.add_argument("--topic", required=True)
    parser.add_argument("--partitions", type=int, required=True)
    parser.add_argument("--replication-factor", type=int, required=True)
    parser.add_argument("--config", action="append", default=[])
    args = parser.parse_args()
    configs = dict(c.split("=", 1) for c in args.config)
    admin = KafkaAdminClient(bootstrap_servers=args.bootstrap_server.split(","))
    try:
        admin.create_topics([NewTopic(args.topic, args.partitions, args.replication_factor, topic_configs=configs)])
    except TopicAlreadyExistsError:
        if not args.if_not_exists:
            raise
    finally:
        admin.close()
    print(f"Created topic {args.topic}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

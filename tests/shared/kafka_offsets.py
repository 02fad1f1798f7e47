"""Where a consumer group stands, read from the broker without joining the group."""

from kafka import KafkaConsumer, TopicPartition


def caught_up(broker: str, group: str, name: str) -> bool:
    """Every partition of topic `name` has the group's committed offset at the log's end: the group has
    applied or dead-lettered everything the topic holds."""
    reader = KafkaConsumer(bootstrap_servers=broker, group_id=group, enable_auto_commit=False)
    try:
        partitions = [TopicPartition(name, p) for p in reader.partitions_for_topic(name) or ()]
        ends = reader.end_offsets(partitions)
        return bool(ends) and all((reader.committed(tp) or 0) >= end for tp, end in ends.items())
    finally:
        reader.close()

"""Where a consumer group stands, read from the broker without joining the group."""

from kafka import KafkaConsumer, TopicPartition


def group_offsets(broker: str, group: str, name: str) -> dict[int, tuple[int, int]]:
    """Partition of topic `name` -> (the group's committed offset, the log's end). Empty while the broker has
    not answered with the topic's partitions: under load its metadata can come back empty."""
    reader = KafkaConsumer(bootstrap_servers=broker, group_id=group, enable_auto_commit=False)
    try:
        partitions = [TopicPartition(name, p) for p in reader.partitions_for_topic(name) or ()]
        ends = reader.end_offsets(partitions)
        return {tp.partition: (reader.committed(tp) or 0, end) for tp, end in ends.items()}
    finally:
        reader.close()


def caught_up(broker: str, group: str, name: str) -> bool:
    """Every partition of topic `name` has the group's committed offset at the log's end: the group has
    applied or dead-lettered everything the topic holds. Never true on an empty answer."""
    offsets = group_offsets(broker, group, name)
    return bool(offsets) and all(committed >= end for committed, end in offsets.values())

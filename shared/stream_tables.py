"""The tables of lost-stretch detection (shared.sequence, shared.gap_detection), in every service's database.

Producer side: `outbox_sequences` holds the last sequence handed out per topic (the counter survives the
outbox rows' pruning). Consumer side, per consumer: the next offset applied per partition (to notice a log
that restarted below it), the producers' sequences seen above the contiguous mark, the mark itself, and
the breaks found: a stretch that never arrived, open until every sequence of it has been received.
"""

from dataclasses import dataclass

from sqlalchemy import BigInteger, Column, DateTime, Integer, MetaData, String, Table


def counter_table(metadata: MetaData) -> Table:
    """The producer's counter: the last sequence handed out per topic (registered with the outbox)."""
    return Table("outbox_sequences", metadata,
                 Column("topic_suffix", String(64), primary_key=True),
                 Column("last_sequence", BigInteger, nullable=False))


def counter_table_of(metadata: MetaData) -> Table:
    return metadata.tables["outbox_sequences"]


@dataclass(frozen=True)
class StreamTables:
    offsets: Table
    seen: Table
    marks: Table
    breaks: Table


def stream_tables(metadata: MetaData) -> StreamTables:
    """The consumer side's tables (registered with the inbox)."""
    return StreamTables(
        offsets=Table("stream_offsets", metadata,
                      Column("consumer", String(64), primary_key=True),
                      Column("topic", String(200), primary_key=True),
                      Column("partition", Integer, primary_key=True),
                      Column("next_offset", BigInteger, nullable=False)),
        seen=Table("stream_seen", metadata,
                   Column("consumer", String(64), primary_key=True),
                   Column("source", String(100), primary_key=True),
                   Column("topic", String(64), primary_key=True),
                   Column("sequence", BigInteger, primary_key=True)),
        marks=Table("stream_marks", metadata,
                    Column("consumer", String(64), primary_key=True),
                    Column("source", String(100), primary_key=True),
                    Column("topic", String(64), primary_key=True),
                    Column("contiguous", BigInteger, nullable=False)),  # every sequence up to it was received
        breaks=Table("stream_breaks", metadata,
                     Column("id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True,
                            autoincrement=True),
                     Column("consumer", String(64), nullable=False),
                     Column("source", String(100), nullable=False),
                     Column("topic", String(64), nullable=False),
                     Column("kind", String(16), nullable=False),  # "gap" or "log_reset"
                     Column("first_sequence", BigInteger, nullable=False),
                     Column("last_sequence", BigInteger),  # unknown for a reset until the producer answers
                     Column("detected_at", DateTime(timezone=True), nullable=False),
                     Column("requested_at", DateTime(timezone=True), nullable=False),
                     Column("healed_at", DateTime(timezone=True))),
    )


def tables_of(metadata: MetaData) -> StreamTables | None:
    """The stream tables registered beside a service's outbox and inbox (None where a service has none)."""
    names = ("stream_offsets", "stream_seen", "stream_marks", "stream_breaks")
    if not all(name in metadata.tables for name in names):
        return None
    return StreamTables(*(metadata.tables[name] for name in names))

"""The schema change of revision `sequence_streams` (every service has it): written out here
once, as plain DDL frozen at that revision (never derived from shared.stream_tables, which may move on)."""

import sqlalchemy as sa

_BIG = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def create_stream_tables(op) -> None:  # type: ignore[no-untyped-def]
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.add_column(sa.Column("sequence", sa.BigInteger(), nullable=True))
    op.create_index("ix_outbox_unnumbered", "outbox", ["id"],
                    postgresql_where=sa.Column("published_at").is_(None) & sa.Column("sequence").is_(None))
    op.create_table("outbox_sequences",
                    sa.Column("topic_suffix", sa.String(64), primary_key=True),
                    sa.Column("last_sequence", sa.BigInteger(), nullable=False))
    op.create_table("stream_offsets",
                    sa.Column("consumer", sa.String(64), primary_key=True),
                    sa.Column("topic", sa.String(200), primary_key=True),
                    sa.Column("partition", sa.Integer(), primary_key=True),
                    sa.Column("next_offset", sa.BigInteger(), nullable=False))
    op.create_table("stream_seen",
                    sa.Column("consumer", sa.String(64), primary_key=True),
                    sa.Column("source", sa.String(100), primary_key=True),
                    sa.Column("topic", sa.String(64), primary_key=True),
                    sa.Column("sequence", sa.BigInteger(), primary_key=True))
    op.create_table("stream_marks",
                    sa.Column("consumer", sa.String(64), primary_key=True),
                    sa.Column("source", sa.String(100), primary_key=True),
                    sa.Column("topic", sa.String(64), primary_key=True),
                    sa.Column("contiguous", sa.BigInteger(), nullable=False))
    op.create_table("stream_breaks",
                    sa.Column("id", _BIG, primary_key=True, autoincrement=True),
                    sa.Column("consumer", sa.String(64), nullable=False),
                    sa.Column("source", sa.String(100), nullable=False),
                    sa.Column("topic", sa.String(64), nullable=False),
                    sa.Column("kind", sa.String(16), nullable=False),
                    sa.Column("first_sequence", sa.BigInteger(), nullable=False),
                    sa.Column("last_sequence", sa.BigInteger(), nullable=True),
                    sa.Column("detected_at", sa.DateTime(timezone=True), nullable=False),
                    sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
                    sa.Column("healed_at", sa.DateTime(timezone=True), nullable=True))


def drop_stream_tables(op) -> None:  # type: ignore[no-untyped-def]
    for table in ("stream_breaks", "stream_marks", "stream_seen", "stream_offsets", "outbox_sequences"):
        op.drop_table(table)
    op.drop_index("ix_outbox_unnumbered", table_name="outbox")
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.drop_column("sequence")

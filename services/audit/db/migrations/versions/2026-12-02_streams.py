"""stream sequences

Every event gets its producer's gapless per-topic sequence (outbox.sequence, numbered by the relay from
outbox_sequences), and every consumer notes what it received (stream_offsets, stream_seen, stream_marks) to
notice a lost stretch and the breaks it found (stream_breaks): shared.sequence, shared.gap_detection.
Rows published before this revision have no sequence; numbering starts at 1 with the next one.

Revision ID: sequence_streams
Revises: findings_incremental_anomalies
Create Date: 2026-12-02 06:00:00
"""
from alembic import op

from shared.stream_migration import create_stream_tables, drop_stream_tables

revision = 'sequence_streams'
down_revision = 'findings_incremental_anomalies'
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_stream_tables(op)


def downgrade() -> None:
    drop_stream_tables(op)

"""dead letters and inbox pruning

dead_letters: what the consumers dead-lettered, kept to be listed and redriven (`grants deadletter`);
processed_events.processed_at indexed, so the retention worker finds old inbox records without a scan.

Revision ID: outboxlife_apps_deadletters
Revises: 0001
Create Date: 2026-12-02 06:00:00
"""
from alembic import op

from shared.dead_letter_migration import create_dead_letters, drop_dead_letters


revision = 'outboxlife_apps_deadletters'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_dead_letters(op)


def downgrade() -> None:
    drop_dead_letters(op)

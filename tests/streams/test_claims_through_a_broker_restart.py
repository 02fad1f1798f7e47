"""Claims flowing while the (in-memory) broker restarts under the running services: every claim is decided
once, and the applicant sees every decision, though the restart reset every log.

The applications consumer is held mid-batch across the restart (its inbox table locked), so it commits
offsets of the old log to the new broker, which takes them: its committed offsets run past the new log's
end, and without the gap detection the decisions the new log holds below them are never applied."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from services.applications.db.tables import ClaimHistoryRow, ClaimRow, inbox
from services.applications.main import create_app as create_applications
from services.disbursement.db.tables import outbox
from shared.events import CLAIM_DECIDED
from shared.migrations import upgrade_service
from shared.stream_tables import tables_of
from tests.applications.conftest import applications_settings
from tests.faults.conditions import wait_for
from tests.live_server import serve
from tests.support import auth, skill_upgrade_body

CLAIMS, SETTLED, HELD = 300, 100, 50


@contextmanager
def inbox_locked(pg_url: str) -> Iterator[None]:
    """The applications consumer blocks on recording what it applied until the block ends."""
    with psycopg.connect(pg_url.replace("postgresql+psycopg", "postgresql")) as conn:
        conn.execute("LOCK TABLE processed_events IN EXCLUSIVE MODE")
        yield
        conn.rollback()


def _waiting_on_a_lock(pg_url: str) -> bool:
    with psycopg.connect(pg_url.replace("postgresql+psycopg", "postgresql"), autocommit=True) as conn:
        return bool(conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                 "AND wait_event_type = 'Lock'").fetchone()[0])


def _submit(apps: str, seqs: range, claim_ids: list[str]) -> None:
    with httpx.Client(base_url=apps, headers=auth(sub="claimant"), timeout=30) as client:
        for seq in seqs:
            r = client.post("/v1/claims", json=skill_upgrade_body(seq), headers={"Idempotency-Key": str(uuid.uuid4())})
            assert r.status_code == 201, r.text
            claim_ids.append(r.json()["claim_id"])


def _count(engine, query) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return conn.execute(query).scalar()


def test_every_claim_is_decided_once_and_seen_decided_through_a_broker_restart(
        restartable_broker, quick_stream_checks, topic_prefix, app_with, applications_pg):
    pg_url = applications_pg
    upgrade_service("applications", pg_url)
    bootstrap = restartable_broker.bootstrap
    applications = create_applications(applications_settings(pg_url, bootstrap, topic_prefix), run_workers=True)
    apps_engine = applications.state.runtime.engine
    decided = select(func.count()).select_from(ClaimRow).where(ClaimRow.status == "eligible")
    with serve(applications) as apps, TestClient(app_with(run_workers=True, bootstrap=bootstrap, prefix=topic_prefix,
                                                          applications_url=apps)) as api:
        engine = api.app.state.runtime.engine
        published = select(func.count()).select_from(outbox).where(
            outbox.c.payload.contains(f'"type":"{CLAIM_DECIDED}"'), outbox.c.published_at.is_not(None))
        claim_ids: list[str] = []
        _submit(apps, range(SETTLED), claim_ids)
        wait_for(lambda: _count(apps_engine, decided) == SETTLED, timeout=60, what="the first claims seen decided")
        with inbox_locked(pg_url):
            _submit(apps, range(SETTLED, SETTLED + HELD), claim_ids)
            wait_for(lambda: _count(engine, published) == SETTLED + HELD, timeout=60, what="their decisions relayed")
            wait_for(lambda: _waiting_on_a_lock(pg_url), timeout=30, what="the applications consumer mid-batch")
            restartable_broker.restart()
        _submit(apps, range(SETTLED + HELD, CLAIMS), claim_ids)  # claims keep coming after the restart
        wait_for(lambda: _count(apps_engine, decided) == CLAIMS, timeout=120, every=0.5,
                 what=f"all {CLAIMS} claims seen decided by the applicant")
        staged = select(outbox.c.key, func.count()).where(outbox.c.payload.contains(f'"type":"{CLAIM_DECIDED}"'))
        with engine.connect() as conn:
            decisions = dict(conn.execute(staged.group_by(outbox.c.key)).all())
        assert decisions == dict.fromkeys(claim_ids, 1)  # each claim decided once
        with apps_engine.connect() as conn:
            history = dict(conn.execute(select(ClaimHistoryRow.claim_id, func.count())
                                        .where(ClaimHistoryRow.status == "eligible")
                                        .group_by(ClaimHistoryRow.claim_id)).all())
        assert history == dict.fromkeys(claim_ids, 1)  # and the decision applied once

        def noticed_and_healed() -> bool:  # the loss was noticed (logged, counted, asked for) and is healed
            with apps_engine.connect() as conn:
                breaks = conn.execute(select(tables_of(inbox.metadata).breaks)).all()
            return bool(breaks) and all(b.healed_at is not None for b in breaks)

        wait_for(noticed_and_healed, timeout=60, what="the applications consumer's breaks noticed and healed")

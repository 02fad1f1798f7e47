"""The incremental path (per-event rules at ingest, groups judged by the worker) finds exactly what running every
rule over every event finds, and a database from before the aggregates existed gets them from its migration."""

from datetime import UTC, datetime, timedelta

from alembic import command
from sqlalchemy import select
from sqlmodel import Session

from services.audit.db import received_repo, review_repo
from services.audit.db.tables import FindingRow
from services.audit.domain.anomalies.engine import AnomalyInputs, RuleParameters, run_rules
from services.audit.domain.events import BatchApproved, IssuedPayment, PaymentOutcome
from services.audit.service.anomaly_sweep import run_round
from services.audit.service.budget_records import set_budget
from shared.db import unit_of_work
from shared.events import BATCH_APPROVED, PAYMENT_FAILED, PAYMENT_ISSUED, PAYMENT_SETTLED
from shared.migrations import _migrations_dir, alembic_config
from tests.audit.domain.factories import T0, UI, batch_event, clean_stream, issued, issued_event, outcome_event, ref
from tests.audit.messaging.test_consumed_stream import anomalous_stream
from tests.audit.support import feed

LATER = datetime.now(UTC) + timedelta(hours=1)  # every batch's grace period over


def varied_stream() -> list[dict]:
    """Every cross-event rule, out of order, with failures and a batch whose events contradict its approval."""
    shared, person = ref("acct-shared"), ref("worker-7")
    at = [(T0 + timedelta(hours=h)).isoformat() for h in range(8)]
    caps = [issued_event(f"c{i}", beneficiary_ref=person, qualifying_key=f"cap-{i}", issued_at=at[i], batch_id="b5",
                         qualifying_date=f"2023-0{i + 1}-10") for i in range(5)]
    dupes = [issued_event("d2", qualifying_key="same", issued_at=at[2]), issued_event("d1", qualifying_key="same",
                                                                                     issued_at=at[1]),
             issued_event("d3", qualifying_key="same", issued_at=at[3])]
    payee = [issued_event(f"s{i}", payee_ref=shared, issued_at=at[i]) for i in range(3)]
    many = [issued_event(f"m{i}", payee_ref=ref("acct-many"), issued_at=at[i + 4],  # m3 fails: three still reach it
                         beneficiary_kind="organisation" if i % 2 else "person") for i in range(4)]
    near = [batch_event(f"n{i}", [], count=0, total="990000.00", maker="officer-q",
                        approved_at=(T0 + timedelta(days=i)).isoformat()) for i in range(4)]
    short = batch_event("b5", [issued(f"c{i}") for i in range(6)], maker="officer-a")  # c5 never issued
    return [*anomalous_stream(), *caps, *dupes, *payee, *many, *near, short, outcome_event("d1", settled=False),
            outcome_event("s1", settled=False), outcome_event("m3", settled=False)]


def everything_at_once(engine) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """What the rules find over every received event in one run (the engine as the old sweep ran it)."""
    with Session(engine) as session:
        facts = list(received_repo.facts(session, (PAYMENT_ISSUED, BATCH_APPROVED, PAYMENT_SETTLED, PAYMENT_FAILED)))
        inputs = AnomalyInputs([f for f in facts if isinstance(f, IssuedPayment)],
                               [f for f in facts if isinstance(f, BatchApproved)],
                               [f for f in facts if isinstance(f, PaymentOutcome)], review_repo.budgets(session),
                               received_repo.approvals_received(session))
    from services.audit.service.catalog_standards import catalog_standards
    return {(f.rule, f.finding_key) for f in run_rules(inputs, catalog_standards(), as_of=LATER)}


def stored(engine, status: str | None = None) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        query = select(FindingRow.rule, FindingRow.finding_key).where(FindingRow.rule != "unpostable_event")
        if status is not None:
            query = query.where(FindingRow.status == status)
        return {tuple(r) for r in conn.execute(query)}


def test_the_incremental_findings_are_those_of_every_rule_over_every_event(engine, standards):
    with unit_of_work(engine) as session:
        set_budget(session, fund=UI, year=2023, amount_fen=1_000_000, set_by="root")
    events = varied_stream()
    for start in range(0, len(events), 7):  # in several consumed batches, the worker judging between some
        feed(engine, events[start:start + 7])
        if start % 14 == 0:
            run_round(engine, standards, RuleParameters(), now=LATER)
    run_round(engine, standards, RuleParameters(), now=LATER)
    expected = everything_at_once(engine)
    assert {rule for rule, _ in expected} >= {"duplicate_qualifying_key", "per_person_cap_exceeded",
                                              "payee_shared_by_beneficiaries", "batches_just_under_threshold",
                                              "batch_control_totals_mismatch", "fund_budget_exceeded",
                                              "exclusive_pair_both_paid", "amount_not_standard",
                                              "account_receives_for_many"}
    assert stored(engine, "open") == expected
    # found on the way, then no longer holding (d1 failed: d2 is the first; s1 failed: two reach acct-shared)
    closed = stored(engine) - expected
    assert closed == stored(engine, "resolved") and {rule for rule, _ in closed} <= {
        "duplicate_qualifying_key", "payee_shared_by_beneficiaries", "account_receives_for_many"}


def test_no_finding_on_a_clean_stream_judged_incrementally(engine, standards):
    stream = clean_stream(300, seed=5)
    with unit_of_work(engine) as session:
        for fund in ("employment_subsidy", UI):
            set_budget(session, fund=fund, year=2023, amount_fen=10**12, set_by="root")
    feed(engine, stream.batches + stream.issued)
    run_round(engine, standards, RuleParameters(), now=LATER)
    assert stored(engine) == set() == everything_at_once(engine)


def test_a_database_from_before_the_aggregates_gets_them_from_its_migration(tmp_path, standards):
    from shared.db import make_engine
    from shared.migrations import upgrade_service

    url = f"sqlite:///{tmp_path}/old.db"
    upgrade_service("audit", url)
    engine = make_engine(url)
    feed(engine, varied_stream())
    expected = everything_at_once(engine)
    config = alembic_config(_migrations_dir("audit"), url)
    command.downgrade(config, "outboxlife_audit_deadletters")  # the aggregates and findings' status gone, events kept
    command.upgrade(config, "head")
    run_round(engine, standards, RuleParameters(), now=LATER)
    assert stored(engine, "open") == expected
    engine.dispose()


def test_payments_received_before_the_payee_account_group_are_judged_after_its_migration(tmp_path, standards):
    from sqlalchemy import delete

    from shared.db import make_engine
    from shared.migrations import upgrade_service
    from services.audit.db.anomaly_tables import AnomalyScopeDueRow

    url = f"sqlite:///{tmp_path}/old.db"
    upgrade_service("audit", url)
    engine = make_engine(url)
    feed(engine, varied_stream())
    config = alembic_config(_migrations_dir("audit"), url)
    command.downgrade(config, "payeerule_payee_scope-1")
    due = AnomalyScopeDueRow.__table__
    with engine.begin() as conn:  # as ingest left the queue before it queued payee accounts
        conn.execute(delete(due).where(due.c.scope == "payee_account"))
    run_round(engine, standards, RuleParameters(), now=LATER)
    assert not {rule for rule, _ in stored(engine)} & {"account_receives_for_many"}
    command.upgrade(config, "head")
    run_round(engine, standards, RuleParameters(), now=LATER)
    assert stored(engine, "open") == everything_at_once(engine)
    engine.dispose()

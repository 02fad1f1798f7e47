"""The audit's one consumer: payment and batch events into the ledger (service.ledger_ingest), budgets into
service.budget_records (their data read into the typed payload FundBudgetSet), other services' access trails
into service.access_log (AccessRecorded), bank statements into service.bank_statements (their breaks)."""

from collections.abc import Callable
from functools import partial

from sqlmodel import Session

from services.audit.config import Settings
from services.audit.service import access_log, bank_statements, budget_records, ledger_ingest
from services.audit.service.anomaly_intake import AnomalyIntake
from shared.consumer import ConsumerSpec
from shared.event_payloads import AccessRecorded, BankStatementReconciled, FundBudgetSet
from shared.events import ACCESS_RECORDED, BANK_STATEMENT_RECONCILED, FUND_BUDGET_SET, CloudEvent

CONSUMER = "audit.ledger"
# Ingest is set-based (statements per batch, not per event), so bigger batches mean fewer round trips
# and commits; a partition's fetch must hold a whole batch (an issued event is ~1.3 KB).
MAX_POLL_RECORDS, MAX_PARTITION_FETCH_BYTES = 2000, 4 << 20


def apply_batch(session: Session, events: list[CloudEvent], anomalies: AnomalyIntake | None = None) -> None:
    """Budgets recorded, then the ledger events ingested as one set (in arrival order among themselves;
    a budget touches nothing the ledger reads)."""
    for event in events:
        if event.type == FUND_BUDGET_SET:
            budget_records.record_budget(session, FundBudgetSet.model_validate(event.data), source=event.source)
        elif event.type == ACCESS_RECORDED:  # another service's access trail: the audit keeps the copy
            access_log.keep_delivered(session, AccessRecorded.model_validate(event.data), source=event.source)
        elif event.type == BANK_STATEMENT_RECONCILED:
            bank_statements.record_statement(session, BankStatementReconciled.model_validate(event.data),
                                             event_id=event.id)
    ledger_ingest.ingest_events(session, [e for e in events if e.type in ledger_ingest.LEDGER_TYPES], anomalies)


def apply_one(session: Session, event: CloudEvent, anomalies: AnomalyIntake | None = None) -> None:
    """One event on its own: a batch of one."""
    apply_batch(session, [event], anomalies)


def ledger_consumer_spec(settings: Settings, on_batch_committed: Callable[[], None] | None = None,
                         anomalies: AnomalyIntake | None = None) -> ConsumerSpec:
    """`anomalies`: the per-event rules' catalog and parameters (default: the shipped catalog's)."""
    one, batch = partial(apply_one, anomalies=anomalies), partial(apply_batch, anomalies=anomalies)
    return ConsumerSpec(name=CONSUMER, group_id=f"{settings.grants_topic_prefix}.audit",
                        topic_suffixes=["payments.v1", "batches.v1"],
                        handlers=dict.fromkeys((*ledger_ingest.LEDGER_TYPES, FUND_BUDGET_SET, ACCESS_RECORDED,
                                                 BANK_STATEMENT_RECONCILED), one),
                        batch_handler=batch, on_batch_committed=on_batch_committed,
                        max_poll_records=MAX_POLL_RECORDS, max_partition_fetch_bytes=MAX_PARTITION_FETCH_BYTES)

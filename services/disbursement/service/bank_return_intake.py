"""Taking in a bank return file: per-payment outcomes matched by end-to-end id (= payment id).

Settled payments make their claims paid; failed ones make them payment_failed and release them from
their batch, so that once the payee account is corrected they can be batched again. Unknown references,
duplicates and mismatches are reported per line and change nothing; so does a line that repeats what
is already recorded, which makes uploading the same file again a no-op. The payments a file names are
locked (id order) before they are matched, so two uploads at once apply each outcome once.

The bank's free-text reason may quote a payee's name: it is neither stored, logged nor put in events;
only its reason code travels.
"""

import hashlib
import uuid
from collections import Counter
from datetime import UTC, datetime
from typing import Any, Literal

from sqlmodel import Session

from services.disbursement.db import batch_repo, payments_repo
from services.disbursement.db.batch_tables import BankReturnUploadRow, PaymentRow
from services.disbursement.db.finance_locks import serialise_writers_on_sqlite
from services.disbursement.db.tables import outbox
from services.disbursement.domain import batch_states as bs
from services.disbursement.domain.bank_returns import (
    LineOutcome,
    OutcomeCode,
    ParsedReturns,
    PaymentState,
    match_returns,
    parse_returns_csv,
    parse_returns_pain002,
)
from services.disbursement.service import finance_event_data
from shared.auth import Principal
from shared.errors import NotFound
from shared.events import DISBURSEMENT_SOURCE, PAYMENT_FAILED, PAYMENT_SETTLED, CloudEvent, new_event
from shared.logging import get_logger
from shared.outbox import enqueue_many
from shared.pagination import decode_cursor, page_of

log = get_logger("disbursement.bank_returns")
ReturnForm = Literal["csv", "pain.002"]


def take_returns(session: Session, *, data: bytes, form: ReturnForm, uploader: Principal) -> BankReturnUploadRow:
    """Match and apply one return file in the caller's transaction; the upload row lists every line's outcome."""
    parsed = parse_returns_csv(data) if form == "csv" else parse_returns_pain002(data)
    serialise_writers_on_sqlite(session)
    payments = payments_repo.lock_payments(session, [line.end_to_end_id for line in parsed.lines])
    known, file_outcomes = _known_payments(session, parsed, payments)
    outcomes = file_outcomes + match_returns(parsed.entries(), known)
    now, upload_id = datetime.now(UTC), str(uuid.uuid4())
    applied = [(payments[o.end_to_end_id], o) for o in outcomes if o.changes_state]
    events = [_apply(session, payment, o, now, upload_id) for payment, o in applied]
    _move_claims(session, [payment for payment, _ in applied], now)
    enqueue_many(session, outbox, events)
    row = BankReturnUploadRow(
        upload_id=upload_id, sha256=hashlib.sha256(data).hexdigest(), source_format=parsed.source_format,
        original_message_id=(parsed.original_message_id or "")[:35] or None, uploaded_by=uploader.sub,
        uploaded_at=now, applied=len(events), outcomes=[_outcome_json(o, payments, known) for o in outcomes],
        summary=dict(Counter(o.code.value for o in outcomes)), line_count=len(outcomes))
    session.add(row)
    log.info("disbursement.bank_return_taken", upload_id=upload_id, form=parsed.source_format, lines=len(outcomes),
             applied=len(events), outcomes=dict(Counter(o.code.value for o in outcomes)))
    return row


def upload(session: Session, upload_id: str) -> BankReturnUploadRow:
    """A return file taken earlier, with what each of its lines did."""
    row = payments_repo.upload(session, upload_id)
    if row is None:
        raise NotFound(f"no bank return upload {upload_id}")
    return row


def uploads_page(session: Session, *, limit: int, cursor: str | None) -> tuple[list[BankReturnUploadRow], str | None]:
    """The uploads, newest first, without their lines (their per-outcome counts instead)."""
    after = decode_cursor(cursor, datetime, str)
    rows = payments_repo.uploads_page(session, after, limit + 1)
    return page_of(rows, limit, lambda row: (_aware(row.uploaded_at), row.upload_id))


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)  # SQLite keeps no offset; we wrote UTC


def _known_payments(session: Session, parsed: ParsedReturns,
                    payments: dict[str, PaymentRow]) -> tuple[dict[str, PaymentState], list[LineOutcome]]:
    """The payments the file may speak of. A pain.002 answers one pain.001: its OrgnlMsgId must be one of
    our batches, and only that batch's payments are known to it."""
    batch_id = parsed.original_message_id
    if batch_id is not None and batch_repo.batch(session, batch_id) is None:
        message = "the report answers a message (OrgnlMsgId) that is none of our batches; nothing applied"
        return {}, [LineOutcome(0, None, OutcomeCode.INVALID, message)]
    known = {pid: PaymentState(p.amount_fen, p.currency, p.status)  # type: ignore[arg-type]
             for pid, p in payments.items() if batch_id is None or p.batch_id == batch_id}
    return known, []


def _apply(session: Session, payment: PaymentRow, outcome: LineOutcome, now: datetime,
           upload_id: str) -> tuple[CloudEvent, str]:
    line = outcome.line
    assert line is not None  # an applied outcome always carries its parsed line
    settled = outcome.new_status == "settled"
    payment.status = bs.SETTLED if settled else bs.FAILED
    payment.outcome_at, payment.return_upload_id = now, upload_id
    payment.reason_code = None if settled else line.reason_code
    session.add(payment)
    data = finance_event_data.payment_outcome(payment, settled, now, payment.reason_code, line.value_date)
    event = new_event(PAYMENT_SETTLED if settled else PAYMENT_FAILED, DISBURSEMENT_SOURCE, payment.payment_id, data)
    return event, payment.beneficiary_ref  # keyed like grants.payment.issued: a payee's events stay in order


def _move_claims(session: Session, payments: list[PaymentRow], now: datetime) -> None:
    """The claims of the applied lines follow their payments, a statement per status (and per batch for the
    failed, released from their batch so they may be batched again once the payee account is corrected): a
    20,000-line file is a few statements, not 40,000."""
    by_status: dict[str, list[str]] = {}
    failed_by_batch: dict[str, list[str]] = {}
    for payment in payments:
        by_status.setdefault(bs.CLAIM_STATUS_OF_PAYMENT[payment.status], []).append(payment.claim_id)
        if payment.status == bs.FAILED:
            failed_by_batch.setdefault(payment.batch_id, []).append(payment.claim_id)
    for status, claim_ids in by_status.items():
        batch_repo.set_decision_status(session, claim_ids, status)
    for batch_id, claim_ids in failed_by_batch.items():
        batch_repo.release_items(session, batch_id, now, claim_ids)


def _outcome_json(outcome: LineOutcome, payments: dict[str, PaymentRow],
                  known: dict[str, PaymentState]) -> dict[str, Any]:
    message = outcome.message
    payment = payments.get(outcome.end_to_end_id or "")
    if outcome.code == OutcomeCode.UNKNOWN_REFERENCE and payment is not None and payment.payment_id not in known:
        message = (f"payment {payment.payment_id} belongs to batch {payment.batch_id}, not to the batch this "
                   "report answers; nothing applied")
    return {"line_no": outcome.line_no, "end_to_end_id": outcome.end_to_end_id, "outcome": outcome.code.value,
            "message": message, "claim_id": payment.claim_id if payment is not None and outcome.changes_state else None}

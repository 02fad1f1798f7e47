"""The reconciliation breaks a bank statement raises (pure): each debit it books that matched no payment, and
each payment issued that it should have booked and did not. One break an entry or payment, per fund; a break
already open for the same reference is not raised twice, and a later statement's match clears it."""

from dataclasses import dataclass
from datetime import date

from shared.event_payloads import BankStatementReconciled
from shared.money import format_fen, parse_fen

STATEMENT_ENTRY_UNMATCHED, PAYMENT_NOT_ON_STATEMENT = "statement_entry_unmatched", "payment_not_on_statement"


@dataclass(frozen=True)
class StatementBreak:
    kind: str
    entry_no: int  # 0: a payment, not an entry
    reference: str
    payment_id: str | None
    batch_id: str | None
    amount_fen: int
    day: date | None
    detail: str


def statement_breaks(data: BankStatementReconciled) -> list[StatementBreak]:
    last_day = data.period[-1] if data.period else None
    found = []
    for e in data.unmatched_entries:
        reference = e.end_to_end_id or e.message_id or f"entry {e.entry_no}"
        named = f"EndToEndId {e.end_to_end_id}" if e.end_to_end_id else f"MsgId {e.message_id or '(none)'}"
        found.append(StatementBreak(
            STATEMENT_ENTRY_UNMATCHED, e.entry_no, reference, e.end_to_end_id, e.message_id, parse_fen(e.amount),
            e.booked_on or last_day, f"statement {data.statement_id} entry {e.entry_no} ({named}, "
            f"{format_fen(parse_fen(e.amount))} booked {e.booked_on or '?'}): {e.reason or 'unmatched'}"))
    for p in data.unmatched_payments:
        found.append(StatementBreak(
            PAYMENT_NOT_ON_STATEMENT, 0, p.payment_id, p.payment_id, p.batch_id, parse_fen(p.amount), last_day,
            f"{p.status or 'issued'} payment of {format_fen(parse_fen(p.amount))} not booked by statement "
            f"{data.statement_id}" + (f" ({data.period[0]} to {data.period[-1]})" if data.period else "")))
    return found


def cleared_by(data: BankStatementReconciled) -> list[str]:
    """The references this statement matched: the payments it booked (and the batches booked as one)."""
    refs = {e.payment_id for e in data.matched if e.payment_id}
    refs |= {e.message_id for e in data.matched if e.message_id}
    return sorted(refs)

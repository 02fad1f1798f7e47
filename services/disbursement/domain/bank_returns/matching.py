"""Match a bank return file against the payments we know: what each line does, and why (pure).

Only `applied_settled` and `applied_failed` change a payment's state; every other outcome is a
no-op with a reason for the officer. A line repeating what is already recorded is
`already_recorded`, so uploading the same file twice changes nothing the second time.

Checks, first match wins:
1. `invalid` — the line could not be read (its parse error is the message);
2. `duplicate_in_file` — an earlier line of the same file already names this payment;
3. `unknown_reference` — no payment has this id;
4. `conflicting` — other lines of this file report a different outcome, amount or currency for the
   payment, so the file contradicts itself and none of them is applied;
5. `currency_mismatch`, then `amount_mismatch` — against the payment as issued (a pain.002 line that gives
   no amount, which its schema allows, is matched by its reference alone);
6. by the payment's current status: issued → `applied_settled` / `applied_failed`; the same
   outcome as recorded → `already_recorded`; the opposite one (settled after failed, failed after
   settled) → `conflicting`, for a person to look at (a return after settlement is a reversal,
   not a status change).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from services.disbursement.domain.bank_returns.lines import Outcome, ReturnLine, ReturnLineError
from shared.money import format_fen

PaymentStatus = Literal["issued", "settled", "failed"]
_STATUSES = ("issued", "settled", "failed")


class OutcomeCode(StrEnum):
    """Stable codes of what a return line did (add new ones, never rename)."""

    APPLIED_SETTLED = "applied_settled"
    APPLIED_FAILED = "applied_failed"
    UNKNOWN_REFERENCE = "unknown_reference"
    DUPLICATE_IN_FILE = "duplicate_in_file"
    ALREADY_RECORDED = "already_recorded"
    AMOUNT_MISMATCH = "amount_mismatch"
    CURRENCY_MISMATCH = "currency_mismatch"
    CONFLICTING = "conflicting"
    INVALID = "invalid"


@dataclass(frozen=True, slots=True)
class PaymentState:
    """What we hold about one issued payment: its amount and where it stands."""

    amount_fen: int
    currency: str
    status: PaymentStatus

    def __post_init__(self) -> None:
        if self.status not in _STATUSES:
            raise ValueError(f"payment status must be one of {', '.join(_STATUSES)}")


@dataclass(frozen=True, slots=True)
class LineOutcome:
    """What one line of the file does; line is the parsed line (None when it could not be read)."""

    line_no: int
    end_to_end_id: str | None
    code: OutcomeCode
    message: str
    line: ReturnLine | None = None

    @property
    def changes_state(self) -> bool:
        return self.code in (OutcomeCode.APPLIED_SETTLED, OutcomeCode.APPLIED_FAILED)

    @property
    def new_status(self) -> Outcome | None:
        """The payment's status after this line: "settled" or "failed" for an applied line, else None."""
        return self.line.outcome if self.changes_state and self.line else None


def match_returns(
    lines: Iterable[ReturnLine | ReturnLineError], known: Mapping[str, PaymentState]
) -> list[LineOutcome]:
    """One LineOutcome per entry, in the order given (ParsedReturns.entries() gives file order)."""
    entries = list(lines)
    by_payment: dict[str, list[ReturnLine]] = {}
    for entry in entries:
        if isinstance(entry, ReturnLine):
            by_payment.setdefault(entry.end_to_end_id, []).append(entry)
    outcomes = []
    for entry in entries:
        if isinstance(entry, ReturnLineError):
            outcomes.append(LineOutcome(entry.line_no, entry.end_to_end_id, OutcomeCode.INVALID, entry.message))
        else:
            code, message = _verdict(entry, by_payment[entry.end_to_end_id], known.get(entry.end_to_end_id))
            outcomes.append(LineOutcome(entry.line_no, entry.end_to_end_id, code, message, entry))
    return outcomes


def _verdict(
    entry: ReturnLine, same_payment: list[ReturnLine], payment: PaymentState | None
) -> tuple[OutcomeCode, str]:
    first = same_payment[0]
    if first is not entry:
        return OutcomeCode.DUPLICATE_IN_FILE, f"repeats line {first.line_no} for the same payment; ignored"
    if payment is None:
        return OutcomeCode.UNKNOWN_REFERENCE, "no payment has this reference; nothing applied"
    disagreeing = [str(other.line_no) for other in same_payment if _claim(other) != _claim(entry)]
    if disagreeing:
        lines = ", ".join(disagreeing)
        return OutcomeCode.CONFLICTING, f"line(s) {lines} of this file report otherwise; nothing applied"
    if entry.amount_fen is None:  # the bank gave no amount (pain.002 OrgnlTxRef is optional): by reference alone
        pass
    elif entry.currency != payment.currency:
        return OutcomeCode.CURRENCY_MISMATCH, (
            f"bank reports {entry.currency}, the payment is in {payment.currency}; nothing applied"
        )
    elif entry.amount_fen != payment.amount_fen:
        return OutcomeCode.AMOUNT_MISMATCH, (
            f"bank reports {format_fen(entry.amount_fen)}, the payment is {format_fen(payment.amount_fen)}; "
            "nothing applied"
        )
    if payment.status == "issued":
        if entry.outcome == "settled":
            return OutcomeCode.APPLIED_SETTLED, "payment settled"
        return OutcomeCode.APPLIED_FAILED, f"payment failed ({entry.reason_code})"
    if payment.status == entry.outcome:
        return OutcomeCode.ALREADY_RECORDED, f"payment already recorded as {payment.status}; nothing changed"
    return OutcomeCode.CONFLICTING, (
        f"bank reports {entry.outcome}, but the payment is recorded as {payment.status}; needs review, nothing applied"
    )


def _claim(line: ReturnLine) -> tuple[str, int | None, str | None]:
    """What a line asserts about its payment; two lines for one payment must agree on it."""
    return line.outcome, line.amount_fen, line.currency

"""Typed facts read from CloudEvents dicts (contract §6), validated strictly.

The audit service re-derives everything it checks from these facts, never from the disbursement
service's tables, so a bug there cannot hide itself here. Money becomes integer fen; timestamps
must carry an offset (a naive time would make ledger hashes and "per year" depend on the host).
"""

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from shared.events import BATCH_APPROVED, PAYMENT_FAILED, PAYMENT_ISSUED, PAYMENT_SETTLED
from shared.money import CURRENCY, parse_fen
from services.audit.domain.errors import InvalidEvent, UnpostableEvent

# Fund and programme codes become account-name segments: refuse ":" and anything else odd.
_CODE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


@dataclass(frozen=True, slots=True)
class IssuedPayment:
    event_id: str
    payment_id: str
    claim_id: str
    batch_id: str
    programme: str
    policy_id: str
    clause: str
    fund: str
    amount_fen: int
    beneficiary_ref: str
    payee_ref: str
    qualifying_key: str
    qualifying_date: date
    maker: str
    checker: str
    issued_at: datetime
    subject_ref: str | None = None  # the person the subsidy is about (hired employee, trainee)
    tier: str | None = None
    units: int = 1
    checker_role: str | None = None
    beneficiary_kind: str | None = None  # "person" | "organisation"
    payee_name_matches: bool | None = None  # the payee account's name is the claimant's (None: not said)
    payee_changes: int = 0  # payee accounts changed after failed payments of the claim

    @property
    def person_ref(self) -> str:
        """Whom caps and exclusivity count against: the subject if named, else the beneficiary."""
        return self.subject_ref or self.beneficiary_ref


@dataclass(frozen=True, slots=True)
class BatchApproved:
    event_id: str
    batch_id: str
    fund: str
    count: int
    total_fen: int
    payment_ids: tuple[str, ...]
    maker: str
    checker: str
    approved_at: datetime


@dataclass(frozen=True, slots=True)
class PaymentOutcome:
    """The bank's answer for one payment: settled, or failed with a reason."""

    event_id: str
    payment_id: str
    batch_id: str
    fund: str
    amount_fen: int
    settled: bool
    at: datetime
    reason_code: str | None = None


EventFact = IssuedPayment | BatchApproved | PaymentOutcome


def parse_event(event: Mapping[str, Any]) -> EventFact:
    """Turn a CloudEvents dict into its fact; raises InvalidEvent (or UnpostableEvent for an unknown type)."""
    event_id = event.get("id")
    if not isinstance(event_id, str) or not event_id:
        raise InvalidEvent("event has no id", reason="malformed")
    data = event.get("data")
    if not isinstance(data, Mapping):
        raise InvalidEvent("event has no data object", reason="malformed", event_id=event_id)
    kind = event.get("type")
    read = _Reader(event_id, data)
    if kind == PAYMENT_ISSUED:
        return IssuedPayment(
            event_id=event_id, payment_id=read.text("payment_id"), claim_id=read.text("claim_id"),
            batch_id=read.text("batch_id"), programme=read.code("programme"), policy_id=read.text("policy_id"),
            clause=read.text("clause"), fund=read.code("fund"), amount_fen=read.amount(),
            beneficiary_ref=read.text("beneficiary_ref"), payee_ref=read.text("payee_ref"),
            qualifying_key=read.text("qualifying_key"), qualifying_date=read.day("qualifying_date"),
            maker=read.text("maker"), checker=read.text("checker"), issued_at=read.moment("issued_at"),
            subject_ref=read.optional_text("subject_ref"), tier=read.optional_text("tier"),
            units=read.units(), checker_role=read.optional_text("checker_role"),
            beneficiary_kind=read.optional_text("beneficiary_kind"),
            payee_name_matches=read.optional_flag("payee_name_matches"), payee_changes=read.payee_changes(),
        )
    if kind == BATCH_APPROVED:
        return BatchApproved(
            event_id=event_id, batch_id=read.text("batch_id"), fund=read.code("fund"), count=read.count(),
            total_fen=read.money("total", positive=False), payment_ids=read.ids("payment_ids"),
            maker=read.text("maker"), checker=read.text("checker"), approved_at=read.moment("approved_at"),
        )
    if kind in (PAYMENT_SETTLED, PAYMENT_FAILED):
        settled = kind == PAYMENT_SETTLED
        return PaymentOutcome(
            event_id=event_id, payment_id=read.text("payment_id"), batch_id=read.text("batch_id"),
            fund=read.code("fund"), amount_fen=read.amount(), settled=settled,
            at=read.moment("settled_at" if settled else "failed_at"),
            reason_code=None if settled else (read.optional_text("reason_code") or read.optional_text("reason")),
        )
    raise UnpostableEvent(f"unknown event type {kind!r}", reason="unknown_type", event_id=event_id)


def event_digest(event: Mapping[str, Any]) -> str:
    """SHA-256 of the whole event in sorted-key compact JSON: equal digests mean the same message."""
    encoded = json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=True, default=str)
    return hashlib.sha256(encoded.encode("ascii")).hexdigest()


class _Reader:
    """Field access that names the event and the field in every error."""

    def __init__(self, event_id: str, data: Mapping[str, Any]):
        self.event_id, self.data = event_id, data

    def fail(self, message: str, reason: str = "malformed") -> InvalidEvent:
        payment_id = self.data.get("payment_id") if isinstance(self.data.get("payment_id"), str) else None
        return InvalidEvent(f"event {self.event_id}: {message}", reason=reason,
                            event_id=self.event_id, payment_id=payment_id)

    def text(self, name: str) -> str:
        value = self.data.get(name)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{name} is missing or not a non-empty string")
        return value

    def optional_text(self, name: str) -> str | None:
        value = self.data.get(name)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{name} must be a non-empty string when present")
        return value

    def code(self, name: str) -> str:
        value = self.text(name)
        if not _CODE.match(value):
            raise self.fail(f"{name} {value!r} is not a lower-case code")
        return value

    def money(self, name: str, *, positive: bool = True) -> int:
        value = self.data.get(name)
        if not isinstance(value, str):  # contract §2: a decimal string, never a JSON number
            raise self.fail(f"{name} must be a decimal string", reason="invalid_amount")
        try:
            fen = parse_fen(value)
        except ValueError as exc:
            raise self.fail(f"{name}: {exc}", reason="invalid_amount") from exc
        if fen < 0 or (positive and fen == 0):
            raise self.fail(f"{name} {value} must be {'positive' if positive else 'non-negative'}",
                            reason="invalid_amount")
        return fen

    def amount(self) -> int:
        currency = self.data.get("currency")
        if currency != CURRENCY:
            raise self.fail(f"currency {currency!r} is not {CURRENCY}", reason="invalid_currency")
        return self.money("amount")

    def day(self, name: str) -> date:
        try:
            return date.fromisoformat(self.text(name))
        except ValueError as exc:
            raise self.fail(f"{name} is not a YYYY-MM-DD date") from exc

    def moment(self, name: str) -> datetime:
        try:
            moment = datetime.fromisoformat(self.text(name))
        except ValueError as exc:
            raise self.fail(f"{name} is not an ISO 8601 timestamp") from exc
        if moment.tzinfo is None:
            raise self.fail(f"{name} has no UTC offset")
        return moment

    def _int(self, name: str, default: int | None, minimum: int) -> int:
        value = self.data.get(name)
        value = default if value is None else value
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            raise self.fail(f"{name} must be an integer >= {minimum}")
        return value

    def optional_flag(self, name: str) -> bool | None:
        value = self.data.get(name)
        if value is not None and not isinstance(value, bool):
            raise self.fail(f"{name} must be true or false when present")
        return value

    def payee_changes(self) -> int:
        return self._int("payee_changes", 0, 0)

    def units(self) -> int:
        return self._int("units", 1, 1)

    def count(self) -> int:
        return self._int("count", None, 0)

    def ids(self, name: str) -> tuple[str, ...]:
        value = self.data.get(name)
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(f"{name} must be a list of ids")
        return tuple(value)

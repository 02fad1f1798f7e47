"""Factories for audit domain tests: CloudEvents dicts, a qingyang-2023 catalog, a clean payment stream."""

import hashlib
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from shared.china_time import CHINA_TZ
from shared.money import format_fen
from services.audit.domain.anomalies.standards import CountCap, DatedAmount, ExclusivePair, InMemoryStandards
from services.audit.domain.events import BatchApproved, IssuedPayment, PaymentOutcome, parse_event

T0 = datetime(2023, 11, 1, 9, 0, tzinfo=CHINA_TZ)
EU, UI = "employment_subsidy", "unemployment_insurance"


def ref(label: str) -> str:
    """A stand-in for an HMAC pseudonym (64 hex)."""
    return hashlib.sha256(label.encode()).hexdigest()


def cloud_event(type_: str, data: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    key = data.get("payment_id") or data.get("batch_id")
    return {"specversion": "1.0", "id": event_id or f"ev-{type_.rsplit('.', 1)[-1]}-{key}", "source": "disbursement",
            "type": type_, "time": data.get("issued_at", T0.isoformat()), "subject": key,
            "datacontenttype": "application/json", "data": data}


def issued_event(payment_id: str = "p1", *, event_id: str | None = None, **data: Any) -> dict[str, Any]:
    base = {
        "payment_id": payment_id, "claim_id": f"c-{payment_id}", "batch_id": "b1", "programme": "skill_upgrade",
        "policy_id": "qingyang-2023", "clause": "qingyang-2023 §18", "fund": UI, "amount": "1500.00",
        "currency": "CNY", "beneficiary_ref": ref(f"person-{payment_id}"), "payee_ref": ref(f"acct-{payment_id}"),
        "qualifying_key": f"cert-{payment_id}|4-07-01-02|4", "qualifying_date": "2023-06-15",
        "maker": "officer-a", "checker": "officer-b", "issued_at": T0.isoformat(),
        "subject_ref": None, "tier": "level_4", "units": 1, "checker_role": "officer", "beneficiary_kind": "person",
    }
    base.update(data)
    return cloud_event("grants.payment.issued", base, event_id)


def outcome_event(payment_id: str = "p1", *, settled: bool = True, amount: str = "1500.00", fund: str = UI,
                  batch_id: str = "b1", at: datetime | None = None, event_id: str | None = None) -> dict[str, Any]:
    when = (at or T0 + timedelta(days=1)).isoformat()
    data = {"payment_id": payment_id, "batch_id": batch_id, "fund": fund, "amount": amount, "currency": "CNY"}
    data.update({"settled_at": when} if settled else {"failed_at": when, "reason_code": "AC04", "reason": "closed"})
    return cloud_event("grants.payment.settled" if settled else "grants.payment.failed", data, event_id)


def batch_event(batch_id: str, payments: list[IssuedPayment] | None = None, **data: Any) -> dict[str, Any]:
    payments = payments or []
    base = {"batch_id": batch_id, "fund": payments[0].fund if payments else UI, "count": len(payments),
            "total": format_fen(sum(p.amount_fen for p in payments)), "payment_ids": [p.payment_id for p in payments],
            "maker": "officer-a", "checker": "officer-b", "approved_at": T0.isoformat()}
    base.update(data)
    return cloud_event("grants.batch.approved", base)


def issued(payment_id: str = "p1", **data: Any) -> IssuedPayment:
    fact = parse_event(issued_event(payment_id, **data))
    assert isinstance(fact, IssuedPayment)
    return fact


def batch(batch_id: str, payments: list[IssuedPayment] | None = None, **data: Any) -> BatchApproved:
    fact = parse_event(batch_event(batch_id, payments, **data))
    assert isinstance(fact, BatchApproved)
    return fact


def outcome(payment_id: str = "p1", **kwargs: Any) -> PaymentOutcome:
    fact = parse_event(outcome_event(payment_id, **kwargs))
    assert isinstance(fact, PaymentOutcome)
    return fact


def qingyang_standards() -> InMemoryStandards:
    """The qingyang-2023 programmes the tests pay, as the catalog would give them."""
    q = "qingyang-2023"
    amounts = {
        (q, "hiring", None): [DatedAmount(100_000)],
        (q, "job_expansion", None): [DatedAmount(150_000)],
        (q, "startup", None): [DatedAmount(500_000)],
        (q, "skill_upgrade", "level_5"): [DatedAmount(100_000)],
        (q, "skill_upgrade", "level_4"): [DatedAmount(150_000)],
        (q, "skill_upgrade", "level_3"): [DatedAmount(200_000)],
        (q, "trainee", None): [DatedAmount(100_000)],
        (q, "trainee", "retention_50"): [DatedAmount(120_000)],
        (q, "trainee", "retention_60"): [DatedAmount(135_000)],
        (q, "trainee", "retention_70"): [DatedAmount(150_000)],
    }
    funds = {(q, "hiring"): EU, (q, "job_expansion"): UI, (q, "startup"): EU, (q, "skill_upgrade"): UI,
             (q, "trainee"): EU}
    return InMemoryStandards(
        funds=funds, amounts=amounts, periods={q: (date(2023, 1, 1), date(2023, 12, 31))},
        pairs=[ExclusivePair("hiring", "job_expansion", "qingyang-2023 §8")],
        caps=[CountCap(q, "skill_upgrade", 3, "qingyang-2023 §18")])


# programme -> (fund, clause, tiers, unit fen by tier, beneficiary kind)
_PROGRAMMES = {
    "skill_upgrade": (UI, "qingyang-2023 §18", {"level_5": 100_000, "level_4": 150_000, "level_3": 200_000}, "person"),
    "hiring": (EU, "qingyang-2023 §8", {None: 100_000}, "organisation"),
    "job_expansion": (UI, "qingyang-2023 §8", {None: 150_000}, "organisation"),
    "startup": (EU, "qingyang-2023 §14", {None: 500_000}, "person"),
    "trainee": (EU, "qingyang-2023 §12", {None: 100_000, "retention_50": 120_000, "retention_60": 135_000,
                                          "retention_70": 150_000}, "organisation"),
}


@dataclass
class Stream:
    issued: list[dict[str, Any]] = field(default_factory=list)
    batches: list[dict[str, Any]] = field(default_factory=list)

    def facts(self) -> tuple[list[IssuedPayment], list[BatchApproved]]:
        return [parse_event(e) for e in self.issued], [parse_event(e) for e in self.batches]  # type: ignore[misc]


def clean_stream(n: int = 1000, seed: int = 7) -> Stream:
    """n payments that break no rule: varied programmes, tiers, units, funds, makers, batches and times."""
    rng = random.Random(seed)
    stream, pending = Stream(), {}  # fund -> list of issued events waiting for their batch
    sizes: dict[str, int] = {}  # fund -> size of the batch being filled
    makers = [f"officer-{i}" for i in range(6)]
    for i in range(n):
        programme = rng.choice(list(_PROGRAMMES))
        fund, clause, tiers, kind = _PROGRAMMES[programme]
        tier = rng.choice(list(tiers))
        units = rng.randint(3, 12) if programme == "trainee" else 1
        person = f"person-{i}"  # each payment about a different person: no cap or pair is ever approached
        issued_at = T0 + timedelta(minutes=7 * i)
        beneficiary = ref(f"org-{i % 40}") if kind == "organisation" else ref(person)
        data = dict(programme=programme, fund=fund, clause=clause, tier=tier, units=units,
                    amount=format_fen(tiers[tier] * units), beneficiary_kind=kind, beneficiary_ref=beneficiary,
                    subject_ref=ref(person) if kind == "organisation" else None,
                    payee_ref=ref(f"acct-{beneficiary}"), qualifying_key=f"{programme}:{person}",
                    qualifying_date=str(date(2023, 1, 2) + timedelta(days=rng.randint(0, 360))),
                    issued_at=issued_at.isoformat())
        pending.setdefault(fund, []).append(data)
        if len(pending[fund]) >= sizes.setdefault(fund, rng.randint(5, 40)) or i == n - 1:
            for f in [fund] if i < n - 1 else list(pending):
                _close_batch(stream, pending.pop(f), f"b{len(stream.batches) + 1}", rng.sample(makers, 2), issued_at)
                del sizes[f]
    return stream


def _close_batch(stream: Stream, items: list[dict[str, Any]], batch_id: str, people: list[str],
                 at: datetime) -> None:
    events = [issued_event(f"{batch_id}-{k}", batch_id=batch_id, maker=people[0], checker=people[1], **d)
              for k, d in enumerate(items)]
    facts = [parse_event(e) for e in events]
    stream.issued += events
    stream.batches.append(batch_event(batch_id, facts, maker=people[0], checker=people[1],  # type: ignore[arg-type]
                                      approved_at=at.isoformat()))

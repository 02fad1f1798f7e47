"""Verifying the stored ledger: the hash chain entry by entry, then each fund's recorded head.

The chain alone cannot see its last entries deleted; fund_heads remembers where each chain ended,
so a truncated tail (or a head rewritten to hide it) is a break too. Heads are read before the
chain: entries appended meanwhile only extend what is checked.

By default each fund goes on from the point it was last verified at (ledger_verified_points): the entry
there is recomputed and must still carry the hash verified then, and only the entries after it are read,
so a verify costs what was posted since the last, not the history. `full` re-verifies every fund from its
first entry (GET /v1/ledger/verify?full=true, `grants audit verify-ledger --full`); it is what finds an
older entry edited without its successors' hashes being rewritten.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from services.audit.db import ledger_reads
from services.audit.domain.chain import ChainBreak, ChainVerifier, FundHead, VerifyResult, entry_hash
from services.audit.domain.export import result_to_json
from shared import metrics


@dataclass(frozen=True)
class FundVerified:
    fund: str
    head: FundHead | None  # the last entry verified (None: the fund's chain is broken)
    count: int  # entries in the fund's chain (its seqs are gapless from 1)
    checked_from: int  # the seq verification started after (0: from the first entry)


@dataclass(frozen=True)
class VerifyReport:
    result: VerifyResult
    full: bool
    checked: int  # entries read and recomputed by this verification
    per_fund: list[FundVerified] = field(default_factory=list)

    # the VerifyResult's own fields, read through (callers that only ask "does it hold?")
    @property
    def ok(self) -> bool:
        return self.result.ok

    @property
    def head(self) -> str | None:
        return self.result.head

    @property
    def entries(self) -> int:
        return self.result.entries

    @property
    def first_break(self) -> ChainBreak | None:
        return self.result.first_break

    @property
    def funds(self) -> Mapping[str, FundHead]:
        return self.result.funds


def verify_ledger(session: Session, *, full: bool = False) -> VerifyReport:
    heads = ledger_reads.stored_heads(session)
    points = {} if full else ledger_reads.verified_points(session)
    result = _verified(session, heads, points)
    if not result.ok:
        broken = result.first_break.fund if result.first_break is not None else None
        metrics.LEDGER_VERIFICATION_FAILURES.labels(broken or "unknown").inc()
    else:
        ledger_reads.save_verified_points(session, {f: h for f, h in result.funds.items()}, datetime.now(UTC))
    funds = [FundVerified(fund, result.funds.get(fund) if result.ok else None, head.seq,
                          points[fund].seq if fund in points else 0) for fund, head in sorted(heads.items())]
    total = sum(head.seq for head in heads.values())
    checked = result.entries
    report = VerifyResult(result.ok, total if result.ok else result.entries, result.head, result.first_break,
                          result.funds)
    return VerifyReport(report, full, checked, funds)


def report_to_json(report: VerifyReport) -> dict:
    """The GET /v1/ledger/verify body: the contract's {"ok", "entries", "head"} (first_break when broken), plus
    full, checked and each fund's head hash, count and the seq its verification started after."""
    return {**result_to_json(report.result), "full": report.full, "checked": report.checked,
            "funds": [{"fund": f.fund, "head": f.head.hash if f.head else None, "count": f.count,
                       "verified_from": f.checked_from} for f in report.per_fund]}


def _verified(session: Session, heads: dict[str, FundHead], points: dict[str, FundHead]) -> VerifyResult:
    at_head: dict[str, str] = {}  # fund -> hash of the chain's entry at the recorded head's seq
    verifier = ChainVerifier()
    for fund, point in sorted(points.items()):
        anchor = ledger_reads.entry_at(session, fund, point.seq)
        if anchor is None or anchor.hash != point.hash or _recomputed(anchor) != point.hash:
            verifier.broken("verified_point_mismatch", f"fund {fund}: the entry at seq {point.seq} no longer "
                            "matches the hash verified there; verify with full=true", fund, point.seq,
                            anchor.entry_id if anchor else None)
            return verifier.result()
        verifier.heads[fund] = point
        if heads.get(fund) == point:
            at_head[fund] = point.hash
    for fund in sorted(set(heads) | set(points)) if points else [None]:  # type: ignore[list-item]
        after = points[fund].seq if fund in points else 0
        for entry in ledger_reads.iter_chain(session, fund, after):
            head = heads.get(entry.fund)
            if head is not None and entry.seq == head.seq:
                at_head[entry.fund] = entry.hash
            if verifier.feed(entry) is not None:
                return verifier.result()
    result = verifier.result()
    for fund, head in sorted(heads.items()):
        if at_head.get(fund) != head.hash:
            last = result.funds.get(fund)
            detail = (f"fund head records seq {head.seq}; the chain ends at seq {last.seq if last else 0}"
                      if fund not in at_head else f"fund head hash differs from the hash of seq {head.seq}")
            brk = ChainBreak(fund, head.seq, None, "head_mismatch", detail)
            return VerifyResult(False, result.entries, None, brk, result.funds)
    return result


def _recomputed(e) -> str | None:  # type: ignore[no-untyped-def]
    try:
        return entry_hash(e.prev_hash, e.fund, e.seq, e.entry_id, e.event_id, e.payment_id, e.postings, e.posted_at)
    except (ValueError, TypeError, AttributeError):
        return None

"""Verifying the stored ledger: the hash chain entry by entry, then each fund's recorded head.

The chain alone cannot see its last entries deleted; fund_heads remembers where each chain ended,
so a truncated tail (or a head rewritten to hide it) is a break too. Heads are read before the
chain: entries appended meanwhile only extend what is checked.
"""

from sqlalchemy.orm import Session

from services.audit.db import ledger_reads
from services.audit.domain.chain import ChainBreak, ChainVerifier, VerifyResult
from shared import metrics


def verify_ledger(session: Session) -> VerifyResult:
    result = _verified(session)
    if not result.ok:
        broken = result.first_break.fund if result.first_break is not None else None
        metrics.LEDGER_VERIFICATION_FAILURES.labels(broken or "unknown").inc()
    return result


def _verified(session: Session) -> VerifyResult:
    heads = ledger_reads.stored_heads(session)
    at_head: dict[str, str] = {}  # fund -> hash of the chain's entry at the recorded head's seq
    verifier = ChainVerifier()
    for entry in ledger_reads.iter_chain(session):
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

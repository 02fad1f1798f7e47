"""A payment's whole story for an auditor (issue 14 point 8), from what the audit holds and what disbursement
holds (db.evidence_source):

- from the audit's own records: the events received about the payment (issued, with the maker and checkers;
  the bank's outcome), its ledger entries with their hashes, and each entry's Merkle inclusion proof against
  its fund's latest signed checkpoint (service.proofs), so the trail can be checked offline;
- from disbursement over internal HTTP: the decision (reasons, computation, clause, catalog hash), the batch's
  maker and each checker with their times, the batch's transitions, the payment file's MsgId and EndToEndId,
  and the bank outcome as disbursement applied it. When disbursement cannot answer, `missing` says so and the
  rest is still given.
"""

from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from services.audit.db import checkpoint_repo, ledger_reads, received_repo
from services.audit.db.evidence_source import EvidenceSource, EvidenceUnavailable
from services.audit.domain.chain import ChainEntry, format_utc
from services.audit.domain.entry_leaves import entry_leaf
from services.audit.domain.export import entry_to_json
from services.audit.service import proofs
from shared.errors import NotFound
from shared.events import PAYMENT_FAILED, PAYMENT_ISSUED, PAYMENT_SETTLED


def payment_trail(session: Session, source: EvidenceSource, payment_id: str) -> dict[str, Any]:
    events = received_repo.events_of_payment(session, payment_id)
    entries = ledger_reads.entries_page(session, ledger_reads.EntryFilter(payment_id=payment_id), None, 1000)
    missing: list[str] = []
    try:
        held = source.evidence(payment_id)
    except EvidenceUnavailable as exc:
        held, missing = None, [f"disbursement's evidence (decision, checkers, bank outcome): {exc}"]
    if not events and not entries and held is None and not missing:
        raise NotFound(f"no payment {payment_id} is known to the audit or to disbursement")
    issued = next((p["data"] for _, t, p, _ in events if t == PAYMENT_ISSUED), None)
    outcomes = [{"type": t, "event_id": e, "received_at": format_utc(at), "reason_code": p["data"].get("reason_code"),
                 "at": p["data"].get("settled_at") or p["data"].get("failed_at")}
                for e, t, p, at in events if t in (PAYMENT_SETTLED, PAYMENT_FAILED)]
    held = held or {}
    return {
        "payment_id": payment_id,
        "claim_id": held.get("claim_id") or (issued or {}).get("claim_id"),
        "batch_id": held.get("batch_id") or (issued or {}).get("batch_id"),
        "fund": held.get("fund") or (issued or {}).get("fund"),
        "programme": held.get("programme") or (issued or {}).get("programme"),
        "amount": held.get("amount") or (issued or {}).get("amount"), "currency": "CNY",
        "decision": held.get("decision"),
        "approval": _approval(held.get("batch"), issued),
        "payment_file": held.get("payment_file"),
        "bank_outcome": {**(held.get("bank_outcome") or {}), "events": outcomes},
        "events": [{"event_id": e, "type": t, "received_at": format_utc(at)} for e, t, _, at in events],
        "ledger": [_with_proof(session, entry) for entry in entries],
        "missing": missing,
        "generated_at": format_utc(datetime.now(UTC)),
    }


def _approval(batch: dict[str, Any] | None, issued: dict[str, Any] | None) -> dict[str, Any]:
    """The maker and checkers: with their times from disbursement, as the issued event named them otherwise."""
    named = {"maker": (issued or {}).get("maker"), "checkers": (issued or {}).get("checkers"),
             "issued_at": (issued or {}).get("issued_at")}
    if batch is None:
        return named
    return {**named, "maker": batch["maker"], "made_at": batch["created_at"], "checkers": batch["checkers"],
            "history": batch["history"]}


def _with_proof(session: Session, entry: ChainEntry) -> dict[str, Any]:
    """The entry, and its inclusion proof against its fund's latest checkpoint (null until one covers it):
    SHA-256(0x00 ‖ the entry's canonical bytes) is leaf_hash, which the path leads to the checkpoint's root."""
    shown = entry_to_json(entry)
    checkpoint = checkpoint_repo.latest(session, entry.fund)
    if checkpoint is None or checkpoint.size < entry.seq:
        return {**shown, "inclusion_proof": None}
    proof = proofs.inclusion(session, entry.entry_id, checkpoint.size)
    return {**shown, "inclusion_proof": {"leaf_hash": entry_leaf(entry).hex(),
        "checkpoint_id": checkpoint.id, "tree_size": proof.tree_size, "root": checkpoint.root,
        "leaf_index": proof.leaf_index, "inclusion_path": [h.hex() for h in proof.inclusion_path],
        "signature": checkpoint.signature, "key_id": checkpoint.key_id}}

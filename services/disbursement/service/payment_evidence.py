"""What disbursement knows of one payment, for the audit's payment trail (GET /v1/payments/{id}/trail on the
audit service): the decision it paid (reasons, computation, clause, catalog hash), the batch's maker, checkers
and every transition with times, the payment file's identifiers, and the bank's outcome. No name, identity
number or account: the claim is named by its id, the payee by its pseudonym."""

from typing import Any

from sqlmodel import Session

from services.disbursement.db import batch_repo, payments_repo
from services.disbursement.domain.payment_file import PAIN001_NAMESPACE
from shared.errors import NotFound
from shared.money import format_fen


def evidence(session: Session, payment_id: str) -> dict[str, Any]:
    payment = payments_repo.payment(session, payment_id)
    if payment is None:
        raise NotFound(f"no payment {payment_id}")
    decision = payments_repo.decision(session, payment.claim_id)
    batch = batch_repo.batch(session, payment.batch_id)
    upload = payments_repo.upload(session, payment.return_upload_id) if payment.return_upload_id else None
    return {
        "payment_id": payment.payment_id, "claim_id": payment.claim_id, "batch_id": payment.batch_id,
        "fund": payment.fund, "programme": payment.programme, "amount": format_fen(payment.amount_fen),
        "currency": payment.currency, "payee_ref": payment.payee_ref, "issued_at": payment.issued_at.isoformat(),
        "decision": None if decision is None else {**decision.document, "catalog_hash": decision.catalog_hash,
                                                   "policy_id": decision.policy_id, "clause": decision.clause},
        "batch": None if batch is None else {
            "maker": batch.maker, "created_at": batch.created_at.isoformat(), "status": batch.status,
            "checkers": [{"checker": a.checker, "role": a.checker_role, "at": a.approved_at.isoformat()}
                         for a in batch_repo.approvals(session, batch.batch_id)],
            "history": [{"action": t.action, "actor": t.actor, "actor_role": t.actor_role, "to_status": t.to_status,
                         "at": t.at.isoformat()} for t in batch_repo.transitions(session, batch.batch_id)]},
        # the pain.001 this payment travelled in: MsgId and PmtInfId are the batch id, EndToEndId the payment id
        "payment_file": {"format": "pain.001.001.09", "namespace": PAIN001_NAMESPACE, "message_id": payment.batch_id,
                         "end_to_end_id": payment.payment_id},
        "bank_outcome": {"status": payment.status, "reason_code": payment.reason_code,
                         "at": payment.outcome_at.isoformat() if payment.outcome_at else None,
                         "return_upload_id": payment.return_upload_id,
                         "return_format": upload.source_format if upload else None,
                         "return_sha256": upload.sha256 if upload else None},
    }

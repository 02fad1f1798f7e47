"""The data of the finance events (contract §6): pseudonymous refs and codes only, never a name,
identity number, account number or the bank's free text."""

from datetime import datetime
from typing import Any

from services.disbursement.db.batch_tables import BatchRow, PaymentRow
from shared.money import CURRENCY, format_fen


def claim_batched(claim_id: str, batch: BatchRow) -> dict[str, Any]:
    return {"claim_id": claim_id, "batch_id": batch.batch_id, "fund": batch.fund}


def claim_unbatched(claim_id: str, batch_id: str | None, reason: str) -> dict[str, Any]:
    """reason: removed_from_draft | batch_rejected | payee_corrected (the claim is eligible again)."""
    return {"claim_id": claim_id, "batch_id": batch_id, "reason": reason}


def payment_issued(payment: dict[str, Any], *, policy_id: str, clause: str | None, qualifying_key: str | None,
                   qualifying_date: Any, grant: dict[str, Any] | None, beneficiary_kind: str | None,
                   maker: str, checkers: list[str], checker_role: str, payee_name_matches: bool | None = None,
                   payee_changes: int = 0) -> dict[str, Any]:
    """payment is the payments row being inserted; grant the GrantRow.record of the claim (caps history)."""
    grant = grant or {}
    data: dict[str, Any] = {
        "payment_id": payment["payment_id"], "claim_id": payment["claim_id"], "batch_id": payment["batch_id"],
        "programme": payment["programme"], "policy_id": policy_id, "clause": clause, "fund": payment["fund"],
        "amount": format_fen(payment["amount_fen"]), "currency": payment["currency"],
        "beneficiary_ref": payment["beneficiary_ref"], "payee_ref": payment["payee_ref"],
        "qualifying_key": qualifying_key,
        "qualifying_date": qualifying_date.isoformat() if qualifying_date else None,
        "maker": maker, "checker": checkers[-1], "checkers": checkers, "checker_role": checker_role,
        "issued_at": payment["issued_at"].isoformat(),
        "subject_ref": grant.get("subject_ref") or payment["beneficiary_ref"],
        "units": max(int(grant.get("units") or 1), 1),
        # for the audit's payee rules (issue 14): a flag and a count, never the names compared
        "payee_name_matches": payee_name_matches, "payee_changes": payee_changes,
    }
    if grant.get("tier"):
        data["tier"] = grant["tier"]
    if beneficiary_kind:
        data["beneficiary_kind"] = beneficiary_kind
    return data


def batch_approved(batch: BatchRow, payment_ids: list[str], checkers: list[str], approved_at: datetime) -> dict[str, Any]:
    return {
        "batch_id": batch.batch_id, "fund": batch.fund, "programme": batch.programme, "count": batch.count,
        "total": format_fen(batch.total_fen), "currency": CURRENCY, "payment_ids": payment_ids,
        "maker": batch.maker, "checker": checkers[-1], "checkers": checkers, "approved_at": approved_at.isoformat(),
    }


def payment_outcome(payment: PaymentRow, settled: bool, at: datetime, reason_code: str | None,
                    value_date: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "payment_id": payment.payment_id, "claim_id": payment.claim_id, "batch_id": payment.batch_id,
        "fund": payment.fund, "programme": payment.programme, "amount": format_fen(payment.amount_fen),
        "currency": payment.currency, "beneficiary_ref": payment.beneficiary_ref,
        ("settled_at" if settled else "failed_at"): at.isoformat(),
    }
    if not settled:
        data["reason_code"] = reason_code
    if value_date is not None:
        data["value_date"] = value_date.isoformat()
    return data

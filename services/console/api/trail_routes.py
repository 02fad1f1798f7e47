"""A payment's trail: look one up by its id, read its story (claim, decision, approvals, payment file, bank
outcome, events, ledger entries with their inclusion proofs checked here), download it as the audit's JSON
document or its entries as CSV."""

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from services.console.api.downloads import attachment
from services.console.api.web import AuditReader, backends, render
from services.console.domain.inclusion_check import VERIFIED
from services.console.service import audit_work as use

router = APIRouter(prefix="/audit/payments")


@router.get("")
def look_up(request: Request, user: AuditReader, payment_id: str | None = None):  # type: ignore[no-untyped-def]
    if payment_id and payment_id.strip():
        return RedirectResponse(f"/audit/payments/{quote(payment_id.strip(), safe='')}", status_code=303)
    return render(request, "audit/trail_lookup.html")


@router.get("/{payment_id}")
def trail(payment_id: str, request: Request, user: AuditReader):  # type: ignore[no-untyped-def]
    view = use.payment_trail(backends(request, user), payment_id)
    return render(request, "audit/trail.html", view=view, t=view.trail, payment_id=payment_id, VERIFIED=VERIFIED)


@router.get("/{payment_id}/entries.csv")
def entries_csv(payment_id: str, request: Request, user: AuditReader) -> Response:
    view = use.payment_trail(backends(request, user), payment_id)
    return attachment(use.trail_entries_csv(view), "payment-entries.csv")


@router.get("/{payment_id}/trail.json")
def trail_document(payment_id: str, request: Request, user: AuditReader) -> Response:
    data = backends(request, user).audit.payment_trail_document(payment_id)
    return attachment(data, "payment-trail.json", "application/json")

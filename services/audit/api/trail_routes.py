"""GET /v1/payments/{payment_id}/trail: one payment's whole story for an auditor (service.payment_trail), also
as a downloadable JSON document (…/trail.json)."""

import json
import re
from typing import Any

from fastapi import APIRouter, Depends, Request, Response

from services.audit.api.deps import DB, auditor
from services.audit.service.payment_trail import payment_trail

router = APIRouter(prefix="/v1/payments", tags=["payment-trail"], dependencies=[Depends(auditor)])


@router.get("/{payment_id}/trail")
def trail(payment_id: str, request: Request, db: DB) -> dict[str, Any]:
    """The claim, decision (reasons, computation, clause, catalog hash), maker and checkers with times, payment
    file and EndToEndId, bank outcome, ledger entries with hashes and Merkle inclusion proofs."""
    return payment_trail(db, request.app.state.evidence_source, payment_id)


@router.get("/{payment_id}/trail.json", response_class=Response,
            responses={200: {"content": {"application/json": {}}}})
def trail_document(payment_id: str, request: Request, db: DB) -> Response:
    """The same trail as a file to keep with the case."""
    document = payment_trail(db, request.app.state.evidence_source, payment_id)
    # A header carries Latin-1 only: the file is named after the id's safe characters.
    name = re.sub(r"[^A-Za-z0-9._-]", "_", payment_id)[:120]
    return Response(json.dumps(document, ensure_ascii=False, indent=2).encode(), media_type="application/json",
                    headers={"Content-Disposition": f'attachment; filename="payment-trail-{name}.json"'})

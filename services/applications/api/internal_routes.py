"""Internal endpoints for the other services (a service token with scope claims:read-body): claim bodies in
bulk, for the bank payment file."""

from typing import Annotated, Any

from fastapi import APIRouter, Body
from pydantic import BaseModel, ConfigDict, Field

from services.applications.api.routes import DB, ClaimsReader
from services.applications.api.schemas import ClaimBodies
from services.applications.service.claim_reads import claims_by_id

router = APIRouter(tags=["internal"])


class ClaimLookup(BaseModel):
    model_config = ConfigDict(extra="forbid")
    claim_ids: list[Annotated[str, Field(min_length=1, max_length=36)]] = Field(min_length=1, max_length=500)


@router.post("/internal/v1/claims/lookup", response_model=ClaimBodies)
def lookup_claims(caller: ClaimsReader, db: DB, body: Annotated[ClaimLookup, Body()]) -> dict[str, Any]:
    """The bodies of up to 500 claims, in the order asked; ids we do not hold are listed in `missing`."""
    rows = claims_by_id(db, body.claim_ids, caller)
    items = [{"claim_id": cid, "status": rows[cid].status, "submitted_at": rows[cid].submitted_at.isoformat(),
              "body": rows[cid].body} for cid in body.claim_ids if cid in rows]
    return {"items": items, "missing": [cid for cid in body.claim_ids if cid not in rows]}

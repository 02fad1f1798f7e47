"""/v1/ledger/… of the Merkle log: the public key, signed checkpoints and their co-signatures, proofs (docs/api.md)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from services.audit.api.deps import DB, auditor
from shared.pagination import decode_cursor, page_of
from shared.web.openapi import problems
from shared.web.query import Cursor, Limit
from services.audit.api.transparency_schemas import (CheckpointOut, CheckpointPage, CheckpointRequest, CosignIn,
                                                     ConsistencyProofOut, InclusionProofOut, PublicKeyOut,
                                                     checkpoint_out, consistency_out, inclusion_out)
from services.audit.domain.checkpoints import Signer
from services.audit.service import checkpoints, proofs

router = APIRouter(prefix="/v1/ledger", tags=["ledger log"], dependencies=[Depends(auditor)])
BIGINT = 2**63 - 1  # the largest id or size a column holds: past it is a 422, not a driver's overflow
Size = Annotated[int, Query(ge=1, le=BIGINT, description="a number of leaves (entries) of the fund's log")]
CheckpointId = Annotated[int, Path(ge=1, le=BIGINT)]


def signer(request: Request) -> Signer:
    return request.app.state.signer


LogSigner = Annotated[Signer, Depends(signer)]


@router.get("/public-key", response_model=PublicKeyOut)
def public_key(key: LogSigner) -> PublicKeyOut:
    """The Ed25519 key checkpoints are signed with: save it once, verify offline with it ever after."""
    return PublicKeyOut(key_id=key.key_id, public_key=key.public_pem)


@router.get("/checkpoints", response_model=CheckpointPage)
def list_checkpoints(db: DB, fund: str | None = None, limit: Limit = 50, cursor: Cursor = None) -> CheckpointPage:
    """Signed checkpoints, newest first, each with its witnesses' co-signatures."""
    (after,) = decode_cursor(cursor, int) or (None,)
    page, next_cursor = page_of(checkpoints.listed(db, fund, after, limit + 1), limit, lambda c: (c.id,))
    return CheckpointPage(items=[checkpoint_out(c) for c in page], next_cursor=next_cursor)


@router.post("/checkpoints", response_model=CheckpointPage, status_code=201, responses=problems(404))
def sign_now(db: DB, key: LogSigner, body: CheckpointRequest | None = None) -> CheckpointPage:
    """Sign the fund's log (or every fund's) as it stands now."""
    fund = body.fund if body else None
    issued = [checkpoints.issue(db, key, fund)] if fund is not None else checkpoints.issue_all(db, key)
    return CheckpointPage(items=[checkpoint_out(c) for c in issued])


@router.get("/checkpoints/{checkpoint_id}", response_model=CheckpointOut)
def one_checkpoint(db: DB, checkpoint_id: CheckpointId) -> CheckpointOut:
    return checkpoint_out(checkpoints.one(db, checkpoint_id))


@router.post("/checkpoints/{checkpoint_id}/cosign", response_model=CheckpointOut, status_code=201,
             responses={200: {"model": CheckpointOut, "description": "This co-signature was kept already"}})
def cosign(db: DB, checkpoint_id: CheckpointId, body: CosignIn, response: Response) -> CheckpointOut:
    """Keep a witness's co-signature, verified against the witness's own key (200 when it was kept already)."""
    issued, created = checkpoints.cosign(db, checkpoint_id, body.public_key, body.signature)
    if not created:
        response.status_code = 200
    return checkpoint_out(issued)


@router.get("/proofs/inclusion", response_model=InclusionProofOut, responses=problems(404))
def inclusion(db: DB, entry_id: str, size: Size) -> InclusionProofOut:
    """The audit path of an entry in its fund's log of `size` leaves (RFC 9162 §2.1.3)."""
    return inclusion_out(proofs.inclusion(db, entry_id, size))


@router.get("/proofs/consistency", response_model=ConsistencyProofOut, responses=problems(404))
def consistency(db: DB, fund: str, to: Size,
                from_: Annotated[int, Query(alias="from", ge=1, le=BIGINT)]) -> ConsistencyProofOut:
    """That the fund's log of `to` leaves extends its log of `from` leaves (RFC 9162 §2.1.4)."""
    return consistency_out(proofs.consistency(db, fund, from_, to))

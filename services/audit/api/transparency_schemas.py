"""Response and request shapes of the Merkle log's endpoints: hashes as lower-case hex, signatures as base64."""

from pydantic import BaseModel, Field

from services.audit.domain.chain import format_utc
from services.audit.domain.checkpoints import to_json
from services.audit.service.checkpoints import IssuedCheckpoint
from services.audit.service.proofs import ConsistencyProof, InclusionProof


class PublicKeyOut(BaseModel):
    algorithm: str = "Ed25519"
    key_id: str
    public_key: str  # PEM, SubjectPublicKeyInfo


class CosignatureOut(BaseModel):
    key_id: str
    public_key: str
    signature: str
    received_at: str


class CheckpointOut(BaseModel):
    id: int
    fund: str
    size: int
    root: str
    issued_at: str
    key_id: str
    signature: str
    cosignatures: list[CosignatureOut]


class CheckpointPage(BaseModel):
    items: list[CheckpointOut]
    next_cursor: str | None = None


class CheckpointRequest(BaseModel):
    fund: str | None = Field(default=None, description="the fund to sign; every fund with entries when absent")


class CosignIn(BaseModel):
    public_key: str = Field(description="the witness's Ed25519 public key, PEM")
    signature: str = Field(description="base64 Ed25519 signature over the checkpoint's signed message")


class InclusionProofOut(BaseModel):
    fund: str
    entry_id: str
    leaf_index: int
    tree_size: int
    inclusion_path: list[str]


class ConsistencyProofOut(BaseModel):
    fund: str
    first: int
    second: int
    consistency_path: list[str]


def checkpoint_out(issued: IssuedCheckpoint) -> CheckpointOut:
    return CheckpointOut(id=issued.id, **to_json(issued.checkpoint, issued.signature), cosignatures=[
        CosignatureOut(key_id=c.key_id, public_key=c.public_key, signature=c.signature,
                       received_at=format_utc(c.received_at)) for c in issued.cosignatures])


def inclusion_out(proof: InclusionProof) -> InclusionProofOut:
    return InclusionProofOut(fund=proof.fund, entry_id=proof.entry_id, leaf_index=proof.leaf_index,
                             tree_size=proof.tree_size, inclusion_path=[h.hex() for h in proof.inclusion_path])


def consistency_out(proof: ConsistencyProof) -> ConsistencyProofOut:
    return ConsistencyProofOut(fund=proof.fund, first=proof.first, second=proof.second,
                               consistency_path=[h.hex() for h in proof.consistency_path])

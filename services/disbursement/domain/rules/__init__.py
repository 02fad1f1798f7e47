"""The pure rules engine: evaluate a claim against the policy catalog and an explicit grant history."""

from services.disbursement.domain.rules.context import UnknownParameter
from services.disbursement.domain.rules.decision import Decision, GrantRecord, Reason, Step, grant_record
from services.disbursement.domain.rules.engine import evaluate
from services.disbursement.domain.rules.keys import decode_key, history_refs

__all__ = [
    "Decision", "GrantRecord", "Reason", "Step", "UnknownParameter",
    "decode_key", "evaluate", "grant_record", "history_refs",
]

"""The claimant's other events on claims.v1, each read into its typed payload and handed to service/:
grants.claim.payee_changed (service.payee_change_acceptance) and grants.claim.withdrawn (service.claim_withdrawal)."""

from sqlmodel import Session

from services.disbursement.service.claim_withdrawal import withdraw
from services.disbursement.service.payee_change_acceptance import accept_payee_change
from shared.event_payloads import ClaimPayeeChanged, ClaimWithdrawn
from shared.events import CLAIM_PAYEE_CHANGED, CLAIM_WITHDRAWN, CloudEvent


def apply_payee_change(session: Session, event: CloudEvent) -> None:
    accept_payee_change(session, ClaimPayeeChanged.model_validate(event.data))


def apply_withdrawal(session: Session, event: CloudEvent) -> None:
    withdraw(session, ClaimWithdrawn.model_validate(event.data))


CLAIMANT_HANDLERS = {CLAIM_PAYEE_CHANGED: apply_payee_change, CLAIM_WITHDRAWN: apply_withdrawal}

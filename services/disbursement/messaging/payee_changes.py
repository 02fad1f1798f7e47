"""grants.claim.payee_changed, read into its typed payload and handed to service.payee_change_acceptance."""

from sqlmodel import Session

from services.disbursement.service.payee_change_acceptance import accept_payee_change
from shared.event_payloads import ClaimPayeeChanged
from shared.events import CloudEvent


def apply_payee_change(session: Session, event: CloudEvent) -> None:
    accept_payee_change(session, ClaimPayeeChanged.model_validate(event.data))

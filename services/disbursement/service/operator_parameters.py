"""Setting and reading operator parameters; the seeds' own values can never be overridden here."""

from datetime import UTC, datetime

from sqlmodel import Session

from services.disbursement.db import parameters_repo
from services.disbursement.db.parameter_tables import OperatorParameter, ParameterChange
from shared.catalog import Catalog
from shared.logging import get_logger
from shared.errors import Conflict, NotFound, ValidationFailed

log = get_logger("disbursement.parameters")


def operator_values(session: Session) -> dict[str, str]:
    return parameters_repo.values(session)


def set_operator_value(session: Session, catalog: Catalog, *, parameter_id: str, value: str, reason: str,
                       set_by: str) -> OperatorParameter:
    try:
        parameter = catalog.parameter(parameter_id)
    except KeyError:
        raise NotFound(f"the catalog has no parameter {parameter_id}") from None
    if parameter.source != "operator":
        raise Conflict(f"{parameter_id} comes from {parameter.source} ({parameter.clause}); only parameters the "
                       "seeds leave to the operator can be set here")
    try:
        parameter.check_value(value)
    except ValueError as exc:
        raise ValidationFailed(f"value: {exc}", errors=[{"field": "value", "message": str(exc)}]) from exc
    now = datetime.now(UTC)
    current = parameters_repo.lock_current(session, parameter_id)
    change = ParameterChange(parameter_id=parameter_id, old_value=current.value if current else None,
                             new_value=value, set_by=set_by, set_at=now, reason=reason)
    if current is None:
        current = OperatorParameter(parameter_id=parameter_id, value=value, set_by=set_by, set_at=now, reason=reason)
    else:
        current.value, current.set_by, current.set_at, current.reason = value, set_by, now, reason
    parameters_repo.record_change(session, change, current)
    log.info("disbursement.parameter_set", parameter_id=parameter_id, set_by=set_by)
    return current

"""Operator parameters API: list every catalog parameter with its values; admins set the open ones."""

from typing import Annotated, Any

from fastapi import APIRouter, Body, Request
from pydantic import BaseModel, ConfigDict, Field

from services.disbursement.api.responses import ParameterPage, ParameterSetOut
from services.disbursement.api.routes import DB
from services.disbursement.service.operator_parameters import operator_values, set_operator_value
from shared.pagination import slice_page
from shared.web.query import Cursor, Limit
from shared.web.openapi import problems
from shared.web.security import Admin, Staff

router = APIRouter(tags=["parameters"])


class ParameterValue(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: str = Field(min_length=1, max_length=64)
    reason: str = Field(min_length=1, max_length=500)


@router.get("/v1/parameters", response_model=ParameterPage)
def list_parameters(request: Request, caller: Staff, db: DB, limit: Limit = 50, cursor: Cursor = None) -> dict[str, Any]:
    """Every parameter of the catalog's policies, with the operator's value where one is set."""
    catalog = request.app.state.catalog
    set_values = operator_values(db)
    items = []
    for policy_id in sorted({p.policy_id for p, _ in catalog.programmes()}):
        for parameter in catalog.policy(policy_id).parameters:
            items.append({**parameter.model_dump(mode="json"), "operator_value": set_values.get(parameter.id)})
    page, next_cursor = slice_page(items, limit, cursor)
    return {"items": page, "next_cursor": next_cursor}


@router.put("/v1/parameters/{parameter_id}", response_model=ParameterSetOut, responses=problems(409))
def put_parameter(parameter_id: str, request: Request, caller: Admin, db: DB,
                  body: Annotated[ParameterValue, Body()]) -> dict[str, Any]:
    """Set a value the seeds leave to the operator; every change is recorded with who, when and why."""
    row = set_operator_value(db, request.app.state.catalog, parameter_id=parameter_id, value=body.value,
                             reason=body.reason, set_by=caller.sub)
    return {"parameter_id": row.parameter_id, "value": row.value, "set_by": row.set_by,
            "set_at": row.set_at.isoformat(), "reason": row.reason}

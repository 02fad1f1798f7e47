"""Reading the table-driven rule cases (cases/<programme>.yaml), in the spirit of OpenFisca's YAML tests.

A case file has `defaults` (a claim: jurisdiction, claimant, payee, facts, as_of) and `cases`, each
overriding what it needs (dicts are merged deeply) and stating the expected outcome, amount and reasons.
People are written by birth date (`{born: 2000-01-31, seq: 2, name: 李四}`): the runner builds a valid
resident id from them, so ages on a reference date read directly from the case. `history` lists earlier
claims (`earlier:`, evaluated first, with the case's parameter overrides unless they state their own, and
required to be eligible) or raw grants (`grant:`, the shape of a stored GrantRecord).
"""

import copy
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from services.disbursement.domain.rules import Decision, GrantRecord, evaluate, grant_record
from services.disbursement.domain.rules.keys import encode_key
from shared.catalog import Catalog
from shared.claims import parse_claim
from shared.identifiers import make_resident_id, pseudonymise
from shared.money import parse_fen

CASES_DIR = Path(__file__).parent / "cases"
PII_KEY = "rules-test-pii-key"
REGION = "620102"


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Expected(_Closed):
    outcome: Literal["eligible", "rejected"]
    amount: str
    reasons: list[str] = []
    reason_clauses: list[str] | None = None
    fund: str | None = None
    policy_id: str | None = None
    clause: str | None = None
    tier: str | None = None
    units: int | None = None


class RawGrant(_Closed):
    programme: str
    policy_id: str
    qualifying_date: date
    amount: str
    fund: str
    subject: Any = "claimant"
    key: dict[str, Any] = {}
    units: int = 1
    months: list[str] = []  # the calendar months (YYYY-MM) the grant paid for


class HistoryItem(_Closed):
    earlier: dict[str, Any] | None = None
    grant: RawGrant | None = None


class Case(_Closed):
    name: str
    as_of: date | None = None
    claim: dict[str, Any] = {}
    facts: dict[str, Any] = {}
    parameters: dict[str, str] | None = None
    history: list[HistoryItem] = []
    expected: Expected


class CaseFile(_Closed):
    programme: str
    defaults: dict[str, Any]
    cases: list[Case] = Field(min_length=1)


def load_case_files() -> list[tuple[str, CaseFile]]:
    return [(p.stem, CaseFile.model_validate(yaml.safe_load(p.read_text(encoding="utf-8")))) for p in sorted(CASES_DIR.glob("*.yaml"))]


def _merge(base: Any, override: Any) -> Any:
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = _merge(base.get(key), value)
        return merged
    return copy.deepcopy(override)


def _people(value: Any) -> Any:
    """Replace every {born:, seq:, name:} person spec with {id_number:, name:}; dates become ISO strings."""
    if isinstance(value, dict):
        if "born" in value:
            return {"id_number": resident_id(value), "name": value.get("name", "测试")}
        return {k: _people(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_people(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def resident_id(spec: dict[str, Any]) -> str:
    return make_resident_id(REGION, spec["born"], int(spec.get("seq", 1)))


def build_claim_body(file: CaseFile, claim: dict[str, Any], facts: dict[str, Any]) -> dict[str, Any]:
    body = _merge(file.defaults, claim)
    body["facts"] = _merge(body.get("facts", {}), facts)
    body.pop("as_of", None)
    body["programme"] = body.get("programme", file.programme)
    claimant = body["claimant"]
    if "born" in claimant:
        body["claimant"] = {"kind": "person", "id_number": resident_id(claimant), "name": claimant.get("name", "测试")}
    return _people(body)


def _key_value(value: Any) -> str:
    """A raw grant's key field: a person spec or {uscc: ...} becomes its pseudonym, as the engine writes it."""
    if isinstance(value, dict) and "uscc" in value:
        return pseudonymise(value["uscc"], PII_KEY)
    if isinstance(value, dict):
        return pseudonymise(resident_id(value), PII_KEY)
    return value.isoformat() if isinstance(value, date) else str(value)


def _raw_grant(grant: RawGrant, body: dict[str, Any], index: int) -> GrantRecord:
    claimant_ref = pseudonymise(body["claimant"].get("id_number") or body["claimant"]["uscc"], PII_KEY)
    subject = claimant_ref if grant.subject == "claimant" else pseudonymise(resident_id(grant.subject), PII_KEY)
    key = {k: _key_value(v) for k, v in grant.key.items()}
    return GrantRecord(
        claim_id=f"raw-{index}", programme=grant.programme, policy_id=grant.policy_id, beneficiary_ref=claimant_ref,
        subject_ref=subject, qualifying_key=encode_key(key), qualifying_date=grant.qualifying_date,
        amount_fen=parse_fen(grant.amount), fund=grant.fund, units=grant.units, months=grant.months, lookup_refs=sorted({subject, *key.values()}),
    )


def run_case(file: CaseFile, case: Case, catalog: Catalog) -> Decision:
    as_of = case.as_of or file.defaults["as_of"]
    body = build_claim_body(file, case.claim, case.facts)
    history: list[GrantRecord] = []
    for index, item in enumerate(case.history):
        if item.grant is not None:
            history.append(_raw_grant(item.grant, body, index))
            continue
        earlier = dict(item.earlier or {})
        earlier_as_of = earlier.pop("as_of", as_of)
        parameters = earlier.pop("parameters", case.parameters)  # the operator's settings apply to earlier claims too
        earlier_body = build_claim_body(file, {k: v for k, v in earlier.items() if k != "facts"}, earlier.get("facts", {}))
        decision = evaluate(parse_claim(earlier_body), history, catalog, earlier_as_of, pii_key=PII_KEY, parameters=parameters)
        assert decision.outcome == "eligible", f"history item {index} was not granted: {decision.reasons}"
        history.append(grant_record(decision, claim_id=f"earlier-{index}"))
    return evaluate(parse_claim(body), history, catalog, as_of, pii_key=PII_KEY, parameters=case.parameters)

"""Factories for finance tests: eligible decisions (with their grants) straight into the database,
or decided for real from a claim body, and the apps wired to a database."""

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine

from services.disbursement.config import Settings
from services.disbursement.db.tables import DecisionRow, GrantRow, outbox
from shared.identifiers import pseudonymise
from shared.settings import DEV_PII_KEY

SKILL = {"programme": "skill_upgrade", "policy_id": "qingyang-2023", "fund": "unemployment_insurance",
         "clause": "qingyang-2023 §18"}
HIRING = {"programme": "hiring", "policy_id": "qingyang-2023", "fund": "employment_subsidy",
          "clause": "qingyang-2023 §8"}


def finance_settings(db_url: str, bootstrap: str = "127.0.0.1:1", prefix: str = "grants", **extra: Any) -> Settings:
    return Settings(disbursement_database_url=db_url, grants_kafka_bootstrap=bootstrap, grants_topic_prefix=prefix,
                    grants_env="test", **extra)


def add_eligible(engine: Engine, count: int, *, kind: dict[str, str] = SKILL, amount_fen: int = 150000,
                 start: int = 0) -> list[str]:
    """count eligible decisions of one programme (and their grants), oldest first; returns their claim ids."""
    decided = datetime(2024, 1, 2, tzinfo=UTC)
    decisions, grants, claim_ids = [], [], []
    for i in range(start, start + count):
        claim_id = str(uuid.uuid4())
        person = pseudonymise(f"person-{i}", DEV_PII_KEY)
        key = f"certificate_number=CERT-{i:06d}"
        decisions.append({
            "claim_id": claim_id, "programme": kind["programme"], "jurisdiction": "qingyang",
            "policy_id": kind["policy_id"], "outcome": "eligible", "status": "eligible", "amount_fen": amount_fen,
            "fund": kind["fund"], "clause": kind["clause"], "beneficiary_ref": person,
            "payee_ref": pseudonymise(f"62220202000{i:08d}", DEV_PII_KEY), "qualifying_key": key,
            "qualifying_date": date(2023, 6, 15), "catalog_hash": "0" * 64,
            "document": {"outcome": "eligible"}, "decided_at": decided + timedelta(microseconds=i)})
        grants.append({
            "claim_id": claim_id, "programme": kind["programme"], "policy_id": kind["policy_id"], "fund": kind["fund"],
            "beneficiary_ref": person, "subject_ref": person, "qualifying_key": key,
            "qualifying_date": date(2023, 6, 15), "amount_fen": amount_fen, "active": True, "created_at": decided,
            "record": {"claim_id": claim_id, "subject_ref": person, "tier": "4", "units": 1}})
        claim_ids.append(claim_id)
    with engine.begin() as conn:
        for chunk in range(0, count, 1000):
            conn.execute(insert(DecisionRow), decisions[chunk:chunk + 1000])
            conn.execute(insert(GrantRow), grants[chunk:chunk + 1000])
    return claim_ids


def staged(engine: Engine, event_type: str) -> list[dict[str, Any]]:
    """The events of one type in the outbox, decoded, in staging order."""
    import json

    with engine.connect() as conn:
        payloads = conn.execute(select(outbox.c.payload).order_by(outbox.c.id)).scalars()
        return [e for e in map(json.loads, payloads) if e["type"] == event_type]


def statuses(engine: Engine, claim_ids: list[str]) -> dict[str, str]:
    with engine.connect() as conn:
        rows = conn.execute(select(DecisionRow.claim_id, DecisionRow.status).where(DecisionRow.claim_id.in_(claim_ids)))
        return dict(rows.all())


def decide_filed(engine: Engine, bodies: dict[str, dict[str, Any]]) -> None:
    """Decide claims filed with the applications service (claim id -> body), as the decider would."""
    from services.disbursement.service.claim_deciding import decide
    from shared.catalog import load_catalog
    from shared.claims import parse_claim
    from shared.db import unit_of_work

    catalog = load_catalog()
    with unit_of_work(engine) as session:
        for claim_id, body in bodies.items():
            row = decide(session, claim_id=claim_id, claim=parse_claim(body), catalog=catalog, pii_key=DEV_PII_KEY,
                         submitted_at=datetime.now(UTC))
            assert row.outcome == "eligible", row.document

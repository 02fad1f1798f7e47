"""Test support: real PostgreSQL databases, the real broker, app construction, claim factories."""

import uuid
from datetime import date
from typing import Any

import psycopg
from kafka import KafkaConsumer

from shared.auth import CLAIMS_READ_BODY, issue_service_token, issue_token
from shared.identifiers import make_resident_id, make_uscc
from shared.settings import DEV_JWT_SECRET

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def create_pg_database(template: str | None = None) -> tuple[str, str]:
    """Create a fresh database (a copy of `template`, if named); returns (name, SQLAlchemy URL)."""
    name = f"grants_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    return name, f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def drop_pg_database(name: str) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def token(role: str = "applicant", sub: str = "applicant-1", name: str | None = None) -> str:
    return issue_token(DEV_JWT_SECRET, sub=sub, role=role, name=name)


def auth(role: str = "applicant", sub: str = "applicant-1") -> dict[str, str]:
    return {"Authorization": f"Bearer {token(role, sub)}"}


def service_auth(client: str = "grants-disbursement", scopes: tuple[str, ...] = (CLAIMS_READ_BODY,)) -> dict[str, str]:
    """A service's own development token (what disbursement's claim-body fetch sends)."""
    return {"Authorization": f"Bearer {issue_service_token(DEV_JWT_SECRET, client=client, scopes=scopes)}"}


def person_id(seq: int = 1, born: date = date(1990, 5, 17), region: str = "621002") -> str:
    return make_resident_id(region, born, seq % 1000)


def org_uscc(seq: int = 1) -> str:
    return make_uscc(f"91621002MA{seq:07d}"[:17])


def skill_upgrade_body(seq: int = 1, **facts: Any) -> dict[str, Any]:
    base = {
        "certificate_number": f"CERT-{seq:06d}", "occupation_code": "4-07-01-02", "level": 4,
        "certificate_issued_on": "2023-06-15", "ui_contribution_months": 14, "receiving_ui_benefit": False,
    }
    base.update(facts)
    return {
        "programme": "skill_upgrade", "jurisdiction": "qingyang",
        "claimant": {"kind": "person", "id_number": person_id(seq), "name": "张三"},
        "payee_account": {"account_number": f"62220202000{seq:08d}", "account_name": "张三", "bank": "ICBC"},
        "facts": base,
    }


def hiring_body(seq: int = 1, programme: str = "hiring", **facts: Any) -> dict[str, Any]:
    base = {
        "employee": {"id_number": person_id(seq, born=date(2001, 3, 2)), "name": "李四"},
        "employee_category": "graduate", "graduated_on": "2023-06-30", "contract_start": "2023-08-01",
        "contract_months": 12, "insurance_paid_months": 2,
    }
    base.update(facts)
    return {
        "programme": programme, "jurisdiction": "qingyang",
        "claimant": {"kind": "organisation", "uscc": org_uscc(seq), "name": "庆阳某某科技有限公司"},
        "payee_account": {"account_number": f"62170000{seq:011d}", "account_name": "庆阳某某科技有限公司", "bank": "ABC"},
        "facts": base,
    }


def chongqing_hire_body(seq: int) -> dict[str, Any]:
    """A chongqing-2020 §23 hire of a long-term unemployed person: rejected PARAMETER_NOT_SET until an operator
    sets chongqing-2020.hiring_long_term_unemployed.amount."""
    body = hiring_body(seq, programme="hiring_long_term_unemployed")
    body["jurisdiction"] = "chongqing"
    body["facts"] = {"employee": {"id_number": person_id(seq, born=date(1985, 3, 2)), "name": "李四"},
                     "unemployed_registered_on": "2019-10-01", "contract_start": "2020-06-01", "contract_months": 12,
                     "insurance_paid_months": 1}
    return body


def read_topic(bootstrap: str, topic: str, expected: int, timeout_s: float = 20.0) -> list:
    """Read from the start of a topic until `expected` messages arrived or the time is up."""
    import time

    consumer = KafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=None, auto_offset_reset="earliest",
                             enable_auto_commit=False, consumer_timeout_ms=500)
    got: list = []
    deadline = time.monotonic() + timeout_s
    try:
        while len(got) < expected and time.monotonic() < deadline:
            for records in consumer.poll(timeout_ms=300).values():
                got.extend(records)
    finally:
        consumer.close()
    return got

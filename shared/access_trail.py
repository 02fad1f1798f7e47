"""The access trail (issue 14 point 6): who read a claim's personal data, downloaded a payment file or was
refused, when, as what role, for which claim or batch, and why.

Each service keeps its own `access_log` table (access_log_table) and records in the transaction of the read
itself, so a read that commits has its record, and a record's `grants.access.recorded` event is staged in the
same transaction through the outbox: the audit service keeps the copy delivered by event, so the service that
was read cannot quietly drop its trail. Events and rows name what was read (field names), never its value.

Use (stable signature; engineer "officer" calls it from the batch review):

    trail = AccessTrail(table=access_log, outbox=outbox, source=DISBURSEMENT_SOURCE)
    trail.record(session, caller, action=BATCH_REVIEW, purpose="review before approval",
                 batch_id=batch_id, fields=("claimant_name", "payee_name", "payee_account"))

A refusal is recorded with record_refusal, in its own transaction (the request's own is rolled back).
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, DateTime, Index, Integer, MetaData, String, Table
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from shared.auth import Principal
from shared.bulk import insert_many
from shared.db import unit_of_work
from shared.events import ACCESS_RECORDED, new_event
from shared.outbox import enqueue, enqueue_many

# What was done (the `action` of a record). Add new ones; never rename.
CLAIM_READ = "claim.read"  # a claim's body (identity number, name, payee account) read by a person or service
CLAIMS_SEARCH = "claims.search"  # a list of claims with personal data, or searched by identity number
BATCH_REVIEW = "batch.review"  # a batch's items with names and masked accounts
PAYMENT_FILE_DOWNLOAD = "payment_file.download"  # the bank file (names and full accounts of a batch)
REFUSED = "refused"  # any action refused (403, or a rule such as maker-checker, limit, budget)

ALLOWED, DENIED = "allowed", "refused"


def access_log_table(metadata: MetaData) -> Table:
    """One service's access trail: rows are appended with the read and never changed."""
    return Table(
        "access_log",
        metadata,
        Column("id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True),
        Column("access_id", String(36), nullable=False, unique=True),
        Column("source", String(64), nullable=False),  # the service that was read (CloudEvents source)
        Column("actor", String(200), nullable=False),  # the subject of the token (a staff id or a service client)
        Column("role", String(32), nullable=False),
        Column("action", String(64), nullable=False),
        Column("outcome", String(16), nullable=False),
        Column("purpose", String(300), nullable=False),
        Column("claim_id", String(64), nullable=True),
        Column("batch_id", String(64), nullable=True),
        Column("payment_id", String(64), nullable=True),
        Column("fields", JSON, nullable=False),  # names of the personal data read, never their values
        Column("detail", String(500), nullable=True),  # why a refusal was refused
        Column("at", DateTime(timezone=True), nullable=False),
        Index("ix_access_log_claim", "claim_id"),
        Index("ix_access_log_batch", "batch_id"),
        Index("ix_access_log_actor_at", "actor", "at"),
    )


def actor_of(principal: Principal) -> str:
    """A service is recorded by its client id, a person by their subject."""
    return principal.client or principal.sub


@dataclass(frozen=True)
class AccessTrail:
    table: Table
    outbox: Table | None  # None: the audit service, which holds the trail itself and emits no copy
    source: str

    def record(self, session: Session, actor: Principal, *, action: str, purpose: str, claim_id: str | None = None,
               batch_id: str | None = None, payment_id: str | None = None, fields: Sequence[str] = (),
               outcome: str = ALLOWED, detail: str | None = None) -> str:
        """Record one access in the caller's transaction (and stage its event); returns its access_id."""
        row = {"access_id": str(uuid.uuid4()), "source": self.source, "actor": actor_of(actor), "role": actor.role,
               "action": action, "outcome": outcome, "purpose": purpose[:300], "claim_id": claim_id,
               "batch_id": batch_id, "payment_id": payment_id, "fields": list(fields),
               "detail": detail[:500] if detail else None, "at": datetime.now(UTC)}
        session.execute(self.table.insert(), row)
        if self.outbox is not None:
            event = new_event(ACCESS_RECORDED, self.source, row["access_id"], event_data(row))
            enqueue(session, self.outbox, event, key=claim_id or batch_id or row["actor"])
        return row["access_id"]

    def record_many(self, session: Session, actor: Principal, *, action: str, purpose: str,
                    claim_ids: Sequence[str], batch_id: str | None = None, fields: Sequence[str] = ()) -> int:
        """One record (and event) per claim read in bulk (a lookup, a payment file), in the caller's transaction."""
        now, who = datetime.now(UTC), actor_of(actor)
        rows = [{"access_id": str(uuid.uuid4()), "source": self.source, "actor": who, "role": actor.role,
                 "action": action, "outcome": ALLOWED, "purpose": purpose[:300], "claim_id": claim_id,
                 "batch_id": batch_id, "payment_id": None, "fields": list(fields), "detail": None, "at": now}
                for claim_id in claim_ids]
        insert_many(session, self.table, rows)
        if self.outbox is not None:
            enqueue_many(session, self.outbox, ((new_event(ACCESS_RECORDED, self.source, row["access_id"],
                                                           event_data(row)), row["claim_id"]) for row in rows))
        return len(rows)

    def record_refusal(self, engine: Engine, actor: Principal, *, purpose: str, detail: str,
                       claim_id: str | None = None, batch_id: str | None = None, payment_id: str | None = None,
                       action: str = REFUSED) -> str:
        """A refused action, in a transaction of its own: the refused request's transaction is rolled back."""
        with unit_of_work(engine) as session:
            return self.record(session, actor, action=action, purpose=purpose, claim_id=claim_id,
                               batch_id=batch_id, payment_id=payment_id, outcome=DENIED, detail=detail)


def event_data(row: dict[str, Any]) -> dict[str, Any]:
    """The `grants.access.recorded` data of a row (shared.event_schemas.AccessRecordedData)."""
    return {"access_id": row["access_id"], "actor": row["actor"], "role": row["role"], "action": row["action"],
            "outcome": row["outcome"], "purpose": row["purpose"], "claim_id": row["claim_id"],
            "batch_id": row["batch_id"], "payment_id": row["payment_id"], "fields": row["fields"],
            "detail": row["detail"], "at": row["at"].isoformat()}

"""Audit service settings: the only place that reads its environment."""

from decimal import Decimal
from functools import lru_cache
from typing import ClassVar

from pydantic import Field, SecretStr, model_validator

from shared.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: ClassVar[str] = "audit"
    audit_database_url: str = "sqlite:///var/audit.db"
    # the owner role's URL, used by `grants migrate` alone (default: AUDIT_DATABASE_URL)
    audit_migration_database_url: str | None = None
    audit_port: int = 8003
    # The same variable disbursement enforces: the anomaly rules look for batches kept just under it.
    grants_dual_approval_threshold: Decimal = Decimal("1000000.00")
    # Seconds between rounds of the anomaly worker when the consumer has not woken it (it wakes it after every
    # batch); the time-based batch check falls due on these rounds. 0 or less: every 5 seconds.
    audit_anomaly_sweep_seconds: float = 60.0
    # The most distinct beneficiaries one payee account may receive for before account_receives_for_many flags it
    # (the seeds state no number; the default lets a couple share an account and flags a third beneficiary).
    audit_payee_account_max_beneficiaries: int = Field(default=2, ge=1)
    # Days after issue with no bank outcome before reconciliation reports a payment unsettled.
    audit_unsettled_after_days: int = 5
    # A fund's Merkle log is signed once it has grown by this many entries since its last checkpoint, or this many
    # seconds after that checkpoint if it grew at all, whichever comes first (0 or less: that trigger is off);
    # POST /v1/ledger/checkpoints signs on demand.
    audit_checkpoint_every_entries: int = 1000
    audit_checkpoint_every_seconds: float = 60.0
    # The Ed25519 checkpoint signing key (PEM, PKCS #8): a file, or the PEM itself from a secret; never the
    # database. Required in production; elsewhere a development key is made under ./var if neither is set.
    audit_checkpoint_key_file: str | None = None
    audit_checkpoint_key: SecretStr | None = None
    # A payment's trail (GET /v1/payments/{id}/trail) reads the decision and approvals from disbursement
    # (GET /internal/v1/payments/{id}/evidence, with the audit's own token, scope payments:read-evidence).
    disbursement_url: str = "http://127.0.0.1:8002"

    @model_validator(mode="after")
    def _require_a_checkpoint_key_in_production(self) -> "Settings":
        if self.grants_env == "production" and not (self.audit_checkpoint_key_file or self.audit_checkpoint_key):
            raise ValueError("AUDIT_CHECKPOINT_KEY_FILE or AUDIT_CHECKPOINT_KEY must give the checkpoint signing key "
                             "in production")
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()

"""Audit service settings: the only place that reads its environment."""

from decimal import Decimal
from functools import lru_cache

from shared.settings import ServiceSettings


class Settings(ServiceSettings):
    audit_database_url: str = "sqlite:///var/audit.db"
    # the owner role's URL, used by `grants migrate` alone (default: AUDIT_DATABASE_URL)
    audit_migration_database_url: str | None = None
    audit_port: int = 8003
    # The same variable disbursement enforces: the anomaly rules look for batches kept just under it.
    grants_dual_approval_threshold: Decimal = Decimal("1000000.00")
    # Seconds between anomaly sweeps run by the consumer after a batch of events (negative: only on request).
    audit_anomaly_sweep_seconds: float = 60.0
    # Days after issue with no bank outcome before reconciliation reports a payment unsettled.
    audit_unsettled_after_days: int = 5


@lru_cache
def get_settings() -> Settings:
    return Settings()

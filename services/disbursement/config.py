"""Disbursement service settings: the only place that reads its environment."""

from decimal import Decimal
from functools import lru_cache

from shared.settings import ServiceSettings


class Settings(ServiceSettings):
    disbursement_database_url: str = "sqlite:///var/disbursement.db"
    disbursement_port: int = 8002
    # where the claim bodies live (claim check: identifiers never travel in events)
    applications_url: str = "http://127.0.0.1:8001"
    grants_dual_approval_threshold: Decimal = Decimal("1000000.00")
    grants_officer_daily_limit: Decimal = Decimal("10000000.00")


@lru_cache
def get_settings() -> Settings:
    return Settings()

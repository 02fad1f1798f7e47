"""Disbursement service settings: the only place that reads its environment."""

from decimal import Decimal
from functools import lru_cache
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.money import parse_fen
from shared.settings import ServiceSettings
from shared.subjects import subject_key

_PLACEHOLDER = "development placeholder"


class FundAccount(BaseModel):
    """The account a fund pays from: the debtor of its pain.001 files."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(min_length=1, max_length=140)
    account_number: str = Field(min_length=1, max_length=34)
    bank_name: str = Field(min_length=1, max_length=140)


def _placeholder_accounts() -> dict[str, FundAccount]:
    # Development only: production must set GRANTS_FUND_ACCOUNTS (the validator below refuses these).
    funds = ("employment_subsidy", "unemployment_insurance", "rural_revitalization", "east_west_cooperation")
    return {fund: FundAccount(name=f"{fund} ({_PLACEHOLDER})", account_number=f"95588000000000{i:05d}",
                              bank_name=f"Treasury bank ({_PLACEHOLDER})")
            for i, fund in enumerate(funds, start=1)}


class Settings(ServiceSettings):
    service_name: ClassVar[str] = "disbursement"
    disbursement_database_url: str = "sqlite:///var/disbursement.db"
    # the owner role's URL, used by `grants migrate` alone (default: DISBURSEMENT_DATABASE_URL)
    disbursement_migration_database_url: str | None = None
    disbursement_port: int = 8002
    # where the claim bodies live (claim check: identifiers never travel in events)
    applications_url: str = "http://127.0.0.1:8001"
    grants_dual_approval_threshold: Decimal = Decimal("1000000.00")
    grants_officer_daily_limit: Decimal = Decimal("10000000.00")
    # JSON object: officer subject -> their own daily limit (yuan), overriding GRANTS_OFFICER_DAILY_LIMIT
    grants_officer_daily_limits: dict[str, Decimal] = Field(default_factory=dict)
    # true: a fund with no budget for the year cannot pay at all; false: only a set budget limits it
    grants_fund_budget_required: bool = False
    # batch.approved lists every payment id: 20,000 of them keep that event well under Kafka's 1 MB
    grants_max_batch_items: int = Field(default=20000, ge=1, le=20000)
    # JSON object: fund code -> {"name", "account_number", "bank_name"} of the account it pays from
    grants_fund_accounts: dict[str, FundAccount] = Field(default_factory=_placeholder_accounts)

    @model_validator(mode="after")
    def _finance_settings(self) -> "Settings":
        # a bad amount fails at start-up, not at the first approval
        _non_negative_fen(self.grants_dual_approval_threshold, "GRANTS_DUAL_APPROVAL_THRESHOLD")
        _non_negative_fen(self.grants_officer_daily_limit, "GRANTS_OFFICER_DAILY_LIMIT")
        for sub, amount in self.grants_officer_daily_limits.items():
            _non_negative_fen(amount, f"GRANTS_OFFICER_DAILY_LIMITS[{sub}]")
        if self.grants_env == "production" and not self.grants_oidc_client_secret:
            raise ValueError("GRANTS_OIDC_CLIENT_SECRET (the grants-disbursement client's) must be set in production: "
                             "disbursement reads claim bodies from applications with its own token")
        if self.grants_env == "production" and any(_PLACEHOLDER in a.name for a in self.grants_fund_accounts.values()):
            raise ValueError("GRANTS_FUND_ACCOUNTS must name each fund's real paying account in production")
        return self

    @property
    def dual_approval_threshold_fen(self) -> int:
        return _non_negative_fen(self.grants_dual_approval_threshold, "GRANTS_DUAL_APPROVAL_THRESHOLD")

    @property
    def officer_daily_limit_fen(self) -> int:
        return _non_negative_fen(self.grants_officer_daily_limit, "GRANTS_OFFICER_DAILY_LIMIT")

    @property
    def officer_limits_fen(self) -> dict[str, int]:
        return {subject_key(sub.strip()): _non_negative_fen(amount, f"GRANTS_OFFICER_DAILY_LIMITS[{sub}]")
                for sub, amount in self.grants_officer_daily_limits.items()}


def _non_negative_fen(amount: Decimal, name: str) -> int:
    try:
        fen = parse_fen(amount)
    except ValueError as exc:
        raise ValueError(f"{name}: {exc}") from None
    if fen < 0:
        raise ValueError(f"{name} must not be negative")
    return fen


@lru_cache
def get_settings() -> Settings:
    return Settings()

import pytest
from pydantic import ValidationError

from services.disbursement.config import Settings


def test_production_refuses_the_placeholder_fund_accounts():
    with pytest.raises(ValidationError, match="GRANTS_FUND_ACCOUNTS"):
        Settings(grants_env="production", grants_pii_key="k" * 40, grants_kafka_bootstrap="kafka:9092",
                 grants_oidc_issuer="https://id.example/realms/grants", grants_oidc_client_secret="c" * 40)


def test_production_refuses_to_start_without_its_own_client_secret():
    with pytest.raises(ValidationError, match="GRANTS_OIDC_CLIENT_SECRET"):
        Settings(grants_env="production", grants_pii_key="k" * 40, grants_kafka_bootstrap="kafka:9092",
                 grants_oidc_issuer="https://id.example/realms/grants")


def test_approval_limits_with_more_than_two_decimals_are_refused_at_start():
    with pytest.raises(ValidationError, match="GRANTS_DUAL_APPROVAL_THRESHOLD"):
        Settings(grants_dual_approval_threshold="1000.001")
    with pytest.raises(ValidationError, match="GRANTS_OFFICER_DAILY_LIMITS"):
        Settings(grants_officer_daily_limits={"wang": "-1.00"})

import pytest
from pydantic import ValidationError

from services.applications.config import Settings


ISSUER = "https://id.example/realms/grants"


def test_production_refuses_to_start_without_an_oidc_provider():
    # its tokens are the only ones production accepts: the development HS256 secret signs nothing there
    with pytest.raises(ValidationError, match="GRANTS_OIDC_ISSUER"):
        Settings(grants_env="production", grants_pii_key="p" * 40, grants_kafka_bootstrap="kafka:9092")


def test_production_refuses_the_development_pii_key():
    with pytest.raises(ValidationError, match="GRANTS_PII_KEY"):
        Settings(grants_env="production", grants_oidc_issuer=ISSUER, grants_kafka_bootstrap="kafka:9092")


def test_production_with_real_secrets_starts():
    s = Settings(grants_env="production", grants_oidc_issuer=ISSUER, grants_pii_key="p" * 40,
                 grants_kafka_bootstrap="kafka:9092")
    assert s.kafka_bootstrap == "kafka:9092" and s.oidc_audience == "grants-applications"


def test_only_asymmetric_signatures_may_be_configured():
    with pytest.raises(ValidationError, match="GRANTS_OIDC_ALGORITHMS"):
        Settings(grants_oidc_algorithms=["RS256", "HS256"])


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("APPLICATIONS_DATABASE_URL", "sqlite:///elsewhere.db")
    monkeypatch.setenv("GRANTS_TOPIC_PREFIX", "city")
    s = Settings()
    assert (s.applications_database_url, s.grants_topic_prefix) == ("sqlite:///elsewhere.db", "city")

import pytest
from pydantic import ValidationError

from services.applications.config import Settings


def test_production_refuses_the_development_jwt_secret():
    with pytest.raises(ValidationError, match="GRANTS_JWT_SECRET"):
        Settings(grants_env="production", grants_pii_key="p" * 40, grants_kafka_bootstrap="kafka:9092")


def test_production_refuses_the_development_pii_key():
    with pytest.raises(ValidationError, match="GRANTS_PII_KEY"):
        Settings(grants_env="production", grants_jwt_secret="s" * 40, grants_kafka_bootstrap="kafka:9092")


def test_production_with_real_secrets_starts():
    s = Settings(grants_env="production", grants_jwt_secret="s" * 40, grants_pii_key="p" * 40,
                 grants_kafka_bootstrap="kafka:9092")
    assert s.kafka_bootstrap == "kafka:9092"


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("APPLICATIONS_DATABASE_URL", "sqlite:///elsewhere.db")
    monkeypatch.setenv("GRANTS_TOPIC_PREFIX", "city")
    s = Settings()
    assert (s.applications_database_url, s.grants_topic_prefix) == ("sqlite:///elsewhere.db", "city")

"""The settings every service shares; each service subclasses ServiceSettings in its own config.py."""

from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_JWT_SECRET = "grants-development-jwt-secret-change-me"
DEV_PII_KEY = "grants-development-pii-key-change-me"


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    grants_env: Literal["development", "test", "production"] = "development"
    grants_kafka_bootstrap: str | None = None
    grants_topic_prefix: str = "grants"
    grants_jwt_secret: str = DEV_JWT_SECRET
    grants_pii_key: str = DEV_PII_KEY
    grants_run_workers: bool = True
    grants_bind_host: str = "127.0.0.1"
    # where `grants up` starts the embedded broker when GRANTS_KAFKA_BOOTSTRAP is unset
    grants_embedded_broker_port: int = 9092
    # `grants worker`: the port of its health endpoint, and how old a consumer's last poll (or the relay's
    # last pass) may be before the worker reports itself unhealthy
    grants_worker_health_port: int = 8090
    grants_worker_stale_seconds: float = Field(default=60.0, gt=0)

    @field_validator("grants_topic_prefix")
    @classmethod
    def _prefix_shape(cls, value: str) -> str:
        if not value or not all(c.isalnum() or c in "._-" for c in value):
            raise ValueError("GRANTS_TOPIC_PREFIX may hold letters, digits, '.', '_' and '-'")
        return value

    @model_validator(mode="after")
    def _refuse_development_secrets_in_production(self) -> "ServiceSettings":
        if self.grants_env == "production":
            if self.grants_jwt_secret == DEV_JWT_SECRET or len(self.grants_jwt_secret) < 32:
                raise ValueError("GRANTS_JWT_SECRET must be set to a secret of 32+ characters in production")
            if self.grants_pii_key == DEV_PII_KEY or len(self.grants_pii_key) < 32:
                raise ValueError("GRANTS_PII_KEY must be set to a key of 32+ characters in production")
            if not self.grants_kafka_bootstrap:
                raise ValueError("GRANTS_KAFKA_BOOTSTRAP must name the Kafka cluster in production")
        return self

    @property
    def kafka_bootstrap(self) -> str:
        return self.grants_kafka_bootstrap or f"127.0.0.1:{self.grants_embedded_broker_port}"

    @property
    def creates_topics(self) -> bool:
        """The embedded broker loses its topics when it restarts, so outside production the relay and the
        consumers create them; in production they must exist already (deploy/topics.sh) and nothing creates them."""
        return self.grants_env != "production"


class KafkaSecurity(BaseSettings):
    """How the Kafka clients authenticate (all of them, so read once, by shared.kafka_clients): plaintext for
    the embedded broker and compose; SASL_SSL with SCRAM-SHA-512 and the cluster's CA on Kubernetes
    (Strimzi's KafkaUser secret holds the password, the cluster CA secret the certificate)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    grants_kafka_security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = "PLAINTEXT"
    grants_kafka_sasl_mechanism: Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] | None = None
    grants_kafka_username: str | None = None
    grants_kafka_password: str | None = None
    grants_kafka_ca_file: str | None = None

    @model_validator(mode="after")
    def _sasl_needs_a_user(self) -> "KafkaSecurity":
        if self.grants_kafka_security_protocol.startswith("SASL_") and not (
                self.grants_kafka_sasl_mechanism and self.grants_kafka_username and self.grants_kafka_password):
            raise ValueError("GRANTS_KAFKA_SECURITY_PROTOCOL=SASL_* needs GRANTS_KAFKA_SASL_MECHANISM, "
                             "GRANTS_KAFKA_USERNAME and GRANTS_KAFKA_PASSWORD")
        return self

    def client_options(self) -> dict[str, str]:
        """The kafka-python keyword arguments these settings mean (none for plaintext)."""
        options = {"security_protocol": self.grants_kafka_security_protocol}
        if self.grants_kafka_security_protocol.startswith("SASL_"):
            options.update(sasl_mechanism=self.grants_kafka_sasl_mechanism,  # type: ignore[arg-type]
                           sasl_plain_username=self.grants_kafka_username,  # type: ignore[arg-type]
                           sasl_plain_password=self.grants_kafka_password)  # type: ignore[arg-type]
        if self.grants_kafka_ca_file:
            options["ssl_cafile"] = self.grants_kafka_ca_file
        return options

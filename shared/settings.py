"""The settings every service shares; each service subclasses ServiceSettings in its own config.py."""

from typing import ClassVar, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.auth import DEVELOPMENT_RULES, SERVICE_CLIENTS, TokenRules

DEV_JWT_SECRET = "grants-development-jwt-secret-change-me"
DEV_PII_KEY = "grants-development-pii-key-change-me"


ASYMMETRIC = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")
    service_name: ClassVar[str] = ""  # each service's Settings names itself (the OIDC audience and client)

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
    # Identity (docs/operations.md "Identity"): the OIDC provider whose tokens the service accepts, and the
    # service's own client-credentials identity for the calls it makes to other services
    grants_oidc_issuer: str | None = None
    grants_oidc_jwks_url: str | None = None  # default: the jwks_uri of the issuer's discovery document
    grants_oidc_token_url: str | None = None  # default: the token_endpoint of the discovery document
    grants_oidc_audience: str | None = None  # default grants-<service>
    grants_oidc_client_id: str | None = None  # default grants-<service>
    grants_oidc_client_secret: str | None = None
    grants_oidc_algorithms: list[str] = Field(default_factory=lambda: ["RS256", "ES256"])
    grants_oidc_roles_claim: str = "roles"
    grants_oidc_role_map: dict[str, str] = Field(default_factory=dict)  # the provider's role -> ours
    grants_oidc_service_clients: list[str] = Field(default_factory=lambda: list(SERVICE_CLIENTS))
    grants_oidc_jwks_cache_seconds: float = Field(default=300.0, gt=0)
    # at most one JWKS refetch for an unknown key id per this many seconds (a flood of made-up kids must
    # not become a flood of requests to the provider)
    grants_oidc_jwks_cooldown_seconds: float = Field(default=30.0, ge=0)
    grants_token_leeway_seconds: int = Field(default=30, ge=0, le=300)
    grants_token_max_lifetime_seconds: int = Field(default=86400, gt=0)
    # The body limit of the routes taking bank files (returns, statements; shared.web.guard.body_limit):
    # bytes actually read, chunked bodies too. 32 MiB holds a 20,000-transaction camt.054 (~1.2 KB an entry)
    # or pain.002; every other route takes 64 KiB.
    grants_bank_file_max_bytes: int = Field(default=32 * 1024 * 1024, ge=64 * 1024)
    # Retention (docs/operations.md "Retention"): the worker deletes outbox rows published, and inbox rows
    # recorded, longer ago than these, a batch at a time. The inbox must outlive every copy of an event Kafka
    # may still deliver (retention.ms + segment.ms of deploy/topics.sh: 8 days) and every outbox row a
    # replay may re-send, or a redelivered event would be applied twice.
    grants_outbox_retention_hours: float = Field(default=168.0, gt=0)
    grants_inbox_retention_hours: float = Field(default=336.0, gt=0)
    grants_prune_every_seconds: float = Field(default=300.0, gt=0)
    grants_prune_batch_rows: int = Field(default=1000, ge=1, le=100_000)

    @field_validator("grants_topic_prefix")
    @classmethod
    def _prefix_shape(cls, value: str) -> str:
        if not value or not all(c.isalnum() or c in "._-" for c in value):
            raise ValueError("GRANTS_TOPIC_PREFIX may hold letters, digits, '.', '_' and '-'")
        return value

    @field_validator("grants_oidc_algorithms")
    @classmethod
    def _asymmetric_only(cls, value: list[str]) -> list[str]:
        if not value or any(alg not in ASYMMETRIC for alg in value):
            raise ValueError(f"GRANTS_OIDC_ALGORITHMS may name only {', '.join(ASYMMETRIC)}")
        return value

    @model_validator(mode="after")
    def _inbox_outlives_the_outbox(self) -> "ServiceSettings":
        if self.grants_inbox_retention_hours < self.grants_outbox_retention_hours:
            raise ValueError("GRANTS_INBOX_RETENTION_HOURS must be at least GRANTS_OUTBOX_RETENTION_HOURS: an event "
                             "replayed from an outbox must still be in the consumers' inboxes")
        return self

    @model_validator(mode="after")
    def _refuse_development_secrets_in_production(self) -> "ServiceSettings":
        # GRANTS_JWT_SECRET is not read in production: HS256 tokens are refused there whatever signed them.
        if self.grants_env == "production":
            if not self.grants_oidc_issuer:
                raise ValueError("GRANTS_OIDC_ISSUER must name the OIDC provider in production")
            if self.grants_pii_key == DEV_PII_KEY or len(self.grants_pii_key) < 32:
                raise ValueError("GRANTS_PII_KEY must be set to a key of 32+ characters in production")
            if not self.grants_kafka_bootstrap:
                raise ValueError("GRANTS_KAFKA_BOOTSTRAP must name the Kafka cluster in production")
        return self

    @property
    def oidc_audience(self) -> str:
        return self.grants_oidc_audience or f"grants-{self.service_name}"

    @property
    def oidc_client_id(self) -> str:
        return self.grants_oidc_client_id or f"grants-{self.service_name}"

    @property
    def token_rules(self) -> TokenRules:
        """The rules of the provider's tokens."""
        return TokenRules(self.grants_token_leeway_seconds, self.grants_token_max_lifetime_seconds,
                          self.grants_oidc_roles_claim, self.grants_oidc_role_map,
                          frozenset(self.grants_oidc_service_clients))

    @property
    def development_rules(self) -> TokenRules:
        """The rules of the HS256 development tokens (never used in production)."""
        return TokenRules(self.grants_token_leeway_seconds, self.grants_token_max_lifetime_seconds,
                          DEVELOPMENT_RULES.roles_claim, {}, frozenset(self.grants_oidc_service_clients))

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

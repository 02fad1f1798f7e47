"""Console settings: the only place that reads its environment."""

from functools import lru_cache
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings

from shared.settings import DEV_JWT_SECRET, ServiceSettings

DEV_SESSION_SECRET = "grants-development-console-session-secret"


class Settings(BaseSettings):
    # The console needs no broker or database, so it does not take ServiceSettings' production checks on them.
    model_config = ServiceSettings.model_config

    grants_env: Literal["development", "test", "production"] = "development"
    grants_bind_host: str = "127.0.0.1"
    grants_jwt_secret: str = DEV_JWT_SECRET  # the development signer of the sign-in page (never in production)
    console_port: int = 8000
    applications_url: str = "http://127.0.0.1:8001"
    disbursement_url: str = "http://127.0.0.1:8002"
    audit_url: str = "http://127.0.0.1:8003"
    console_request_timeout_seconds: float = Field(default=120.0, gt=0)
    console_session_secret: str = DEV_SESSION_SECRET
    console_session_max_age_seconds: int = Field(default=8 * 3600, gt=0)
    grants_token_max_lifetime_seconds: int = Field(default=86400, gt=0)  # what the services accept (shared.settings)
    # unset: Secure in production only (development serves plain http on loopback)
    console_cookie_secure: bool | None = None
    # Production sign-in (OIDC authorization code + PKCE): the provider, and this console as its public client
    # (deploy/keycloak/grants-realm.json: client grants-console, redirect URIs under GRANTS_CONSOLE_URL)
    grants_oidc_issuer: str | None = None
    grants_console_url: str | None = None  # the console's public base URL (the redirect URI's base)
    # where the console itself reads the provider's discovery document, when that is not at the issuer the
    # browser knows (compose: Keycloak is keycloak:8080 inside the network, localhost:8080 to the browser)
    console_oidc_metadata_url: str | None = None
    console_oidc_client_id: str = "grants-console"
    console_oidc_scope: str = "openid"
    grants_oidc_roles_claim: str = "roles"
    grants_oidc_role_map: dict[str, str] = Field(default_factory=dict)  # the provider's role -> ours
    console_job_workers: int = Field(default=2, ge=1, le=8)

    @model_validator(mode="after")
    def _production_needs_its_own_secrets(self) -> "Settings":
        if self.grants_env == "production":
            if self.console_session_secret == DEV_SESSION_SECRET or len(self.console_session_secret) < 32:
                raise ValueError("CONSOLE_SESSION_SECRET must be set to a secret of 32+ characters in production")
            if not self.grants_oidc_issuer or not self.grants_console_url:
                raise ValueError("GRANTS_OIDC_ISSUER and GRANTS_CONSOLE_URL must be set in production")
            if self.console_cookie_secure is False:
                raise ValueError("CONSOLE_COOKIE_SECURE cannot be false in production")
        return self

    @property
    def cookie_secure(self) -> bool:
        return self.grants_env == "production" if self.console_cookie_secure is None else self.console_cookie_secure

    @property
    def development_token_seconds(self) -> int:
        """A development sign-in's token lives as long as its session, never longer than the services accept."""
        return min(self.console_session_max_age_seconds, self.grants_token_max_lifetime_seconds)

    @property
    def development_sign_in(self) -> bool:
        """The sign-in page that picks a role and a name: development and test only."""
        return self.grants_env != "production"

    @property
    def oidc_sign_in(self) -> bool:
        return bool(self.grants_oidc_issuer)


@lru_cache
def get_settings() -> Settings:
    return Settings()

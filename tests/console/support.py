"""A console app for tests that need no service behind it (sign-in, sessions, CSRF, language, static files)."""

import re

from fastapi.testclient import TestClient

from services.console.config import Settings
from services.console.main import create_app
from shared.broker import free_port

PRODUCTION = {"grants_env": "production", "console_session_secret": "s" * 40,
              "grants_oidc_issuer": "http://127.0.0.1:9/realms/grants", "grants_console_url": "https://console.test"}


def nowhere() -> str:
    return f"http://127.0.0.1:{free_port()}"  # nothing listens: a page that needs a service shows it is down


def console(**settings) -> TestClient:  # type: ignore[no-untyped-def]
    defaults = {"grants_env": "test", "applications_url": nowhere(), "disbursement_url": nowhere(),
                "audit_url": nowhere()}
    secure = settings.get("grants_env") == "production"
    return TestClient(create_app(Settings(**{**defaults, **settings})),
                      base_url="https://console.test" if secure else "http://console.test")


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]


def sign_in(client: TestClient, role: str, name: str) -> None:
    page = client.get("/signin")
    response = client.post("/signin", data={"csrf_token": csrf_of(page.text), "role": role, "name": name},
                           follow_redirects=False)
    assert response.status_code == 303, response.text

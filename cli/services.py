"""What the CLI knows about each service: its settings, app factory, database URLs, port and topics."""

import importlib
from dataclasses import dataclass

from pydantic import create_model
from pydantic_settings import BaseSettings

from shared.events import topic
from shared.settings import ServiceSettings

SERVICES = ("applications", "disbursement", "audit")
CONSOLE = "console"  # the web console: an app of pages over the three services, with no database or topics

# The topics each service publishes to through its outbox (what it reads is in its consumer specs). The
# Kafka ACLs of deploy/k8s and the production start-up check follow from these; the compose test checks
# them against the topics of the rows the services' outboxes actually hold.
PUBLISHES = {
    "applications": ("claims.v1", "control.v1", "batches.v1"),  # batches.v1: its access trail (grants.access.recorded)
    "disbursement": ("claims.v1", "payments.v1", "batches.v1", "control.v1"),
    "audit": ("checkpoints.v1", "control.v1"),
}
DEAD_LETTER = "deadletter.v1"


class _DatabaseOnly(BaseSettings):
    model_config = ServiceSettings.model_config


@dataclass(frozen=True)
class ServiceHandle:
    name: str

    def settings(self):  # type: ignore[no-untyped-def]
        return self._config().Settings()

    def database_url(self) -> str:
        return getattr(self.settings(), f"{self.name}_database_url")

    def database_urls(self) -> tuple[str, str]:
        """(the app's URL, the migration URL): read alone, so a migration needs only the database settings."""
        fields = {key: (info.annotation, info) for key, info in self._config().Settings.model_fields.items()
                  if key in (f"{self.name}_database_url", f"{self.name}_migration_database_url")}
        values = create_model(f"{self.name.title()}Databases", __base__=_DatabaseOnly, **fields)()  # type: ignore[call-overload]
        app_url = getattr(values, f"{self.name}_database_url")
        return app_url, getattr(values, f"{self.name}_migration_database_url") or app_url

    def port(self) -> int:
        return getattr(self.settings(), f"{self.name}_port")

    def create_app(self, **kwargs):  # type: ignore[no-untyped-def]
        return importlib.import_module(f"services.{self.name}.main").create_app(self.settings(), **kwargs)

    def tables(self):  # type: ignore[no-untyped-def]
        return importlib.import_module(f"services.{self.name}.db.tables")

    def topic_suffixes(self, runtime) -> list[str]:  # type: ignore[no-untyped-def]
        """Every topic the service reads or writes, the dead-letter topic included."""
        read = {suffix for spec in runtime.consumer_specs for suffix in spec.topic_suffixes}
        return sorted(read | set(PUBLISHES[self.name]) | {DEAD_LETTER})

    def topics(self, runtime) -> list[str]:  # type: ignore[no-untyped-def]
        return [topic(runtime.settings.grants_topic_prefix, s) for s in self.topic_suffixes(runtime)]

    def _config(self):  # type: ignore[no-untyped-def]
        return importlib.import_module(f"services.{self.name}.config")


def handle(name: str) -> ServiceHandle:
    if name not in SERVICES:
        raise SystemExit(f"unknown service {name!r}; one of {', '.join(SERVICES)}")
    return ServiceHandle(name)


def console_settings():  # type: ignore[no-untyped-def]
    return importlib.import_module("services.console.config").Settings()

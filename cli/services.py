"""What the CLI knows about each service: its settings, app factory, database URL and port."""

import importlib
from dataclasses import dataclass

SERVICES = ("applications", "disbursement", "audit")


@dataclass(frozen=True)
class ServiceHandle:
    name: str

    def settings(self):  # type: ignore[no-untyped-def]
        return importlib.import_module(f"services.{self.name}.config").Settings()

    def database_url(self) -> str:
        return getattr(self.settings(), f"{self.name}_database_url")

    def port(self) -> int:
        return getattr(self.settings(), f"{self.name}_port")

    def create_app(self, **kwargs):  # type: ignore[no-untyped-def]
        return importlib.import_module(f"services.{self.name}.main").create_app(self.settings(), **kwargs)

    def tables(self):  # type: ignore[no-untyped-def]
        return importlib.import_module(f"services.{self.name}.db.tables")


def handle(name: str) -> ServiceHandle:
    if name not in SERVICES:
        raise SystemExit(f"unknown service {name!r}; one of {', '.join(SERVICES)}")
    return ServiceHandle(name)

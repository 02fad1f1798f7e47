"""Applications service settings: the only place that reads its environment."""

from functools import lru_cache
from typing import ClassVar

from shared.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: ClassVar[str] = "applications"
    applications_database_url: str = "sqlite:///var/applications.db"
    # the owner role's URL, used by `grants migrate` alone (default: APPLICATIONS_DATABASE_URL)
    applications_migration_database_url: str | None = None
    applications_port: int = 8001


@lru_cache
def get_settings() -> Settings:
    return Settings()

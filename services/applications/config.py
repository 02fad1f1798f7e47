"""Applications service settings: the only place that reads its environment."""

from functools import lru_cache

from shared.settings import ServiceSettings


class Settings(ServiceSettings):
    applications_database_url: str = "sqlite:///var/applications.db"
    applications_port: int = 8001


@lru_cache
def get_settings() -> Settings:
    return Settings()

"""Audit service settings: the only place that reads its environment."""

from functools import lru_cache

from shared.settings import ServiceSettings


class Settings(ServiceSettings):
    audit_database_url: str = "sqlite:///var/audit.db"
    audit_port: int = 8003


@lru_cache
def get_settings() -> Settings:
    return Settings()

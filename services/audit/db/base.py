"""The audit service's SQLModel base: its own metadata, hence its own migration history."""

from shared.db import service_base

Base = service_base("Audit")

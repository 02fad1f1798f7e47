from alembic import context

from services.disbursement.db.tables import Base
from shared.migrations import run_env

run_env(context, Base.metadata)

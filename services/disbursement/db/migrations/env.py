from alembic import context

from services.disbursement.db import batch_tables  # noqa: F401 - registers the finance tables on Base
from services.disbursement.db.tables import Base
from shared.migrations import run_env

run_env(context, Base.metadata)

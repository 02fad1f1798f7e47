"""The disbursement service's access trail (shared.access_trail): what records into its access_log table."""

from services.disbursement.db.tables import access_log, outbox
from shared.access_trail import AccessTrail
from shared.events import DISBURSEMENT_SOURCE

trail = AccessTrail(table=access_log, outbox=outbox, source=DISBURSEMENT_SOURCE)

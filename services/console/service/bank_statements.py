"""Reconciling a bank statement: the officer's camt.053 statement (or camt.054 debit notification) goes to
disbursement as one document; what matched and what is left unmatched on either side comes back. A statement
changes no payment (a bank return does), so there is nothing to apply in chunks and no job: one request."""

from services.console.service.api_models import StatementReconciled
from services.console.service.backends import Backends


def reconcile(backends: Backends, data: bytes) -> StatementReconciled:
    return backends.disbursement.bank_statement(data)

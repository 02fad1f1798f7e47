"""The bank file of an approved batch: its payments, with payee accounts fetched from the applications
service (claim check), rendered as pain.001.001.09 by domain.payment_file.

A payment pays the account that was approved: when a claim's payee account no longer matches the
payee_ref recorded on its payment, the file is refused rather than silently paying another account.
The rendered bytes hold names and account numbers; they go to the caller only, never to a log.
"""

from datetime import UTC, date, datetime

from sqlmodel import Session

from services.disbursement.db.claim_source import ClaimSource
from services.disbursement.config import FundAccount
from services.disbursement.db import batch_repo, payments_repo
from services.disbursement.db.access_log import trail
from services.disbursement.domain import batch_states as bs
from services.disbursement.domain.payment_file import DebtorAccount, PaymentFileError, PaymentLine, render_pain001
from services.disbursement.domain.finance_errors import ApplicationsUnavailable, BatchState, PaymentFileUnavailable
from shared.access_trail import PAYMENT_FILE_DOWNLOAD
from shared.auth import Principal
from shared.china_time import business_day
from shared.consumer import RetryLater
from shared.identifiers import pseudonymise
from shared.logging import get_logger
from shared.errors import NotFound

log = get_logger("disbursement.payment_files")


def payment_file(session: Session, *, batch_id: str, source: ClaimSource, accounts: dict[str, FundAccount],
                 pii_key: str, reader: Principal, execution_date: date | None = None) -> bytes:
    """pain.001.001.09 bytes of an approved batch: one credit transfer per payment, EndToEndId = payment id.

    Every payment of the batch is in the file, whatever the bank later said about it: the file is the
    batch as approved (MsgId = batch id, so the bank recognises a second download as the same message)."""
    batch = batch_repo.batch(session, batch_id)
    if batch is None:
        raise NotFound(f"no batch {batch_id}")
    if batch.status != bs.APPROVED:
        raise BatchState(f"batch {batch_id} is {batch.status}; only an approved batch has a payment file")
    account = accounts.get(batch.fund)
    if account is None:
        raise PaymentFileUnavailable(f"no paying account is configured for fund {batch.fund} (GRANTS_FUND_ACCOUNTS)")
    payments = payments_repo.for_batch(session, batch_id)
    try:
        bodies = source.bodies([p.claim_id for p in payments])
    except RetryLater as exc:
        raise ApplicationsUnavailable(f"claim bodies cannot be fetched now: {exc}; try again") from None
    except LookupError as exc:
        raise PaymentFileUnavailable(str(exc)) from None
    lines = []
    for payment in payments:
        payee = bodies[payment.claim_id]["payee_account"]
        if pseudonymise(payee["account_number"], pii_key) != payment.payee_ref:
            raise PaymentFileUnavailable(
                f"the payee account of claim {payment.claim_id} changed after payment {payment.payment_id} was "
                "approved; this batch's file can no longer be produced as approved")
        lines.append(PaymentLine(payment_id=payment.payment_id, claim_id=payment.claim_id,
                                 programme=payment.programme, amount_fen=payment.amount_fen,
                                 payee_account_number=payee["account_number"], payee_name=payee["account_name"],
                                 payee_bank=payee["bank"]))
    now = datetime.now(UTC)
    when = execution_date or business_day(now)
    debtor = DebtorAccount(name=account.name, account_number=account.account_number, bank_name=account.bank_name)
    try:
        document = render_pain001(batch_id, lines, debtor, now, when)
    except PaymentFileError as exc:  # its messages name the payment and field, never the value
        raise PaymentFileUnavailable(str(exc)) from None
    # the download is on the access trail (shared.access_trail), committed with the request
    trail.record(session, reader, action=PAYMENT_FILE_DOWNLOAD, purpose="payment file for the bank", batch_id=batch_id,
                 fields=("payee_name", "payee_account", "payee_bank"))
    log.info("disbursement.payment_file_rendered", batch_id=batch_id, count=len(lines), execution_date=when.isoformat())
    return document

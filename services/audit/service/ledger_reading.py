"""Reading the ledger for auditors: pages of journal entries, balances per account, and the whole chain
as JSON Lines for `grants audit verify`."""

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session

from services.audit.db import anomaly_repo, ledger_reads
from services.audit.domain.balances import AccountBalance
from services.audit.domain.chain import ChainEntry
from services.audit.domain.export import entry_line

EntryFilter = ledger_reads.EntryFilter  # what GET /v1/ledger/entries filters by


def entries_page(session: Session, where: ledger_reads.EntryFilter, after: tuple[str, int] | None,
                 limit: int) -> list[ChainEntry]:
    """Up to `limit` entries in (fund, seq) order after the position `after`, matching `where`."""
    return ledger_reads.entries_page(session, where, after, limit)


def payment_refs(session: Session, entries: list[ChainEntry]) -> dict[str, tuple[str, str, str]]:
    """payment id -> (claim_id, batch_id, programme) of these entries' payments, as their issue named them."""
    return anomaly_repo.refs_of_payments(session, [e.payment_id for e in entries if e.payment_id])


def balances(session: Session, *, before: datetime, fund: str | None) -> list[AccountBalance]:
    """Debit and credit per account over the entries posted before `before`."""
    return ledger_reads.account_balances(session, before, fund)


def export_lines(engine: Engine, fund: str | None, *, chunk: int = 500) -> Iterator[str]:
    """The chain in (fund, seq) order as JSON Lines, `chunk` lines a piece.

    Its own session: a streamed response is still being written after the request's session has closed."""
    with Session(engine) as session:
        lines: list[str] = []
        for entry in ledger_reads.iter_chain(session, fund):
            lines.append(entry_line(entry))
            if len(lines) >= chunk:
                yield "".join(lines)
                lines = []
        if lines:
            yield "".join(lines)

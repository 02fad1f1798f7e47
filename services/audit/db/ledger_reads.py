"""Reading the ledger back: pages of entries, the whole chain in order (streamed), heads, balances."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.orm import Session

from services.audit.db.anomaly_tables import LedgerVerifiedPointRow, PaymentFactRow
from services.audit.db.ledger_repo import ENTRIES, HEADS, POSTINGS, postings_of, to_chain_entry
from services.audit.domain.accounts import fund_of
from services.audit.domain.balances import AccountBalance
from services.audit.domain.chain import ChainEntry, FundHead
from services.audit.domain.postings import Posting
from shared.bulk import among, insert_many

POINTS, FACTS = LedgerVerifiedPointRow.__table__, PaymentFactRow.__table__
STREAM_ROWS = 1000  # rows fetched per round trip when streaming the chain


@dataclass(frozen=True)
class EntryFilter:
    fund: str | None = None
    payment_id: str | None = None
    posted_from: datetime | None = None  # inclusive
    posted_before: datetime | None = None  # exclusive
    # what the entry's payment was issued for (payment_facts, from its grants.payment.issued event)
    claim_id: str | None = None
    batch_id: str | None = None
    programme: str | None = None


def entries_page(session: Session, where: EntryFilter, after: tuple[str, int] | None, limit: int) -> list[ChainEntry]:
    """Entries in (fund, seq) order after the keyset cursor `after`."""
    query = select(ENTRIES).where(*_conditions(where))
    if after is not None:
        query = query.where(or_(ENTRIES.c.fund > after[0], and_(ENTRIES.c.fund == after[0], ENTRIES.c.seq > after[1])))
    rows = session.execute(query.order_by(ENTRIES.c.fund, ENTRIES.c.seq).limit(limit)).all()
    postings = postings_of(session, [r.entry_id for r in rows])
    return [to_chain_entry(r, postings.get(r.entry_id, ())) for r in rows]


def iter_chain(session: Session, fund: str | None = None, after_seq: int = 0) -> Iterator[ChainEntry]:
    """Every entry with its postings (of one fund, from after_seq), each fund in seq order, in one streamed query.

    An outer join, so an entry whose postings were deleted still shows up (and fails its hash).
    """
    query = (select(ENTRIES, POSTINGS.c.account, POSTINGS.c.debit_fen, POSTINGS.c.credit_fen)
             .join(POSTINGS, POSTINGS.c.entry_id == ENTRIES.c.entry_id, isouter=True)
             .order_by(ENTRIES.c.fund, ENTRIES.c.seq, POSTINGS.c.id))
    if fund is not None:
        query = query.where(ENTRIES.c.fund == fund)
    if after_seq:
        query = query.where(ENTRIES.c.seq > after_seq)
    current, postings = None, []
    for row in session.execute(query.execution_options(yield_per=STREAM_ROWS)):
        if current is not None and row.entry_id != current.entry_id:
            yield to_chain_entry(current, tuple(postings))
            postings = []
        current = row
        if row.account is not None:
            postings.append(Posting(row.account, row.debit_fen, row.credit_fen))
    if current is not None:
        yield to_chain_entry(current, tuple(postings))


def entry_exists(session: Session, entry_id: str) -> bool:
    return session.execute(select(ENTRIES.c.entry_id).where(ENTRIES.c.entry_id == entry_id)).first() is not None


def entry_at(session: Session, fund: str, seq: int) -> ChainEntry | None:
    """The fund's entry at seq with its postings, or None."""
    row = session.execute(select(ENTRIES).where(ENTRIES.c.fund == fund, ENTRIES.c.seq == seq)).one_or_none()
    return None if row is None else to_chain_entry(row, postings_of(session, [row.entry_id]).get(row.entry_id, ()))


def verified_points(session: Session) -> dict[str, FundHead]:
    return {r.fund: FundHead(r.seq, r.hash) for r in session.execute(select(POINTS))}


def save_verified_points(session: Session, heads: dict[str, FundHead], at: datetime) -> None:
    """Remember each fund's verified head (replacing the last); a plain table, not the append-only ledger."""
    if heads:
        session.execute(delete(POINTS).where(among(session, POINTS.c.fund, sorted(heads))))
        insert_many(session, POINTS, [{"fund": f, "seq": h.seq, "hash": h.hash, "verified_at": at}
                                      for f, h in sorted(heads.items())])


def stored_heads(session: Session) -> dict[str, FundHead]:
    """Each fund's recorded head; a fund locked but never posted to (seq 0) has none."""
    rows = session.execute(select(HEADS).where(HEADS.c.seq > 0))
    return {r.fund: FundHead(r.seq, r.hash) for r in rows}


def account_balances(session: Session, before: datetime | None, fund: str | None) -> list[AccountBalance]:
    """Debit and credit totals per account over entries posted before `before` (all when None), by account."""
    query = (select(POSTINGS.c.account, func.sum(POSTINGS.c.debit_fen), func.sum(POSTINGS.c.credit_fen))
             .join(ENTRIES, ENTRIES.c.entry_id == POSTINGS.c.entry_id)
             .group_by(POSTINGS.c.account).order_by(POSTINGS.c.account))
    if before is not None:
        query = query.where(ENTRIES.c.posted_at < before)
    if fund is not None:
        query = query.where(ENTRIES.c.fund == fund)
    return [AccountBalance(account, fund_of(account), int(d), int(c)) for account, d, c in session.execute(query)]


def _conditions(where: EntryFilter) -> list:
    conditions = []
    if where.fund is not None:
        conditions.append(ENTRIES.c.fund == where.fund)
    if where.payment_id is not None:
        conditions.append(ENTRIES.c.payment_id == where.payment_id)
    if where.posted_from is not None:
        conditions.append(ENTRIES.c.posted_at >= where.posted_from)
    if where.posted_before is not None:
        conditions.append(ENTRIES.c.posted_at < where.posted_before)
    refs = [FACTS.c[name] == value for name, value in (("claim_id", where.claim_id), ("batch_id", where.batch_id),
                                                        ("programme", where.programme)) if value is not None]
    if refs:
        conditions.append(ENTRIES.c.payment_id.in_(select(FACTS.c.payment_id).where(*refs)))
    return conditions

"""GET /v1/ledger/…: the journal, balances, the chain's verification and its export (contract §5)."""

from datetime import UTC, datetime, timedelta

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, StreamingResponse

from services.audit.api.deps import DB, From, Moment, auditor, parse_moment, window
from services.audit.api.schemas import BalancePage, EntryPage, VerifyOut, balance_out, entry_out
from services.audit.domain.chain import format_utc
from services.audit.service import ledger_reading
from services.audit.service.ledger_verification import report_to_json, verify_ledger
from shared.pagination import decode_cursor, page_of, slice_page
from shared.web.query import Cursor, Limit

router = APIRouter(prefix="/v1/ledger", tags=["ledger"], dependencies=[Depends(auditor)])


@router.get("/entries", response_model=EntryPage)
def list_entries(db: DB, fund: str | None = None, payment_id: str | None = None, claim_id: str | None = None,
                 batch_id: str | None = None, programme: str | None = None, from_: From = None, to: Moment = None,
                 limit: Limit = 50, cursor: Cursor = None) -> EntryPage:
    """Journal entries in (fund, seq) order; from/to bound posted_at (inclusive); claim_id, batch_id and programme
    are those the entry's payment was issued for."""
    lower, upper = window(from_, to)
    where = ledger_reading.EntryFilter(fund, payment_id, lower, upper, claim_id, batch_id, programme)
    rows = ledger_reading.entries_page(db, where, decode_cursor(cursor, str, int), limit + 1)
    page, next_cursor = page_of(rows, limit, lambda entry: (entry.fund, entry.seq))
    refs = ledger_reading.payment_refs(db, page)
    return EntryPage(items=[entry_out(e, refs.get(e.payment_id or "")) for e in page], next_cursor=next_cursor)


@router.get("/balances", response_model=BalancePage)
def balances(db: DB, fund: str | None = None, as_of: Moment = None, limit: Limit = 50,
             cursor: Cursor = None) -> BalancePage:
    """Debit, credit and balance (debit minus credit) per account, over entries posted up to as_of."""
    before = parse_moment("as_of", as_of, end_of_day=True) or datetime.now(UTC)  # exclusive: as_of's next instant
    rows, next_cursor = slice_page(ledger_reading.balances(db, before=before, fund=fund), limit, cursor)
    return BalancePage(as_of=format_utc(before - timedelta(microseconds=1)), items=[balance_out(b) for b in rows],
                       next_cursor=next_cursor)


@router.get("/verify", response_model=VerifyOut)
def verify(db: DB, full: bool = False) -> JSONResponse:
    """Recompute each fund's hash chain from where it was last verified (from its first entry with full=true) and
    check it ends at the recorded heads; each fund's head and count (first_break only when broken)."""
    return JSONResponse(report_to_json(verify_ledger(db, full=full)))


@router.get("/export", response_class=StreamingResponse,
            responses={200: {"content": {"application/x-ndjson": {}}, "description": "JSON Lines"}})
def export(request: Request, fund: str | None = None) -> StreamingResponse:
    """The ledger as JSON Lines in (fund, seq) order, streamed; `grants audit verify FILE` checks it offline."""
    engine = request.app.state.runtime.engine
    return StreamingResponse(ledger_reading.export_lines(engine, fund), media_type="application/x-ndjson",
                             headers={"Content-Disposition": 'attachment; filename="ledger.jsonl"'})


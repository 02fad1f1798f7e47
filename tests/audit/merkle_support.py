"""Merkle log test support: the log read back, the log a chain should have built, huge logs built fast, files
an auditor saves, and the offline verifier run in process."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from cli import audit as audit_cli
from services.audit.db import ledger_repo
from services.audit.db.ledger_reads import iter_chain
from services.audit.db.merkle_tables import MerkleNodeRow
from services.audit.domain.accounts import expense_account, payable_account
from services.audit.domain.chain import FundHead, link
from services.audit.domain.entry_leaves import entry_leaf
from services.audit.domain.merkle import append_leaves
from services.audit.domain.postings import EntryDraft, Posting, entry_id_for

NODES = MerkleNodeRow.__table__


def stored_nodes(engine: Engine) -> dict[tuple[str, int, int], str]:
    with engine.connect() as conn:
        return {(r.fund, r.level, r.idx): r.hash for r in conn.execute(select(NODES))}


def nodes_of_the_chain(engine: Engine) -> dict[tuple[str, int, int], str]:
    """Every fund's log as built at once from its chain's entries in seq order."""
    by_fund: dict[str, list[bytes]] = {}
    with Session(engine) as session:
        for entry in iter_chain(session):
            by_fund.setdefault(entry.fund, []).append(entry_leaf(entry))
    return {(fund, level, idx): digest.hex() for fund, leaves in by_fund.items()
            for (level, idx), digest in append_leaves([], leaves)[0]}


def grow(engine: Engine, fund: str, size: int, chunk: int = 20_000, events: str = "ev") -> None:
    """Post issue entries to the fund through the ledger repository until its log holds `size` entries.

    Built as the service would write a huge consumed batch (drafts linked after the locked head, then
    ledger_repo.append), without a broker or per-event parsing: a 100,001-entry log in seconds. Entry seq s
    pays payment "<fund>-p<s>" for event "<events>-<fund>-<s>".
    Statistics are refreshed first, as autovacuum would: a pooled connection that checked a posting's
    foreign key while the ledger was tiny has cached a sequential scan for it, quadratic in a huge batch.
    """
    with Session(engine) as session:
        if engine.dialect.name == "postgresql":
            session.execute(text("ANALYZE ledger_entries"))
        while (head := ledger_repo.lock_head(session, fund)).seq < size:
            entries, last = [], head
            for seq in range(head.seq + 1, min(size, head.seq + chunk) + 1):
                event_id = f"{events}-{fund}-{seq}"
                draft = EntryDraft(entry_id_for(event_id), fund, event_id, f"{fund}-p{seq}", (
                    Posting(expense_account(fund, "hiring"), 100_000 + seq, 0),
                    Posting(payable_account(fund), 0, 100_000 + seq)), GROWN_AT + timedelta(seconds=seq))
                entries.append(entry := link(draft, last))
                last = FundHead(entry.seq, entry.hash)
            ledger_repo.append(session, entries, {fund: head})
            session.commit()


GROWN_AT = datetime(2024, 1, 1, tzinfo=UTC)


def saved(folder: Path, name: str, document: object) -> str:
    """Write a JSON document an auditor would have saved; returns its path."""
    path = folder / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


def run_audit_cli(capsys, *argv: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    """`grants audit …` in process: its exit code and what it printed (stderr when it failed)."""
    code = audit_cli.main(list(argv))
    printed = capsys.readouterr()
    return code, printed.err if code else printed.out

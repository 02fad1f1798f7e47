"""The database's own superuser rewrites history consistently; what an auditor saved earlier still catches it.

The intruder switches the append-only triggers off, changes the ledger, recomputes every chain hash and the
fund's head (GET /v1/ledger/verify is fooled) and rebuilds the fund's Merkle log from the rewritten entries.
Only the signing key is out of reach. A checkpoint and proofs saved before the rewrite then refuse it with
`grants audit verify-consistency` and `verify-inclusion`, run offline as an auditor would.
"""

from contextlib import contextmanager
from dataclasses import replace

import pytest
from sqlalchemy import bindparam, delete, text, update
from sqlmodel import Session

from services.audit.db import merkle_repo
from services.audit.db.ledger_reads import iter_chain
from services.audit.db.ledger_tables import FundHeadRow, LedgerEntryRow
from services.audit.db.merkle_tables import MerkleNodeRow
from services.audit.domain.chain import GENESIS_HASH, entry_hash
from tests.audit.domain.factories import UI
from tests.audit.merkle_support import grow, run_audit_cli, saved
from tests.support import auth

pytestmark = pytest.mark.parametrize("audit_url", ["postgres"], indirect=True)
AUDITOR = auth("auditor", "auditor-1")
ENTRIES, HEADS, NODES = LedgerEntryRow.__table__, FundHeadRow.__table__, MerkleNodeRow.__table__


@contextmanager
def as_superuser(engine):  # type: ignore[no-untyped-def]
    """One transaction with the ledger's triggers off (session_replication_role skips ordinary triggers)."""
    with engine.begin() as conn:
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        yield conn


def rewrite_consistently(conn, fund: str) -> None:  # type: ignore[no-untyped-def]
    """Recompute the fund's chain and head, and rebuild its Merkle log, from its entries as they now are."""
    session = Session(bind=conn)
    prev, rebuilt = GENESIS_HASH, []
    for entry in iter_chain(session, fund):
        digest = entry_hash(prev, entry.fund, entry.seq, entry.entry_id, entry.event_id, entry.payment_id,
                            entry.postings, entry.posted_at)
        rebuilt.append(replace(entry, prev_hash=prev, hash=digest))
        prev = digest
    conn.execute(update(ENTRIES).where(ENTRIES.c.entry_id == bindparam("id"))
                 .values(prev_hash=bindparam("p"), hash=bindparam("h")),
                 [{"id": e.entry_id, "p": e.prev_hash, "h": e.hash} for e in rebuilt])
    conn.execute(update(HEADS).where(HEADS.c.fund == fund).values(seq=len(rebuilt), hash=prev))
    conn.execute(delete(NODES).where(NODES.c.fund == fund))
    merkle_repo.append_leaves(session, rebuilt)


class Auditor:
    """What an auditor fetches and keeps, and the offline verifier they run on it."""

    def __init__(self, client, tmp_path, capsys):  # type: ignore[no-untyped-def]
        self.client, self.folder, self.capsys, self.count = client, tmp_path, capsys, 0
        self.key = self.keep(self.get("/v1/ledger/public-key").json())

    def get(self, path: str, **params: object):  # type: ignore[no-untyped-def]
        return self.client.get(path, params=params, headers=AUDITOR)

    def keep(self, document: object) -> str:
        self.count += 1
        return saved(self.folder, f"saved-{self.count}.json", document)

    def checkpoint(self) -> tuple[str, dict]:
        response = self.client.post("/v1/ledger/checkpoints", json={"fund": UI}, headers=AUDITOR)
        (doc,) = response.json()["items"]
        return self.keep(doc), doc

    def entry(self, seq: int) -> tuple[str, dict]:
        (doc,) = self.get("/v1/ledger/entries", payment_id=f"{UI}-p{seq}").json()["items"]
        return self.keep(doc), doc

    def inclusion(self, entry_id: str, size: int) -> str:
        return self.keep(self.get("/v1/ledger/proofs/inclusion", entry_id=entry_id, size=size).json())

    def consistency(self, first: int, second: int) -> str:
        return self.keep(self.get("/v1/ledger/proofs/consistency", fund=UI, **{"from": first, "to": second}).json())

    def verify(self, *argv: str) -> tuple[int, str]:
        return run_audit_cli(self.capsys, *argv, "--key", self.key)


def test_an_entry_edited_and_rechained_fails_consistency_and_its_inclusion(keyed_client, engine, tmp_path, capsys):
    auditor = Auditor(keyed_client, tmp_path, capsys)
    grow(engine, UI, 10)
    earlier, _ = auditor.checkpoint()
    with as_superuser(engine) as conn:
        conn.execute(text(  # a thousand yuan more on both sides: the entry still balances
            "UPDATE ledger_postings SET debit_fen = CASE WHEN debit_fen > 0 THEN debit_fen + 100000 ELSE 0 END, "
            "credit_fen = CASE WHEN credit_fen > 0 THEN credit_fen + 100000 ELSE 0 END "
            "WHERE entry_id = (SELECT entry_id FROM ledger_entries WHERE fund = :f AND seq = 4)"), {"f": UI})
        rewrite_consistently(conn, UI)
    assert keyed_client.get("/v1/ledger/verify", headers=AUDITOR).json()["ok"] is True  # the chain is fooled
    same_size, _ = auditor.checkpoint()
    code, reason = auditor.verify("verify-consistency", earlier, same_size, auditor.consistency(10, 10))
    assert code == 1 and "two different roots for the same size 10" in reason, reason
    grow(engine, UI, 12)  # the service carries on, signing the rewritten log
    later, later_doc = auditor.checkpoint()
    entry, entry_doc = auditor.entry(4)

    code, reason = auditor.verify("verify-consistency", earlier, later, auditor.consistency(10, 12))
    assert code == 1 and "earlier root" in reason, reason
    code, reason = auditor.verify("verify-inclusion", entry, auditor.inclusion(entry_doc["entry_id"], 10), earlier)
    assert code == 1 and "does not lead to the signed root" in reason, reason
    # Against the forged checkpoint alone the forgery is coherent: only what was saved earlier exposes it.
    assert auditor.verify("verify-inclusion", entry, auditor.inclusion(entry_doc["entry_id"], 12), later)[0] == 0


def test_a_deleted_tail_fails_consistency_whether_the_log_shrinks_or_regrows(keyed_client, engine, tmp_path,
                                                                           capsys):
    auditor = Auditor(keyed_client, tmp_path, capsys)
    grow(engine, UI, 10)
    earlier, _ = auditor.checkpoint()
    last, last_doc = auditor.entry(10)
    last_proof = auditor.inclusion(last_doc["entry_id"], 10)
    with as_superuser(engine) as conn:
        tail = "(SELECT entry_id FROM ledger_entries WHERE fund = :f AND seq > 8)"
        conn.execute(text(f"DELETE FROM ledger_postings WHERE entry_id IN {tail}"), {"f": UI})
        conn.execute(text("DELETE FROM ledger_entries WHERE fund = :f AND seq > 8"), {"f": UI})
        rewrite_consistently(conn, UI)
    assert keyed_client.get("/v1/ledger/verify", headers=AUDITOR).json()["ok"] is True
    shrunk, _ = auditor.checkpoint()
    code, reason = auditor.verify("verify-consistency", earlier, shrunk, auditor.keep({"fund": UI, "first": 10,
                                                                                       "second": 8,
                                                                                       "consistency_path": []}))
    assert code == 1 and "the log shrank: 10 entries signed earlier, 8 now" in reason, reason
    assert auditor.get("/v1/ledger/proofs/consistency", fund=UI, **{"from": 10, "to": 8}).status_code == 422
    assert auditor.get("/v1/ledger/proofs/inclusion", entry_id=last_doc["entry_id"], size=8).status_code == 404

    grow(engine, UI, 11, events="other")  # other entries bring the log back past its old size
    regrown, _ = auditor.checkpoint()
    code, reason = auditor.verify("verify-consistency", earlier, regrown, auditor.consistency(10, 11))
    assert code == 1 and "earlier root" in reason, reason
    code, reason = auditor.verify("verify-inclusion", last, last_proof, regrown)
    assert code == 1 and "tree size differs" in reason, reason


def test_a_checkpoint_signed_with_another_key_is_refused(keyed_client, engine, tmp_path, capsys):
    from services.audit.db import checkpoint_repo
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from services.audit.domain.checkpoints import Signer, from_json

    auditor = Auditor(keyed_client, tmp_path, capsys)
    grow(engine, UI, 6)
    _, genuine = auditor.checkpoint()
    intruder = Signer(Ed25519PrivateKey.generate())
    forged_root = bytes.fromhex("ab" * 32)
    forged, signature = intruder.checkpoint(UI, 6, forged_root, from_json(genuine)[0].issued_at)
    with Session(engine) as session:  # stored beside the genuine one, as an intruder could
        checkpoint_repo.add(session, forged, signature)
        checkpoint_repo.add(session, replace(forged, key_id=genuine["key_id"]), signature)
        session.commit()
    listed = auditor.get("/v1/ledger/checkpoints", fund=UI).json()["items"]
    naming_the_log, naming_itself = listed[0], listed[1]
    entry, entry_doc = auditor.entry(2)
    proof = auditor.inclusion(entry_doc["entry_id"], 6)
    code, reason = auditor.verify("verify-inclusion", entry, proof, auditor.keep(naming_itself))
    assert code == 1 and f"names signing key {intruder.key_id}" in reason, reason
    code, reason = auditor.verify("verify-inclusion", entry, proof, auditor.keep(naming_the_log))
    assert code == 1 and "signature does not verify" in reason, reason
    assert auditor.verify("verify-inclusion", entry, proof, auditor.keep(genuine))[0] == 0

"""GET /v1/ledger/…: entries, balances, verify (and tampering caught), export verified offline."""

from datetime import timedelta

from cli import audit as audit_cli
from tests.audit.domain.factories import EU, T0, UI, issued_event, outcome_event
from tests.audit.support import feed
from tests.audit.tampering import tamper
from tests.support import auth

AUDITOR = auth("auditor", "auditor-1")


def two_funds(payments: int = 6) -> list[dict]:
    """Issues alternating between two funds, one hour apart; even ones settled, p2 failed."""
    events = []
    for i in range(payments):
        fund, programme = (UI, "skill_upgrade") if i % 2 else (EU, "hiring")
        at = T0 + timedelta(hours=i)
        events.append(issued_event(f"p{i}", fund=fund, programme=programme, amount=f"{1000 + i}.00",
                                   issued_at=at.isoformat()))
        if i % 2 == 0:
            events.append(outcome_event(f"p{i}", settled=i != 2, fund=fund, amount=f"{1000 + i}.00",
                                        at=at + timedelta(days=1)))
    return events


def test_entries_are_balanced_single_fund_and_paginate_in_fund_and_seq_order(client, engine):
    feed(engine, two_funds())
    seen, cursor = [], None
    while True:
        page = client.get("/v1/ledger/entries", params={"limit": 2, **({"cursor": cursor} if cursor else {})},
                          headers=AUDITOR).json()
        seen += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert [(e["fund"], e["seq"]) for e in seen] == [(EU, s) for s in range(1, 7)] + [(UI, s) for s in range(1, 4)]
    for entry in seen:
        assert sum(float(p["debit"]) for p in entry["postings"]) == sum(float(p["credit"]) for p in entry["postings"])
        assert all(p["account"].startswith(entry["fund"] + ":") for p in entry["postings"])
    assert seen[0]["postings"][0] == {"account": f"{EU}:expense:hiring", "debit": "1000.00", "credit": "0.00"}


def test_entries_filter_by_payment_fund_and_posting_time(client, engine):
    feed(engine, two_funds())
    by_payment = client.get("/v1/ledger/entries", params={"payment_id": "p2"}, headers=AUDITOR).json()["items"]
    assert [e["event_id"] for e in by_payment] == ["ev-issued-p2", "ev-failed-p2"]
    window = {"fund": UI, "from": (T0 + timedelta(hours=2)).isoformat(), "to": (T0 + timedelta(hours=3)).isoformat()}
    assert [e["payment_id"] for e in client.get("/v1/ledger/entries", params=window, headers=AUDITOR).json()["items"]
            ] == ["p3"]
    assert client.get("/v1/ledger/entries", params={"from": "2023-11-01T09:00:00"}, headers=AUDITOR).status_code == 422


def test_balances_as_of_a_day_count_only_what_was_posted_by_then(client, engine):
    feed(engine, two_funds())
    first_day = client.get("/v1/ledger/balances", params={"fund": EU, "as_of": "2023-11-01"}, headers=AUDITOR).json()
    assert first_day["as_of"] == "2023-11-01T15:59:59.999999Z"  # the end of that day in China
    assert {b["account"]: b["balance"] for b in first_day["items"]} == {
        f"{EU}:expense:hiring": "3006.00", f"{EU}:payable": "-3006.00"}
    later = client.get("/v1/ledger/balances", params={"fund": EU}, headers=AUDITOR).json()["items"]
    assert {b["account"]: b["balance"] for b in later} == {
        f"{EU}:bank": "-2004.00", f"{EU}:expense:hiring": "2004.00", f"{EU}:payable": "0.00"}


def test_verify_recomputes_the_chain_and_reports_the_head(client, engine):
    feed(engine, two_funds())
    body = client.get("/v1/ledger/verify", headers=AUDITOR).json()
    assert body["ok"] is True and body["entries"] == 9 and len(body["head"]) == 64
    assert "first_break" not in body


def test_an_amount_edited_in_the_database_fails_verification_at_that_entry(client, engine):
    feed(engine, two_funds())
    target = client.get("/v1/ledger/entries", params={"payment_id": "p4"}, headers=AUDITOR).json()["items"][0]
    changed = tamper(engine, "UPDATE ledger_postings SET debit_fen = 900000 WHERE entry_id = :e AND debit_fen > 0",
                     e=target["entry_id"])
    assert changed == 1
    body = client.get("/v1/ledger/verify", headers=AUDITOR).json()
    assert body["ok"] is False and body["head"] is None
    brk = body["first_break"]
    assert (brk["entry_id"], brk["fund"], brk["seq"], brk["reason"]) == (
        target["entry_id"], target["fund"], target["seq"], "hash_mismatch")


def test_deleting_a_funds_last_entry_is_caught_by_its_recorded_head(client, engine):
    feed(engine, two_funds())
    tamper(engine, "DELETE FROM ledger_postings WHERE entry_id IN "
                   "(SELECT entry_id FROM ledger_entries WHERE fund = :f AND seq = 3)", f=UI)
    tamper(engine, "DELETE FROM ledger_entries WHERE fund = :f AND seq = 3", f=UI)
    brk = client.get("/v1/ledger/verify", headers=AUDITOR).json()["first_break"]
    assert (brk["fund"], brk["seq"], brk["reason"]) == (UI, 3, "head_mismatch")


def test_the_export_streams_every_entry_and_verifies_offline_with_the_same_head(client, engine, tmp_path, capsys):
    feed(engine, two_funds())
    response = client.get("/v1/ledger/export", headers=AUDITOR)
    assert response.headers["content-type"].startswith("application/x-ndjson")
    path = tmp_path / "ledger.jsonl"
    path.write_bytes(response.content)
    assert len(response.text.splitlines()) == 9
    assert audit_cli.main(["verify", str(path), "--without-checkpoint"]) == 0
    offline = capsys.readouterr().out
    assert client.get("/v1/ledger/verify", headers=AUDITOR).json()["head"] in offline


def test_verify_goes_on_from_the_last_verified_point_and_reports_each_funds_head_and_count(client, engine):
    feed(engine, two_funds())
    first = client.get("/v1/ledger/verify", headers=AUDITOR).json()
    assert (first["ok"], first["entries"], first["checked"], first["full"]) == (True, 9, 9, False)
    assert [(f["fund"], f["count"], f["verified_from"]) for f in first["funds"]] == [(EU, 6, 0), (UI, 3, 0)]
    assert all(len(f["head"]) == 64 for f in first["funds"])
    feed(engine, [outcome_event("p5", fund=UI, amount="1005.00")])
    again = client.get("/v1/ledger/verify", headers=AUDITOR).json()
    assert (again["ok"], again["entries"], again["checked"]) == (True, 10, 1)  # only the new entry is read
    assert [(f["fund"], f["count"], f["verified_from"]) for f in again["funds"]] == [(EU, 6, 6), (UI, 4, 3)]
    full = client.get("/v1/ledger/verify", params={"full": "true"}, headers=AUDITOR).json()
    assert (full["ok"], full["checked"], full["head"]) == (True, 10, again["head"])


def test_an_old_entry_edited_after_verification_is_found_by_a_full_verification(client, engine, monkeypatch, capsys,
                                                                                audit_url):
    feed(engine, two_funds())
    assert client.get("/v1/ledger/verify", headers=AUDITOR).json()["ok"] is True
    tamper(engine, "UPDATE ledger_postings SET debit_fen = 900000 WHERE debit_fen > 0 AND entry_id IN "
                   "(SELECT entry_id FROM ledger_entries WHERE fund = :f AND seq = 1)", f=UI)
    assert client.get("/v1/ledger/verify", headers=AUDITOR).json()["ok"] is True  # before the verified point
    brk = client.get("/v1/ledger/verify", params={"full": "true"}, headers=AUDITOR).json()["first_break"]
    assert (brk["fund"], brk["seq"], brk["reason"]) == (UI, 1, "hash_mismatch")
    monkeypatch.setenv("AUDIT_DATABASE_URL", audit_url)
    from services.audit.config import get_settings
    get_settings.cache_clear()
    assert audit_cli.main(["verify-ledger", "--full"]) == 1
    assert '"reason": "hash_mismatch"' in capsys.readouterr().out
    assert audit_cli.main(["verify-ledger"]) == 0
    get_settings.cache_clear()


def test_the_entry_at_the_verified_point_edited_fails_even_an_incremental_verification(client, engine):
    feed(engine, two_funds())
    assert client.get("/v1/ledger/verify", headers=AUDITOR).json()["ok"] is True
    tamper(engine, "UPDATE ledger_postings SET debit_fen = debit_fen + 1 WHERE debit_fen > 0")
    brk = client.get("/v1/ledger/verify", headers=AUDITOR).json()["first_break"]
    assert brk["reason"] == "verified_point_mismatch"


def test_entries_carry_their_claim_batch_and_programme_and_filter_by_them(client, engine):
    feed(engine, two_funds() + [issued_event("p9", claim_id="claim-9", batch_id="b9", programme="skill_upgrade")])
    [entry] = client.get("/v1/ledger/entries", params={"claim_id": "claim-9"}, headers=AUDITOR).json()["items"]
    assert (entry["payment_id"], entry["claim_id"], entry["batch_id"], entry["programme"]) == (
        "p9", "claim-9", "b9", "skill_upgrade")
    by_batch = client.get("/v1/ledger/entries", params={"batch_id": "b1"}, headers=AUDITOR).json()["items"]
    assert len(by_batch) == 9 and {e["batch_id"] for e in by_batch} == {"b1"}
    hiring = client.get("/v1/ledger/entries", params={"programme": "hiring"}, headers=AUDITOR).json()["items"]
    assert {e["payment_id"] for e in hiring} == {"p0", "p2", "p4"} and {e["fund"] for e in hiring} == {EU}
    assert client.get("/v1/ledger/entries", params={"batch_id": "b0"}, headers=AUDITOR).json()["items"] == []

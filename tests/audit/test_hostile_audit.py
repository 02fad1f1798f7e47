"""Issue 12 point 9 in the audit: a budget for a fund that does not exist is a 404; `grants audit verify`
reports an amount like 1e30 as malformed and refuses an export cut short or empty, comparing it with the
log's signed checkpoints; a 405 names the methods allowed."""

import json

import pytest

from tests.audit.domain.factories import UI
from tests.audit.merkle_support import grow, run_audit_cli, saved
from tests.support import auth

AUDITOR, ADMIN = auth("auditor", "auditor-1"), auth("admin", "admin-1")


def test_a_budget_for_a_fund_the_catalog_does_not_hold_is_a_404_and_not_stored(client):
    r = client.put("/v1/budgets/no_such_fund/2026", json={"amount": "100.00"}, headers=ADMIN)
    assert r.status_code == 404, r.text
    known = client.put(f"/v1/budgets/{UI}/2026", json={"amount": "100.00"}, headers=ADMIN)
    assert known.status_code == 200, known.text


def test_a_405_carries_allow(client):
    r = client.post("/v1/anomalies", headers=AUDITOR)
    assert r.status_code == 405 and "GET" in r.headers["allow"], r.headers


@pytest.fixture
def export(keyed_client, engine, tmp_path):  # type: ignore[no-untyped-def]
    """Five entries of UI, signed at 5 (a page of checkpoints, as the API serves it), exported, and the key."""
    grow(engine, UI, 5)
    page = keyed_client.post("/v1/ledger/checkpoints", json={"fund": UI}, headers=AUDITOR).json()
    lines = keyed_client.get("/v1/ledger/export", headers=AUDITOR).text.splitlines(keepends=True)
    key = saved(tmp_path, "key.json", keyed_client.get("/v1/ledger/public-key", headers=AUDITOR).json())
    return {"lines": lines, "checkpoint": saved(tmp_path, "checkpoints.json", page), "key": key, "dir": tmp_path}


def _verify(capsys, export, lines, *extra):  # type: ignore[no-untyped-def]
    path = export["dir"] / "ledger.jsonl"
    path.write_text("".join(lines), encoding="utf-8")
    return run_audit_cli(capsys, "verify", str(path), *extra)


def _signed(export):  # type: ignore[no-untyped-def]
    return ("--checkpoint", export["checkpoint"], "--key", export["key"])


def test_the_whole_export_verifies_against_its_checkpoint(export, capsys):
    code, out = _verify(capsys, export, export["lines"], *_signed(export))
    assert code == 0 and json.loads(out)["ok"] is True, out


def test_an_export_cut_short_is_refused(export, capsys):
    code, err = _verify(capsys, export, export["lines"][:-2], *_signed(export))
    assert code == 1 and "incomplete" in err and "cut short" in err, err


def test_an_empty_export_is_refused(export, capsys):
    code, err = _verify(capsys, export, [], *_signed(export))
    assert code == 1 and "empty" in err, err
    code, err = _verify(capsys, export, [], "--without-checkpoint")
    assert code == 1 and "empty" in err, err


def test_without_a_checkpoint_verify_says_what_it_needs(export, capsys):
    code, err = _verify(capsys, export, export["lines"])
    assert code == 1 and "--checkpoint" in err


def test_an_amount_of_1e30_is_malformed_not_a_crash(export, capsys):
    lines = list(export["lines"])
    doc = json.loads(lines[-1])
    doc["postings"][0]["debit"] = "1e30"
    lines[-1] = json.dumps(doc) + "\n"
    code, err = _verify(capsys, export, lines, *_signed(export))
    assert code == 1 and "malformed" in err, err


def test_an_edited_entry_under_the_checkpoint_does_not_rebuild_its_root(export, capsys):
    lines = list(export["lines"])
    doc = json.loads(lines[1])
    doc["event_id"] = "forged"
    lines[1] = json.dumps(doc) + "\n"
    code, err = _verify(capsys, export, lines, *_signed(export))
    assert code == 1, err

import argparse
import json

import pytest

from services.audit.domain.chain import verify
from services.audit.domain.export import entry_from_json, entry_to_json, read_export, verify_file, write_export
from cli import audit as audit_cli
from tests.audit.domain.ledger_builders import sample_entries


@pytest.fixture
def exported(tmp_path):
    entries = sample_entries(10)
    path = tmp_path / "ledger.jsonl"
    with path.open("w", encoding="utf-8") as out:
        assert write_export(entries, out) == len(entries)
    return path, entries


def rewrite_line(path, index, change):
    lines = path.read_text(encoding="utf-8").splitlines()
    doc = json.loads(lines[index])
    change(doc)
    lines[index] = json.dumps(doc)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_an_exported_ledger_round_trips_and_verifies_like_the_live_one(exported):
    path, entries = exported
    with path.open(encoding="utf-8") as lines:
        assert list(read_export(lines)) == entries
    assert verify_file(path) == verify(entries)
    assert verify_file(path).ok


def test_exported_items_have_the_contract_shape_with_money_as_two_place_strings(exported):
    _, entries = exported
    doc = entry_to_json(entries[0])
    assert set(doc) == {"entry_id", "seq", "fund", "event_id", "payment_id", "postings", "prev_hash", "hash",
                        "posted_at"}
    assert doc["postings"][0] == {"account": entries[0].postings[0].account, "debit": "1000.00", "credit": "0.00"}
    assert entry_from_json(doc) == entries[0]


def test_an_edited_amount_in_the_file_fails_at_that_entry(exported):
    path, entries = exported
    rewrite_line(path, 5, lambda doc: doc["postings"][0].update(debit="9999.00"))
    result = verify_file(path)
    assert not result.ok and result.entries == 6
    assert (result.first_break.entry_id, result.first_break.reason) == (entries[5].entry_id, "hash_mismatch")


def test_an_unreadable_line_is_the_break(exported):
    path, entries = exported
    rewrite_line(path, 3, lambda doc: doc.pop("hash"))
    result = verify_file(path)
    brk = result.first_break
    assert brk is not None and brk.reason == "malformed" and "line 4" in brk.detail
    assert (brk.fund, brk.seq, brk.entry_id) == (entries[3].fund, entries[3].seq, entries[3].entry_id)


def test_not_json_at_all_is_malformed(tmp_path):
    path = tmp_path / "junk.jsonl"
    path.write_text("{not json\n", encoding="utf-8")
    assert verify_file(path).first_break.reason == "malformed"  # type: ignore[union-attr]


def test_cli_verify_exits_0_and_prints_the_result_for_an_intact_file(exported, capsys):
    path, entries = exported
    assert audit_cli.main(["verify", str(path), "--without-checkpoint"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert body == {"ok": True, "entries": len(entries), "head": verify(entries).head}


def test_cli_verify_exits_1_naming_the_first_broken_link(exported, capsys):
    path, entries = exported
    rewrite_line(path, 2, lambda doc: doc.update(event_id="forged"))
    assert audit_cli.main(["verify", str(path), "--without-checkpoint"]) == 1
    captured = capsys.readouterr()
    body = json.loads(captured.out)
    assert body["ok"] is False and body["first_break"]["entry_id"] == entries[2].entry_id
    assert entries[2].entry_id in captured.err


def test_cli_verify_exits_2_for_a_missing_file(tmp_path, capsys):
    assert audit_cli.main(["verify", str(tmp_path / "absent.jsonl"), "--without-checkpoint"]) == 2


def test_add_parser_registers_audit_verify_on_the_grants_command(exported):
    path, _ = exported
    parser = argparse.ArgumentParser(prog="grants")
    audit_cli.add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["audit", "verify", str(path), "--without-checkpoint"])
    assert args.func(args) == 0

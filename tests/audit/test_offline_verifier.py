"""`grants audit verify-inclusion` and `verify-consistency`: what the API serves checks out with no database,
and anything that does not hold is exit 1 with the reason."""

import json

import pytest

from tests.audit.domain.factories import UI
from tests.audit.merkle_support import grow, run_audit_cli, saved
from tests.support import auth

AUDITOR = auth("auditor", "auditor-1")


@pytest.fixture
def files(keyed_client, engine, tmp_path):  # type: ignore[no-untyped-def]
    """What an auditor saves: the key, entry 4 of 11, its proof, and checkpoints at 3 and 11 with their proof."""
    def get(path: str, **params: object) -> dict:
        return keyed_client.get(path, params=params, headers=AUDITOR).json()

    def sign() -> dict:
        return keyed_client.post("/v1/ledger/checkpoints", json={"fund": UI}, headers=AUDITOR).json()["items"][0]

    grow(engine, UI, 3)
    old = sign()
    grow(engine, UI, 11)
    new = sign()
    (entry,) = get("/v1/ledger/entries", payment_id=f"{UI}-p4")["items"]
    public_key = get("/v1/ledger/public-key")
    return {
        "key": saved(tmp_path, "key.json", public_key), "old": saved(tmp_path, "old.json", old),
        "new": saved(tmp_path, "new.json", new), "entry": saved(tmp_path, "entry.json", entry),
        "inclusion": saved(tmp_path, "inclusion.json", get("/v1/ledger/proofs/inclusion",
                                                           entry_id=entry["entry_id"], size=11)),
        "consistency": saved(tmp_path, "consistency.json", get("/v1/ledger/proofs/consistency", fund=UI,
                                                               **{"from": 3, "to": 11})),
        "pem": str(_pem(tmp_path, public_key["public_key"])),
    }


def _pem(folder, text: str):  # type: ignore[no-untyped-def]
    (folder / "key.pem").write_text(text)
    return folder / "key.pem"


def test_an_entrys_inclusion_proof_checks_out_offline(files, capsys):
    for key in (files["pem"], files["key"]):  # the PEM, or GET /v1/ledger/public-key saved as it came
        code, out = run_audit_cli(capsys, "verify-inclusion", files["entry"], files["inclusion"], files["new"],
                                  "--key", key)
        assert code == 0, out
        result, signed = json.loads(out), json.loads(open(files["new"]).read())
        assert (result["ok"], result["fund"], result["seq"], result["tree_size"], result["root"]) == (
            True, UI, 4, 11, signed["root"])


def test_a_later_checkpoint_checks_out_as_extending_an_earlier_one(files, capsys):
    code, out = run_audit_cli(capsys, "verify-consistency", files["old"], files["new"], files["consistency"],
                              "--key", files["pem"])
    assert code == 0, out
    assert (json.loads(out)["first"], json.loads(out)["second"]) == (3, 11)


def edit(path: str, change) -> None:  # type: ignore[no-untyped-def]
    with open(path) as f:
        doc = json.load(f)
    change(doc)
    with open(path, "w") as f:
        json.dump(doc, f)


@pytest.mark.parametrize("case, reason", [
    ("an amount edited", "does not lead to the signed root"),
    ("the proof of another size", "tree size differs"),
    ("the checkpoint's root edited", "signature does not verify"),
    ("another key", "names signing key"),
    ("an unreadable proof", "cannot read"),
])
def test_an_inclusion_that_does_not_hold_exits_1_with_the_reason(files, capsys, tmp_path, log_key, case, reason):
    checkpoint = files["new"]
    if case == "an amount edited":
        edit(files["entry"], lambda e: e["postings"][0].update(debit="999999.00"))
    elif case == "the proof of another size":
        checkpoint = files["old"]
    elif case == "the checkpoint's root edited":
        edit(checkpoint, lambda c: c.update(root="00" * 32))
    elif case == "another key":
        from services.audit.service.signing_key import write_new_key

        _pem(tmp_path, write_new_key(tmp_path / "other.pem").public_pem)
    else:
        with open(files["inclusion"], "w") as f:
            f.write("{not json")
    code, err = run_audit_cli(capsys, "verify-inclusion", files["entry"], files["inclusion"], checkpoint,
                              "--key", files["pem"])
    assert code == 1 and reason in err, err


@pytest.mark.parametrize("case, reason", [
    ("swapped", "the log shrank"),
    ("a path node changed", "does not lead"),
    ("the newer root edited", "signature does not verify"),
])
def test_a_consistency_that_does_not_hold_exits_1_with_the_reason(files, capsys, case, reason):
    old, new = files["old"], files["new"]
    if case == "swapped":
        old, new = new, old
    elif case == "a path node changed":
        edit(files["consistency"], lambda p: p["consistency_path"].__setitem__(0, "11" * 32))
    else:
        edit(new, lambda c: c.update(root="00" * 32))
    code, err = run_audit_cli(capsys, "verify-consistency", old, new, files["consistency"], "--key", files["pem"])
    assert code == 1 and reason in err, err

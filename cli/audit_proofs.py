"""`grants audit verify-inclusion` / `verify-consistency` / `keygen`: the Merkle log checked offline, no database.

    grants audit verify-inclusion ENTRY.json PROOF.json CHECKPOINT.json --key PUB
    grants audit verify-consistency OLD.json NEW.json PROOF.json --key PUB
    grants audit keygen FILE

ENTRY is an item of GET /v1/ledger/entries, PROOF the body of GET /v1/ledger/proofs/…, CHECKPOINT an
item of GET /v1/ledger/checkpoints, PUB the log's public key (PEM, or the body of GET /v1/ledger/public-key).
Prints the result as JSON and exits 0 when everything holds; otherwise exit 1 with the reason on stderr.
keygen writes a new Ed25519 signing key (PEM, mode 0600) for AUDIT_CHECKPOINT_KEY_FILE and prints its public key.
"""

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from services.audit.domain.checkpoints import load_public_key
from services.audit.domain.proof_files import check_consistency, check_inclusion


def add_commands(commands: Any) -> None:
    raw = {"description": __doc__, "formatter_class": argparse.RawDescriptionHelpFormatter}
    inclusion = commands.add_parser("verify-inclusion", help="check an entry's inclusion proof against a checkpoint",
                                    **raw)
    for name in ("entry", "proof", "checkpoint"):
        inclusion.add_argument(name, metavar=f"{name.upper()}.json")
    consistency = commands.add_parser("verify-consistency", help="check that a newer checkpoint extends an older one",
                                      **raw)
    for name in ("old", "new", "proof"):
        consistency.add_argument(name, metavar=f"{name.upper()}.json")
    for command, func in ((inclusion, run_inclusion), (consistency, run_consistency)):
        command.add_argument("--key", required=True, metavar="PUB", help="the log's public key")
        command.set_defaults(func=func)
    keygen = commands.add_parser("keygen", help="write a new checkpoint signing key", **raw)
    keygen.add_argument("file", metavar="FILE")
    keygen.set_defaults(func=run_keygen)


def run_inclusion(args: argparse.Namespace) -> int:
    return _checked("verify-inclusion", lambda: check_inclusion(
        _json(args.entry), _json(args.proof), _json(args.checkpoint), load_key(args.key)))


def run_consistency(args: argparse.Namespace) -> int:
    return _checked("verify-consistency", lambda: check_consistency(
        _json(args.old), _json(args.new), _json(args.proof), load_key(args.key)))


def run_keygen(args: argparse.Namespace) -> int:
    from services.audit.service.signing_key import write_new_key

    try:
        signer = write_new_key(Path(args.file))
    except OSError as exc:
        print(f"grants audit keygen: cannot write {args.file}: {exc}", file=sys.stderr)
        return 1
    print(json.dumps({"key_id": signer.key_id, "public_key": signer.public_pem}))
    return 0


def _checked(command: str, check: Any) -> int:
    try:
        result = check()
    except (OSError, ValueError) as exc:  # ProofFailed, CheckpointInvalid and unreadable JSON are ValueErrors
        print(f"grants audit {command}: FAILED: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(result))
    return 0


def _json(path: str) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"cannot read {path}: {exc}") from exc


def load_key(path: str):  # type: ignore[no-untyped-def]
    text = Path(path).read_text(encoding="utf-8")
    if text.lstrip().startswith("{"):  # saved straight from GET /v1/ledger/public-key
        text = json.loads(text).get("public_key", "")
    return load_public_key(text)

"""`grants audit verify FILE --checkpoint CHECKPOINT.json --key PUB`: verify an exported ledger (JSON Lines)
without the service running (`grants audit verify-ledger [--full]` verifies the one in the audit database).

The hash chain is recomputed, and the export compared with the signed checkpoint(s) (an item, or a whole
page, of GET /v1/ledger/checkpoints; --checkpoint may be repeated, one per fund): each fund's first `size`
entries must rebuild the signed root, so a file cut short is refused, not taken for a shorter ledger.
`--without-checkpoint` checks the chain alone (it cannot tell a whole export from a cut one). An empty
export never verifies. Prints the verify result as JSON; exit 0 when everything holds, 1 with the first
break (a malformed line, an amount like 1e30, a cut, a root that differs), 2 when a file cannot be read.
Also runnable as `python -m cli.audit verify FILE ...`.
"""

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from cli import audit_proofs
from services.audit.domain import checkpoints
from services.audit.domain.export import result_to_json, verify_file
from services.audit.domain.export_heads import SignedHeads


def add_parser(subparsers: Any) -> None:
    """Register `audit verify FILE` (and the Merkle log's commands) on the grants command's subparsers; each
    handler is set as `func`."""
    _add_commands(subparsers.add_parser("audit", help="audit ledger tools"))


def _add_commands(audit: argparse.ArgumentParser) -> None:
    commands = audit.add_subparsers(dest="audit_command", metavar="COMMAND", required=True)
    verify = commands.add_parser("verify", help="recompute the hash chain of an exported ledger file",
                                 description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    verify.add_argument("file", metavar="FILE", help="ledger export, one JSON entry per line")
    verify.add_argument("--checkpoint", action="append", default=[], metavar="CHECKPOINT.json",
                        help="a signed checkpoint (or a page of them) the export must hold and match")
    verify.add_argument("--key", metavar="PUB", help="the log's public key (PEM, or GET /v1/ledger/public-key)")
    verify.add_argument("--without-checkpoint", action="store_true",
                        help="check the hash chain only: a file cut short is not detected")
    verify.set_defaults(func=run_verify)
    ledger = commands.add_parser("verify-ledger", help="verify the ledger in the audit database (AUDIT_DATABASE_URL)",
                                 description="Recompute each fund's hash chain from where it was last verified, or "
                                             "from its first entry with --full; prints the GET /v1/ledger/verify "
                                             "body; exit 0 when it holds, 1 when broken.")
    ledger.add_argument("--full", action="store_true", help="re-verify every fund from its first entry")
    ledger.set_defaults(func=run_verify_ledger)
    audit_proofs.add_commands(commands)


def run_verify(args: argparse.Namespace) -> int:
    if not args.checkpoint and not args.without_checkpoint:
        print("grants audit verify: pass --checkpoint CHECKPOINT.json --key PUB (GET /v1/ledger/checkpoints): "
              "without a signed checkpoint an export cut short cannot be told from a whole one "
              "(--without-checkpoint checks the chain alone)", file=sys.stderr)
        return 1
    try:
        heads = signed_heads(args.checkpoint, args.key) if args.checkpoint else None
    except ValueError as exc:  # CheckpointInvalid, a key that does not load
        print(f"grants audit verify: FAILED: {exc}", file=sys.stderr)
        return 1
    except (OSError, UnicodeDecodeError) as exc:
        print(f"grants audit verify: cannot read a checkpoint or the key: {exc}", file=sys.stderr)
        return 2
    try:
        result = verify_file(args.file, heads)
    except (OSError, UnicodeDecodeError) as exc:
        print(f"grants audit verify: cannot read {args.file}: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(result_to_json(result), ensure_ascii=False))
    if not result.ok and result.first_break is not None:
        b = result.first_break
        print(f"chain broken at fund {b.fund} seq {b.seq} entry {b.entry_id}: {b.reason} ({b.detail})",
              file=sys.stderr)
    return 0 if result.ok else 1


def run_verify_ledger(args: argparse.Namespace) -> int:
    from services.audit.config import get_settings
    from services.audit.service.ledger_verification import report_to_json, verify_ledger
    from shared.db import make_engine, unit_of_work

    engine = make_engine(get_settings().audit_database_url)
    try:
        with unit_of_work(engine) as session:
            report = verify_ledger(session, full=args.full)
            body = report_to_json(report)
    finally:
        engine.dispose()
    print(json.dumps(body, ensure_ascii=False))
    return 0 if report.result.ok else 1


def signed_heads(paths: list[str], key_path: str | None) -> SignedHeads:
    """The checkpoints of the files given (each a checkpoint or a page with `items`), each signature checked."""
    if key_path is None:
        raise ValueError("--checkpoint needs --key PUB, the log's public key")
    key = audit_proofs.load_key(key_path)
    found = []
    for path in paths:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
        found += [checkpoints.verified(item, key) for item in (doc["items"] if isinstance(doc, dict) and "items" in doc
                                                                else [doc])]
    return SignedHeads(found)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="grants audit")
    _add_commands(parser)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

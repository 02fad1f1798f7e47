"""`grants audit verify FILE`: verify an exported ledger (JSON Lines) without the service running;
`grants audit verify-ledger [--full]`: verify the ledger in the audit database.

Prints the verify result as JSON; exit 0 when the chain holds, 1 with the first broken link,
2 when the file cannot be read. Also runnable as `python -m cli.audit verify FILE`.
"""

import argparse
import json
import sys
from typing import Any

from cli import audit_proofs
from services.audit.domain.export import result_to_json, verify_file


def add_parser(subparsers: Any) -> None:
    """Register `audit verify FILE` (and the Merkle log's commands) on the grants command's subparsers; each
    handler is set as `func`."""
    _add_commands(subparsers.add_parser("audit", help="audit ledger tools"))


def _add_commands(audit: argparse.ArgumentParser) -> None:
    commands = audit.add_subparsers(dest="audit_command", metavar="COMMAND", required=True)
    verify = commands.add_parser("verify", help="recompute the hash chain of an exported ledger file",
                                 description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    verify.add_argument("file", metavar="FILE", help="ledger export, one JSON entry per line")
    verify.set_defaults(func=run_verify)
    ledger = commands.add_parser("verify-ledger", help="verify the ledger in the audit database (AUDIT_DATABASE_URL)",
                                 description="Recompute each fund's hash chain from where it was last verified, or "
                                             "from its first entry with --full; prints the GET /v1/ledger/verify "
                                             "body; exit 0 when it holds, 1 when broken.")
    ledger.add_argument("--full", action="store_true", help="re-verify every fund from its first entry")
    ledger.set_defaults(func=run_verify_ledger)
    audit_proofs.add_commands(commands)


def run_verify(args: argparse.Namespace) -> int:
    try:
        result = verify_file(args.file)
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="grants audit")
    _add_commands(parser)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

"""`grants audit verify FILE`: verify an exported ledger (JSON Lines) without the service running.

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="grants audit")
    _add_commands(parser)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())

"""`grants deadletter list SERVICE [--all]` and `grants deadletter redrive SERVICE (--id ID ... | --all)
[--actor NAME]`: the dead letters a service's consumers parked, with their error, and sending them back to be
applied once what they needed is fixed (shared.redrive)."""

import argparse
import getpass
import sys
from typing import Any, TextIO

from cli.services import SERVICES, handle
from shared import dead_letter_records
from shared.consumer import IdempotentConsumer
from shared.redrive import Redriver


def add_parser(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Register `deadletter list` and `deadletter redrive`; the parsed args carry `handler(args) -> int`."""
    dead = subparsers.add_parser("deadletter", help="dead-lettered events: list them, redrive them")
    commands = dead.add_subparsers(dest="deadletter_command", required=True)
    listing = commands.add_parser("list", help="the open dead letters of a service, oldest first, with their error")
    listing.add_argument("service", choices=SERVICES)
    listing.add_argument("--all", action="store_true", help="the redriven ones too")
    listing.set_defaults(handler=lambda args: list_dead_letters(args.service, args.all))
    redrive = commands.add_parser("redrive", help="apply dead letters again (after fixing what they needed)")
    redrive.add_argument("service", choices=SERVICES)
    which = redrive.add_mutually_exclusive_group(required=True)
    which.add_argument("--id", action="append", dest="ids", metavar="ID",
                       help="a dead letter's id as `list` shows it, or the event id a log line names (repeatable)")
    which.add_argument("--all", action="store_true", help="every open dead letter")
    redrive.add_argument("--actor", help="who redrives, recorded with each attempt (default: the OS user)")
    redrive.set_defaults(handler=lambda args: redrive_dead_letters(args.service, args.ids, args.actor))


def _runtime(service: str) -> Any:
    return handle(service).create_app(run_workers=False).state.runtime


def list_dead_letters(service: str, include_redriven: bool, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    runtime = _runtime(service)
    try:
        rows = dead_letter_records.listed(runtime.engine, handle(service).tables().dead_letters,
                                          include_redriven=include_redriven)
    finally:
        runtime.engine.dispose()
    for row in rows:
        print(f"{row.id}\t{row.status}\t{row.dead_lettered_at.isoformat()}\t{row.consumer}\t"
              f"{row.event_type or '-'}\t{row.event_id or '-'}\t"
              f"{row.source_topic}[{row.source_partition}]@{row.source_offset}\t{_line(row.error)}", file=out)
        if row.redrive_attempts:
            last = f"redriven by {row.redriven_by} at {row.redriven_at.isoformat()}"
            if row.redrive_error:
                last += f", failed again: {_line(row.redrive_error)}"
            print(f"\t{row.redrive_attempts} attempt(s), last {last}", file=out)
    print(f"{len(rows)} dead letter(s)" + ("" if include_redriven else " open"), file=out)
    return 0


def redrive_dead_letters(service: str, ids: list[str] | None, actor: str | None, out: TextIO | None = None) -> int:
    """Exit 0 when every dead letter named was applied (or found applied); 1 when one failed again or a
    transient failure stopped the redrive (run it again), 2 when an id named is not an open dead letter."""
    out = out or sys.stdout
    runtime = _runtime(service)
    table = handle(service).tables().dead_letters
    consumers = [w for w in runtime.build_workers().workers if isinstance(w, IdempotentConsumer)]
    redriver = Redriver(runtime.engine, table, runtime.inbox, consumers)
    try:
        wanted, unknown = _resolve(runtime.engine, table, ids)
        done = redriver.redrive(wanted, actor or getpass.getuser()) if wanted != [] else []
    except Exception as exc:  # noqa: BLE001 - a transient failure: what was redriven stays so; say what stopped it
        print(f"grants deadletter redrive: stopped, nothing more changed: {type(exc).__name__}: {_line(str(exc))}",
              file=sys.stderr)
        return 1
    finally:
        runtime.engine.dispose()
    for result in done:
        print(f"{result.dead_letter_id}\t{result.event_id or '-'}\t{result.outcome}"
              + (f"\t{_line(result.error)}" if result.error else ""), file=out)
    unknown += [str(i) for i in sorted(set(wanted or ()) - {r.dead_letter_id for r in done})]
    for name in unknown:
        print(f"grants deadletter redrive: {name} is not an open dead letter", file=sys.stderr)
    print(f"{sum(r.outcome in ('applied', 'already_applied') for r in done)} of {len(done)} redriven", file=out)
    return 1 if any(r.outcome == "failed" for r in done) else 2 if unknown else 0


def _resolve(engine: Any, table: Any, ids: list[str] | None) -> tuple[list[int] | None, list[str]]:
    """(the dead-letter ids named, None for all; the names that match no open dead letter). A name of digits
    is a dead letter's id; any other an event id."""
    if ids is None:
        return None, []
    numbers = [int(i) for i in ids if i.isdigit()]
    by_event = dead_letter_records.open_ids_of_events(engine, table, [i for i in ids if not i.isdigit()])
    unknown = [i for i in ids if not i.isdigit() and i not in by_event]
    return numbers + [n for found in by_event.values() for n in found], unknown


def _line(text: str, limit: int = 300) -> str:
    return " ".join(text.split())[:limit]

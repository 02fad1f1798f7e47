"""The `grants` console script."""

import argparse
import sys

from cli import audit, catalog, commands, deadletters
from cli.services import CONSOLE, SERVICES, handle
from shared.auth import ROLES
from shared.kafka_clients import MissingTopics


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="grants", description="Employment-subsidy claims, payments and audit.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("up", help="migrate, start the broker if none is configured, run all services until Ctrl-C")
    mig = sub.add_parser("migrate", help="apply the Alembic migrations of all three services (or those named)")
    mig.add_argument("services", nargs="*", metavar="SERVICE",
                     help=f"one of {', '.join(SERVICES)}; default: all")
    mig.add_argument("--check", action="store_true",
                     help="change nothing; exit 1 unless each database is at its latest migration")
    tok = sub.add_parser("token", help="print a signed access token for the local deployment")
    tok.add_argument("--role", required=True, choices=ROLES)
    tok.add_argument("--sub", required=True)
    tok.add_argument("--name")
    tok.add_argument("--ttl", type=int, default=3600, help="seconds (default 3600)")
    serve = sub.add_parser("serve", help="run one service's HTTP API (and its workers), or the web console")
    serve.add_argument("service", choices=(*SERVICES, CONSOLE))
    serve.add_argument("--no-workers", action="store_true", help="run the relay and consumers elsewhere")
    serve.add_argument("--processes", type=int, default=1, help="HTTP worker processes (default 1)")
    work = sub.add_parser("worker", help="run one service's outbox relay and consumers, without its API")
    work.add_argument("service", choices=SERVICES)
    only = work.add_mutually_exclusive_group()
    only.add_argument("--relay-only", action="store_true", help="the outbox relay alone (the singleton)")
    only.add_argument("--no-relay", action="store_true", help="the consumers alone (scaled out)")
    prb = sub.add_parser("probe", help="exit 0 if URL answers 200 (container healthchecks)")
    prb.add_argument("url")
    outbox = sub.add_parser("outbox", help="outbox maintenance")
    outbox_sub = outbox.add_subparsers(dest="outbox_command", required=True)
    rep = outbox_sub.add_parser("replay", help="re-send published events (after a broker lost its topics)")
    rep.add_argument("service", choices=SERVICES)
    rep.add_argument("--since", help="ISO timestamp; default: every event")
    catalog.add_parser(sub)
    audit.add_parser(sub)
    deadletters.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    delegated = getattr(args, "handler", None) or getattr(args, "func", None)
    if delegated is not None:
        return int(delegated(args) or 0)
    if args.command == "up":
        from cli.supervisor import run_up

        return run_up()
    try:
        return _run(args)
    except MissingTopics as exc:
        print(f"grants {args.command}: {exc}", file=sys.stderr)
        return 1


def _run(args: argparse.Namespace) -> int:
    if args.command == "migrate":
        services = [handle(name).name for name in args.services] or list(SERVICES)
        if args.check:
            behind = commands.schemas_behind(services)
            for name in behind:
                print(f"grants migrate --check: {name} is not at its latest migration", file=sys.stderr)
            return 1 if behind else 0
        commands.migrate_all(services=services)
    elif args.command == "token":
        try:
            print(commands.token(args.role, args.sub, args.name, args.ttl))
        except ValueError as exc:
            print(f"grants token: {exc}", file=sys.stderr)
            return 2
    elif args.command == "serve" and args.service == CONSOLE:
        commands.serve_console()
    elif args.command == "serve":
        commands.serve(args.service, workers=not args.no_workers, processes=args.processes)
    elif args.command == "worker":
        commands.worker(args.service, "relay" if args.relay_only else "consumers" if args.no_relay else "all")
    elif args.command == "probe":
        return commands.probe(args.url)
    elif args.command == "outbox":
        print(f"{commands.replay_outbox(args.service, args.since)} events marked for re-sending")
    return 0


if __name__ == "__main__":
    sys.exit(main())

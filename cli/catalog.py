"""`grants catalog lint [--path DIR]`: validate the policy catalog and print every programme with its
clause, fund and amounts; a broken catalog exits 1 with `file:line: path: message` for each fault.
"""

import argparse
import sys
from typing import TextIO

from shared.catalog import CatalogError, load_catalog
from shared.catalog.catalog import Catalog
from shared.catalog.schema_rules import Rate
from shared.catalog.schema_common import parse_parameter_value
from shared.money import format_fen


def add_parser(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Register `catalog lint`; the parsed args carry `handler(args) -> int` to call."""
    catalog = subparsers.add_parser("catalog", help="the policy catalog")
    commands = catalog.add_subparsers(dest="catalog_command", required=True)
    lint_parser = commands.add_parser("lint", help="validate the catalog; print each programme's clause, fund and amounts")
    lint_parser.add_argument("--path", help="catalog directory holding index.yaml and policies/ (default: the shipped one)")
    lint_parser.set_defaults(handler=lambda args: lint(args.path))


def _values(catalog: Catalog, parameter_id: str) -> str:
    parameter = catalog.parameter(parameter_id)
    if not parameter.values:
        return f"UNSET ({parameter.source}; {parameter_id})"
    shown = []
    for dated in parameter.values:
        value = parse_parameter_value(parameter.unit, dated.value)
        text = format_fen(int(value)) if parameter.unit == "fen" else str(value)
        shown.append(f"{text} ({dated.describe_dates()})")
    return "; ".join(shown)


def _rate_lines(catalog: Catalog, rate: Rate, indent: str) -> list[str]:
    if rate.parameter is not None:
        return [f"{indent}{_values(catalog, rate.parameter)}"]
    if rate.by_value is not None:
        return [f"{indent}{t.tier} ({rate.by_value.by} = {t.equals}): {_values(catalog, t.parameter)}" for t in rate.by_value.tiers]
    if rate.by_ratio is not None:
        spec = rate.by_ratio
        return [f"{indent}{t.tier} ({spec.numerator}/{spec.denominator} in [{t.lower}, {t.below if t.below is not None else '...'})): "
                f"{_values(catalog, t.parameter)}" for t in spec.tiers]
    if rate.share is not None:
        base = rate.share.of or _values(catalog, rate.share.of_parameter or "")
        return [f"{indent}share of {base}:", *_rate_lines(catalog, rate.share.ratio, indent + "  ")]
    if rate.capped is not None:
        return [f"{indent}{rate.capped.fact}, at most:", *_rate_lines(catalog, rate.capped.cap, indent + "  ")]
    multiple = rate.multiple
    return [f"{indent}{_values(catalog, multiple.factor)} x {_values(catalog, multiple.of)}"]


def describe(catalog: Catalog) -> list[str]:
    lines = []
    for policy in catalog.policies.values():
        lines.append(f"{policy.policy_id} [{policy.status}] period {policy.period.describe()}")
        for programme in policy.programmes:
            period = (programme.period or policy.period).describe()
            draft = f" | draft until {programme.activation} is active" if programme.activation else ""
            lines.append(f"  {programme.code} {programme.name} | clause {programme.clause} | fund {programme.fund.code} | {period}{draft}")
            if programme.qualifying_after is not None:
                lines.append(f"    qualifies {programme.qualifying_after.months} months after {programme.qualifying_date}")
            units = programme.amount.units
            if units is None:
                per = ""
            elif units.multiply:
                per = f" x {units.rule or units.fact}" + (f" / {units.per_rate}" if units.per_rate > 1 else "")
            else:
                per = f" per claim (counting {units.fact})"
            if units is not None and units.months is not None:
                window = f", within {units.months.window.months} months of qualifying" if units.months.window else ""
                per += f" (calendar months {'from ' + units.months.start if units.months.start else 'ending ' + (units.months.end or '')}{window})"
            lines.append(f"    amount{per}:")
            lines += _rate_lines(catalog, programme.amount.rate, "      ")
            for cap in programme.caps:
                limit = f" {_values(catalog, cap.limit)}" if cap.limit else ""
                lines.append(f"    cap {cap.kind}{limit} over {', '.join(cap.programmes)} by {', '.join(cap.same)} ({cap.clause})")
        for group in policy.exclusive_groups:
            lines.append(f"  exclusive: {' / '.join(group.programmes)} by {', '.join(group.same)} ({group.clause})")
    return lines


def lint(path: str | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Validate and describe the catalog; 0 when sound, 1 with every fault on stderr otherwise."""
    out, err = out or sys.stdout, err or sys.stderr
    try:
        catalog = load_catalog(path)
    except CatalogError as exc:
        for fault in exc.faults:
            print(str(fault), file=err)
        print(f"catalog lint: {len(exc.faults)} fault(s)", file=err)
        return 1
    for line in describe(catalog):
        print(line, file=out)
    print(f"catalog OK: {len(catalog.policies)} policies, {len(catalog.programmes())} programmes, hash {catalog.content_hash}", file=out)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="grants")
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())

"""`python -m bench.table [results.json]`: the README's performance table (Markdown) from a bench run's results."""

import json
import sys
from pathlib import Path
from typing import Any

from bench.harness import RESULTS


def _n(value: float) -> str:
    """Three significant digits at most, thousands separated: 12,964 · 0.65 · 0.00131."""
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def _spread(row: dict[str, Any], unit: str = "") -> str:
    return f"{_n(row['median'])}{unit} ({_n(row['min'])}–{_n(row['max'])})"


def _met(met: bool | None) -> str:
    return {True: "yes", False: "**no**", None: ""}[met]


def machine(results: dict[str, Any]) -> str:
    m = results["machine"]
    return (f"Python loop of 10 million additions {m['python_loop_10m_s']:.2f} s · nproc {m['nproc']} · "
            f"PostgreSQL {m['postgresql'].split()[0]} · broker {m['broker']} · kafka-python {m['kafka_python']} · "
            f"load average {m['load_average_at_start']:.1f} at the start, {m['load_average_at_end']:.1f} at the end "
            f"(commit {results['commit']}, {results['date'][:10]})")


def table(results: dict[str, Any]) -> str:
    lines = ["| benchmark | figure | median (min–max) | reference, same run | reference median | ratio (min–max) "
             "| target | met |", "|---|---|---|---|---|---|---|---|"]
    for row in results["figures"]:
        head = f"| {row['benchmark']} | {row['figure']} | {_spread(row, ' ' + row['unit'])} |"
        absolute = f"{row['target']} {row['unit']} (absolute)" if row["target"] else ""
        if not row["references"]:
            lines.append(f"{head} — | | | {absolute} | {_met(row['met'])} |")
        for i, ref in enumerate(row["references"]):
            start = head if i == 0 else "| | | |"
            target, met = (f"{ref['target_ratio']}×", ref["met"]) if ref["target_ratio"] else \
                ((absolute, row["met"]) if i == 0 else ("", None))
            lines.append(f"{start} {ref['reference']} | {_n(ref['median'])} {ref['unit']} | "
                         f"{_spread(ref['ratio'], '×')} | {target} | {_met(met)} |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    results = json.loads(Path(argv[0] if argv else RESULTS).read_text())
    print(f"Machine: {machine(results)}\n")
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

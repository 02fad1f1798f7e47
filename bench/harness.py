"""Runs benchmarks several times and reports median/min/max against each figure's target."""

import json
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).parent / "results.json"


@dataclass(frozen=True)
class Figure:
    """One measured number of one run: `higher_is_better` decides how the target is read."""

    name: str
    unit: str
    value: float
    target: float | None
    higher_is_better: bool = True


@dataclass
class Benchmark:
    id: str
    what: str
    run: Callable[[], list[Figure]]
    runs: int = 3
    figures: dict[str, list[Figure]] = field(default_factory=dict)


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def run_all(benchmarks: list[Benchmark]) -> list[dict]:
    rows = []
    for bench in benchmarks:
        print(f"== {bench.id}: {bench.what} ({bench.runs} runs)", flush=True)
        started = time.monotonic()
        for i in range(bench.runs):
            for fig in bench.run():
                bench.figures.setdefault(fig.name, []).append(fig)
                print(f"   run {i + 1}: {fig.name} = {fig.value:,.2f} {fig.unit}", flush=True)
        for name, figs in bench.figures.items():
            values = [f.value for f in figs]
            median = statistics.median(values)
            target, better = figs[0].target, figs[0].higher_is_better
            met = None if target is None else (median >= target if better else median <= target)
            rows.append({"benchmark": bench.id, "figure": name, "unit": figs[0].unit, "median": round(median, 3),
                         "min": round(min(values), 3), "max": round(max(values), 3), "runs": len(values),
                         "target": None if target is None else f"{'≥' if better else '≤'} {target:g}",
                         "met": met, "commit": _commit(), "date": datetime.now(UTC).isoformat(timespec="seconds")})
        print(f"   ({time.monotonic() - started:.1f} s)", flush=True)
    return rows


def report(rows: list[dict]) -> None:
    RESULTS.write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
    print(f"\n{'benchmark':<8} {'figure':<34} {'median':>12} {'min':>12} {'max':>12}  {'target':<12} met")
    for r in rows:
        met = {True: "yes", False: "NO", None: "-"}[r["met"]]
        print(f"{r['benchmark']:<8} {r['figure'] + ' (' + r['unit'] + ')':<34} {r['median']:>12,.2f} "
              f"{r['min']:>12,.2f} {r['max']:>12,.2f}  {r['target'] or '-':<12} {met}")
    print(f"\nwritten to {RESULTS}")

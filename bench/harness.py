"""Runs benchmarks several times and judges each figure by its ratio to a reference measured in the same run.

An absolute throughput says as much about the machine as about the design (the same commit ran four
times slower on a slower machine), so a figure carries references: what a plain tool does with the same
work on the same machine in the same run (OpenFisca on the same claims, a one-row FastAPI endpoint, raw
kafka-python, a plain COPY or GROUP BY). The ratio of each run is figure ÷ reference of that run, and
the target is a ratio. Figures without a reference (latency, memory, projections) keep absolute targets.

BENCH_QUICK=1 shrinks every benchmark (bench.harness.sized) and runs each once, to check the mechanics;
its results go to var/bench/results-quick.json, never over bench/results.json.
"""

import json
import os
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.machine import machine_line

QUICK = os.environ.get("BENCH_QUICK") == "1"
RESULTS = Path("var/bench/results-quick.json") if QUICK else Path(__file__).parent / "results.json"


def sized(full: int, quick: int) -> int:
    """A benchmark's size: `quick` under BENCH_QUICK=1, else `full`."""
    return quick if QUICK else full


@dataclass(frozen=True)
class Reference:
    """A plain tool's figure for the same work, measured in the same run; a figure's unit ÷ this one's is
    the ratio (so a reference in msgs/s beside claims/s is first turned into claims/s by the benchmark)."""

    name: str
    unit: str
    value: float
    target_ratio: float | None = None


@dataclass(frozen=True)
class Figure:
    """One measured number of one run: `higher_is_better` decides how its target and its ratios are read."""

    name: str
    unit: str
    value: float
    target: float | None = None  # absolute: only for a figure no reference judges
    higher_is_better: bool = True
    references: tuple[Reference, ...] = ()


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


def _rounded(value: float) -> float:
    return float(f"{value:.5g}")  # five significant digits: a ratio of 0.0012 keeps its digits


def _spread(values: list[float]) -> dict[str, float]:
    return {"median": _rounded(statistics.median(values)), "min": _rounded(min(values)),
            "max": _rounded(max(values))}


def _judged(target: float | None, better: bool, median: float) -> tuple[str | None, bool | None]:
    if target is None:
        return None, None
    return f"{'≥' if better else '≤'} {target:g}", median >= target if better else median <= target


def _row(bench: Benchmark, figs: list[Figure]) -> dict[str, Any]:
    first, values = figs[0], [f.value for f in figs]
    target, met = _judged(first.target, first.higher_is_better, statistics.median(values))
    references = []
    for i, ref in enumerate(first.references):
        refs = [f.references[i].value for f in figs]
        ratios = [f.value / f.references[i].value for f in figs]  # run by run: the same run's reference
        target_ratio, ratio_met = _judged(ref.target_ratio, first.higher_is_better, statistics.median(ratios))
        references.append({"reference": ref.name, "unit": ref.unit, **_spread(refs), "ratio": _spread(ratios),
                           "target_ratio": target_ratio, "met": ratio_met})
    return {"benchmark": bench.id, "figure": first.name, "unit": first.unit, **_spread(values), "runs": len(values),
            "target": target, "met": met, "references": references}


def run_all(benchmarks: list[Benchmark]) -> dict[str, Any]:
    machine = machine_line()
    print(f"machine: {describe(machine)}", flush=True)
    rows = []
    for bench in benchmarks:
        runs = 1 if QUICK else bench.runs
        print(f"== {bench.id}: {bench.what} ({runs} run{'s' if runs > 1 else ''})", flush=True)
        started = time.monotonic()
        for i in range(runs):
            for fig in bench.run():
                bench.figures.setdefault(fig.name, []).append(fig)
                print(f"   run {i + 1}: {fig.name} = {fig.value:,.2f} {fig.unit}", flush=True)
                for ref in fig.references:
                    print(f"          ÷ {ref.name} = {ref.value:,.2f} {ref.unit}: {fig.value / ref.value:.3g}",
                          flush=True)
        rows += [_row(bench, figs) for figs in bench.figures.values()]
        print(f"   ({time.monotonic() - started:.1f} s)", flush=True)
    return {"commit": _commit(), "date": datetime.now(UTC).isoformat(timespec="seconds"), "quick": QUICK,
            "machine": {**machine, "load_average_at_end": round(os.getloadavg()[0], 2)}, "figures": rows}


def describe(machine: dict[str, Any]) -> str:
    return (f"Python loop of 10M additions {machine['python_loop_10m_s']:.2f} s, nproc {machine['nproc']}, "
            f"PostgreSQL {machine['postgresql']}, broker {machine['broker']}, "
            f"load average {machine['load_average_at_start']:.2f} at start")


def _mark(met: bool | None) -> str:
    return {True: "yes", False: "NO", None: "-"}[met]


def report(results: dict[str, Any]) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"\nmachine: {describe(results['machine'])}")
    print(f"\n{'benchmark':<8} {'figure':<52} {'median':>12} {'min':>12} {'max':>12}  {'target':<10} met")
    for r in results["figures"]:
        print(f"{r['benchmark']:<8} {r['figure'] + ' (' + r['unit'] + ')':<52} {r['median']:>12,.2f} "
              f"{r['min']:>12,.2f} {r['max']:>12,.2f}  {r['target'] or '-':<10} {_mark(r['met'])}")
        for ref in r["references"]:
            ratio = ref["ratio"]
            print(f"{'':<10}÷ {ref['reference'] + ' (' + ref['unit'] + ')':<50} {ref['median']:>12,.2f}  "
                  f"ratio {ratio['median']:.3g} ({ratio['min']:.3g}–{ratio['max']:.3g})  "
                  f"{ref['target_ratio'] or '-':<10} {_mark(ref['met'])}")
    print(f"\nwritten to {RESULTS}")

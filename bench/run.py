"""`make bench`: every benchmark, several runs each, a table and bench/results.json."""

import sys

from bench import decide_bench, intake_bench, rules_bench
from bench.harness import Benchmark, report, run_all

BENCHMARKS = [
    Benchmark("rules", "pure engine, 10k people with history", rules_bench.run),
    Benchmark("intake", "HTTP claim intake, applications on PostgreSQL", intake_bench.run),
    Benchmark("decide", "claims submitted -> decided, through Kafka", decide_bench.run),
]


def main(argv: list[str]) -> int:
    chosen = [b for b in BENCHMARKS if not argv or b.id in argv]
    report(run_all(chosen))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

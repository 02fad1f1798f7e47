"""`make bench`: every benchmark, several runs each, a table and bench/results.json."""

import sys

from bench import (anomaly_bench, bank_return_bench, batch_bench, decide_bench, e2e_bench, intake_bench,
                   ledger_bench, proof_bench, recon_bench, rules_bench)
from bench.harness import Benchmark, report, run_all

BENCHMARKS = [
    Benchmark("rules", "pure engine, 10k people with history", rules_bench.run),
    Benchmark("intake", "HTTP claim intake, applications on PostgreSQL", intake_bench.run),
    Benchmark("decide", "claims submitted -> decided, through Kafka", decide_bench.run),
    # The four below run scaled-down sizes (each module says why) and project the full size.
    Benchmark("batch", "a batch at the 20,000 cap approved -> every event on the topic", batch_bench.run),
    Benchmark("ledger", "audit ingest of payment events into the hash-chained ledger (PostgreSQL)", ledger_bench.run),
    Benchmark("e2e", "claims from HTTP intake to posted in the audit ledger, three services", e2e_bench.run),
    Benchmark("recon", "reconciliation report over a loaded audit database: time and peak RSS", recon_bench.run),
    Benchmark("bank-returns", "a 20,000-line bank return (CSV, pain.002) applied end to end", bank_return_bench.run),
    Benchmark("anomalies", "one anomaly sweep and one ledger verify at 100,000 and 1,000,000 received events",
              anomaly_bench.run, runs=2),
    Benchmark("proofs", "Merkle log checkpoint and proof latency over HTTP at 1,000,000 entries", proof_bench.run),
]


def main(argv: list[str]) -> int:
    chosen = [b for b in BENCHMARKS if not argv or b.id in argv]
    report(run_all(chosen))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

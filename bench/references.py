"""What the pipeline benchmarks (decide, e2e) are judged against: the framework floor before and after
their run, and the broker's raw rates with the run's own messages, per claim."""

from bench.broker_reference import BrokerRates
from bench.harness import Reference
from bench.intake_bench import CLAIMS, CONCURRENCY, requests
from bench.rawload import closed_loop


def floor_rate(base: str) -> float:
    """The floor endpoint's closed-loop rate alone, under intake's load."""
    closed_loop(base, requests(base), 300, 8)  # warm-up
    return closed_loop(base, requests(base), CLAIMS, CONCURRENCY)[0]


def bracketed(before: float, after: float) -> float:
    """A reference rate measured before and after a figure, as one rate over both (the harmonic mean)."""
    return 2 / (1 / before + 1 / after)


def pipeline_references(floor_before: float, floor_after: float, raw: BrokerRates, claims: int,
                        target_ratio: float) -> tuple[Reference, ...]:
    produce, consume = raw.per(claims)
    per_claim = f"{raw.messages / claims:.1f} messages a claim"
    return (Reference("one-row FastAPI endpoint (the framework floor)", "requests/s",
                      bracketed(floor_before, floor_after), target_ratio),
            Reference(f"raw kafka-python produce, same broker and messages ({per_claim})", "claims/s", produce),
            Reference(f"raw kafka-python consume, same broker and messages ({per_claim})", "claims/s", consume))

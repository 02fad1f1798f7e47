"""A small closed- and open-loop HTTP load generator (threads + keep-alive clients)."""

import statistics
import threading
import time
from collections.abc import Callable

import httpx


def closed_loop(base: str, make_request: Callable[[httpx.Client, int], httpx.Response], total: int,
                concurrency: int) -> tuple[float, list[float]]:
    """As fast as `concurrency` clients go: returns (requests per second, latencies in ms)."""
    latencies: list[float] = []
    lock = threading.Lock()
    counter = iter(range(total))

    def worker() -> None:
        with httpx.Client(base_url=base, timeout=30) as client:
            while True:
                with lock:
                    n = next(counter, None)
                if n is None:
                    return
                started = time.perf_counter()
                response = make_request(client, n)
                elapsed = (time.perf_counter() - started) * 1000
                if response.status_code >= 300:
                    raise RuntimeError(f"request {n} answered {response.status_code}: {response.text[:200]}")
                with lock:
                    latencies.append(elapsed)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return total / (time.perf_counter() - started), latencies


def open_loop(base: str, make_request: Callable[[httpx.Client, int], httpx.Response], rate: float,
              seconds: float, concurrency: int = 16) -> list[float]:
    """Requests sent on a fixed schedule (rate per second); latency counts from the scheduled time."""
    total = int(rate * seconds)
    latencies: list[float] = []
    lock = threading.Lock()
    start = time.perf_counter() + 0.2
    counter = iter(range(total))

    def worker() -> None:
        with httpx.Client(base_url=base, timeout=30) as client:
            while True:
                with lock:
                    n = next(counter, None)
                if n is None:
                    return
                due = start + n / rate
                delay = due - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)  # pacing the schedule, not waiting for a condition
                response = make_request(client, n)
                if response.status_code >= 300:
                    raise RuntimeError(f"request {n} answered {response.status_code}")
                with lock:
                    latencies.append((time.perf_counter() - due) * 1000)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98] if len(values) >= 100 else max(values)

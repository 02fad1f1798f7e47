"""A low-overhead HTTP/1.1 load generator (asyncio, keep-alive, pre-encoded requests).

httpx spends about as much CPU per request as the service does; on a 2-core machine that load generator
would measure itself. This one costs tens of microseconds per request, so the figure is the service's."""

import asyncio
import statistics
import time
from collections.abc import Callable
from urllib.parse import urlsplit

RequestBytes = Callable[[int], bytes]


def post_request(host: str, path: str, headers: dict[str, str], body: bytes) -> bytes:
    lines = [f"POST {path} HTTP/1.1", f"Host: {host}", "Content-Type: application/json",
             f"Content-Length: {len(body)}", *(f"{k}: {v}" for k, v in headers.items()), "", ""]
    return "\r\n".join(lines).encode() + body


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> int:
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    await reader.readexactly(length)
    return status


async def _run(base: str, make: RequestBytes, total: int, concurrency: int, rate: float | None) -> tuple[float, list[float]]:
    url = urlsplit(base)
    counter = iter(range(total))
    latencies: list[float] = []
    start = time.perf_counter() + 0.1

    async def worker() -> None:
        reader, writer = await asyncio.open_connection(url.hostname, url.port)
        try:
            for n in counter:
                due = start + n / rate if rate else time.perf_counter()
                if rate and due > time.perf_counter():
                    await asyncio.sleep(due - time.perf_counter())  # pacing the schedule
                status = await _exchange(reader, writer, make(n))
                if status >= 300:
                    raise RuntimeError(f"request {n} answered {status}")
                latencies.append((time.perf_counter() - due) * 1000)
        finally:
            writer.close()

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return total / (time.perf_counter() - began), latencies


def closed_loop(base: str, make: RequestBytes, total: int, concurrency: int) -> tuple[float, list[float]]:
    """As fast as `concurrency` connections go: (requests per second, latencies in ms)."""
    return asyncio.run(_run(base, make, total, concurrency, None))


def open_loop(base: str, make: RequestBytes, rate: float, seconds: float, concurrency: int = 32) -> list[float]:
    """Requests on a fixed schedule; latency counts from the scheduled time (so queueing shows)."""
    return asyncio.run(_run(base, make, int(rate * seconds), concurrency, rate))[1]


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98] if len(values) >= 100 else max(values)


def alternating(targets: dict[str, tuple[str, RequestBytes]], total: int, concurrency: int,
                rounds: int = 4) -> dict[str, float]:
    """Requests per second of each (base URL, requests) target, loaded closed-loop in turn, `rounds` times
    `total / rounds` requests each: a figure and its reference then see the same moments of a shared
    machine's load, where one after the other they would see different ones."""
    seconds = dict.fromkeys(targets, 0.0)
    share = total // rounds
    for _ in range(rounds):
        for name, (base, make) in targets.items():
            rate, _ = closed_loop(base, make, share, concurrency)
            seconds[name] += share / rate
    return {name: share * rounds / spent for name, spent in seconds.items()}

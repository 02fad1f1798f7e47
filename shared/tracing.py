"""Traces (OpenTelemetry) across HTTP, the outbox, Kafka and the consumers, one trace from a request to every
event it causes and every consumer that applies them.

- HTTP: a server span per request (the FastAPI instrumentation, W3C `traceparent` read from the request),
  a client span per call another service makes (the HTTPX instrumentation, `traceparent` sent).
- Outbox: an event staged inside a span carries that span's context as the CloudEvents distributed-tracing
  extension (`traceparent`, `tracestate` attributes of the event), so it is stored on the outbox row with
  the event and survives until the relay publishes it, however late.
- Kafka: the relay's publish span and the consumer's span are children of the event's `traceparent`.

Exported over OTLP (HTTP/protobuf) when OTEL_EXPORTER_OTLP_ENDPOINT is set; off otherwise: nothing is
recorded and events carry no trace context. Each service has its own TracerProvider (resource
service.name `grants-<service>`), so services sharing a process (tests, the demo) still tell apart.
Tests export to memory with export_to().
"""

import os
import re
import threading
from urllib.parse import parse_qsl, urlencode
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from opentelemetry import context, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import Link, SpanKind
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from shared.events import CloudEvent

_W3C = TraceContextTextMapPropagator()
_providers: dict[str, TracerProvider] = {}
_extra: list[SpanProcessor] = []
_lock = threading.Lock()
_consuming_service: ContextVar[str] = ContextVar("consuming_service", default="")
_TRACEPARENT = re.compile(r'"traceparent":"([0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2})"')


def enabled() -> bool:
    return bool(os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT")) or bool(_extra)


def provider(service: str) -> TracerProvider:
    with _lock:
        if service not in _providers:
            made = TracerProvider(resource=Resource.create({"service.name": f"grants-{service}"}))
            if os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
                from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

                made.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
            made.add_span_processor(_ToExtra())
            _providers[service] = made
        return _providers[service]


class _ToExtra(SpanProcessor):
    """Hands ended spans to the processors export_to() added, for as long as they are there."""

    def on_end(self, span: Any) -> None:
        for processor in list(_extra):
            processor.on_end(span)


def export_to(processor: SpanProcessor) -> None:
    """Send every service's spans to processor too (tests: an in-memory exporter), until stop_exporting."""
    with _lock:
        _extra.append(processor)


def stop_exporting(processor: SpanProcessor) -> None:
    with _lock:
        _extra.remove(processor)


def tracer(service: str) -> trace.Tracer:
    return provider(service).get_tracer("grants")


def instrument_app(app: Any, service: str) -> None:
    if enabled():
        from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

        FastAPIInstrumentor.instrument_app(app, tracer_provider=provider(service), exclude_spans=["receive", "send"],
                                           excluded_urls="healthz/live,healthz/ready,metrics",
                                           server_request_hook=redact_query)


# Query parameters whose value is personal data (a claim search by identity number): a span keeps the name only.
REDACTED_QUERY = frozenset({"claimant_id_number"})
_URL_ATTRIBUTES = ("http.url", "http.target", "url.full", "url.query")


def redact_query(span: Any, scope: dict[str, Any]) -> None:
    """Rewrite the server span's URL attributes so that no REDACTED_QUERY value reaches a trace."""
    query = (scope.get("query_string") or b"").decode("latin-1")
    if not query or not span.is_recording():
        return
    pairs = parse_qsl(query, keep_blank_values=True)
    if not any(name in REDACTED_QUERY for name, _ in pairs):
        return
    clean = urlencode([(name, "REDACTED" if name in REDACTED_QUERY else value) for name, value in pairs])
    for attribute in _URL_ATTRIBUTES:
        value = (getattr(span, "attributes", None) or {}).get(attribute)
        if isinstance(value, str):
            span.set_attribute(attribute, clean if attribute == "url.query" else value.split("?", 1)[0] + "?" + clean)


def instrument_http_client(client: Any, service: str) -> None:
    if enabled():
        from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor

        HTTPXClientInstrumentor.instrument_client(client, tracer_provider=provider(service))


# --- the outbox and Kafka ---

def with_trace_context(event: CloudEvent) -> CloudEvent:
    """The event carrying the current span's context (CloudEvents distributed-tracing extension)."""
    if not enabled() or getattr(event, "traceparent", None):
        return event
    carrier: dict[str, str] = {}
    _W3C.inject(carrier)
    return event.model_copy(update=carrier) if carrier else event


def _context_of(attributes: dict[str, Any]) -> context.Context:
    return _W3C.extract({k: v for k, v in attributes.items() if k in ("traceparent", "tracestate") and v})


def _event_context(event: CloudEvent) -> context.Context:
    return _context_of(event.model_extra or {})


def record_publishes(service: str, rows: Sequence[Any], topic_of: Any, start_ns: int, end_ns: int) -> None:
    """The relay's publish span of each row sent, child of the row's event (read from its stored payload)."""
    if not enabled():
        return
    publish = tracer(service)
    for row in rows:
        found = _TRACEPARENT.search(row.payload)
        parent = _context_of({"traceparent": found[1]}) if found else context.Context()
        span = publish.start_span(f"publish {topic_of(row.topic_suffix)}", context=parent, kind=SpanKind.PRODUCER,
                                  start_time=start_ns, attributes={
                                      "messaging.system": "kafka", "messaging.destination.name": topic_of(row.topic_suffix),
                                      "messaging.message.id": row.event_id, "grants.outbox.id": row.id})
        span.end(end_time=end_ns)


@contextmanager
def consuming(consumer: str, events: Sequence[CloudEvent]) -> Iterator[None]:
    """A consumer's span over a batch (its prefetch and its transaction): child of the first event's trace,
    linked to the others'."""
    if not enabled() or not events:
        yield
        return
    contexts = [trace.get_current_span(_event_context(e)).get_span_context() for e in events]
    links = [Link(c) for c in contexts[1:] if c.is_valid]
    attributes = {"messaging.system": "kafka", "messaging.consumer.group.name": consumer,
                  "messaging.batch.message_count": len(events)}
    service = consumer.split(".")[0]  # spec names are "<service>.<consumer>"
    token = _consuming_service.set(service)
    try:
        with tracer(service).start_as_current_span(
                f"consume {consumer}", context=_event_context(events[0]), kind=SpanKind.CONSUMER, links=links,
                attributes=attributes):
            yield
    finally:
        _consuming_service.reset(token)


@contextmanager
def handling(event: CloudEvent | None) -> Iterator[None]:
    """Inside consuming(): one event's span, child of its own trace, so what its handler stages on the outbox
    continues that trace."""
    service = _consuming_service.get()
    if not enabled() or event is None or not service:
        yield
        return
    with tracer(service).start_as_current_span(
            f"apply {event.type}", context=_event_context(event), kind=SpanKind.CONSUMER,
            attributes={"messaging.message.id": event.id, "cloudevents.event_type": event.type}):
        yield

"""The AsyncAPI 3.0 document of the events (GET /asyncapi.json on every service), generated from the event
models: the topics of shared.events, the CloudEvents envelope, each type's data (shared.event_schemas), and
the serving service's own operations: what it sends (the types it is the source of, and dead letters if it
consumes) and what its consumers receive (their specs). The same channels and messages on every service."""

from typing import Any

from pydantic.json_schema import models_json_schema

from shared.event_schemas import ANY_SERVICE, EMITTED, SERVICE_SOURCES
from shared.events import CONTENT_TYPE, TOPIC_OF_TYPE, TOPIC_SUFFIXES, topic

REF = "#/components/schemas/{model}"
TRACEPARENT = r"^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$"
DEAD_LETTER = "deadletter.v1"
SEQUENCE = r"^[0-9]{20}$"
DEAD_LETTER_HEADERS = ("error", "error_trace", "consumer", "original_topic", "original_partition", "original_offset")


def channel_id(suffix: str) -> str:
    return suffix.removesuffix(".v1")


def envelope(event_type: str, source: str, data_model: str) -> dict[str, Any]:
    """A CloudEvents 1.0 structured-mode document of one type (contract §6), with the distributed-tracing
    extension (shared.tracing)."""
    return {
        "type": "object", "additionalProperties": False,
        "required": ["specversion", "id", "source", "type", "time", "datacontenttype", "data"],
        "properties": {
            "specversion": {"const": "1.0"}, "id": {"type": "string", "minLength": 1, "maxLength": 200},
            "source": {"enum": list(SERVICE_SOURCES)} if source == ANY_SERVICE else {"const": source}, "type": {"const": event_type},
            "time": {"type": "string", "format": "date-time"}, "subject": {"type": "string"},
            "datacontenttype": {"const": "application/json"},
            "traceparent": {"type": "string", "pattern": TRACEPARENT}, "tracestate": {"type": "string"},
            "sequence": {"type": "string", "pattern": SEQUENCE,
                         "description": "CloudEvents sequence extension: the producer's gapless number of the "
                                        "event on its topic, zero-padded (shared.sequence)"},
            "data": {"$ref": REF.format(model=data_model)},
        },
    }


def _schemas() -> dict[str, Any]:
    models = {model for model, _, _ in EMITTED.values()}
    _, top = models_json_schema([(m, "validation") for m in sorted(models, key=lambda m: m.__name__)],
                                ref_template=REF)
    schemas = dict(top["$defs"])
    for event_type, (model, source, _) in EMITTED.items():
        schemas[_event_schema(event_type)] = envelope(event_type, source, model.__name__)
    return schemas


def _event_schema(event_type: str) -> str:
    return "".join(part.title() for part in event_type.removeprefix("grants.").replace("_", ".").split(".")) + "Event"


def _messages() -> dict[str, Any]:
    messages = {
        event_type: {"name": event_type, "title": event_type, "contentType": CONTENT_TYPE,
                     "summary": f"{(model.__doc__ or event_type).strip().splitlines()[0]}",
                     "payload": {"$ref": REF.format(model=_event_schema(event_type))},
                     "bindings": {"kafka": {"key": {"type": "string", "description": key}}}}
        for event_type, (model, _, key) in EMITTED.items()}
    messages["deadletter"] = {
        "name": "deadletter", "title": "a message a consumer could not apply", "contentType": "application/octet-stream",
        "summary": "The original message's key and bytes, unchanged, with why it failed in its headers.",
        "headers": {"type": "object", "required": list(DEAD_LETTER_HEADERS),
                    "properties": {h: {"type": "string"} for h in DEAD_LETTER_HEADERS}},
        "payload": {}}
    return messages


def document(service: str, consumers: list[Any], prefix: str, bootstrap: str) -> dict[str, Any]:
    """consumers: the service's ConsumerSpecs (name, topic_suffixes, handlers)."""
    channels: dict[str, Any] = {}
    for suffix in TOPIC_SUFFIXES:
        types = [t for t, s in TOPIC_OF_TYPE.items() if s == suffix and t in EMITTED]
        names = types if suffix != DEAD_LETTER else ["deadletter"]
        channels[channel_id(suffix)] = {
            "address": topic(prefix, suffix),
            "messages": {name: {"$ref": f"#/components/messages/{name}"} for name in names}}

    def message_refs(suffix: str, types: list[str]) -> list[dict[str, str]]:
        return [{"$ref": f"#/channels/{channel_id(suffix)}/messages/{t}"} for t in types]

    operations: dict[str, Any] = {}
    source = f"grants/{service}"
    for suffix in TOPIC_SUFFIXES:
        sent = [t for t, (_, s, _) in EMITTED.items() if s in (source, ANY_SERVICE) and TOPIC_OF_TYPE[t] == suffix]
        if sent:
            operations[f"{service}.send.{channel_id(suffix)}"] = {
                "action": "send", "channel": {"$ref": f"#/channels/{channel_id(suffix)}"},
                "messages": message_refs(suffix, sent)}
    for spec in consumers:
        for suffix in spec.topic_suffixes:
            received = [t for t in spec.handlers if TOPIC_OF_TYPE.get(t) == suffix and t in EMITTED]
            operations[f"{spec.name}.receive.{channel_id(suffix)}"] = {
                "action": "receive", "channel": {"$ref": f"#/channels/{channel_id(suffix)}"},
                "summary": f"consumer group of {spec.name}: idempotent on the event id; other types are skipped",
                "messages": message_refs(suffix, received)}
    if consumers:
        operations[f"{service}.send.deadletter"] = {
            "action": "send", "channel": {"$ref": "#/channels/deadletter"},
            "messages": message_refs(DEAD_LETTER, ["deadletter"])}
    return {
        "asyncapi": "3.0.0",
        "info": {"title": f"grants events, as the {service} service sends and receives them", "version": "1.0.0",
                 "description": "CloudEvents 1.0 in structured mode over Kafka, through each service's transactional "
                                "outbox; consumers are idempotent on `id` (contract §6)."},
        "defaultContentType": CONTENT_TYPE,
        "servers": {"kafka": {"host": bootstrap.split(",")[0], "protocol": "kafka"}},
        "channels": channels, "operations": operations,
        "components": {"messages": _messages(), "schemas": _schemas()},
    }

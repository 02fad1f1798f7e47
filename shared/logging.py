"""structlog set-up: console in development, JSON otherwise; correlation id in contextvars; PII scrubbed."""

import logging
import re
import sys
import uuid
from typing import Any

import structlog

# Defence in depth: resident ids (18 chars), USCCs and long digit runs (bank accounts) never reach a log line,
# even when a developer logs a value by mistake. 64-char hex HMAC refs are left alone.
_PII_PATTERNS = [
    re.compile(r"(?<![0-9A-Za-z])[1-9]\d{16}[\dXx](?![0-9A-Za-z])"),
    # ...but not the last group of a UUID (12 digits after "hex4-"), which is an event or claim id, not PII
    re.compile(r"(?<![0-9A-Za-z])(?<![0-9a-fA-F]{4}-)\d{12,19}(?![0-9A-Za-z])"),
]
_REDACTED = "[redacted]"


def scrub(text: str) -> str:
    for pattern in _PII_PATTERNS:
        text = pattern.sub(_REDACTED, text)
    return text


def _scrub_event(_logger: Any, _name: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    for key, value in list(event_dict.items()):
        if isinstance(value, str):
            event_dict[key] = scrub(value)
        elif isinstance(value, (int,)) and not isinstance(value, bool) and len(str(abs(value))) >= 12:
            event_dict[key] = _REDACTED
    return event_dict


_SHARED_PROCESSORS: list[Any] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    structlog.processors.format_exc_info,
    _scrub_event,
]


def make_formatter(env: str) -> logging.Formatter:
    """The formatter every handler uses: what it renders is what an operator (or a log shipper) sees."""
    renderer: Any = (
        structlog.dev.ConsoleRenderer(colors=False)
        if env == "development"
        else structlog.processors.JSONRenderer(ensure_ascii=False)
    )
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_SHARED_PROCESSORS,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
    )


def configure_logging(env: str, level: int = logging.INFO) -> None:
    """Configure structlog and bridge stdlib loggers; safe to call more than once."""
    structlog.configure(
        processors=[*_SHARED_PROCESSORS, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(make_formatter(env))
    root = logging.getLogger()
    root.handlers = [h for h in root.handlers if not getattr(h, "_grants", False)]
    handler._grants = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    for noisy in ("kafka", "uvicorn.access", "sqlalchemy.engine", "httpx"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def new_correlation_id() -> str:
    return uuid.uuid4().hex


def bind_correlation_id(correlation_id: str | None) -> str:
    """Bind the request's (or message's) correlation id to every log line of this context."""
    cid = correlation_id or new_correlation_id()
    structlog.contextvars.bind_contextvars(correlation_id=cid)
    return cid


def current_correlation_id() -> str | None:
    return structlog.contextvars.get_contextvars().get("correlation_id")


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    return structlog.get_logger(name)

"""The domain-error tree every service raises: a failure the client can understand, with a status and a
stable type slug. No web framework here: use cases and domain code raise these, and shared.web.problems
turns any of them into an RFC 9457 problem-details response with one handler."""

from typing import Any


class DomainError(Exception):
    """Subclasses fix status, a stable type slug and a title; `errors` lists {field, message} pairs and
    `extra` adds members to the problem document (figures of a refusal, the id of a conflicting claim)."""

    status = 400
    slug = "bad-request"
    title = "Bad request"

    def __init__(self, detail: str, *, errors: list[dict[str, str]] | None = None, **extra: Any):
        super().__init__(detail)
        self.detail, self.errors, self.extra = detail, errors, extra


class ValidationFailed(DomainError):
    status, slug, title = 422, "validation-error", "The request is not valid"


class Unauthorized(DomainError):
    status, slug, title = 401, "unauthorized", "Authentication required"


class Forbidden(DomainError):
    status, slug, title = 403, "forbidden", "Not allowed"


class NotFound(DomainError):
    status, slug, title = 404, "not-found", "Not found"


class Conflict(DomainError):
    status, slug, title = 409, "conflict", "Conflict"


def invalid(field: str, message: str) -> ValidationFailed:
    """A 422 naming one field, its detail "field: message"."""
    return ValidationFailed(f"{field}: {message}", errors=[{"field": field, "message": message}])
"""An RFC 9457 problem-details response: the one shape of every refusal (shared.web.problems maps errors to
it; the request guard answers with it before routing)."""

from typing import Any

from fastapi.responses import JSONResponse

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://grants.example/problems/"


def problem(status: int, slug: str, title: str, detail: str, errors: list | None = None,
            headers: dict[str, str] | None = None, **extra: Any) -> JSONResponse:
    body: dict[str, Any] = {"type": TYPE_BASE + slug, "title": title, "status": status, "detail": detail}
    if errors is not None:
        body["errors"] = errors
    body.update(extra)
    headers = {**(headers or {}), **({"WWW-Authenticate": "Bearer"} if status == 401 else {})}
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers or None)

"""What the finance routes take from the app: approval limits from settings, the raw request body."""

from fastapi import Request

from shared.errors import PayloadTooLarge
from shared.web.app import body_limit

from services.disbursement.domain.approval_policy import Limits


def limits_of(request: Request) -> Limits:
    settings = request.app.state.runtime.settings
    return Limits(dual_approval_threshold_fen=settings.dual_approval_threshold_fen,
                  officer_daily_limit_fen=settings.officer_daily_limit_fen,
                  budget_required=settings.grants_fund_budget_required,
                  officer_limits_fen=settings.officer_limits_fen)


BANK_FILE_ROUTES = ("/v1/bank-returns", "/v1/bank-statements")


async def raw_body(request: Request) -> bytes:
    """The body as sent (a bank file is not JSON), read chunk by chunk and counted: a chunked body (no
    Content-Length for the middleware to refuse) is refused too once it passes the route's limit."""
    limit = body_limit(request.scope)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"request bodies are limited to {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)

"""What the finance routes take from the app: approval limits from settings, the raw request body."""

from fastapi import Request

from services.disbursement.domain.approval_policy import Limits


def limits_of(request: Request) -> Limits:
    settings = request.app.state.runtime.settings
    return Limits(dual_approval_threshold_fen=settings.dual_approval_threshold_fen,
                  officer_daily_limit_fen=settings.officer_daily_limit_fen,
                  budget_required=settings.grants_fund_budget_required,
                  officer_limits_fen=settings.officer_limits_fen)


async def raw_body(request: Request) -> bytes:
    """The body as sent (a bank file is not JSON); the common middleware has already capped its size."""
    return await request.body()

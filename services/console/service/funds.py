"""Fund budgets per year: every staff member reads them, an administrator sets them."""

from services.console.service.api_models import Funds, FundYear
from services.console.service.backends import Backends


def funds(backends: Backends, year: int | None) -> Funds:
    return backends.disbursement.funds(year)


def set_budget(backends: Backends, fund: str, year: int, amount: str) -> FundYear:
    return backends.disbursement.set_budget(fund, year, amount)

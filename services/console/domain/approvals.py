"""An approval the disbursement service refused, as the officer reads it: the reason in words and the figures
the refusal carried (limit, approved today, budget, issued, remaining)."""

from dataclasses import dataclass

from services.console.domain.vocabulary import FIGURES, REFUSALS

MONEY_FIGURES = ("daily_limit", "approved_today", "batch_total", "budget", "issued", "remaining")


@dataclass(frozen=True)
class Refusal:
    message: str  # a message id when the refusal is known, else the API's own detail
    detail: str
    figures: list[tuple[str, str, bool]]  # (label message id, value, is money)


def refusal_of(problem_type: str, detail: str, extra: dict) -> Refusal:
    slug = problem_type.rstrip("/").rsplit("/", 1)[-1]
    figures = [(FIGURES[name], str(extra[name]), name in MONEY_FIGURES) for name in FIGURES if name in extra]
    return Refusal(REFUSALS.get(slug, detail), detail, figures)

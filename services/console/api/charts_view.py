"""The dashboard's charts in the reader's language: the words are translated here, the drawing is
domain.charts'."""

from decimal import Decimal

from babel.dates import get_month_names

from services.console.api.i18n import translations
from services.console.domain.charts import Series, bar_chart
from services.console.domain.formatting import money
from services.console.domain.vocabulary import FINDING_RULES, FUNDS, PROGRAMMES, label
from services.console.service.audit_views import Dashboard


def month_names(locale: str) -> list[str]:
    names = get_month_names("abbreviated", locale=locale)
    return [names[m] for m in range(1, 13)]


def dashboard_charts(board: Dashboard, locale: str) -> dict[str, str]:
    _ = translations(locale).gettext
    fund_name = _(label(FUNDS, board.fund))
    budget = board.budget if board.budget is not None else Decimal(0)
    totals = bar_chart(
        "chart-totals", _("Budget, issued and settled"),
        _("%(fund)s in %(year)s: budget %(budget)s, issued %(issued)s, settled %(settled)s") % {
            "fund": fund_name, "year": board.year, "budget": money(board.budget), "issued": money(board.net),
            "settled": money(board.settled)},
        [fund_name], [Series(_("Budget"), "series-1", [budget]), Series(_("Issued (net)"), "series-2", [board.net]),
                      Series(_("Settled"), "series-3", [board.settled])], money)
    names = [_(label(PROGRAMMES, p["programme"])) for p in board.programmes]
    programmes = bar_chart(
        "chart-programmes", _("Issued and settled per programme"),
        _("%(count)d programmes of %(fund)s in %(year)s") % {"count": len(names), "fund": fund_name, "year": board.year},
        names, [Series(_("Issued (net)"), "series-2", [Decimal(p["net"]) for p in board.programmes]),
                Series(_("Settled"), "series-3", [Decimal(p["settled"]) for p in board.programmes])], money)
    months = bar_chart(
        "chart-months", _("Issued and settled per month"),
        _("Each month of %(year)s, China time") % {"year": board.year}, month_names(locale),
        [Series(_("Issued (net)"), "series-2", [m.net for m in board.months]),
         Series(_("Settled"), "series-3", [m.settled for m in board.months])], money)
    rules = [_(label(FINDING_RULES, rule)) for rule, _count in board.findings_by_rule]
    findings = bar_chart(
        "chart-findings", _("Findings by rule"),
        _("%(count)d findings across all funds") % {"count": sum(n for _r, n in board.findings_by_rule)}, rules,
        [Series(_("Findings"), "series-4", [Decimal(n) for _r, n in board.findings_by_rule])], lambda d: str(int(d)))
    return {"totals": totals, "programmes": programmes, "months": months, "findings": findings}

"""The catalog's query API, as the audit service and the API use it."""

from datetime import date

import pytest

from shared.catalog import load_catalog

CATALOG = load_catalog()


def test_fund_for_names_the_paying_fund() -> None:
    assert CATALOG.fund_for("qingyang-2023", "skill_upgrade") == "unemployment_insurance"
    assert CATALOG.fund_for("qingyang-2023", "hiring") == "employment_subsidy"
    assert CATALOG.fund_for("qingyang-2023", "job_expansion") == "unemployment_insurance"


def test_standard_amounts_follow_tiers_and_dates() -> None:
    assert CATALOG.standard_amount_fen("qingyang-2023", "skill_upgrade", "level_4", date(2023, 6, 1)) == 150000
    assert CATALOG.standard_amount_fen("qingyang-2023", "skill_upgrade", "level_3", date(2023, 12, 31)) == 200000
    assert CATALOG.standard_amount_fen("qingyang-2023", "skill_upgrade", "level_4", date(2024, 1, 1)) is None
    assert CATALOG.standard_amount_fen("qingyang-2023", "trainee", "retention_60_70", date(2023, 6, 1)) == 135000
    assert CATALOG.standard_amount_fen("qingyang-2023", "hiring", None, date(2023, 6, 1)) == 100000


def test_a_capped_amount_reports_its_ceiling_and_a_share_has_no_standard() -> None:
    assert CATALOG.standard_amount_fen("qingyang-2023", "skill_appraisal", None, date(2023, 6, 1)) == 30000
    assert CATALOG.standard_amount_fen("yongchuan-2020", "startup_social_insurance", None, date(2020, 6, 1)) is None


def test_an_unset_standard_is_none() -> None:
    assert CATALOG.standard_amount_fen("chongqing-2020", "startup", None, date(2020, 6, 1)) is None
    assert CATALOG.standard_amount_fen("yongchuan-2020", "trainee", None, date(2020, 6, 1)) is None


def test_unknown_programmes_and_tiers_raise() -> None:
    with pytest.raises(KeyError):
        CATALOG.standard_amount_fen("qingyang-2023", "skill_upgrade", "level_2", date(2023, 6, 1))
    with pytest.raises(KeyError):
        CATALOG.standard_amount_fen("qingyang-2023", "apprenticeship", None, date(2023, 6, 1))
    with pytest.raises(KeyError):
        CATALOG.fund_for("nowhere-2020", "hiring")


def test_periods_caps_and_exclusive_groups() -> None:
    period = CATALOG.programme_period("qingyang-2023", "skill_upgrade")
    assert (period.starts, period.to, period.clause) == (date(2023, 1, 1), date(2023, 12, 31), "qingyang-2023 §18")
    assert CATALOG.policy_period("yongchuan-2020").to == date(2020, 12, 31)
    assert {c.kind for c in CATALOG.caps("qingyang-2023", "skill_upgrade")} == {"count_per_year", "once"}
    groups = CATALOG.exclusive_groups("qingyang-2023")
    # §8's exclusion: job_expansion against the one-time hiring subsidy of §8 and of §22 (issue 13, point 3)
    assert {frozenset(g.programmes) for g in groups} == {frozenset({"hiring", "job_expansion"}),
                                                        frozenset({"hiring_long_term_unemployed", "job_expansion"})}
    assert {g.clause for g in groups} == {"qingyang-2023 §8"}


def test_jurisdictions_map_to_policies_most_specific_first() -> None:
    assert CATALOG.jurisdictions["yongchuan"] == ("yongchuan-2020", "chongqing-2020", "chongqing-2022")
    assert [p.policy_id for p in CATALOG.policies_for("qingyang")] == ["qingyang-2023"]
    assert CATALOG.policy("pingdingshan-2020").status == "draft"


def test_parameters_unset_by_the_seeds_have_no_value() -> None:
    assert CATALOG.parameter_value("pingdingshan-2020.local_minimum_wage_monthly", date(2020, 6, 1)) is None
    value = CATALOG.parameter_value("qingyang-2023.trainee.max_months", date(2023, 6, 1))
    assert value.value == 12 and value.parameter.source == "national_practice"


def test_every_parameter_value_and_rule_cites_an_existing_clause() -> None:
    for policy in CATALOG.policies.values():
        for parameter in policy.parameters:
            assert CATALOG.clause(parameter.clause).id == parameter.clause
        for programme in policy.programmes:
            for cited in [programme.clause, programme.fund.clause, programme.amount.clause, *[c.clause for c in programme.caps]]:
                assert CATALOG.clause(cited)


def test_payment_standard_prorates_a_yearly_rate_by_month_as_the_engine_does():
    # yongchuan-2020 §43: 4000 a year for level 5, 12 training months -> 4000.00; 7 months -> 2333.33
    assert CATALOG.payment_standard("yongchuan-2020", "apprenticeship", "level_5", 12, date(2020, 8, 15)) == (400_000, True)
    assert CATALOG.payment_standard("yongchuan-2020", "apprenticeship", "level_5", 7, date(2020, 8, 15)) == (233_333, True)


def test_payment_standard_of_a_capped_fee_is_a_ceiling():
    assert CATALOG.payment_standard("qingyang-2023", "skill_appraisal", None, 1, date(2023, 6, 1)) == (30_000, False)


def test_payment_standard_of_a_monthly_rate_multiplies_the_months():
    assert CATALOG.payment_standard("qingyang-2023", "trainee", "retention_60_70", 6, date(2023, 6, 1)) == (810_000, True)

"""The catalog adapter answers the anomaly rules' questions as the seeds say (qingyang-2023)."""

from datetime import date

from services.audit.domain.anomalies.standards import CountCap, ExclusivePair
from tests.audit.domain.factories import EU, UI

Q = "qingyang-2023"


def test_funds_and_standards_come_from_the_catalog(standards):
    assert standards.fund_for(Q, "skill_upgrade") == UI
    assert standards.fund_for(Q, "hiring") == EU
    assert standards.payment_standard(Q, "skill_upgrade", "level_4", 1, date(2023, 6, 15)) == (150_000, True)
    assert standards.payment_standard(Q, "hiring", None, 1, date(2023, 6, 15)) == (100_000, True)


def test_unknown_policies_programmes_and_tiers_are_none_not_errors(standards):
    assert standards.fund_for("nowhere-2020", "hiring") is None
    assert standards.fund_for(Q, "space_travel") is None
    assert standards.payment_standard(Q, "skill_upgrade", "level_9", 1, date(2023, 6, 15)) is None
    assert standards.policy_period("nowhere-2020") is None


def test_policy_period_pairs_and_caps(standards):
    assert standards.policy_period(Q) == (date(2023, 1, 1), date(2023, 12, 31))
    assert ExclusivePair("hiring", "job_expansion", "qingyang-2023 §8") in standards.exclusive_pairs()
    assert CountCap(Q, "skill_upgrade", 3, "qingyang-2023 §18") in standards.count_caps()

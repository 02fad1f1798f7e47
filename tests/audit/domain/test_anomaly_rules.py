"""Each rule fires with its clause on a crafted stream; none fires on a clean, varied stream."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from services.audit.domain.anomalies.batches import batch_control_totals, batches_just_under_threshold
from services.audit.domain.anomalies.catalog_checks import (amount_not_standard, fund_not_for_programme,
                                                            qualifying_date_outside_period)
from services.audit.domain.anomalies.engine import RULE_NAMES, AnomalyInputs, filter_findings, run_rules
from services.audit.domain.anomalies.entitlement import (duplicate_qualifying_key, exclusive_pair_both_paid,
                                                         per_person_cap_exceeded)
from services.audit.domain.anomalies.findings import FUND_SUPERVISION_CLAUSE
from services.audit.domain.anomalies.money_flow import fund_budget_exceeded, payee_shared_by_beneficiaries
from services.audit.domain.anomalies.procedure import checker_not_officer, maker_is_checker
from services.audit.domain.anomalies.replays import event_payload_conflict
from services.audit.domain.events import event_digest
from tests.audit.domain.factories import (EU, T0, UI, batch, clean_stream, issued, issued_event, outcome,
                                          qingyang_standards, ref)

STANDARDS = qingyang_standards()
LATER, NEXT_YEAR = T0 + timedelta(days=1), T0 + timedelta(days=365)
BUDGETS = {(EU, 2023): 10**10, (UI, 2023): 10**10}


def test_the_same_qualifying_key_paid_twice():
    a, b = issued("p1", qualifying_key="cert-9|4-07|4"), issued("p2", qualifying_key="cert-9|4-07|4",
                                                                  issued_at=LATER.isoformat())
    [finding] = duplicate_qualifying_key([b, a, issued("p3")])
    assert (finding.rule, finding.severity, finding.clause) == ("duplicate_qualifying_key", "high", "qingyang-2023 §18")
    assert finding.payment_ids == ("p1", "p2") and "repeats p1" in finding.detail


def test_a_payment_delivered_twice_is_not_a_duplicate_grant():
    p = issued("p1")
    assert duplicate_qualifying_key([p, p]) == []


def test_a_third_duplicate_adds_a_finding_without_changing_the_first():
    a, b, c = (issued(f"p{i}", qualifying_key="k", issued_at=(T0 + timedelta(hours=i)).isoformat()) for i in range(3))
    first = duplicate_qualifying_key([a, b])
    assert first[0] in duplicate_qualifying_key([a, b, c]) and len(duplicate_qualifying_key([a, b, c])) == 2


def test_both_sides_of_an_exclusive_pair_paid_for_one_hire():
    hire = ref("employee-1")
    a = issued("p1", programme="hiring", fund=EU, amount="1000.00", tier=None, subject_ref=hire)
    b = issued("p2", programme="job_expansion", amount="1500.00", tier=None, subject_ref=hire)
    other = issued("p3", programme="job_expansion", amount="1500.00", tier=None, subject_ref=ref("employee-2"))
    [finding] = exclusive_pair_both_paid([a, b, other], STANDARDS)
    assert (finding.rule, finding.clause) == ("exclusive_pair_both_paid", "qingyang-2023 §8")
    assert finding.payment_ids == ("p1", "p2")


def test_a_fourth_skill_upgrade_in_one_year_exceeds_the_cap():
    person = ref("worker-1")
    grants = [issued(f"p{i}", beneficiary_ref=person, tier=f"level_{5 - i % 3}", qualifying_key=f"k{i}",
                     qualifying_date=f"2023-0{i + 1}-10", issued_at=(T0 + timedelta(hours=i)).isoformat())
              for i in range(4)]
    next_year = issued("p9", beneficiary_ref=person, qualifying_key="k9", qualifying_date="2024-01-10")
    [finding] = per_person_cap_exceeded([*grants, next_year], STANDARDS)
    assert (finding.rule, finding.clause, finding.severity) == ("per_person_cap_exceeded", "qingyang-2023 §18", "high")
    assert finding.payment_ids == ("p0", "p1", "p2", "p3") and "cap 3" in finding.detail


@pytest.mark.parametrize("amount, tier, units, severity", [
    ("2000.00", "level_4", 1, "high"),   # level 4 pays 1500
    ("1000.00", "level_4", 1, "medium"),
    ("1500.00", "level_9", 1, None),     # no exact standard for that tier: not judged here
])
def test_amount_different_from_the_catalog_standard(amount, tier, units, severity):
    found = amount_not_standard([issued("p1", amount=amount, tier=tier, units=units)], STANDARDS)
    assert [f.severity for f in found] == ([severity] if severity else [])
    assert all(f.clause == FUND_SUPERVISION_CLAUSE and f.rule == "amount_not_standard" for f in found)


def test_trainee_amount_is_the_tier_standard_times_months():
    ok = issued("p1", programme="trainee", fund=EU, tier="retention_60", units=6, amount="8100.00")
    wrong = issued("p2", programme="trainee", fund=EU, tier="retention_60", units=6, amount="9000.00")
    assert [f.payment_ids for f in amount_not_standard([ok, wrong], STANDARDS)] == [("p2",)]


def test_payment_from_a_fund_that_does_not_pay_the_programme():
    found = fund_not_for_programme([issued("p1", fund=EU), issued("p2", programme="moon_landing")], STANDARDS)
    assert [(f.rule, f.payment_ids, f.clause) for f in found] == [
        ("fund_not_for_programme", ("p1",), FUND_SUPERVISION_CLAUSE),
        ("programme_not_in_catalog", ("p2",), FUND_SUPERVISION_CLAUSE)]
    assert "专款专用" in found[0].detail


def test_qualifying_date_after_the_policy_ends():
    late, early, fine = (issued("p1", qualifying_date="2024-01-01"), issued("p2", qualifying_date="2022-12-31"),
                         issued("p3", qualifying_date="2023-12-31"))
    found = qualifying_date_outside_period([late, early, fine], STANDARDS)
    assert [(f.payment_ids, f.clause) for f in found] == [(("p1",), "qingyang-2023 §18"),
                                                          (("p2",), "qingyang-2023 §18")]


def test_maker_equal_to_checker_from_events_or_the_approval():
    own = issued("p1", batch_id="b1", maker="officer-a", checker="officer-a")
    b2 = batch("b2", [issued("p2", batch_id="b2")], maker="officer-c", checker="officer-c")
    found = maker_is_checker([own, issued("p3", batch_id="b3")], [b2])
    assert [(f.batch_ids, f.payment_ids, f.clause) for f in found] == [
        (("b1",), ("p1",), FUND_SUPERVISION_CLAUSE), (("b2",), ("p2",), FUND_SUPERVISION_CLAUSE)]


def test_checker_without_the_officer_role():
    found = checker_not_officer([issued("p1", checker_role="applicant"), issued("p2", checker_role="applicant"),
                                 issued("p3", batch_id="b2"), issued("p4", batch_id="b3", checker_role=None)])
    assert [(f.rule, f.batch_ids, f.payment_ids) for f in found] == [("checker_not_officer", ("b1",), ("p1", "p2"))]


def test_one_personal_account_paid_for_several_beneficiaries():
    account = ref("acct-shared")
    people = [issued(f"p{i}", payee_ref=account, issued_at=(T0 + timedelta(hours=i)).isoformat()) for i in range(3)]
    employer = [issued(f"e{i}", payee_ref=ref("acct-firm"), beneficiary_kind="organisation") for i in range(3)]
    found = payee_shared_by_beneficiaries([*people, *employer])
    assert [f.payment_ids for f in found] == [("p0", "p1"), ("p0", "p2")]
    assert {f.severity for f in found} == {"medium"}


def test_a_fund_issuing_more_than_its_yearly_budget():
    payments = [issued(f"p{i}", issued_at=(T0 + timedelta(hours=i)).isoformat()) for i in range(4)]  # 4 x 1500
    found = fund_budget_exceeded(payments, {(UI, 2023): 400_000})
    assert [(f.rule, f.payment_ids, f.severity) for f in found] == [("fund_budget_exceeded", ("p2",), "high")]
    assert "1 payments after it" in found[0].detail


def test_the_budget_year_is_the_china_calendar_year():
    new_year_cst = issued("p1", issued_at="2023-12-31T17:00:00+00:00")  # 2024-01-01 01:00 in Beijing
    assert fund_budget_exceeded([new_year_cst], {(UI, 2024): 150_000}) == []
    [unbudgeted] = fund_budget_exceeded([new_year_cst], {(UI, 2023): 150_000})
    assert (unbudgeted.rule, unbudgeted.severity) == ("fund_budget_not_set", "low")


def _batch_of_total(batch_id: str, yuan: int, maker: str, day: int):
    return batch(batch_id, [], total=f"{yuan}.00", count=0, maker=maker,
                 approved_at=(T0 + timedelta(days=day)).isoformat())


def test_batches_repeatedly_just_under_the_approval_threshold():
    threshold = 100_000_000
    runs = [_batch_of_total(f"b{i}", 990_000 + i, "officer-a", i) for i in range(4)]
    noise = [_batch_of_total("c1", 990_000, "officer-b", 0), _batch_of_total("c2", 500_000, "officer-a", 1),
             _batch_of_total("c3", 1_200_000, "officer-a", 2), _batch_of_total("b9", 995_000, "officer-a", 90)]
    found = batches_just_under_threshold([*runs, *noise], threshold, ratio=Decimal("0.05"),
                                         window=timedelta(days=30), min_batches=3)
    assert [f.batch_ids for f in found] == [("b0", "b1", "b2"), ("b0", "b1", "b2", "b3")]
    assert {(f.rule, f.clause, f.severity) for f in found} == {
        ("batches_just_under_threshold", FUND_SUPERVISION_CLAUSE, "medium")}


def test_issued_events_contradicting_the_batch_control_totals():
    p1, p2, p3 = issued("p1"), issued("p2"), issued("p3", amount="1000.00", tier="level_5")
    approved = batch("b1", [p1, p2, p3])
    wrong_amount = issued("p3", amount="2000.00", tier="level_3")
    outsider = issued("p4")
    findings = batch_control_totals([approved], [p1, p2, wrong_amount, outsider], as_of=LATER)
    [finding] = findings
    assert (finding.rule, finding.batch_ids, finding.severity) == ("batch_control_totals_mismatch", ("b1",), "high")
    assert "issued total 6500.00, control total 4000.00" in finding.detail
    assert "1 issued payments not in the approval" in finding.detail
    assert finding.payment_ids == ("p4",)
    assert batch_control_totals([approved], [p1, p2, p3], as_of=LATER) == []


def test_control_totals_wait_for_events_in_flight():
    p1 = issued("p1")
    approved = batch("b1", [p1, issued("p2")])
    assert batch_control_totals([approved], [p1], as_of=T0 + timedelta(minutes=1)) == []
    assert len(batch_control_totals([approved], [p1], as_of=T0 + timedelta(hours=1))) == 1


def test_same_event_id_with_a_different_payload():
    event = issued_event("p1")
    changed = issued_event("p1", amount="9999.00")
    assert event_payload_conflict(event["id"], event_digest(event), event_digest(dict(event))) is None
    finding = event_payload_conflict(event["id"], event_digest(event), event_digest(changed), "p1")
    assert finding is not None
    assert (finding.rule, finding.payment_ids, finding.severity) == ("event_payload_conflict", ("p1",), "high")


def test_a_failed_and_reissued_payment_is_not_a_duplicate():
    first = issued("p1", qualifying_key="k")
    again = issued("p2", qualifying_key="k", issued_at=LATER.isoformat())
    inputs = AnomalyInputs([first, again], outcomes=[outcome("p1", settled=False)], budgets=BUDGETS)
    assert run_rules(inputs, STANDARDS, as_of=LATER) == []


def crafted_inputs() -> AnomalyInputs:
    dup = [issued("d1", qualifying_key="same"), issued("d2", qualifying_key="same", issued_at=LATER.isoformat())]
    return AnomalyInputs([*dup, issued("w1", fund=EU), issued("x1", amount="1.00")], budgets=BUDGETS)


def test_rerunning_the_rules_yields_the_same_findings_and_keys():
    first = run_rules(crafted_inputs(), STANDARDS, as_of=LATER)
    again = run_rules(crafted_inputs(), STANDARDS, as_of=LATER)
    assert first == again and len({f.finding_key for f in first}) == len(first) == 3
    assert [f.rule for f in filter_findings(first, severity="high")] == ["duplicate_qualifying_key",
                                                                         "fund_not_for_programme"]
    assert [f.payment_ids for f in filter_findings(first, severity="medium")] == [("x1",)]  # underpaid
    assert [f.payment_ids for f in filter_findings(first, rule="duplicate_qualifying_key")] == [("d1", "d2")]


def test_every_finding_names_a_known_rule_a_clause_and_a_severity():
    for f in run_rules(crafted_inputs(), STANDARDS, as_of=LATER):
        assert f.rule in RULE_NAMES and f.clause.startswith("qingyang-2023 §")
        assert f.severity in ("high", "medium", "low")


def test_no_rule_fires_on_a_clean_stream_of_a_thousand_varied_payments():
    payments, batches = clean_stream(1000).facts()
    assert len(payments) == 1000 and len({p.programme for p in payments}) == 5 and len(batches) > 20
    assert len({(p.tier, p.units) for p in payments}) > 10 and len({p.fund for p in payments}) == 2
    assert run_rules(AnomalyInputs(payments, batches, budgets=BUDGETS), STANDARDS, as_of=NEXT_YEAR) == []


def test_the_clean_stream_is_not_clean_once_one_payment_is_doctored():
    payments, batches = clean_stream(1000).facts()
    payments[500] = replace(payments[500], qualifying_date=date(2024, 2, 1))
    findings = run_rules(AnomalyInputs(payments, batches, budgets=BUDGETS), STANDARDS, as_of=NEXT_YEAR)
    assert [(f.rule, f.payment_ids) for f in findings] == [
        ("qualifying_date_outside_period", (payments[500].payment_id,))]


def test_control_totals_wait_for_the_grace_period_after_the_approval_reached_the_audit():
    # A backlog consumed in 2026 carries 2023 approval times: receipt time decides whether events may be in flight.
    p1 = issued("p1")
    approved = batch("b1", [p1, issued("p2")])
    received = {"b1": LATER}
    assert batch_control_totals([approved], [p1], as_of=LATER + timedelta(minutes=1), received_at=received) == []
    assert len(batch_control_totals([approved], [p1], as_of=LATER + timedelta(hours=1), received_at=received)) == 1

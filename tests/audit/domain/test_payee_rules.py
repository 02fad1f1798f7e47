"""The payee rules of issue 14 (point 4), wired into the anomaly engine."""

from datetime import timedelta

from services.audit.domain.anomalies.engine import AnomalyInputs, RuleParameters, run_rules
from services.audit.domain.anomalies.payee_controls import account_receives_for_many
from tests.audit.domain.factories import T0, issued, qingyang_standards, ref

STANDARDS = qingyang_standards()
LATER = T0 + timedelta(days=1)


def test_payee_rules_flag_another_name_repeated_changes_and_one_account_for_many_beneficiaries():
    shared = ref("acct-shared")
    payments = [issued("n1", payee_name_matches=False),
                issued("r1", payee_changes=2),
                issued("ok", payee_name_matches=True, payee_changes=1),
                *(issued(f"m{i}", payee_ref=shared, beneficiary_kind="organisation")
                  for i in range(3))]
    findings = run_rules(AnomalyInputs(issued=payments), STANDARDS, as_of=LATER)
    flagged = {f.rule: f for f in [*findings, *account_receives_for_many(payments)]
               if f.rule in ("payee_name_not_claimant", "payee_changed_repeatedly", "account_receives_for_many")}
    assert flagged["payee_name_not_claimant"].payment_ids == ("n1",)
    assert flagged["payee_changed_repeatedly"].payment_ids == ("r1",)
    assert flagged["account_receives_for_many"].payment_ids == ("m0", "m1", "m2")
    assert {f.clause for f in flagged.values()} == {"qingyang-2023 §三(二)"}
    assert account_receives_for_many(payments[3:5]) == []  # two beneficiaries: not yet


def test_the_operator_sets_how_many_beneficiaries_one_account_may_receive_for():
    crowded = [issued(f"m{i}", payee_ref=ref("acct-crowded")) for i in range(4)]
    assert [f.payment_ids for f in account_receives_for_many(crowded, max_beneficiaries=3)] == [
        ("m0", "m1", "m2", "m3")]
    assert account_receives_for_many(crowded, max_beneficiaries=4) == []
    lenient = run_rules(AnomalyInputs(issued=crowded), STANDARDS, as_of=LATER,
                        params=RuleParameters(payee_account_max_beneficiaries=4))
    assert "account_receives_for_many" not in {f.rule for f in lenient}

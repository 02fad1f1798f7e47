"""The catalog schema refuses broken policy files, naming the file, the line and the path of the fault."""

import shutil
from pathlib import Path

import pytest

from shared.catalog import DEFAULT_CATALOG_DIR, CatalogError, load_catalog


def broken_copy(tmp_path: Path, file: str, old: str, new: str) -> Path:
    """A copy of the shipped catalog with exactly one text replacement in one file."""
    root = tmp_path / "catalog"
    shutil.copytree(DEFAULT_CATALOG_DIR / "policies", root / "policies")
    shutil.copy(DEFAULT_CATALOG_DIR / "index.yaml", root / "index.yaml")
    target = root / file
    text = target.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {file}"
    target.write_text(text.replace(old, new), encoding="utf-8")
    return root


def faults_of(root: Path) -> list:
    with pytest.raises(CatalogError) as caught:
        load_catalog(root)
    return caught.value.faults


def test_the_shipped_catalog_loads_with_a_stable_content_hash() -> None:
    first, second = load_catalog(), load_catalog()
    assert first.content_hash == second.content_hash
    assert len(first.content_hash) == 64
    assert set(first.policies) == {"qingyang-2023", "yongchuan-2020", "chongqing-2020", "chongqing-2022", "pingdingshan-2020"}


def test_the_content_hash_changes_with_the_content(tmp_path: Path) -> None:
    root = broken_copy(tmp_path, "policies/chongqing-2022.yaml", "status_note: A plan.", "status_note: A plan, edited.")
    assert load_catalog(root).content_hash != load_catalog().content_hash


def test_an_unknown_field_is_refused_with_file_line_and_path(tmp_path: Path) -> None:
    root = broken_copy(tmp_path, "policies/qingyang-2023.yaml", "  - code: skill_upgrade\n", "  - code: skill_upgrade\n    colour: red\n")
    [fault] = faults_of(root)
    assert fault.file.endswith("policies/qingyang-2023.yaml")
    assert fault.path == "programmes[0].colour"
    assert "Extra inputs are not permitted" in fault.message
    line = (root / "policies/qingyang-2023.yaml").read_text(encoding="utf-8").splitlines()[fault.line - 1]
    assert line.strip() == "colour: red"


def test_a_dangling_clause_id_is_refused(tmp_path: Path) -> None:
    root = broken_copy(tmp_path, "policies/qingyang-2023.yaml",
                       "    period: {from: 2023-01-01, to: 2023-12-31, clause: qingyang-2023 §18}",
                       "    period: {from: 2023-01-01, to: 2023-12-31, clause: qingyang-2023 §99}")
    [fault] = faults_of(root)
    assert (fault.path, fault.message) == ("programmes[0].period.clause",
                                           "dangling clause id 'qingyang-2023 §99': no such clause in qingyang-2023")
    assert fault.line is not None


def test_overlapping_ratio_tiers_are_refused(tmp_path: Path) -> None:
    root = broken_copy(tmp_path, "policies/qingyang-2023.yaml",
                       "{tier: retention_50_60, from: 0.50, below: 0.60,", "{tier: retention_50_60, from: 0.50, below: 0.65,")
    [fault] = faults_of(root)
    assert fault.path == "programmes[3].amount.rate.by_ratio.tiers[2]"
    assert "overlapping tiers" in fault.message


def test_overlapping_value_tiers_are_refused(tmp_path: Path) -> None:
    root = broken_copy(tmp_path, "policies/qingyang-2023.yaml",
                       "{tier: level_3, equals: 3, parameter: qingyang-2023.skill_upgrade.amount_level_3}",
                       "{tier: level_3, equals: 4, parameter: qingyang-2023.skill_upgrade.amount_level_3}")
    [fault] = faults_of(root)
    assert fault.path == "programmes[0].amount.rate.by_value.tiers[2].equals"
    assert "overlapping tiers" in fault.message


def test_an_undated_value_is_refused(tmp_path: Path) -> None:
    root = broken_copy(tmp_path, "policies/qingyang-2023.yaml",
                       '      - {effective_from: 2023-01-01, effective_to: 2023-12-31, value: "5000.00"}',
                       '      - {value: "5000.00"}')
    [fault] = faults_of(root)
    assert fault.path.startswith("parameters[") and fault.path.endswith("values[0].effective_from")
    assert fault.message == "Field required"


def test_overlapping_dated_values_are_refused(tmp_path: Path) -> None:
    root = broken_copy(tmp_path, "policies/qingyang-2023.yaml",
                       '      - {effective_from: 2023-01-01, effective_to: 2023-12-31, value: "5000.00"}',
                       '      - {effective_from: 2023-01-01, effective_to: 2023-12-31, value: "5000.00"}\n'
                       '      - {effective_from: 2023-12-01, value: "6000.00"}')
    [fault] = faults_of(root)
    assert "values overlap" in fault.message


def test_money_written_as_a_bare_number_is_refused(tmp_path: Path) -> None:
    root = broken_copy(tmp_path, "policies/qingyang-2023.yaml",
                       '      - {effective_from: 2023-01-01, effective_to: 2023-12-31, value: "5000.00"}',
                       '      - {effective_from: 2023-01-01, effective_to: 2023-12-31, value: 5000}')
    [fault] = faults_of(root)
    assert "quoted yuan string" in fault.message


def test_an_unknown_parameter_reference_is_refused(tmp_path: Path) -> None:
    root = broken_copy(tmp_path, "policies/qingyang-2023.yaml",
                       "rate: {parameter: qingyang-2023.hiring.amount}", "rate: {parameter: qingyang-2023.hiring.amont}")
    [fault] = faults_of(root)
    assert (fault.path, fault.message) == ("programmes[1].amount.rate.parameter", "unknown parameter 'qingyang-2023.hiring.amont'")


def test_a_parameter_of_the_wrong_unit_is_refused(tmp_path: Path) -> None:
    root = broken_copy(tmp_path, "policies/qingyang-2023.yaml",
                       "rate: {parameter: qingyang-2023.hiring.amount}", "rate: {parameter: qingyang-2023.hiring.youth_max_age}")
    [fault] = faults_of(root)
    assert "is in age, expected fen" in fault.message


def test_an_unknown_fact_is_refused(tmp_path: Path) -> None:
    root = broken_copy(tmp_path, "policies/qingyang-2023.yaml",
                       "            fact: ui_contribution_months\n", "            fact: ui_months\n")
    [fault] = faults_of(root)
    assert fault.path == "programmes[0].conditions[0].conditions[0].fact"
    assert fault.message == "unknown fact 'ui_months' for programme skill_upgrade"


def test_an_unknown_reason_code_is_refused(tmp_path: Path) -> None:
    root = broken_copy(tmp_path, "policies/qingyang-2023.yaml",
                       "        reason: INSURANCE_REQUIREMENT\n        note: 参加失业保险1年以上",
                       "        reason: NOT_INSURED\n        note: 参加失业保险1年以上")
    [fault] = faults_of(root)
    assert fault.path == "programmes[0].conditions[0].reason"


def test_a_repeated_key_is_refused_with_its_line(tmp_path: Path) -> None:
    root = broken_copy(tmp_path, "policies/chongqing-2022.yaml", "status: in_force\n", "status: in_force\nstatus: draft\n")
    [fault] = faults_of(root)
    assert fault.path == "(yaml)" and "duplicate key 'status'" in fault.message
    lines = (root / "policies/chongqing-2022.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[fault.line - 1] == "status: draft"


def test_a_cap_comparing_a_field_outside_the_qualifying_key_is_refused(tmp_path: Path) -> None:
    root = broken_copy(tmp_path, "policies/qingyang-2023.yaml",
                       "        same: [subject, occupation_code, level]", "        same: [subject, occupation_code, grade]")
    [fault] = faults_of(root)
    assert fault.path == "programmes[0].caps[1].same"
    assert "'grade' is not in the qualifying key of skill_upgrade" in fault.message


def test_a_cap_that_history_could_not_find_is_refused(tmp_path: Path) -> None:
    root = broken_copy(tmp_path, "policies/qingyang-2023.yaml",
                       "        same: [subject, occupation_code, level]", "        same: [occupation_code, level]")
    [fault] = faults_of(root)
    assert "must include subject" in fault.message


def test_a_jurisdiction_naming_an_unknown_policy_is_refused(tmp_path: Path) -> None:
    root = broken_copy(tmp_path, "index.yaml", "policies: [qingyang-2023]", "policies: [qingyang-2024]")
    faults = faults_of(root)
    assert any(f.file.endswith("index.yaml") and f.path == "jurisdictions.qingyang.policies[0]" for f in faults)


def test_a_policy_file_must_be_named_for_its_policy(tmp_path: Path) -> None:
    root = broken_copy(tmp_path, "policies/chongqing-2022.yaml", "policy_id: chongqing-2022", "policy_id: chongqing-2021")
    faults = faults_of(root)
    assert any("does not match the file name chongqing-2022.yaml" in f.message for f in faults)


def test_a_programme_unknown_to_intake_is_refused(tmp_path: Path) -> None:
    root = broken_copy(tmp_path, "policies/qingyang-2023.yaml", "  - code: skill_appraisal\n", "  - code: skill_appraisals\n")
    faults = faults_of(root)
    assert any(f.path == "programmes[5].code" and "no facts model" in f.message for f in faults)


def test_every_fault_is_reported_not_only_the_first(tmp_path: Path) -> None:
    root = broken_copy(tmp_path, "policies/qingyang-2023.yaml",
                       "rate: {parameter: qingyang-2023.hiring.amount}", "rate: {parameter: nope.a}")
    text = (root / "policies/qingyang-2023.yaml").read_text(encoding="utf-8")
    (root / "policies/qingyang-2023.yaml").write_text(text.replace("rate: {parameter: qingyang-2023.startup.amount}", "rate: {parameter: nope.b}"))
    assert len(faults_of(root)) == 2

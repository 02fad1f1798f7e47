"""Runs every case in cases/<programme>.yaml through the rules engine and checks it to the fen."""

import pytest

from services.disbursement.domain.rules import Decision
from shared.catalog import load_catalog
from shared.claims import PROGRAMMES
from shared.money import format_fen
from tests.disbursement.rules.case_support import load_case_files, run_case

CASE_FILES = load_case_files()
CATALOG = load_catalog()
CASES = [pytest.param(file, case, id=f"{stem}: {case.name}") for stem, file in CASE_FILES for case in file.cases]


def _check(decision: Decision, expected) -> None:
    codes = sorted(r.code for r in decision.reasons)
    assert (decision.outcome, format_fen(decision.amount_fen), codes) == (
        expected.outcome, expected.amount, sorted(expected.reasons)
    ), decision.model_dump_json(indent=1)
    assert all(r.clause for r in decision.reasons)
    if expected.reason_clauses is not None:
        assert sorted(r.clause for r in decision.reasons) == sorted(expected.reason_clauses)
    for name in ("fund", "policy_id", "clause", "tier", "units"):
        wanted = getattr(expected, name)
        if wanted is not None:
            assert getattr(decision, name) == wanted, f"{name}: {getattr(decision, name)!r} != {wanted!r}"


@pytest.mark.parametrize(("file", "case"), CASES)
def test_rule_case(file, case) -> None:
    _check(run_case(file, case, CATALOG), case.expected)


def test_every_programme_has_a_case_file() -> None:
    assert {f.programme for _, f in CASE_FILES} == set(PROGRAMMES)


def test_case_files_are_named_for_their_programme() -> None:
    assert all(stem == f.programme for stem, f in CASE_FILES)

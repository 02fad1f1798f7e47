"""The rules benchmark's references: the same skill-upgrade claims through OpenFisca (bench/openfisca_grants),
one situation per claim as its web API serves them, and vectorised over the whole set.

Per situation: openfisca_web_api.handlers.calculate, the function behind POST /calculate (a Simulation
built from the situation dict by SimulationBuilder.build_from_entities, then the requested variable
calculated), minus HTTP and JSON parsing, as our engine is timed minus parse_claim. Vectorised: one
simulation of N persons, inputs set as arrays. A situation states what the person's earlier grants
imply for §18's caps (counted from the same history our engine is given, before the clock): OpenFisca
keeps no history, so that part of the work is done for it, which can only flatter it.
"""

import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy
from openfisca_core.simulations import SimulationBuilder
from openfisca_web_api.handlers import calculate

from bench.openfisca_grants import PERIOD, tax_benefit_system

RESULT = "skill_upgrade_subsidy"


@dataclass(frozen=True)
class Inputs:
    """One claim's inputs to the OpenFisca model."""

    level: int
    ui_months: int
    on_benefit: bool
    grants_in_year: int
    same_kind_granted: bool

    def as_variables(self) -> dict[str, Any]:
        return {"skill_certificate_level": self.level, "ui_contribution_months": self.ui_months,
                "receiving_ui_benefit": self.on_benefit, "skill_upgrade_grants_in_year": self.grants_in_year,
                "skill_upgrade_same_kind_granted": self.same_kind_granted}


def inputs_of(facts: dict[str, Any], earlier: Sequence[tuple[int, str, int]]) -> Inputs:
    """A claim's facts (as filed) and its person's earlier grants as (certificate year, occupation, level)."""
    year = int(facts["certificate_issued_on"][:4])
    return Inputs(facts["level"], facts["ui_contribution_months"], facts["receiving_ui_benefit"],
                  sum(1 for y, _, _ in earlier if y == year),
                  any((o, lv) == (facts["occupation_code"], facts["level"]) for _, o, lv in earlier))


def _situation(inputs: Inputs) -> dict[str, Any]:
    values = {name: {PERIOD: value} for name, value in inputs.as_variables().items()}
    return {"persons": {"claimant": {**values, RESULT: {PERIOD: None}}}}


def situations(claims: Sequence[Inputs]) -> list[dict[str, Any]]:
    """The request bodies of POST /calculate, as the web API has them once parsed."""
    return [_situation(c) for c in claims]


def per_situation(bodies: Sequence[dict[str, Any]]) -> list[int]:
    """Amounts in fen, one web-API calculation per claim (each body is filled in: use it once)."""
    system = tax_benefit_system()
    return [calculate(system, body)["persons"]["claimant"][RESULT][PERIOD] for body in bodies]


def vectorised(claims: Sequence[Inputs], times: int) -> tuple[float, list[int]]:
    """(the median CPU seconds of `times` simulations over every claim, their amounts in fen)."""
    system = tax_benefit_system()
    columns = {name: numpy.array([c.as_variables()[name] for c in claims]) for name in claims[0].as_variables()}
    spent = []
    for _ in range(times):
        started = time.process_time()
        simulation = SimulationBuilder().build_default_simulation(system, count=len(claims))
        for name, column in columns.items():
            simulation.set_input(name, PERIOD, column)
        amounts = simulation.calculate(RESULT, PERIOD)
        spent.append(time.process_time() - started)
    return statistics.median(spent), [int(a) for a in amounts]


def check_agreement(ours: Sequence[int], theirs: Sequence[int], how: str) -> None:
    """Every claim's amount the same (0 where a claim is not paid), or the comparison means nothing."""
    differ = [i for i, (a, b) in enumerate(zip(ours, theirs, strict=True)) if a != b]
    if differ:
        i = differ[0]
        raise RuntimeError(f"OpenFisca ({how}) disagrees with our engine on {len(differ)} of {len(ours)} claims; "
                           f"first: claim {i}, ours {ours[i]} fen, OpenFisca {theirs[i]} fen")

"""The skill-upgrade subsidy of qingyang-2023 §18: inputs a claim states, and the formulas of the clause."""

from numpy import logical_not, logical_or, select

from openfisca_core.periods import YEAR
from openfisca_core.variables import Variable

from bench.openfisca_grants.entities import Person


def _input(name: str, value_type: type, label: str) -> type[Variable]:
    """A variable the situation states (OpenFisca names a variable by its class's name)."""
    return type(name, (Variable,), {"value_type": value_type, "entity": Person, "definition_period": YEAR,
                                    "label": label})


INPUTS = [
    _input("skill_certificate_level", int, "Level of the vocational skill certificate (5 初级, 4 中级, 3 高级, ...)"),
    _input("ui_contribution_months", int, "Months of unemployment-insurance contributions"),
    _input("receiving_ui_benefit", bool, "Receiving unemployment-insurance benefit (领取失业保险金)"),
    _input("skill_upgrade_grants_in_year", int,
           "Skill-upgrade subsidies already granted to the person in the certificate's calendar year"),
    _input("skill_upgrade_same_kind_granted", bool,
           "A skill-upgrade subsidy already granted for the same occupation and level"),
]


class skill_upgrade_insured(Variable):  # noqa: N801 (OpenFisca names variables by their class names)
    value_type = bool
    entity = Person
    definition_period = YEAR
    label = "参加失业保险1年以上 or 领取失业保险金"

    def formula(person, period, parameters):  # noqa: N805 (OpenFisca's formula signature)
        months = person("ui_contribution_months", period)
        return logical_or(months >= parameters(period).skill_upgrade.min_ui_months,
                          person("receiving_ui_benefit", period))


class skill_upgrade_subsidy(Variable):  # noqa: N801 (OpenFisca names variables by their class names)
    value_type = int
    entity = Person
    definition_period = YEAR
    label = "技能提升补贴, fen"

    def formula(person, period, parameters):  # noqa: N805
        p = parameters(period).skill_upgrade
        level = person("skill_certificate_level", period)
        amount = select([level == 5, level == 4, level == 3],
                        [p.amount.level_5, p.amount.level_4, p.amount.level_3], 0)
        within_caps = ((person("skill_upgrade_grants_in_year", period) < p.max_per_year)
                       * logical_not(person("skill_upgrade_same_kind_granted", period)))
        return (amount * person("skill_upgrade_insured", period) * within_caps).astype(int)


ALL = [*INPUTS, skill_upgrade_insured, skill_upgrade_subsidy]

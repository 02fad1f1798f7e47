"""A minimal OpenFisca country package: qingyang-2023 §18's skill-upgrade subsidy, the reference the rules
benchmark measures our engine against (bench/rules_bench.py).

Encoded from the clause, not from our catalog: 参加失业保险1年以上的企业职工或领取失业保险金人员 … 按照初级(五级)1000元、
中级(四级)1500元、高级(三级)2000元标准给予技能提升补贴。每人每年享受补贴次数最多不超过3次,同一工种、同一等级的不得重复享受。
OpenFisca keeps no history, so a situation carries what the person's earlier grants imply for the caps
(how many in the certificate's year; whether one was for the same occupation and level), as a client of
its web API would send them. Amounts are integer fen, as ours are.
"""

import functools
from pathlib import Path

from openfisca_core.taxbenefitsystems import TaxBenefitSystem

from bench.openfisca_grants import variables
from bench.openfisca_grants.entities import ENTITIES

PERIOD = "2023"  # the programme's period, qingyang-2023 §18: 政策实施期限截至2023年12月31日


class GrantsTaxBenefitSystem(TaxBenefitSystem):
    def __init__(self) -> None:
        super().__init__(ENTITIES)
        self.load_parameters(str(Path(__file__).parent / "parameters"))
        for variable in variables.ALL:
            self.add_variable(variable)


@functools.cache
def tax_benefit_system() -> GrantsTaxBenefitSystem:
    return GrantsTaxBenefitSystem()

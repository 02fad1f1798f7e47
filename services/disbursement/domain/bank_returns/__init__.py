"""The bank's per-payment outcomes (contract §4 `POST /v1/bank-returns`), pure: read, then match.

A return file comes in one of two forms, each documented in its module:

- CSV (`csv_form`): header `end_to_end_id,status,amount,currency,reason_code,reason,value_date`,
  status SETTLED or FAILED, amount in yuan with two decimals; UTF-8 with or without BOM.
- ISO 20022 pain.002 customer payment status report (`pain002_form`), version pain.002.001.12
  (XSD shipped in ../schemas): TxSts ACSC/ACCC → settled, RJCT → failed, keyed by OrgnlEndToEndId.

Both give a ParsedReturns: ReturnLines plus ReturnLineErrors (never raised; line_no 0 is the whole
file). `match_returns(parsed.entries(), known)` then says, line by line, what the file does to the
payments we know (see `matching`). Nothing here logs: messages name fields and payment ids only,
never a name or account number, but `ReturnLine.reason` is the bank's free text and may quote one.
"""

from services.disbursement.domain.bank_returns.csv_form import COLUMNS, parse_returns_csv
from services.disbursement.domain.bank_returns.lines import Outcome, ParsedReturns, ReturnLine, ReturnLineError
from services.disbursement.domain.bank_returns.matching import (
    LineOutcome,
    OutcomeCode,
    PaymentState,
    PaymentStatus,
    match_returns,
)
from services.disbursement.domain.bank_returns.pain002_form import (
    PAIN002_NAMESPACE,
    TX_STATUSES,
    parse_returns_pain002,
    validate_pain002,
)

__all__ = [
    "COLUMNS",
    "PAIN002_NAMESPACE",
    "TX_STATUSES",
    "LineOutcome",
    "Outcome",
    "OutcomeCode",
    "ParsedReturns",
    "PaymentState",
    "PaymentStatus",
    "ReturnLine",
    "ReturnLineError",
    "match_returns",
    "parse_returns_csv",
    "parse_returns_pain002",
    "validate_pain002",
]

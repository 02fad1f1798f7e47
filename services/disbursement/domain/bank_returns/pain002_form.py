"""The ISO 20022 form of a bank return file: a pain.002 customer payment status report.

Why pain.002 rather than camt.054: pain.002 is the bank's answer to the very pain.001 we sent. It
quotes our MsgId (OrgnlMsgId, the batch id) and every EndToEndId (OrgnlEndToEndId, the payment
id) and gives each transaction a status (TxSts) with its reason (StsRsnInf), which is exactly one
"settled or failed, with reason" per payment. camt.054 notifies account bookings instead: a failed
credit shows up as a separate returned entry with return information, so tying it back to a
payment and telling "failed" from "not booked yet" takes guesswork.

Version: pain.002.001.12, whose official XSD ships in schemas/ (validate_pain002). The reader
accepts any pain.002.001.xx namespace, because the elements below have kept their names and places
since pain.002.001.03 (and pain.002.001.10, the release paired with our pain.001.001.09).

Read from each Document/CstmrPmtStsRpt/OrgnlPmtInfAndSts/TxInfAndSts:

| element | becomes |
|---|---|
| `OrgnlEndToEndId` | end_to_end_id (our payment id) |
| `TxSts` | `ACSC`, `ACCC` → settled; `RJCT` → failed; any other status (ACTC, ACCP, ACSP, PDNG, …) is not final and is reported as an error |
| `StsRsnInf/Rsn/Cd` (or `Rsn/Prtry`) | reason_code (required for RJCT) |
| `StsRsnInf/AddtlInf` (all of them, joined) | reason |
| `OrgnlTxRef/Amt/InstdAmt` and its `@Ccy` (else `OrgnlTxRef/IntrBkSttlmAmt`) | amount and currency (optional, as in the schema: when given, an outcome is only applied once its amount agrees; without it the line is matched by OrgnlEndToEndId alone) |
| `OrgnlTxRef/IntrBkSttlmDt` | value_date (optional) |

line_no is the 1-based position of the TxInfAndSts in the report (a report is often on one
physical line); error messages also give the XML source line. A report that is not well-formed,
not a pain.002, or carries no per-transaction status gives one file-level error (line_no 0).
"""

import re

from lxml import etree

from services.disbursement.domain.bank_returns.lines import (
    Outcome,
    ParsedReturns,
    ReturnLine,
    ReturnLineError,
    collect,
    parse_amount,
    parse_currency,
    parse_end_to_end_id,
    parse_reason,
    parse_reason_code,
    parse_value_date,
)
from services.disbursement.domain.iso20022_xml import safe_parser, validate_against

PAIN002_NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:pain.002.001.12"
_ANY_PAIN002 = re.compile(r"^urn:iso:std:iso:20022:tech:xsd:pain\.002\.001\.\d{2}$")
TX_STATUSES: dict[str, Outcome] = {"ACSC": "settled", "ACCC": "settled", "RJCT": "failed"}
_STATUS_CODE = re.compile(r"^[A-Z]{4}$")


def parse_returns_pain002(xml_bytes: bytes) -> ParsedReturns:
    """Read a pain.002 status report; bad transactions (an unreadable report: line 0) are reported, never raised."""
    try:
        root = etree.fromstring(xml_bytes, safe_parser())
    except (etree.XMLSyntaxError, ValueError) as exc:
        return _refused(f"not well-formed XML: {exc}")
    namespace = etree.QName(root).namespace or ""
    report = root.find(f"{{{namespace}}}CstmrPmtStsRpt")
    if etree.QName(root).localname != "Document" or not _ANY_PAIN002.match(namespace) or report is None:
        return _refused("not an ISO 20022 pain.002 customer payment status report (Document/CstmrPmtStsRpt)")
    ns = {"p": namespace}
    message_id = (report.findtext("p:OrgnlGrpInfAndSts/p:OrgnlMsgId", namespaces=ns) or "").strip() or None
    transactions = report.findall("p:OrgnlPmtInfAndSts/p:TxInfAndSts", namespaces=ns)
    if not transactions:
        group_status = (report.findtext("p:OrgnlGrpInfAndSts/p:GrpSts", namespaces=ns) or "").strip()
        said = f" (group status {group_status})" if _STATUS_CODE.match(group_status) else ""
        message = f"the report carries no per-payment status (TxInfAndSts){said}; outcomes are applied per payment only"
        return _refused(message, message_id)
    lines: list[ReturnLine] = []
    errors: list[ReturnLineError] = []
    for position, tx in enumerate(transactions, start=1):
        entry = _read_transaction(position, tx, ns)
        (lines if isinstance(entry, ReturnLine) else errors).append(entry)
    return ParsedReturns("pain.002", tuple(lines), tuple(errors), message_id)


def validate_pain002(xml_bytes: bytes) -> list[str]:
    """Errors from validating xml_bytes against the pain.002.001.12 XSD, as "line N: message"; [] when valid."""
    return validate_against("pain.002.001.12", xml_bytes)


def _refused(message: str, message_id: str | None = None) -> ParsedReturns:
    return ParsedReturns("pain.002", (), (ReturnLineError(0, message),), message_id)


def _read_transaction(position: int, tx: etree._Element, ns: dict[str, str]) -> ReturnLine | ReturnLineError:
    problems: list[str] = []
    end_to_end_id = collect(problems, parse_end_to_end_id, tx.findtext("p:OrgnlEndToEndId", namespaces=ns))
    status = (tx.findtext("p:TxSts", namespaces=ns) or "").strip()
    outcome = TX_STATUSES.get(status)
    if outcome is None:
        problems.append(_status_problem(status))
    code = tx.findtext("p:StsRsnInf/p:Rsn/p:Cd", namespaces=ns)
    code = code or tx.findtext("p:StsRsnInf/p:Rsn/p:Prtry", namespaces=ns)
    reason_code = collect(problems, parse_reason_code, code, outcome or "settled")
    details = " ".join(el.text or "" for el in tx.findall("p:StsRsnInf/p:AddtlInf", namespaces=ns))
    reason = collect(problems, parse_reason, details)
    amount = tx.find("p:OrgnlTxRef/p:Amt/p:InstdAmt", namespaces=ns)
    if amount is None:
        amount = tx.find("p:OrgnlTxRef/p:IntrBkSttlmAmt", namespaces=ns)
    if amount is None:  # optional in pain.002: the line is matched by its OrgnlEndToEndId alone
        amount_fen = currency = None
    else:
        amount_fen = collect(problems, parse_amount, amount.text)
        currency = collect(problems, parse_currency, amount.get("Ccy"))
    value_date = collect(problems, parse_value_date, tx.findtext("p:OrgnlTxRef/p:IntrBkSttlmDt", namespaces=ns))
    if problems:
        where = f"transaction {position} (XML line {tx.sourceline})"
        return ReturnLineError(position, f"{where}: " + "; ".join(problems), end_to_end_id)
    return ReturnLine(position, end_to_end_id, outcome, amount_fen, currency, reason_code, reason, value_date)


def _status_problem(status: str) -> str:
    if not status:
        return "TxSts is missing"
    if not _STATUS_CODE.match(status):
        return "TxSts is not a four-letter status code"
    return f"TxSts {status} is not a final outcome: only ACSC or ACCC (settled) and RJCT (failed) are applied"

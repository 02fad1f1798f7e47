"""An ISO 20022 bank-to-customer statement (camt.053.001.xx, BkToCstmrStmt/Stmt) or debit notification
(camt.054.001.xx, BkToCstmrDbtCdtNtfctn/Ntfctn), read into the debits booked on the paying account.

Validated structurally, not against the XSD: the camt.053.001.08 schema could not be obtained offline to ship
beside the pain schemas, so the reader checks what it needs, in the places the schema puts them:

| element | becomes |
|---|---|
| `Stmt/Id` (`Ntfctn/Id`) | statement_id |
| `Acct/Id/Othr/Id` (or `Acct/Id/IBAN`) | the account (a fund's paying account, GRANTS_FUND_ACCOUNTS) |
| `FrToDt/FrDtTm`, `FrToDt/ToDtTm` | the period (optional; else the booking dates of the entries) |
| each `Ntry` with `CdtDbtInd` `DBIT` and `Sts` (`Sts/Cd`) `BOOK` | a debit; other entries are not ours to match |
| `Ntry/Amt` and `@Ccy` | the entry's amount (a batch booked as one entry is matched against the batch total) |
| `Ntry/BookgDt/Dt` (or `DtTm`) | booked_on |
| `NtryDtls/TxDtls/Refs/EndToEndId` | the payment id of each transaction (its own `Amt` when given) |
| `NtryDtls/TxDtls/Refs/MsgId` or `NtryDtls/Btch/MsgId` | a batch booked as one debit (MsgId = batch id) |
"""

import re
from dataclasses import dataclass
from datetime import date

from lxml import etree

from services.disbursement.domain.bank_returns.lines import parse_amount
from services.disbursement.domain.iso20022_xml import safe_parser

_CAMT = re.compile(r"^urn:iso:std:iso:20022:tech:xsd:camt\.05[34]\.001\.\d{2}$")


class StatementUnreadable(ValueError):
    pass


@dataclass(frozen=True)
class Debit:
    """One booked debit transaction: a payment (end_to_end_id) or a whole batch (message_id), or neither."""

    entry_no: int  # 1-based position of the Ntry in the statement
    amount_fen: int
    currency: str
    booked_on: date | None
    end_to_end_id: str | None
    message_id: str | None


@dataclass(frozen=True)
class Statement:
    form: str  # camt.053 | camt.054
    statement_id: str
    account: str
    period: tuple[date, date] | None
    debits: tuple[Debit, ...]


def parse_statement(xml_bytes: bytes) -> Statement:
    try:
        root = etree.fromstring(xml_bytes, safe_parser())
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise StatementUnreadable(f"not well-formed XML: {exc}") from None
    namespace = etree.QName(root).namespace or ""
    if etree.QName(root).localname != "Document" or not _CAMT.match(namespace):
        raise StatementUnreadable("not an ISO 20022 camt.053 or camt.054 document")
    ns = {"c": namespace}
    form = "camt.053" if ".053." in namespace else "camt.054"
    path = "c:BkToCstmrStmt/c:Stmt" if form == "camt.053" else "c:BkToCstmrDbtCdtNtfctn/c:Ntfctn"
    statements = root.findall(path, namespaces=ns)
    if len(statements) != 1:
        raise StatementUnreadable(f"expected one {path.split(':')[-1]}, found {len(statements)}")
    stmt = statements[0]
    account = (stmt.findtext("c:Acct/c:Id/c:Othr/c:Id", namespaces=ns) or
               stmt.findtext("c:Acct/c:Id/c:IBAN", namespaces=ns) or "").strip()
    if not account:
        raise StatementUnreadable("the statement names no account (Acct/Id/Othr/Id or Acct/Id/IBAN)")
    debits = []
    for position, entry in enumerate(stmt.findall("c:Ntry", namespaces=ns), start=1):
        status = (entry.findtext("c:Sts/c:Cd", namespaces=ns) or entry.findtext("c:Sts", namespaces=ns) or "").strip()
        if (entry.findtext("c:CdtDbtInd", namespaces=ns) or "").strip() != "DBIT" or status != "BOOK":
            continue
        debits += _debits(position, entry, ns)
    return Statement(form, (stmt.findtext("c:Id", namespaces=ns) or "").strip() or "?", account,
                     _period(stmt, ns), tuple(debits))


def _debits(position: int, entry: etree._Element, ns: dict[str, str]) -> list[Debit]:
    amount = _amount(entry.find("c:Amt", namespaces=ns), position)
    booked = _date(entry.findtext("c:BookgDt/c:Dt", namespaces=ns) or
                   (entry.findtext("c:BookgDt/c:DtTm", namespaces=ns) or "")[:10])
    batch_id = (entry.findtext("c:NtryDtls/c:Btch/c:MsgId", namespaces=ns) or "").strip() or None
    transactions = entry.findall("c:NtryDtls/c:TxDtls", namespaces=ns)
    per_payment = [tx for tx in transactions if (tx.findtext("c:Refs/c:EndToEndId", namespaces=ns) or "").strip()
                   not in ("", "NOTPROVIDED")]
    if batch_id or not per_payment:  # booked as one debit: matched against a batch's total by its MsgId
        message_id = batch_id or (entry.findtext("c:NtryDtls/c:TxDtls/c:Refs/c:MsgId", namespaces=ns) or "").strip()
        return [Debit(position, *amount, booked, None, message_id or None)]
    debits = []
    for tx in per_payment:
        own = tx.find("c:Amt", namespaces=ns)
        tx_amount = _amount(own, position) if own is not None else amount
        debits.append(Debit(position, *tx_amount, booked, tx.findtext("c:Refs/c:EndToEndId", namespaces=ns).strip(),
                            None))
    return debits


def _amount(element: etree._Element | None, position: int) -> tuple[int, str]:
    if element is None or not (element.text or "").strip():
        raise StatementUnreadable(f"entry {position}: Amt is missing")
    try:
        return parse_amount(element.text), (element.get("Ccy") or "").strip()
    except ValueError as exc:
        raise StatementUnreadable(f"entry {position}: {exc}") from None


def _period(stmt: etree._Element, ns: dict[str, str]) -> tuple[date, date] | None:
    start = _date((stmt.findtext("c:FrToDt/c:FrDtTm", namespaces=ns) or "")[:10])
    end = _date((stmt.findtext("c:FrToDt/c:ToDtTm", namespaces=ns) or "")[:10])
    return (start, end) if start and end else None


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()) if text and text.strip() else None
    except ValueError:
        return None

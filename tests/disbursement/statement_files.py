"""camt.053 statements for tests: a fund's paying account, one day, one booked debit an (EndToEndId, amount)."""

from lxml import etree

CAMT053 = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"


def camt053(account: str, day: str, entries: list[tuple[str, str]], statement_id: str = "STMT-1") -> bytes:
    """A statement of `account` for `day`, one booked debit a (EndToEndId, amount)."""
    def el(tag, *children, text=None, **attrs):  # type: ignore[no-untyped-def]
        node = etree.Element(f"{{{CAMT053}}}{tag}", attrs, nsmap={None: CAMT053})
        node.text = text
        node.extend(children)
        return node

    def entry(reference: str, amount: str):  # type: ignore[no-untyped-def]
        return el("Ntry", el("Amt", text=amount, Ccy="CNY"), el("CdtDbtInd", text="DBIT"),
                  el("Sts", el("Cd", text="BOOK")), el("BookgDt", el("Dt", text=day)),
                  el("NtryDtls", el("TxDtls", el("Refs", el("EndToEndId", text=reference)))))

    return etree.tostring(el("Document", el("BkToCstmrStmt", el("GrpHdr", el("MsgId", text=statement_id)), el(
        "Stmt", el("Id", text=statement_id), el("Acct", el("Id", el("Othr", el("Id", text=account)))),
        el("FrToDt", el("FrDtTm", text=f"{day}T00:00:00+08:00"), el("ToDtTm", text=f"{day}T23:59:59+08:00")),
        *(entry(r, a) for r, a in entries)))), xml_declaration=True, encoding="UTF-8")

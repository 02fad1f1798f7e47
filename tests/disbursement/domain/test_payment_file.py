"""The pain.001.001.09 credit-transfer file of a batch: valid against the XSD, totals to the fen."""

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from services.disbursement.domain.payment_file import (
    DebtorAccount,
    PaymentFileError,
    PaymentLine,
    render_pain001,
    validate_pain001,
    write_pain001,
)
from shared.china_time import CHINA_TZ

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}


def a_line(n: int = 1, **overrides) -> PaymentLine:
    fields = dict(
        payment_id=f"PAY-2024-{n:06d}",
        claim_id=f"CLM-{n:08d}",
        programme="skill_upgrade",
        amount_fen=150_000,
        payee_account_number="6222020200012345678",
        payee_name="张三",
        payee_bank="中国工商银行成都青羊支行",
    )
    return PaymentLine(**(fields | overrides))


def the_fund_account() -> DebtorAccount:
    return DebtorAccount(name="青羊区失业保险基金", account_number="5100 1234 5678 9012", bank_name="中国建设银行成都分行")


def render(lines, **overrides) -> bytes:
    args = dict(
        batch_id="BATCH-2024-0001",
        lines=lines,
        debtor=the_fund_account(),
        created_at=datetime(2024, 5, 1, 9, 30, 15, 123456, tzinfo=CHINA_TZ),
        execution_date=date(2024, 5, 2),
    )
    return render_pain001(**(args | overrides))


def text(document: etree._Element, path: str) -> str:
    return document.findtext(path, namespaces=NS)


def test_generated_file_validates_against_the_pain001_xsd():
    xml = render([a_line(1), a_line(2, amount_fen=1), a_line(3, programme="trainee", amount_fen=99_999_99)])

    assert validate_pain001(xml) == []


def test_control_sum_and_count_in_both_headers_equal_the_batch():
    lines = [a_line(n, amount_fen=amount) for n, amount in enumerate([1, 150_000, 33_333, 7], start=1)]

    document = etree.fromstring(render(lines))

    for header in ("p:CstmrCdtTrfInitn/p:GrpHdr", "p:CstmrCdtTrfInitn/p:PmtInf"):
        assert text(document, f"{header}/p:NbOfTxs") == "4"
        assert text(document, f"{header}/p:CtrlSum") == "1833.41"
    amounts = document.findall(".//p:CdtTrfTxInf/p:Amt/p:InstdAmt", namespaces=NS)
    assert sum(Decimal(a.text) for a in amounts) == Decimal("1833.41")


def test_amounts_of_one_fen_and_fifteen_hundred_yuan_are_exact():
    document = etree.fromstring(render([a_line(1, amount_fen=1), a_line(2, amount_fen=150_000)]))

    amounts = document.findall(".//p:CdtTrfTxInf/p:Amt/p:InstdAmt", namespaces=NS)
    assert [(a.text, a.get("Ccy")) for a in amounts] == [("0.01", "CNY"), ("1500.00", "CNY")]
    assert text(document, "p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum") == "1500.01"


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=10**11), min_size=1, max_size=40))
def test_control_sum_is_the_exact_sum_of_any_amounts(amounts):
    xml = render([a_line(n, amount_fen=amount) for n, amount in enumerate(amounts)])

    document = etree.fromstring(xml)
    assert Decimal(text(document, "p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum")) * 100 == sum(amounts)
    assert validate_pain001(xml) == []


def test_one_payment_block_debits_the_fund_account_on_the_execution_date():
    document = etree.fromstring(render([a_line(1), a_line(2)]))

    blocks = document.findall("p:CstmrCdtTrfInitn/p:PmtInf", namespaces=NS)
    assert len(blocks) == 1
    block = blocks[0]
    assert text(block, "p:PmtInfId") == "BATCH-2024-0001"
    assert text(block, "p:PmtMtd") == "TRF"
    assert text(block, "p:ReqdExctnDt/p:Dt") == "2024-05-02"
    assert text(block, "p:Dbtr/p:Nm") == "青羊区失业保险基金"
    assert text(block, "p:DbtrAcct/p:Id/p:Othr/p:Id") == "5100123456789012"
    assert text(block, "p:DbtrAgt/p:FinInstnId/p:Nm") == "中国建设银行成都分行"
    assert text(document, "p:CstmrCdtTrfInitn/p:GrpHdr/p:MsgId") == "BATCH-2024-0001"
    assert text(document, "p:CstmrCdtTrfInitn/p:GrpHdr/p:CreDtTm") == "2024-05-01T09:30:15+08:00"
    assert text(document, "p:CstmrCdtTrfInitn/p:GrpHdr/p:InitgPty/p:Nm") == "青羊区失业保险基金"


def test_each_transaction_is_keyed_by_payment_id_and_names_payee_account_bank_and_claim():
    document = etree.fromstring(render([a_line(7, programme="startup", claim_id="CLM-77")]))

    tx = document.find(".//p:CdtTrfTxInf", namespaces=NS)
    assert text(tx, "p:PmtId/p:EndToEndId") == "PAY-2024-000007"
    assert text(tx, "p:Cdtr/p:Nm") == "张三"
    assert text(tx, "p:CdtrAcct/p:Id/p:Othr/p:Id") == "6222020200012345678"
    assert tx.find("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS) is None
    assert text(tx, "p:CdtrAgt/p:FinInstnId/p:Nm") == "中国工商银行成都青羊支行"
    assert text(tx, "p:RmtInf/p:Ustrd") == "startup claim CLM-77"


def test_a_payment_id_of_exactly_35_characters_is_accepted():
    xml = render([a_line(payment_id="P" * 35)])

    assert validate_pain001(xml) == []


def test_a_payment_id_longer_than_35_characters_is_refused_naming_the_limit():
    with pytest.raises(PaymentFileError, match=r"payment id \(EndToEndId\) is 36 characters long.*at most 35"):
        render([a_line(payment_id="P" * 36)])


@pytest.mark.parametrize(
    ("overrides", "complaint"),
    [
        (dict(amount_fen=0), "amount must be positive"),
        (dict(amount_fen=-100), "amount must be positive"),
        (dict(amount_fen=Decimal("15.00")), "integer number of fen"),
        (dict(payee_name="  "), "payee name is empty"),
        (dict(payee_account_number="6" * 35), "payee account number is 35 characters long"),
        (dict(payee_name="张\x00三"), "characters that XML cannot carry"),
        (dict(payment_id=" PAY-1"), "leading or trailing spaces"),
    ],
)
def test_a_line_the_schema_would_refuse_is_refused_before_rendering(overrides, complaint):
    with pytest.raises(PaymentFileError, match=complaint):
        render([a_line(**overrides)])


def test_refusals_never_echo_the_payee_name_or_account_number():
    too_long_name, too_long_account = "王" * 141, "9" * 40

    for line in (a_line(payee_name=too_long_name), a_line(payee_account_number=too_long_account)):
        with pytest.raises(PaymentFileError) as refusal:
            render([line])
        assert too_long_name not in str(refusal.value) and too_long_account not in str(refusal.value)
        assert "PAY-2024-000001" in str(refusal.value)


def test_an_empty_batch_a_repeated_payment_id_and_a_naive_timestamp_are_refused():
    with pytest.raises(PaymentFileError, match="at least one payment"):
        render([])
    with pytest.raises(PaymentFileError, match="appears twice"):
        render([a_line(1), a_line(1)])
    with pytest.raises(PaymentFileError, match="timezone-aware"):
        render([a_line(1)], created_at=datetime(2024, 5, 1, 9, 30))


def test_a_refused_batch_writes_nothing_to_the_stream():
    out = BytesIO()

    with pytest.raises(PaymentFileError):
        write_pain001(out, "BATCH-1", [a_line(1), a_line(2, amount_fen=0)], the_fund_account(),
                      datetime(2024, 5, 1, tzinfo=CHINA_TZ), date(2024, 5, 2))

    assert out.getvalue() == b""


def test_validation_reports_schema_violations_and_broken_xml_with_line_numbers():
    xml = render([a_line(1)])
    without_message_id = xml.replace(b"<MsgId>BATCH-2024-0001</MsgId>", b"")

    assert any("MsgId" in error for error in validate_pain001(without_message_id))
    assert validate_pain001(xml[:-40])[0].startswith("line ")
    assert validate_pain001(b"")  # reported, not raised


def test_many_lines_render_into_one_valid_file():
    lines = [replace(a_line(n), amount_fen=n) for n in range(1, 2001)]

    xml = render(lines)

    assert validate_pain001(xml) == []
    assert etree.fromstring(xml).findtext(".//p:GrpHdr/p:CtrlSum", namespaces=NS) == "20010.00"

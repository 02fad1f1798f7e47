"""Bank return files (CSV and pain.002) read line by line and matched against the payments we know."""

import csv
import io
from dataclasses import dataclass, replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from services.disbursement.domain.bank_returns import (
    COLUMNS,
    PAIN002_NAMESPACE,
    LineOutcome,
    OutcomeCode,
    PaymentState,
    ReturnLine,
    match_returns,
    parse_returns_csv,
    parse_returns_pain002,
    validate_pain002,
)

C = OutcomeCode


@dataclass(frozen=True)
class Row:
    """One line of a return file, written the same way into both forms."""

    end_to_end_id: str
    status: str  # SETTLED | FAILED
    amount: str
    currency: str = "CNY"
    reason_code: str = ""
    reason: str = ""
    value_date: str = "2024-05-02"


def csv_file(rows: list[Row], *, bom: bool = False) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows([[getattr(row, column) for column in COLUMNS] for row in rows])
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode()


def pain002_file(rows: list[Row], original_message_id: str = "BATCH-2024-0001") -> bytes:
    def el(tag, *children, text=None, **attrs):
        node = etree.Element(f"{{{PAIN002_NAMESPACE}}}{tag}", attrs, nsmap={None: PAIN002_NAMESPACE})
        node.text = text
        node.extend(children)
        return node

    def transaction(row: Row):
        reason = [el("Rsn", el("Cd", text=row.reason_code))] if row.reason_code else []
        reason += [el("AddtlInf", text=row.reason)] if row.reason else []
        reference = [el("Amt", el("InstdAmt", text=row.amount, Ccy=row.currency))]
        reference += [el("IntrBkSttlmDt", text=row.value_date)] if row.value_date else []
        return el(
            "TxInfAndSts",
            el("OrgnlEndToEndId", text=row.end_to_end_id),
            el("TxSts", text={"SETTLED": "ACSC", "FAILED": "RJCT"}.get(row.status, row.status)),
            *([el("StsRsnInf", *reason)] if reason else []),
            el("OrgnlTxRef", *reference),
        )

    document = el(
        "Document",
        el(
            "CstmrPmtStsRpt",
            el("GrpHdr", el("MsgId", text="ICBC-STS-0001"), el("CreDtTm", text="2024-05-03T08:00:00+08:00")),
            el(
                "OrgnlGrpInfAndSts",
                el("OrgnlMsgId", text=original_message_id),
                el("OrgnlMsgNmId", text="pain.001.001.09"),
            ),
            el("OrgnlPmtInfAndSts", el("OrgnlPmtInfId", text=original_message_id), *map(transaction, rows)),
        ),
    )
    return etree.tostring(document, xml_declaration=True, encoding="UTF-8", pretty_print=True)


# The state before the bank's file, and a file touching every kind of line.
KNOWN = {
    "PAY-SETTLE": PaymentState(150_000, "CNY", "issued"),
    "PAY-FAIL": PaymentState(1, "CNY", "issued"),
    "PAY-TWICE": PaymentState(20_000, "CNY", "issued"),
    "PAY-AMOUNT": PaymentState(100_000, "CNY", "issued"),
    "PAY-CCY": PaymentState(50_000, "CNY", "issued"),
    "PAY-DONE": PaymentState(30_000, "CNY", "settled"),
    "PAY-BOUNCED": PaymentState(40_000, "CNY", "failed"),
    "PAY-BAD": PaymentState(12_345, "CNY", "issued"),
}
MIXED = [
    Row("PAY-SETTLE", "SETTLED", "1500.00"),
    Row("PAY-FAIL", "FAILED", "0.01", reason_code="AC04", reason="Closed account", value_date=""),
    Row("PAY-NOBODY", "SETTLED", "10.00"),
    Row("PAY-TWICE", "SETTLED", "200.00"),
    Row("PAY-TWICE", "SETTLED", "200.00"),
    Row("PAY-AMOUNT", "SETTLED", "999.99"),
    Row("PAY-CCY", "SETTLED", "500.00", currency="USD"),
    Row("PAY-DONE", "SETTLED", "300.00"),
    Row("PAY-BOUNCED", "SETTLED", "400.00"),
    Row("PAY-BAD", "SETTLED", "123.456"),
]
EXPECTED = [
    ("PAY-SETTLE", C.APPLIED_SETTLED),
    ("PAY-FAIL", C.APPLIED_FAILED),
    ("PAY-NOBODY", C.UNKNOWN_REFERENCE),
    ("PAY-TWICE", C.APPLIED_SETTLED),
    ("PAY-TWICE", C.DUPLICATE_IN_FILE),
    ("PAY-AMOUNT", C.AMOUNT_MISMATCH),
    ("PAY-CCY", C.CURRENCY_MISMATCH),
    ("PAY-DONE", C.ALREADY_RECORDED),
    ("PAY-BOUNCED", C.CONFLICTING),
    ("PAY-BAD", C.INVALID),
]


def matched(parsed, known=KNOWN) -> list[LineOutcome]:
    return match_returns(parsed.entries(), known)


def after(known: dict[str, PaymentState], outcomes: list[LineOutcome]) -> dict[str, PaymentState]:
    """The state once the applied lines are recorded (what the service will persist)."""
    applied = [o for o in outcomes if o.changes_state]
    return known | {o.end_to_end_id: replace(known[o.end_to_end_id], status=o.new_status) for o in applied}


def codes(outcomes: list[LineOutcome]) -> list[tuple[str | None, OutcomeCode]]:
    return [(o.end_to_end_id, o.code) for o in outcomes]


def test_mixed_csv_file_gives_each_line_its_outcome_with_its_line_number():
    outcomes = matched(parse_returns_csv(csv_file(MIXED)))

    assert codes(outcomes) == EXPECTED
    assert [o.line_no for o in outcomes] == list(range(2, 12))  # line 1 is the header
    assert [o.new_status for o in outcomes if o.changes_state] == ["settled", "failed", "settled"]
    assert "repeats line 5" in outcomes[4].message
    assert "999.99" in outcomes[5].message and "1000.00" in outcomes[5].message
    assert outcomes[9].message.startswith("line 11: amount")


def test_only_applied_lines_change_state():
    outcomes = matched(parse_returns_csv(csv_file(MIXED)))

    state = after(KNOWN, outcomes)

    assert {k: v.status for k, v in state.items() if v != KNOWN[k]} == {
        "PAY-SETTLE": "settled",
        "PAY-FAIL": "failed",
        "PAY-TWICE": "settled",
    }


def test_failed_line_carries_the_banks_reason_for_the_payment_failed_event():
    failed = matched(parse_returns_csv(csv_file(MIXED)))[1]

    assert failed.line == ReturnLine(3, "PAY-FAIL", "failed", 1, "CNY", "AC04", "Closed account", None)
    assert failed.message == "payment failed (AC04)"


@pytest.mark.parametrize("form", [csv_file, pain002_file])
def test_replaying_the_same_file_against_the_resulting_state_changes_nothing(form):
    parse = parse_returns_csv if form is csv_file else parse_returns_pain002
    first = matched(parse(form(MIXED)))

    replay = matched(parse(form(MIXED)), after(KNOWN, first))

    assert not any(o.changes_state for o in replay)
    assert [code for _, code in codes(replay)] == [
        C.ALREADY_RECORDED if code in (C.APPLIED_SETTLED, C.APPLIED_FAILED) else code for _, code in EXPECTED
    ]


def test_csv_and_pain002_forms_of_the_same_returns_give_the_same_outcomes():
    from_csv = matched(parse_returns_csv(csv_file(MIXED)))
    from_xml = matched(parse_returns_pain002(pain002_file(MIXED)))

    assert codes(from_xml) == codes(from_csv) == EXPECTED
    assert [o.line and replace(o.line, line_no=0) for o in from_xml] == [
        o.line and replace(o.line, line_no=0) for o in from_csv
    ]


def test_the_pain002_sample_is_valid_against_the_official_xsd():
    assert validate_pain002(pain002_file(MIXED)) == []


def test_pain002_report_names_the_batch_it_answers_and_numbers_its_transactions():
    parsed = parse_returns_pain002(pain002_file(MIXED[:3], original_message_id="BATCH-42"))

    assert parsed.original_message_id == "BATCH-42"
    assert [line.line_no for line in parsed.lines] == [1, 2, 3]


def test_lines_of_one_file_that_contradict_each_other_apply_nothing():
    rows = [Row("PAY-SETTLE", "SETTLED", "1500.00"), Row("PAY-SETTLE", "FAILED", "1500.00", reason_code="AC04")]

    outcomes = matched(parse_returns_csv(csv_file(rows)))

    assert codes(outcomes) == [("PAY-SETTLE", C.CONFLICTING), ("PAY-SETTLE", C.DUPLICATE_IN_FILE)]
    assert "line(s) 3" in outcomes[0].message


def test_failed_after_settled_is_conflicting_not_applied():
    known = {"PAY-DONE": PaymentState(30_000, "CNY", "settled")}

    outcomes = matched(parse_returns_csv(csv_file([Row("PAY-DONE", "FAILED", "300.00", reason_code="AC04")])), known)

    assert codes(outcomes) == [("PAY-DONE", C.CONFLICTING)]
    assert "recorded as settled" in outcomes[0].message


def test_malformed_csv_lines_are_reported_with_line_numbers_and_reading_goes_on():
    header = ",".join(COLUMNS)
    body = [
        "PAY-A,SETTLED,1500.00,CNY,,,2024-05-02",
        "PAY-B,PAID,1500.00,CNY,,,2024-05-02",
        "PAY-C,SETTLED,1500.00,CNY",
        'PAY-D,SETTLED,"15"00.00,CNY,,,2024-05-02',
        "PAY-E,FAILED,-3.00,cny,,,02/05/2024",
        "",
        "PAY-F,SETTLED,1500.00,CNY,,,2024-05-02",
    ]
    data = "\n".join([header, *body]).encode() + b"\nPAY-G,SETTLED,1.00,CNY,,\xff\xfe,\n"

    parsed = parse_returns_csv(data)

    assert [(line.line_no, line.end_to_end_id) for line in parsed.lines] == [(2, "PAY-A"), (8, "PAY-F")]
    errors = {error.line_no: error.message for error in parsed.errors}
    assert sorted(errors) == [3, 4, 5, 6, 9]
    assert "status must be SETTLED or FAILED" in errors[3]
    assert "expected 7 fields as in the header, found 4" in errors[4]
    assert "badly quoted" in errors[5]
    for complaint in ("amount must be a positive number", "currency", "reason_code is required", "YYYY-MM-DD"):
        assert complaint in errors[6]
    assert "not valid UTF-8" in errors[9]
    assert [o.code for o in matched(parsed, {})].count(C.INVALID) == 5


def test_csv_with_byte_order_mark_reordered_columns_and_extra_columns_is_read():
    data = "\ufeffStatus,amount,currency,bank_ref,end_to_end_id,reason_code,reason,value_date\r\n"
    data += "settled,1500.00,CNY,X1,PAY-SETTLE,,,2024-05-02\r\n"

    parsed = parse_returns_csv(data.encode())

    assert parsed.errors == ()
    assert codes(matched(parsed)) == [("PAY-SETTLE", C.APPLIED_SETTLED)]


@pytest.mark.parametrize(
    ("data", "complaint"),
    [
        (b"PAY-A,SETTLED,1500.00,CNY,,,2024-05-02\n", "must be a header"),
        (b"end_to_end_id,status,amount\n", "missing: currency,reason_code,reason,value_date"),
        (b"", "the file is empty"),
        (b"\xef\xbb\xbf\n\n", "the file is empty"),
    ],
)
def test_csv_without_a_usable_header_is_one_file_level_error(data, complaint):
    parsed = parse_returns_csv(data)

    assert parsed.lines == ()
    assert len(parsed.errors) == 1 and parsed.errors[0].is_file_level
    assert complaint in parsed.errors[0].message


@pytest.mark.parametrize(
    ("data", "complaint"),
    [
        (b"<Document><unclosed></Document>", "not well-formed XML"),
        (b"", "not well-formed XML"),
        (b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"/>', "not an ISO 20022 pain.002"),
        (pain002_file([]), "no per-payment status"),
    ],
)
def test_unreadable_xml_report_is_one_file_level_error_not_an_exception(data, complaint):
    parsed = parse_returns_pain002(data)

    assert parsed.lines == () and len(parsed.errors) == 1
    assert parsed.errors[0].is_file_level and complaint in parsed.errors[0].message


def test_pending_or_incomplete_pain002_transactions_are_reported_and_one_without_its_amount_is_read():
    rows = [Row("PAY-A", "ACSP", "1.00"), Row("PAY-B", "SETTLED", "2.00"), Row("PAY-C", "FAILED", "3.00")]
    document = etree.fromstring(pain002_file(rows))
    amount_of_b = document.findall(".//{*}TxInfAndSts/{*}OrgnlTxRef/{*}Amt")[1]
    amount_of_b.getparent().remove(amount_of_b)

    parsed = parse_returns_pain002(etree.tostring(document))

    errors = {error.line_no: error.message for error in parsed.errors}
    assert sorted(errors) == [1, 3]
    assert "TxSts ACSP is not a final outcome" in errors[1]
    assert "reason_code is required for a failed payment" in errors[3]
    assert errors[3].startswith("transaction 3 (XML line ")
    assert [e.end_to_end_id for e in parsed.errors] == ["PAY-A", "PAY-C"]
    # the original amount is optional in pain.002: the line is matched by its reference alone
    [line] = parsed.lines
    assert (line.end_to_end_id, line.outcome, line.amount_fen, line.currency) == ("PAY-B", "settled", None, None)
    [outcome] = match_returns(parsed.lines, {"PAY-B": PaymentState(200, "CNY", "issued")})
    assert outcome.code == OutcomeCode.APPLIED_SETTLED


def test_xml_entities_in_a_report_are_never_expanded():
    xml = pain002_file([Row("PAY-SETTLE", "SETTLED", "1500.00")]).replace(
        b"<Document", b'<!DOCTYPE Document [<!ENTITY x SYSTEM "file:///etc/hostname">]>\n<Document', 1
    ).replace(b"PAY-SETTLE", b"&x;")

    parsed = parse_returns_pain002(xml)

    assert parsed.lines == ()
    assert "end_to_end_id is missing" in parsed.errors[0].message


def test_payment_state_refuses_an_unknown_status():
    with pytest.raises(ValueError):
        PaymentState(100, "CNY", "paid")


_ids = st.sampled_from(["P1", "P2", "P3", "P4"])
_rows = st.builds(
    Row,
    end_to_end_id=_ids,
    status=st.sampled_from(["SETTLED", "FAILED"]),
    amount=st.sampled_from(["1.00", "2.00"]),
    currency=st.sampled_from(["CNY", "USD"]),
    reason_code=st.just("AC04"),
)
_statuses = st.sampled_from(["issued", "settled", "failed"])
_states = st.dictionaries(_ids, st.builds(PaymentState, st.sampled_from([100, 200]), st.just("CNY"), _statuses))


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(_rows, max_size=8), known=_states)
def test_any_file_replayed_after_it_was_applied_changes_nothing(rows, known):
    first = matched(parse_returns_csv(csv_file(rows)), known)

    replay = matched(parse_returns_csv(csv_file(rows)), after(known, first))

    assert not any(o.changes_state for o in replay)
    assert len({o.end_to_end_id for o in first if o.changes_state}) == sum(o.changes_state for o in first)

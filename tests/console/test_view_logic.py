"""The console's pure view logic: money as ¥1,500.00, dates in the reader's locale and China time, accessible
SVG charts drawn in proportion, the queue's grouping, the books per fund, a bank return cut into chunks."""

from decimal import Decimal

import pytest
from lxml import etree

from services.console.domain.charts import BAR_AREA, Series, bar_chart
from services.console.domain.formatting import day, moment, money
from services.console.domain.ledger_figures import books_per_fund, monthly_flows
from services.console.domain.queue import fund_totals, group_entitlements
from services.console.service.api_models import ReturnLine
from services.console.service.bank_returns import _renumbered, csv_chunks

SVG = "{http://www.w3.org/2000/svg}"


def test_money_is_yuan_with_thousands_and_two_places_never_a_float():
    assert money("1500.00") == "¥1,500.00"
    assert money("1234567.5") == "¥1,234,567.50"
    assert money("-1500") == "-¥1,500.00"
    assert money(Decimal("0")) == "¥0.00" and money(None) == "—"
    with pytest.raises(TypeError):
        money(1500.0)  # type: ignore[arg-type]


def test_dates_are_in_the_readers_locale_and_china_time():
    assert moment("2023-12-31T20:00:00+00:00", "zh_CN") == "2024年1月1日 04:00:00"
    assert moment("2023-12-31T20:00:00Z", "en") == "Jan 1, 2024, 4:00:00\u202fAM"
    assert moment("2023-12-31T20:00:00", "en") == "Jan 1, 2024, 4:00:00\u202fAM"  # a UTC time sent without offset
    assert day("2023-06-15", "zh_CN") == "2023年6月15日" and day("2023-06-15", "en") == "June 15, 2023"


def test_a_chart_names_itself_and_each_bar_and_draws_them_in_proportion():
    svg = bar_chart("c1", "Issued & settled", "two programmes", ["技能提升补贴", "B"],
                    [Series("Issued", "series-2", [Decimal("3000.00"), Decimal("1500.00")]),
                     Series("Settled", "series-3", [Decimal("1500.00"), Decimal("0")])], money)
    root = etree.fromstring(svg.encode())
    assert root.get("role") == "img" and root.get("aria-labelledby") == "c1-title c1-desc"
    assert root.find(f"{SVG}title").text == "Issued & settled" and root.find(f"{SVG}desc").text == "two programmes"
    bars = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert [b.find(f"{SVG}title").text for b in bars] == [
        "技能提升补贴, Issued: ¥3,000.00", "技能提升补贴, Settled: ¥1,500.00", "B, Issued: ¥1,500.00", "B, Settled: ¥0.00"]
    widths = [Decimal(b.get("width")) for b in bars]
    assert widths == [Decimal(BAR_AREA), Decimal(BAR_AREA) / 2, Decimal(BAR_AREA) / 2, 0]


def test_an_empty_chart_still_draws():
    root = etree.fromstring(bar_chart("c2", "t", "d", [], [Series("x", "series-1", [])], money).encode())
    assert root.get("role") == "img"


def test_the_queue_groups_entitlements_by_fund_and_programme_with_counts_and_totals():
    items = [{"fund": "ui", "programme": "a", "amount": "1500.00", "decided_at": "2023-02-01T00:00:00+00:00"},
             {"fund": "ui", "programme": "a", "amount": "1000.00", "decided_at": "2023-01-01T00:00:00+00:00"},
             {"fund": "es", "programme": "b", "amount": "0.10", "decided_at": "2023-03-01T00:00:00+00:00"}]
    rows = group_entitlements(items)
    assert [(r.fund, r.programme, r.count, r.total, r.oldest[:10]) for r in rows] == [
        ("es", "b", 1, Decimal("0.10"), "2023-03-01"), ("ui", "a", 2, Decimal("2500.00"), "2023-01-01")]
    assert fund_totals(rows) == {"es": (1, Decimal("0.10")), "ui": (2, Decimal("2500.00"))}


def test_books_and_months_read_the_posting_rules():
    balances = [{"fund": "ui", "account": "ui:expense:a", "balance": "3000.00"},
                {"fund": "ui", "account": "ui:payable", "balance": "-1000.00"},
                {"fund": "ui", "account": "ui:bank", "balance": "-2000.00"}]
    books = books_per_fund(balances)["ui"]
    assert (books.expense, books.payable, books.bank) == (Decimal("3000.00"), Decimal("1000.00"), Decimal("2000.00"))
    entries = [  # issued 31 Dec 17:00 UTC = 1 Jan China time; settled; a reversal
        {"fund": "ui", "posted_at": "2023-12-31T17:00:00Z", "postings": [
            {"account": "ui:expense:a", "debit": "1500.00", "credit": "0.00"},
            {"account": "ui:payable", "debit": "0.00", "credit": "1500.00"}]},
        {"fund": "ui", "posted_at": "2024-02-10T01:00:00Z", "postings": [
            {"account": "ui:payable", "debit": "1500.00", "credit": "0.00"},
            {"account": "ui:bank", "debit": "0.00", "credit": "1500.00"}]},
        {"fund": "ui", "posted_at": "2024-02-11T01:00:00Z", "postings": [
            {"account": "ui:expense:a", "debit": "0.00", "credit": "500.00"},
            {"account": "ui:payable", "debit": "500.00", "credit": "0.00"}]}]
    months = monthly_flows(entries, "ui", 2024)
    assert (months[0].issued, months[0].net) == (Decimal("1500.00"), Decimal("1500.00"))
    assert (months[1].settled, months[1].reversed, months[1].net) == (Decimal("1500.00"), Decimal("500.00"),
                                                                      Decimal("-500.00"))
    assert monthly_flows(entries, "ui", 2023)[11].issued == 0


def test_a_bank_return_is_cut_into_chunks_whose_lines_map_back_to_the_file():
    lines = [f"P{n},SETTLED,1.00,CNY,,,2024-01-01" for n in range(1, 6)]
    data = ("end_to_end_id,status,amount,currency,reason_code,reason,value_date\n" + "\n".join(lines)).encode()
    chunks = csv_chunks(data, size=2)
    assert [offset for offset, _ in chunks] == [0, 2, 4]
    assert all(chunk.startswith(b"end_to_end_id,") for _, chunk in chunks)
    assert chunks[2][1].decode().splitlines()[1] == "P5,SETTLED,1.00,CNY,,,2024-01-01"
    moved = _renumbered(ReturnLine(line_no=2, end_to_end_id="P5", outcome="invalid", message="line 2: bad amount"), 4)
    assert (moved.line_no, moved.message) == (6, "line 6: bad amount")  # P5 is the file's line 6

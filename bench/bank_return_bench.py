"""bank returns: a 20,000-line bank return applied end to end, as CSV and as an ISO 20022 pain.002.

Two approved batches of ITEMS payments each (seeded through bench.seed, approved over HTTP by `grants serve
disbursement`); the first is answered by a CSV return settling every payment, the second by a pain.002
rejecting every payment (RJCT AC04) without the optional original amounts (matched by reference). The clock
runs from the POST until the last outcome event the file staged is published by the relay (applied end to
end: read, matched, payments and claims moved, events on Kafka). The reference is the raw parse of the same
file in this process (domain.bank_returns, no database): applying can only be slower, and the ratio says
how much of the time goes to the database and the broker rather than to reading the file.
"""

import time
import uuid

import httpx
from lxml import etree

from bench import seed
from bench.harness import Figure, Reference, sized
from bench.procs import running, scalar, wait_for
from bench.services import broker, databases
from services.disbursement.domain.bank_returns import parse_returns_csv, parse_returns_pain002
from tests.disbursement.domain.test_bank_returns import Row, csv_file, pain002_file
from tests.support import auth

ITEMS, FUND = sized(20_000, 2_000), "unemployment_insurance"
TARGET_RATIO = 0.02  # applying a line (locks, two updates, an event, its relay) vs parsing it: 1/50 at least


def _post(http: httpx.Client, path: str, **options) -> dict:  # type: ignore[no-untyped-def]
    response = http.post(path, headers={**auth("officer", options.pop("officer", "officer-checker")),
                                        **options.pop("headers", {})}, **options)
    if response.status_code >= 300:
        raise RuntimeError(f"POST {path} answered {response.status_code}: {response.text[:300]}")
    return response.json()


def _approved_batch(http: httpx.Client, url: str) -> tuple[str, list[str]]:
    batch = _post(http, "/v1/batches", json={"fund": FUND}, officer="officer-maker")
    _post(http, f"/v1/batches/{batch['batch_id']}/approve")
    rows = scalar(url, "SELECT string_agg(payment_id, ',' ORDER BY payment_id) FROM payments WHERE batch_id = %s",
                  batch["batch_id"])
    return batch["batch_id"], rows.split(",")


def _unpublished(url: str) -> int:
    return int(scalar(url, "SELECT count(*) FROM outbox WHERE published_at IS NULL"))


def _applied(http: httpx.Client, url: str, data: bytes, content_type: str) -> float:
    """Seconds from the POST until the file's last event is published."""
    wait_for(lambda: _unpublished(url) == 0, 300, "earlier events to be published")
    started = time.time()
    report = _post(http, "/v1/bank-returns", content=data, headers={"content-type": content_type})
    if report["applied"] != ITEMS:
        raise RuntimeError(f"{report['applied']} of {ITEMS} lines applied: {report['summary']}")
    wait_for(lambda: _unpublished(url) == 0, 600, "the return's events to be published", poll=0.05)
    return float(scalar(url, "SELECT EXTRACT(EPOCH FROM max(published_at)) FROM outbox")) - started


def _parse_rate(parse, data: bytes) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    parse(data)
    return ITEMS / (time.perf_counter() - started)


def _without_amounts(document: bytes) -> bytes:
    tree = etree.fromstring(document)
    for reference in tree.findall(".//{*}TxInfAndSts/{*}OrgnlTxRef"):
        reference.getparent().remove(reference)
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


def run() -> list[Figure]:
    with broker() as bootstrap, databases("disbursement") as urls:
        url = urls["disbursement"]
        seed.eligible_claims(url, 2 * ITEMS)
        env = {"DISBURSEMENT_DATABASE_URL": url, "GRANTS_KAFKA_BOOTSTRAP": bootstrap,
               "GRANTS_TOPIC_PREFIX": f"br{uuid.uuid4().hex[:8]}", "APPLICATIONS_URL": "http://127.0.0.1:1",
               "GRANTS_DUAL_APPROVAL_THRESHOLD": "1000000000.00", "GRANTS_OFFICER_DAILY_LIMIT": "1000000000.00"}
        with running("disbursement", env) as service, httpx.Client(base_url=service.url, timeout=600) as http:
            first_id, first = _approved_batch(http, url)
            second_id, second = _approved_batch(http, url)
            amount = scalar(url, "SELECT to_char(min(amount_fen) / 100.0, 'FM999999990.00') FROM payments")
            csv_data = csv_file([Row(p, "SETTLED", amount) for p in first])
            pain_data = _without_amounts(pain002_file([Row(p, "FAILED", amount, reason_code="AC04") for p in second],
                                                      original_message_id=second_id))
            csv_s = _applied(http, url, csv_data, "text/csv")
            pain_s = _applied(http, url, pain_data, "application/xml")
    csv_parse, pain_parse = _parse_rate(parse_returns_csv, csv_data), _parse_rate(parse_returns_pain002, pain_data)
    size = f"{ITEMS:,} lines"
    return [Figure(f"CSV return of {size} ({len(csv_data) / 1e6:.1f} MB): applied end to end", "lines/s",
                   ITEMS / csv_s, references=(Reference("raw parse of the same file", "lines/s", csv_parse,
                                                        TARGET_RATIO),)),
            Figure(f"of which the CSV return's wall time", "s", csv_s, None, higher_is_better=False),
            Figure(f"pain.002 of {size} ({len(pain_data) / 1e6:.1f} MB), no amounts: applied end to end", "lines/s",
                   ITEMS / pain_s, references=(Reference("raw parse of the same file", "lines/s", pain_parse,
                                                         TARGET_RATIO),)),
            Figure(f"of which the pain.002's wall time", "s", pain_s, None, higher_is_better=False)]

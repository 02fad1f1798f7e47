"""One account receiving for many unrelated beneficiaries (issue 14, point 4), consumed from the real broker and
judged by the anomaly worker with the operator's AUDIT_PAYEE_ACCOUNT_MAX_BENEFICIARIES."""

from services.audit.domain.anomalies.findings import FUND_SUPERVISION_CLAUSE
from services.audit.main import rule_parameters
from tests.audit.domain.factories import issued_event, outcome_event, ref
from tests.audit.support import anomaly_worker, audit_settings, consuming, processed, produce, wait_for
from tests.support import auth

AUDITOR = auth("auditor", "auditor-1")
MAX = 3  # the operator's setting, not the default (2)


def findings(client) -> list[dict]:  # type: ignore[no-untyped-def]
    return client.get("/v1/anomalies", params={"rule": "account_receives_for_many"}, headers=AUDITOR).json()["items"]


def test_an_account_receiving_for_one_beneficiary_more_than_allowed_is_flagged_until_a_payment_to_it_fails(
        broker, topic_prefix, client, engine, standards, audit_url):
    params = rule_parameters(audit_settings(audit_url, audit_payee_account_max_beneficiaries=MAX))
    crowded, full = ref("acct-crowded"), ref("acct-full")
    kinds = ("person", "organisation")  # whatever kind of beneficiary: an account, many payees
    over = [issued_event(f"c{i}", payee_ref=crowded, beneficiary_kind=kinds[i % 2]) for i in range(MAX + 1)]
    at_limit = [issued_event(f"f{i}", payee_ref=full, beneficiary_kind=kinds[i % 2]) for i in range(MAX)]
    # the same beneficiary paid again into that account: still MAX beneficiaries, not MAX + 1
    again = issued_event("f-again", payee_ref=full, beneficiary_ref=ref("person-f0"))
    events = [*over, *at_limit, again]
    with anomaly_worker(engine, standards, params) as sweep, \
            consuming(engine, broker, topic_prefix, on_batch_committed=sweep):
        produce(broker, topic_prefix, events)
        wait_for(lambda: processed(engine) == len(events) and findings(client), what="the crowded account's finding",
                 describe=lambda: findings(client))
        [finding] = findings(client)
        assert finding["payment_ids"] == [f"c{i}" for i in range(MAX + 1)]
        assert (finding["severity"], finding["clause"], finding["status"]) == ("high", FUND_SUPERVISION_CLAUSE, "open")
        assert crowded[:12] in finding["detail"] and f"for {MAX + 1} different beneficiaries" in finding["detail"]

        produce(broker, topic_prefix, [outcome_event("c1", settled=False)])  # returned: it reached no account
        wait_for(lambda: findings(client)[0]["status"] == "resolved", what="the system closing the finding",
                 describe=lambda: findings(client))
    [closed] = findings(client)
    assert (closed["finding_key"], closed["status_by"]) == (finding["finding_key"], "system")

"""A what-if evaluation and the real decision date a claim by the same clock rule: the China calendar day.

Between 00:00 and 08:00 Beijing time the UTC date is still the day before, so a certificate issued
"today" in China would be "after the evaluation date" for a what-if dated in UTC, while the decider,
dating the decision by the China day of filing, finds it eligible.
"""

import uuid
from datetime import UTC, datetime

from fastapi.testclient import TestClient

from services.disbursement.main import create_app
from services.disbursement.service.claim_deciding import decide
from shared.catalog import load_catalog
from shared.claims import parse_claim
from shared.db import unit_of_work
from shared.migrations import upgrade_service
from tests.disbursement.conftest import disbursement_settings
from tests.support import auth, skill_upgrade_body

# 07:30 on 15 June 2023 in Beijing is still 14 June in UTC.
BEIJING_0730 = datetime(2023, 6, 14, 23, 30, tzinfo=UTC)
OFFICER = auth("officer", "officer-1")


def test_at_0730_beijing_time_a_what_if_answers_what_the_decider_decides(db_url):
    upgrade_service("disbursement", db_url)
    body = skill_upgrade_body(7, certificate_issued_on="2023-06-15")  # issued that Beijing morning
    app = create_app(disbursement_settings(db_url), run_workers=False, clock=lambda: BEIJING_0730)
    with TestClient(app) as api:
        what_if = api.post("/v1/evaluations", json=body, headers=OFFICER)
        with unit_of_work(app.state.runtime.engine) as session:
            decided = decide(session, claim_id=str(uuid.uuid4()), claim=parse_claim(body), catalog=load_catalog(),
                             pii_key=app.state.runtime.settings.grants_pii_key, submitted_at=BEIJING_0730)
    assert what_if.status_code == 200, what_if.text
    assert what_if.json()["as_of"] == "2023-06-15"
    assert (what_if.json()["outcome"], what_if.json()["amount"]) == ("eligible", "1500.00")
    assert {k: what_if.json()[k] for k in ("outcome", "amount", "reasons")} == \
        {k: decided.document[k] for k in ("outcome", "amount", "reasons")}

from concurrent.futures import ThreadPoolExecutor

import httpx
from sqlalchemy import func, select

from services.applications.db.tables import ClaimRow, outbox
from services.applications.main import create_app
from shared.migrations import upgrade_service
from tests.applications.conftest import applications_settings
from tests.live_server import serve
from tests.support import auth, skill_upgrade_body


def test_twenty_concurrent_requests_with_one_key_create_one_claim_on_postgres(pg_url):
    upgrade_service("applications", pg_url)
    app = create_app(applications_settings(pg_url), run_workers=False)
    headers = {**auth(sub="racer"), "Idempotency-Key": "same-key"}
    with serve(app) as base:
        def post(_):  # type: ignore[no-untyped-def]
            return httpx.post(f"{base}/v1/claims", json=skill_upgrade_body(7), headers=headers, timeout=30)

        with ThreadPoolExecutor(20) as pool:
            responses = list(pool.map(post, range(20)))
    codes = sorted(r.status_code for r in responses)
    assert codes.count(201) == 1 and codes.count(200) == 19, codes
    assert len({r.json()["claim_id"] for r in responses}) == 1
    with app.state.runtime.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(ClaimRow)).scalar() == 1
        assert conn.execute(select(func.count()).select_from(outbox)).scalar() == 1

"""Issue 12, point 3: a look-alike of a subject is the same person, or no person at all. Fullwidth letters and
invisible characters in a token's subject make it a 401; case does not make another person, so maker ≠
checker, distinct checkers and the daily limit all hold across `Maker1` / `maker1` / `MAKER1`."""

import time

import jwt
from fastapi.testclient import TestClient

from shared.settings import DEV_JWT_SECRET
from shared.subjects import subject_key
from tests.disbursement.factories import add_eligible, staged
from tests.support import auth


def _forged(sub: str) -> dict[str, str]:
    """A validly signed officer token for a subject our own signer would refuse to write."""
    now = int(time.time())
    token = jwt.encode({"sub": sub, "role": "officer", "iat": now, "exp": now + 600}, DEV_JWT_SECRET, algorithm="HS256")
    return {"Authorization": f"Bearer {token}"}


def _batch(api, count: int = 1, maker: str = "Maker1") -> str:  # type: ignore[no-untyped-def]
    add_eligible(api.app.state.runtime.engine, count, amount_fen=150000)
    r = api.post("/v1/batches", json={"fund": "unemployment_insurance"}, headers=auth("officer", maker))
    assert r.status_code == 201, r.text
    return r.json()["batch_id"]


def test_look_alike_and_invisible_subjects_are_refused(api):
    batch_id = _batch(api)
    for sub in ("Ｍaker1", "Maker1\u200b", "chk\u00adD", "Maker1\u202e", "ｃhkC", "Maker1\x00", " Maker1"):
        r = api.post(f"/v1/batches/{batch_id}/approve", headers=_forged(sub))
        assert r.status_code == 401, (sub, r.status_code)
    assert api.get(f"/v1/batches/{batch_id}", headers=auth("officer", "x")).json()["status"] == "draft"


def test_the_maker_in_another_case_is_still_the_maker(api):
    batch_id = _batch(api, maker="Maker1")
    for sub in ("maker1", "MAKER1", "mAkEr1"):
        r = api.post(f"/v1/batches/{batch_id}/approve", headers=auth("officer", sub))
        assert r.status_code == 403 and r.json()["type"].endswith("/maker-cannot-approve"), sub


def test_a_checker_in_another_case_is_not_a_second_checker(app_with):
    with TestClient(app_with(grants_dual_approval_threshold="1.00")) as api:
        batch_id = _batch(api)
        assert api.post(f"/v1/batches/{batch_id}/approve", headers=auth("officer", "chkC")).status_code == 200
        again = api.post(f"/v1/batches/{batch_id}/approve", headers=auth("officer", "CHKC"))
        assert again.status_code == 403 and again.json()["type"].endswith("/checker-already-approved")
        done = api.post(f"/v1/batches/{batch_id}/approve", headers=auth("officer", "chkD"))
        assert done.status_code == 200 and done.json()["status"] == "approved"
        [approved] = staged(api.app.state.runtime.engine, "grants.batch.approved")
        # the trail and the events carry the normalised subjects
        assert (approved["data"]["maker"], approved["data"]["checkers"]) == ("maker1", ["chkc", "chkd"])


def test_the_daily_limit_counts_every_case_of_one_officer(app_with):
    with TestClient(app_with(grants_officer_daily_limit="2000.00")) as api:
        first, second = _batch(api), _batch(api)
        assert api.post(f"/v1/batches/{first}/approve", headers=auth("officer", "Off1")).status_code == 200
        r = api.post(f"/v1/batches/{second}/approve", headers=auth("officer", "OFF1"))
        assert r.status_code == 409 and r.json()["type"].endswith("/daily-limit-exceeded")
        assert r.json()["approved_today"] == "1500.00"


def test_subject_keys_fold_what_people_cannot_tell_apart():
    assert subject_key("Ｍaker1") == subject_key("maker1") == subject_key("MAKER1\u200b") == "maker1"
    assert subject_key("Straße") == subject_key("STRASSE")
    assert subject_key("chkC") != subject_key("chkD")

"""Issue 12, point 8: a signed token is still refused when its times do not read as times: `exp` must be a
number, `iat` present and not in the future beyond a small leeway, and the token's lifetime bounded. The
same rules hold for the development signer and the OIDC provider's tokens (shared.auth.check_times)."""

import time

import jwt
import pytest

from shared.auth import InvalidToken, TokenRules, check_times
from shared.settings import DEV_JWT_SECRET


def _token(**claims) -> dict[str, str]:  # type: ignore[no-untyped-def]
    body = {"sub": "applicant-1", "role": "applicant", **claims}
    return {"Authorization": f"Bearer {jwt.encode(body, DEV_JWT_SECRET, algorithm='HS256')}"}


def test_tokens_whose_times_do_not_hold_are_401(client):
    now = int(time.time())
    refused = {
        "exp as a string": _token(iat=now, exp=str(now + 600)),
        "exp far away": _token(iat=now, exp=10**30),
        "exp a boolean": _token(iat=now, exp=True),
        "no iat": _token(exp=now + 600),
        "iat as a string": _token(iat=str(now), exp=now + 600),
        "iat in the future": _token(iat=now + 3600, exp=now + 4000),
        "lives two days": _token(iat=now, exp=now + 2 * 86400),
        "expired": _token(iat=now - 900, exp=now - 300),
    }
    statuses = {what: client.get("/v1/claims", headers=headers).status_code for what, headers in refused.items()}
    assert statuses == dict.fromkeys(refused, 401)
    assert client.get("/v1/claims", headers=_token(iat=now, exp=now + 600)).status_code == 200
    # a clock a few seconds ahead of ours is not a forgery
    assert client.get("/v1/claims", headers=_token(iat=now + 10, exp=now + 600)).status_code == 200


@pytest.mark.parametrize("claims, reason", [
    ({"iat": 1000.0, "exp": 1000.0 + 86401}, "longer than"),
    ({"iat": 1061.0, "exp": 1300}, "future"),
    ({"iat": 1000, "exp": float("nan")}, "number"),
    ({"iat": 900, "exp": 969}, "expired"),
])
def test_the_time_rules(claims, reason):
    with pytest.raises(InvalidToken, match=reason):
        check_times(claims, TokenRules(leeway_seconds=30, max_lifetime_seconds=86400), now=1000.0)
    check_times({"iat": 1000, "exp": 1300}, TokenRules(), now=1000.0)

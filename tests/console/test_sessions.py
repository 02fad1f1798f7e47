"""Signing in and the session: a cookie that is HttpOnly, SameSite and (in production) Secure; a CSRF token on
every form, checked by every POST; sign-out; the development sign-in only outside production."""

import re

import pytest
from fastapi.routing import APIRoute

from services.console.main import ROUTE_MODULES
from tests.console.support import PRODUCTION, console, csrf_of, sign_in


def test_the_session_cookie_is_httponly_and_samesite_and_secure_in_production():
    cookie = console().get("/signin").headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie  # http on loopback
    cookie = console(**PRODUCTION).get("/signin").headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" in cookie


def test_development_sign_in_picks_a_role_and_a_name_and_sign_out_ends_the_session():
    client = console()
    sign_in(client, "officer", "李明")
    queue = client.get("/", follow_redirects=False)
    assert queue.headers["location"] == "/officer/queue"
    page = client.get("/officer/funds")  # no service behind it: the page says so, as the officer it signed in
    assert page.status_code == 502 and "李明 · 财务经办人" in page.text
    out = client.post("/signout", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False)
    assert out.headers["location"] == "/signin"
    again = client.get("/officer/queue", follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"] == "/signin?next=/officer/queue"


def test_a_page_of_another_role_is_refused_in_words():
    client = console()
    sign_in(client, "applicant", "王芳")
    refused = client.get("/audit/dashboard")
    assert refused.status_code == 403 and "您的角色无权打开此页面。" in refused.text


def _post_routes() -> list[str]:
    paths = [r.path for module in ROUTE_MODULES for r in module.router.routes
             if isinstance(r, APIRoute) and "POST" in r.methods]
    return [re.sub(r"\{[^}]+\}", "x1", p) for p in paths]


@pytest.mark.parametrize("role", ["applicant", "officer", "admin"])
def test_every_form_is_refused_without_its_csrf_token(role):
    client = console()
    sign_in(client, role, "某人")
    routes = _post_routes()
    assert {"/signin", "/signout", "/language", "/claims/new/x1", "/officer/batches", "/officer/bank-returns",
            "/officer/batches/x1/approve", "/officer/funds/x1/x1", "/audit/ledger/export"} <= set(routes)
    for path in routes:
        for data in ({}, {"csrf_token": "forged"}):
            response = client.post(path, data=data, follow_redirects=False)
            assert response.status_code == 403 and "此表单已过期或并非来自本控制台" in response.text, path


def test_every_form_the_pages_render_carries_the_token():
    client = console()
    page = client.get("/signin")
    forms = re.findall(r"<form[^>]*method=\"post\"[^>]*>(.*?)</form>", page.text, re.S)
    assert forms and all('name="csrf_token"' in form for form in forms)


def test_production_refuses_the_development_sign_in_and_offers_the_provider():
    client = console(**PRODUCTION)
    page = client.get("/signin")
    assert 'id="signin-oidc"' in page.text and 'name="role"' not in page.text
    refused = client.post("/signin", data={"csrf_token": csrf_of(page.text), "role": "admin", "name": "x"})
    assert refused.status_code == 403 and "请通过本单位的身份认证登录。" in refused.text


def test_a_sign_in_never_redirects_off_the_console():
    client = console()
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        page = client.get("/signin")  # a sign-in starts a new session, with a new token
        response = client.post("/signin", data={"csrf_token": csrf_of(page.text), "role": "auditor", "name": "陈",
                                                "next": target}, follow_redirects=False)
        assert response.headers["location"] == "/audit/dashboard"


def test_the_language_follows_the_browser_then_the_switch():
    client = console()
    assert "<h1>Sign in</h1>" in client.get("/signin", headers={"Accept-Language": "en-US,en"}).text
    page = client.get("/signin")
    assert "<h1>登录</h1>" in page.text and '<html lang="zh-Hans">' in page.text
    client.post("/language", data={"csrf_token": csrf_of(page.text), "lang": "en", "next": "/signin"})
    assert '<html lang="en">' in client.get("/signin", headers={"Accept-Language": "zh-CN"}).text


def test_pages_allow_only_the_consoles_own_scripts():
    headers = console().get("/signin").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"

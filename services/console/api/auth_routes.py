"""Signing in and out, and the language switch."""

from urllib.parse import urlencode

import httpx
from authlib.integrations.base_client.errors import OAuthError
from fastapi import APIRouter, Request
from joserfc.errors import JoseError
from fastapi.responses import RedirectResponse

from services.console.api.web import Form, PageRefused, render, safe_next, text
from services.console.domain.identity import HOME, ROLES
from services.console.domain.formatting import LOCALES
from services.console.domain.vocabulary import N_
from services.console.service.sign_in import SignInRefused, development_user, provider_user

router = APIRouter()


def _home(request: Request) -> str:
    user = request.session.get("user")
    return HOME.get(user.get("role"), "/signin") if isinstance(user, dict) else "/signin"


@router.get("/")
def index(request: Request) -> RedirectResponse:
    return RedirectResponse(_home(request), status_code=303)


@router.get("/signin")
def sign_in_page(request: Request, next: str | None = None):  # type: ignore[no-untyped-def]  # noqa: A002
    settings = request.app.state.settings
    return render(request, "signin.html", roles=ROLES, next=safe_next(next, ""), error=None,
                  development=settings.development_sign_in, oidc=settings.oidc_sign_in)


@router.post("/signin")
def sign_in(request: Request, form: Form):  # type: ignore[no-untyped-def]
    settings = request.app.state.settings
    if not settings.development_sign_in:
        raise PageRefused(N_("Sign in through your organisation's identity provider."))
    try:
        user = development_user(settings.grants_jwt_secret, text(form, "role"), text(form, "name"),
                                settings.development_token_seconds)
    except SignInRefused:
        return render(request, "signin.html", status_code=422, roles=ROLES, next=safe_next(text(form, "next"), ""),
                      error=N_("Choose a role and give a name of 1 to 100 characters."),
                      development=True, oidc=settings.oidc_sign_in)
    _start_session(request, user.as_session())
    return RedirectResponse(safe_next(text(form, "next"), HOME[user.role]), status_code=303)


@router.get("/signin/oidc")
async def sign_in_with_provider(request: Request, next: str | None = None):  # type: ignore[no-untyped-def]  # noqa: A002
    client = request.app.state.oidc
    if client is None:
        raise PageRefused(N_("No identity provider is configured."), status=404)
    request.session["after_sign_in"] = safe_next(next, "")
    base = request.app.state.settings.grants_console_url
    redirect_uri = f"{base.rstrip('/')}/signin/callback" if base else str(request.url_for("oidc_callback"))
    return await client.authorize_redirect(request, redirect_uri)


@router.get("/signin/callback", name="oidc_callback")
async def oidc_callback(request: Request):  # type: ignore[no-untyped-def]
    client = request.app.state.oidc
    settings = request.app.state.settings
    if client is None:
        raise PageRefused(N_("No identity provider is configured."), status=404)
    try:
        token = await client.authorize_access_token(request)
        user = provider_user(token, settings.grants_oidc_roles_claim, settings.grants_oidc_role_map)
    except (OAuthError, JoseError, httpx.HTTPError, SignInRefused) as exc:  # JoseError: the ID token's checks
        return render(request, "signin.html", status_code=401, roles=ROLES, next="", error=_refusal(exc),
                      development=settings.development_sign_in, oidc=True)
    after = request.session.pop("after_sign_in", "")
    _start_session(request, user.as_session())
    return RedirectResponse(safe_next(after, HOME[user.role]), status_code=303)


def _refusal(exc: Exception) -> str:
    if isinstance(exc, SignInRefused):
        return N_("Your account holds no role in this system. Ask an administrator.")
    return N_("The identity provider did not sign you in. Try again.")


def _start_session(request: Request, user: dict) -> None:
    """A new session for a new user (nothing of the previous one survives but the language)."""
    lang = request.session.get("lang")
    request.session.clear()
    request.session["user"] = user
    if lang:
        request.session["lang"] = lang


@router.post("/signout")
async def sign_out(request: Request, form: Form) -> RedirectResponse:
    lang = request.session.get("lang")
    request.session.clear()
    if lang:
        request.session["lang"] = lang
    client = request.app.state.oidc
    settings = request.app.state.settings
    if client is not None and settings.grants_console_url:
        try:
            metadata = await client.load_server_metadata()
        except (httpx.HTTPError, ValueError):  # the provider is down: the console's own session has ended
            metadata = {}
        end = metadata.get("end_session_endpoint")
        if end:
            query = urlencode({"client_id": settings.console_oidc_client_id,
                               "post_logout_redirect_uri": settings.grants_console_url.rstrip("/") + "/signin"})
            return RedirectResponse(f"{end}?{query}", status_code=303)
    return RedirectResponse("/signin", status_code=303)


@router.post("/language")
def switch_language(request: Request, form: Form) -> RedirectResponse:
    lang = text(form, "lang")
    if lang in LOCALES:
        request.session["lang"] = lang
    return RedirectResponse(safe_next(text(form, "next"), "/"), status_code=303)

"""What every page needs: the signed-in user, the form with its CSRF token checked, the backends as that
user, the page's language, and render() that gives each template its words and formatters."""

import secrets
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData, UploadFile

from services.console.api.i18n import LANGUAGE_NAMES, chosen, translations
from services.console.domain import formatting, vocabulary
from services.console.domain.identity import NAVIGATION, SessionUser
from services.console.domain.vocabulary import N_
from services.console.service.backends import Backends, backends_for

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).resolve().parent / "templates"))
TEMPLATES.env.autoescape = True
CSRF_FIELD = "csrf_token"


class SignInRequired(Exception):
    def __init__(self, next_path: str):
        self.next_path = next_path


class PageRefused(Exception):
    """A page the user may not open or a form that failed its CSRF check: a 403 page, in words."""

    def __init__(self, message: str, status: int = 403):
        self.message, self.status = message, status


def language(request: Request) -> str:
    return chosen(request.session.get("lang"), request.headers.get("accept-language"))


def csrf_token(request: Request) -> str:
    token = request.session.get(CSRF_FIELD)
    if not token:
        token = request.session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return token


async def checked_form(request: Request) -> FormData:
    """The posted form, once its CSRF token matches the session's (every form carries one; htmx sends it
    as the X-CSRF-Token header)."""
    form = await request.form()
    sent = form.get(CSRF_FIELD) or request.headers.get("x-csrf-token") or ""
    expected = request.session.get(CSRF_FIELD)
    if not expected or not isinstance(sent, str) or not secrets.compare_digest(sent, expected):
        raise PageRefused(N_("This form has expired or did not come from this console. Reload the page and try again."))
    return form


Form = Annotated[FormData, Depends(checked_form)]


def text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def upload(form: FormData, name: str) -> UploadFile | None:
    value = form.get(name)
    return value if isinstance(value, UploadFile) else None


MAX_FILE_BYTES = 50 * 1024 * 1024  # the pages that take a bank file say "at most 50 MB"


def uploaded_bytes(form: FormData, name: str) -> bytes | None:
    """The uploaded file's bytes; None when none was chosen, it is blank or it is over MAX_FILE_BYTES."""
    file = upload(form, name)
    data = file.file.read(MAX_FILE_BYTES + 1) if file is not None else b""
    return data if data.strip() and len(data) <= MAX_FILE_BYTES else None


def signed_in(request: Request) -> SessionUser:
    data = request.session.get("user")
    user = None
    if data:
        try:
            user = SessionUser.from_session(data)
        except (KeyError, TypeError, ValueError):
            user = None
    if user is None or user.expires_at <= _now():
        request.session.pop("user", None)
        raise SignInRequired(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
    return user


def _now() -> int:
    import time

    return int(time.time())


User = Annotated[SessionUser, Depends(signed_in)]


def requires(*roles: str):  # type: ignore[no-untyped-def]
    def check(user: User) -> SessionUser:
        if user.role not in roles:
            raise PageRefused(N_("Your role does not open this page."))
        return user

    return Annotated[SessionUser, Depends(check)]


def backends(request: Request, user: SessionUser) -> Backends:
    state = request.app.state
    return backends_for(state.http, state.backend_urls, user.token)


def safe_next(path: str | None, default: str = "/") -> str:
    """Only a path on this console (never //host or a scheme): no open redirect through ?next=."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return default
    return path


def render(request: Request, template: str, status_code: int = 200, **context: Any):  # type: ignore[no-untyped-def]
    locale = language(request)
    words = translations(locale)
    user_data = request.session.get("user")
    role = user_data.get("role") if isinstance(user_data, dict) else None
    def _(message: str, **params: Any) -> str:
        return words.gettext(message) % params if params else words.gettext(message)

    context.update(
        _=_, ngettext=words.ngettext, lang=locale, languages=LANGUAGE_NAMES,
        html_lang="zh-Hans" if locale == "zh_CN" else "en", csrf_token=csrf_token(request), csrf_field=CSRF_FIELD,
        user=user_data if role else None, navigation=NAVIGATION.get(role or "", []), path=request.url.path,
        # where the language switch comes back to, query included (RedirectResponse quotes it for the header)
        here=request.url.path + (f"?{request.url.query}" if request.url.query else ""),
        money=formatting.money, moment=lambda v: formatting.moment(v, locale), day=lambda v: formatting.day(v, locale),
        v=vocabulary, label=vocabulary.label,
    )
    return TEMPLATES.TemplateResponse(request, template, context, status_code=status_code)


Applicant = requires("applicant")
Officer = requires("officer")
Staff = requires("officer", "auditor", "admin")
Admin = requires("admin")
AuditReader = requires("auditor", "admin")

"""How the console answers what went wrong, as pages: sign in first, not allowed, or what a service said."""

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse

from services.console.api.web import PageRefused, SignInRequired, render
from services.console.domain.vocabulary import N_
from services.console.service.backends import ApiProblem, ServiceUnavailable


def install_error_pages(app: FastAPI) -> None:
    @app.exception_handler(SignInRequired)
    async def sign_in_first(request: Request, exc: SignInRequired) -> RedirectResponse:
        return RedirectResponse(f"/signin?next={quote(exc.next_path)}", status_code=303)

    @app.exception_handler(PageRefused)
    async def refused(request: Request, exc: PageRefused):  # type: ignore[no-untyped-def]
        return render(request, "error.html", status_code=exc.status, message=exc.message, problem=None)

    @app.exception_handler(ApiProblem)
    async def service_said(request: Request, exc: ApiProblem):  # type: ignore[no-untyped-def]
        if exc.status == 401:  # the token expired or was revoked: sign in again
            request.session.pop("user", None)
            return RedirectResponse(f"/signin?next={quote(request.url.path)}", status_code=303)
        status = 502 if isinstance(exc, ServiceUnavailable) else exc.status if 400 <= exc.status < 500 else 502
        message = {403: N_("Your role may not do this."), 404: N_("Not found."),
                   502: N_("A service did not answer. Try again shortly.")}.get(status, N_("The service refused this."))
        return render(request, "error.html", status_code=status, message=message, problem=exc)

"""The applicant's pages: my claims, file a claim (a form per programme), one claim with its timeline and
its decision explained. (Withdrawal, review requests and payee correction come with issue 14.)"""

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from services.console.api.web import Applicant, Form, PageRefused, backends, render
from services.console.domain.claim_forms import claim_form, claimant_kind, leaves, programme_codes
from services.console.domain.vocabulary import N_
from services.console.service import claims as use

router = APIRouter(prefix="/claims")


@router.get("")
def my_claims(request: Request, user: Applicant):  # type: ignore[no-untyped-def]
    return render(request, "claims/list.html", claims=use.my_claims(backends(request, user)))


@router.get("/new")
def choose_programme(request: Request, user: Applicant):  # type: ignore[no-untyped-def]
    programmes = [(code, claimant_kind(code)) for code in programme_codes()]
    return render(request, "claims/programmes.html", programmes=programmes)


@router.get("/new/{programme}")
def claim_page(programme: str, request: Request, user: Applicant):  # type: ignore[no-untyped-def]
    _known(programme)
    return _form(request, programme, {}, {}, [], uuid.uuid4().hex)


@router.post("/new/{programme}")
def file_claim(programme: str, request: Request, form: Form, user: Applicant):  # type: ignore[no-untyped-def]
    _known(programme)
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    key = values.get("idempotency_key") or uuid.uuid4().hex
    filing = use.file_claim(backends(request, user), programme, values, key)
    if filing.claim is not None:
        return RedirectResponse(f"/claims/{filing.claim.claim_id}", status_code=303)
    return _form(request, programme, values, filing.field_errors, filing.form_errors, key, status_code=422)


@router.get("/{claim_id}")
def claim(claim_id: str, request: Request, user: Applicant):  # type: ignore[no-untyped-def]
    return render(request, "claims/claim.html", claim=use.claim(backends(request, user), claim_id))


def _form(request: Request, programme: str, values: dict, field_errors: dict, form_errors: list, key: str,
          status_code: int = 200):  # type: ignore[no-untyped-def]
    groups = claim_form(programme)
    return render(request, "claims/form.html", status_code=status_code, programme=programme, groups=groups,
                  labels={f.path: f.label for f in leaves(groups)}, values=values, field_errors=field_errors,
                  form_errors=form_errors, idempotency_key=key)


def _known(programme: str) -> None:
    if programme not in programme_codes():
        raise PageRefused(N_("No such programme."), status=404)

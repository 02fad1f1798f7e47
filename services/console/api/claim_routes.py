"""The applicant's pages: my claims, file a claim (a form per programme), one claim with its timeline and
its decision explained. (Withdrawal, review requests and payee correction come with issue 14.)"""

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from services.console.api.web import Applicant, Form, PageRefused, backends, render
from services.console.domain.claim_forms import claim_form, claimant_kind, programme_codes
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
    return render(request, "claims/form.html", programme=programme, groups=claim_form(programme), values={},
                  field_errors={}, form_errors=[], idempotency_key=uuid.uuid4().hex)


@router.post("/new/{programme}")
def file_claim(programme: str, request: Request, form: Form, user: Applicant):  # type: ignore[no-untyped-def]
    _known(programme)
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    key = values.get("idempotency_key") or uuid.uuid4().hex
    filing = use.file_claim(backends(request, user), programme, values, key)
    if filing.claim is not None:
        return RedirectResponse(f"/claims/{filing.claim.claim_id}", status_code=303)
    return render(request, "claims/form.html", status_code=422, programme=programme, groups=claim_form(programme),
                  values=values, field_errors=filing.field_errors, form_errors=filing.form_errors,
                  idempotency_key=key)


@router.get("/{claim_id}")
def claim(claim_id: str, request: Request, user: Applicant):  # type: ignore[no-untyped-def]
    return render(request, "claims/claim.html", claim=use.claim(backends(request, user), claim_id))


def _known(programme: str) -> None:
    if programme not in programme_codes():
        raise PageRefused("No such programme.", status=404)

"""The applicant's pages: my claims, file a claim (a form per programme), one claim with its timeline, its
status in plain words and its decision explained; withdraw it, ask for review of a rejection, correct the
payee account after a failed payment."""

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from services.console.api.web import Applicant, Form, PageRefused, backends, language, render, text
from services.console.domain.claim_forms import claim_form, claimant_kind, leaves, payee_form, programme_codes
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
    return _claim_page(request, use.claim(backends(request, user), claim_id, language(request)))


@router.post("/{claim_id}/withdrawal")
def withdraw(claim_id: str, request: Request, form: Form, user: Applicant):  # type: ignore[no-untyped-def]
    return _after(request, user, claim_id, use.withdraw(backends(request, user), claim_id, text(form, "reason")))


@router.post("/{claim_id}/review-request")
def ask_for_review(claim_id: str, request: Request, form: Form, user: Applicant):  # type: ignore[no-untyped-def]
    return _after(request, user, claim_id, use.request_review(backends(request, user), claim_id, text(form, "reason")))


@router.get("/{claim_id}/payee")
def payee_page(claim_id: str, request: Request, user: Applicant):  # type: ignore[no-untyped-def]
    return _payee_form(request, use.claim(backends(request, user), claim_id, language(request)), {}, {}, None)


@router.post("/{claim_id}/payee")
def correct_payee(claim_id: str, request: Request, form: Form, user: Applicant):  # type: ignore[no-untyped-def]
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    api = backends(request, user)
    asked = use.correct_payee(api, claim_id, values)
    if asked.claim is not None:
        return RedirectResponse(f"/claims/{claim_id}?done=payee", status_code=303)
    return _payee_form(request, use.claim(api, claim_id, language(request)), values, asked.field_errors, asked.refused,
                       status_code=409 if asked.refused and not asked.field_errors else 422)


def _claim_page(request: Request, claim, refused: str | None = None, status_code: int = 200):  # type: ignore[no-untyped-def]
    return render(request, "claims/claim.html", status_code=status_code, claim=claim, refused=refused,
                  done=request.query_params.get("done"))


def _after(request: Request, user, claim_id: str, asked: use.Asked):  # type: ignore[no-untyped-def]
    """Back to the claim's page: after a request that was taken (a redirect, so a reload sends nothing again),
    or with the refusal in words."""
    if asked.claim is not None:
        return RedirectResponse(f"/claims/{claim_id}", status_code=303)
    return _claim_page(request, use.claim(backends(request, user), claim_id, language(request)), asked.refused, 409)


def _payee_form(request: Request, claim, values: dict, field_errors: dict, refused: str | None,  # type: ignore[no-untyped-def]
                status_code: int = 200):
    group = payee_form()
    return render(request, "claims/payee.html", status_code=status_code, claim=claim, group=group,
                  labels={f.path: f.label for f in leaves([group])}, values=values, field_errors=field_errors,
                  refused=refused)


def _form(request: Request, programme: str, values: dict, field_errors: dict, form_errors: list, key: str,
          status_code: int = 200):  # type: ignore[no-untyped-def]
    groups = claim_form(programme)
    return render(request, "claims/form.html", status_code=status_code, programme=programme, groups=groups,
                  labels={f.path: f.label for f in leaves(groups)}, values=values, field_errors=field_errors,
                  form_errors=form_errors, idempotency_key=key)


def _known(programme: str) -> None:
    if programme not in programme_codes():
        raise PageRefused(N_("No such programme."), status=404)

"""The officer's pages on claims: search every claim (the filters the API offers), one claim with its
decision and an answer to a review, payee accounts changed after a failed payment awaiting confirmation, and
a bulk re-evaluation after a parameter was set (started here, its progress followed on the service)."""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from services.console.api.web import Form, Officer, Staff, backends, language, render, text
from services.console.service import officer_claims as use

router = APIRouter(prefix="/officer")


@router.get("/claims")
def search_page(request: Request, user: Staff):  # type: ignore[no-untyped-def]
    """Filters in the address (bookmarkable), except the identity number, which goes by POST only."""
    filters = {k: v.strip() for k, v in request.query_params.items() if k in use.SEARCH_FILTERS and k != "claimant_id_number"}
    return _search(request, user, filters, request.query_params.get("cursor"))


@router.post("/claims")
def search_by_identity(request: Request, form: Form, user: Staff):  # type: ignore[no-untyped-def]
    filters = {name: text(form, name) for name in use.SEARCH_FILTERS}
    return _search(request, user, filters, text(form, "cursor") or None)


def _search(request: Request, user, filters: dict[str, str], cursor: str | None):  # type: ignore[no-untyped-def]
    searched = any(filters.values())
    found = use.search(backends(request, user), filters, cursor) if searched else use.Found([], None, [])
    return render(request, "officer/claims.html", status_code=422 if found.refused else 200, filters=filters,
                  found=found, searched=searched, by_identity=bool(filters.get("claimant_id_number")))


@router.get("/claims/{claim_id}")
def claim_page(claim_id: str, request: Request, user: Staff):  # type: ignore[no-untyped-def]
    return _claim(request, user, claim_id, None)


@router.post("/claims/{claim_id}/redecision")
def redecide(claim_id: str, request: Request, form: Form, user: Officer):  # type: ignore[no-untyped-def]
    api = backends(request, user)
    refused = use.redecide(api, claim_id, text(form, "note"))
    if refused is None:
        return RedirectResponse(f"/officer/claims/{claim_id}?done=redecided", status_code=303)
    return _claim(request, user, claim_id, refused, status_code=409)


def _claim(request: Request, user, claim_id: str, refused: str | None, status_code: int = 200):  # type: ignore[no-untyped-def]
    claim = backends(request, user).applications.claim(claim_id, language(request))
    return render(request, "officer/claim.html", status_code=status_code, claim=claim, refused=refused,
                  done=request.query_params.get("done"))


@router.get("/payee-changes")
def payee_changes(request: Request, user: Officer):  # type: ignore[no-untyped-def]
    return _payee_changes(request, user, None)


@router.post("/payee-changes/{claim_id}/confirm")
def confirm_payee(claim_id: str, request: Request, form: Form, user: Officer):  # type: ignore[no-untyped-def]
    refused = use.confirm_payee(backends(request, user), claim_id, text(form, "note"))
    if refused is None:
        return RedirectResponse(f"/officer/payee-changes?confirmed={claim_id}", status_code=303)
    return _payee_changes(request, user, refused, status_code=409)


def _payee_changes(request: Request, user, refused: str | None, status_code: int = 200):  # type: ignore[no-untyped-def]
    pending = use.pending_payees(backends(request, user), language(request))
    return render(request, "officer/payee_changes.html", status_code=status_code, pending=pending, refused=refused,
                  confirmed=request.query_params.get("confirmed"))


@router.get("/reevaluations")
def reevaluation_page(request: Request, user: Officer):  # type: ignore[no-untyped-def]
    return _start_page(request, user, None)


@router.post("/reevaluations")
def start_reevaluation(request: Request, form: Form, user: Officer):  # type: ignore[no-untyped-def]
    started = use.start_reevaluation(backends(request, user), text(form, "parameter_id"))
    if started.run is not None:
        return RedirectResponse(f"/officer/reevaluations/{started.run.reevaluation_id}", status_code=303)
    return _start_page(request, user, started.refused, status_code=409)


def _start_page(request: Request, user, refused: str | None, status_code: int = 200):  # type: ignore[no-untyped-def]
    return render(request, "officer/reevaluation_start.html", status_code=status_code, refused=refused,
                  parameters=use.settable_parameters(backends(request, user)))


@router.get("/reevaluations/{reevaluation_id}")
def reevaluation(reevaluation_id: str, request: Request, user: Staff):  # type: ignore[no-untyped-def]
    run = use.reevaluation(backends(request, user), reevaluation_id)
    return render(request, "officer/reevaluation.html", run=run)


@router.get("/reevaluations/{reevaluation_id}/progress")
def reevaluation_progress(reevaluation_id: str, request: Request, user: Staff):  # type: ignore[no-untyped-def]
    """The fragment htmx polls while the run goes on; it stops polling once the run has ended."""
    run = use.reevaluation(backends(request, user), reevaluation_id)
    return render(request, "officer/reevaluation_progress.html", run=run)

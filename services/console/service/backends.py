"""The one client of the three services' public HTTP APIs. Every call carries the signed-in user's own
bearer token, so each service decides what this user may see and do; a refusal comes back as ApiProblem
(the RFC 9457 document), which the pages show as it is meant: a message beside a field, a refusal with figures."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

from services.console.service.api_models import (BankReturn, Batch, Claim, Entitlement, Finding, FindingRecord,
                                                 Funds, FundYear, Page, Parameter, PayeeConfirmed, Reevaluation,
                                                 StatementReconciled)

MAX_PAGE = 500


@dataclass
class ApiProblem(Exception):
    status: int
    title: str
    detail: str
    type: str = "about:blank"
    errors: list[dict[str, str]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.status} {self.title}: {self.detail}"


def _problem(response: httpx.Response) -> ApiProblem:
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    known = {"status", "title", "detail", "type", "errors"}
    return ApiProblem(status=response.status_code, title=str(body.get("title") or response.reason_phrase),
                      detail=str(body.get("detail") or response.text[:300]), type=str(body.get("type", "about:blank")),
                      errors=list(body.get("errors") or []), extra={k: v for k, v in body.items() if k not in known})


class ServiceUnavailable(ApiProblem):
    pass


class _Api:
    def __init__(self, http: httpx.Client, base_url: str, token: str):
        self._http, self._base, self._headers = http, base_url.rstrip("/"), {"Authorization": f"Bearer {token}"}

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {**self._headers, **kwargs.pop("headers", {})}
        try:
            response = self._http.request(method, self._base + path, headers=headers, **kwargs)
        except httpx.HTTPError as exc:
            raise ServiceUnavailable(503, "Service unavailable", f"{self._base} did not answer: {exc}") from exc
        if response.status_code >= 400:
            raise _problem(response)
        return response

    def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        return self._send(method, path, **kwargs).json()

    def _pages(self, path: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """Every item of a paginated list, following next_cursor."""
        cursor = None
        while True:
            query = {k: v for k, v in params.items() if v not in (None, "")}
            query["limit"] = MAX_PAGE
            if cursor:
                query["cursor"] = cursor
            page = Page(**self._json("GET", path, params=query))
            yield from page.items
            if not page.next_cursor:
                return
            cursor = page.next_cursor


class ApplicationsApi(_Api):
    def file_claim(self, body: dict[str, Any], idempotency_key: str) -> Claim:
        return Claim(**self._json("POST", "/v1/claims", json=body, headers={"Idempotency-Key": idempotency_key}))

    def my_claims(self) -> list[Claim]:
        return [Claim(**item) for item in self._pages("/v1/claims", {})]

    def claim(self, claim_id: str, language: str | None = None) -> Claim:
        """With `language` (a locale of the console), the claim's plain-words explanation comes in it."""
        headers = {"Accept-Language": "en" if language == "en" else "zh-CN"} if language else {}
        return Claim(**self._json("GET", f"/v1/claims/{claim_id}", headers=headers))

    def search_claims(self, filters: dict[str, str], cursor: str | None = None, limit: int = 50) -> tuple[list[Claim], str | None]:
        """One page of the staff's claim search (every filter the API takes, docs/api.md §3)."""
        params = {k: v for k, v in {**filters, "cursor": cursor, "limit": limit}.items() if v not in (None, "")}
        page = Page(**self._json("GET", "/v1/claims", params=params))
        return [Claim(**item) for item in page.items], page.next_cursor

    def withdraw(self, claim_id: str, reason: str | None) -> Claim:
        return Claim(**self._json("POST", f"/v1/claims/{claim_id}/withdrawal", json={"reason": reason} if reason else None))

    def request_review(self, claim_id: str, reason: str) -> Claim:
        return Claim(**self._json("POST", f"/v1/claims/{claim_id}/review-requests", json={"reason": reason}))

    def correct_payee(self, claim_id: str, account: dict[str, str]) -> Claim:
        return Claim(**self._json("PUT", f"/v1/claims/{claim_id}/payee-account", json=account))


class DisbursementApi(_Api):
    def entitlements(self, *, status: str = "eligible", fund: str | None = None,
                     programme: str | None = None) -> Iterator[Entitlement]:
        for item in self._pages("/v1/entitlements", {"status": status, "fund": fund, "programme": programme}):
            yield Entitlement(**item)

    def draft_batch(self, fund: str, programme: str | None) -> Batch:
        return Batch(**self._json("POST", "/v1/batches", json={"fund": fund, "programme": programme or None}))

    def batches(self, status: str | None = None, limit: int = 50) -> list[Batch]:
        page = Page(**self._json("GET", "/v1/batches", params={k: v for k, v in {"status": status, "limit": limit}.items() if v}))
        return [Batch(**item) for item in page.items]

    def batch(self, batch_id: str) -> Batch:
        return Batch(**self._json("GET", f"/v1/batches/{batch_id}"))

    def approve(self, batch_id: str) -> Batch:
        return Batch(**self._json("POST", f"/v1/batches/{batch_id}/approve"))

    def reject(self, batch_id: str, reason: str) -> Batch:
        return Batch(**self._json("POST", f"/v1/batches/{batch_id}/reject", json={"reason": reason}))

    def payment_file(self, batch_id: str) -> bytes:
        return self._send("GET", f"/v1/batches/{batch_id}/payment-file").content

    def bank_return(self, data: bytes, content_type: str) -> BankReturn:
        return BankReturn(**self._json("POST", "/v1/bank-returns", content=data,
                                       headers={"Content-Type": content_type}))

    def bank_return_upload(self, upload_id: str) -> BankReturn:
        return BankReturn(**self._json("GET", f"/v1/bank-returns/{upload_id}"))

    def bank_statement(self, data: bytes) -> StatementReconciled:
        return StatementReconciled(**self._json("POST", "/v1/bank-statements", content=data,
                                                headers={"Content-Type": "application/xml"}))

    def confirm_payee(self, claim_id: str, note: str | None) -> PayeeConfirmed:
        return PayeeConfirmed(**self._json("POST", f"/v1/claims/{claim_id}/payee-confirmations",
                                           json={"note": note} if note else None))

    def redecide(self, claim_id: str, note: str | None) -> dict[str, Any]:
        return self._json("POST", f"/v1/claims/{claim_id}/redecisions", json={"note": note} if note else None)

    def parameters(self) -> list[Parameter]:
        return [Parameter(**item) for item in self._pages("/v1/parameters", {})]

    def start_reevaluation(self, parameter_id: str) -> Reevaluation:
        return Reevaluation(**self._json("POST", "/v1/reevaluations", json={"parameter_id": parameter_id}))

    def reevaluation(self, reevaluation_id: str) -> Reevaluation:
        return Reevaluation(**self._json("GET", f"/v1/reevaluations/{reevaluation_id}"))

    def funds(self, year: int | None = None) -> Funds:
        return Funds(**self._json("GET", "/v1/funds", params={"year": year} if year else {}))

    def set_budget(self, fund: str, year: int, amount: str) -> FundYear:
        return FundYear(**self._json("PUT", f"/v1/funds/{fund}/budgets/{year}", json={"amount": amount}))


class AuditApi(_Api):
    def balances(self, fund: str | None = None) -> list[dict[str, Any]]:
        return list(self._pages("/v1/ledger/balances", {"fund": fund}))

    def verify(self, full: bool = False) -> dict[str, Any]:
        return self._json("GET", "/v1/ledger/verify", params={"full": "true"} if full else {})

    def entries(self, *, fund: str | None = None, from_: str | None = None, to: str | None = None) -> Iterator[dict[str, Any]]:
        return self._pages("/v1/ledger/entries", {"fund": fund, "from": from_, "to": to})

    def entries_page(self, *, fund: str | None, cursor: str | None, limit: int = 50) -> Page:
        params = {k: v for k, v in {"fund": fund, "cursor": cursor, "limit": limit}.items() if v}
        return Page(**self._json("GET", "/v1/ledger/entries", params=params))

    def checkpoints(self, fund: str | None = None) -> list[dict[str, Any]]:
        return Page(**self._json("GET", "/v1/ledger/checkpoints", params={"fund": fund} if fund else {})).items

    def findings(self, rule: str | None = None, severity: str | None = None,
                 status: str | None = None) -> list[Finding]:
        return [Finding(**item) for item in
                self._pages("/v1/anomalies", {"rule": rule, "severity": severity, "status": status})]

    def reconciliation(self, fund: str | None = None, from_: str | None = None, to: str | None = None) -> dict[str, Any]:
        return self._json("GET", "/v1/reports/reconciliation", params=_window(fund, from_, to))

    def reconciliation_csv(self, fund: str | None = None, from_: str | None = None, to: str | None = None) -> bytes:
        return self._send("GET", "/v1/reports/reconciliation", params=_window(fund, from_, to),
                          headers={"Accept": "text/csv"}).content

    def fund_usage(self, year: int) -> dict[str, Any]:
        first = self._json("GET", "/v1/reports/fund-usage", params={"year": year, "limit": MAX_PAGE})
        items = list(first["items"])
        cursor = first.get("next_cursor")
        while cursor:
            page = self._json("GET", "/v1/reports/fund-usage", params={"year": year, "limit": MAX_PAGE, "cursor": cursor})
            items += page["items"]
            cursor = page.get("next_cursor")
        return {**first, "items": items}

    def fund_usage_csv(self, year: int) -> bytes:
        return self._send("GET", "/v1/reports/fund-usage", params={"year": year, "format": "csv"}).content

    def findings_page(self, *, rule: str | None = None, severity: str | None = None, status: str | None = None,
                      cursor: str | None = None, limit: int = 50) -> Page:
        params = {"rule": rule, "severity": severity, "status": status, "cursor": cursor, "limit": limit}
        return Page(**self._json("GET", "/v1/anomalies", params={k: v for k, v in params.items() if v}))

    def finding(self, finding_id: str) -> FindingRecord:
        return FindingRecord(**self._json("GET", f"/v1/anomalies/{quote(finding_id, safe='')}"))

    def set_finding_status(self, finding_id: str, status: str, note: str) -> FindingRecord:
        return FindingRecord(**self._json("POST", f"/v1/anomalies/{quote(finding_id, safe='')}/status",
                                          json={"status": status, "note": note}))

    def add_recovery(self, finding_id: str, amount: str, entry_id: str, note: str) -> FindingRecord:
        return FindingRecord(**self._json("POST", f"/v1/anomalies/{quote(finding_id, safe='')}/recoveries",
                                          json={"amount": amount, "entry_id": entry_id, "note": note}))

    def payment_trail(self, payment_id: str) -> dict[str, Any]:
        return self._json("GET", f"/v1/payments/{quote(payment_id, safe='')}/trail")

    def payment_trail_document(self, payment_id: str) -> bytes:
        return self._send("GET", f"/v1/payments/{quote(payment_id, safe='')}/trail.json").content

    def sign_checkpoints(self) -> list[dict[str, Any]]:
        return Page(**self._json("POST", "/v1/ledger/checkpoints", json={})).items

    def checkpoint(self, checkpoint_id: int) -> dict[str, Any]:
        return self._json("GET", f"/v1/ledger/checkpoints/{int(checkpoint_id)}")

    def public_key(self) -> dict[str, Any]:
        return self._json("GET", "/v1/ledger/public-key")

    def access_log_page(self, filters: dict[str, str | None], cursor: str | None = None, limit: int = 50) -> Page:
        params = {**filters, "cursor": cursor, "limit": limit}
        return Page(**self._json("GET", "/v1/access-log", params={k: v for k, v in params.items() if v}))

    def access_log_csv(self, filters: dict[str, str | None], cursor: str | None = None) -> tuple[bytes, str | None]:
        """One page of the access log as the audit writes it in CSV, and the next page's cursor."""
        params = {**filters, "cursor": cursor, "limit": MAX_PAGE, "format": "csv"}
        response = self._send("GET", "/v1/access-log", params={k: v for k, v in params.items() if v})
        return response.content, response.headers.get("x-next-cursor")


def _window(fund: str | None, from_: str | None, to: str | None) -> dict[str, str]:
    return {k: v for k, v in {"fund": fund, "from": from_, "to": to}.items() if v}


@dataclass
class Backends:
    """The three services, as one user: made per request (or per job) from the session's token."""

    applications: ApplicationsApi
    disbursement: DisbursementApi
    audit: AuditApi


def backends_for(http: httpx.Client, urls: tuple[str, str, str], token: str) -> Backends:
    apps, disbursement, audit = urls
    return Backends(ApplicationsApi(http, apps, token), DisbursementApi(http, disbursement, token),
                    AuditApi(http, audit, token))

"""Schemathesis against a service's own OpenAPI document, in process (ASGI), bounded and seeded.

Each API operation gets `EXAMPLES` cases, drawn half from data its schema allows and half from data it
refuses (schemathesis' negative mode), with strings that may hold NUL, control characters and any Unicode,
and numbers of any size. Each case is sent with a valid token of a role drawn for it (every role of the
contract, and a service's own token), or with none. A case fails on a 5xx, a status the document does not
list for the operation, a Content-Type or a body that does not match what it lists, or an undocumented
method that is not a 405 naming the allowed ones.
"""

from dataclasses import dataclass, field
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, response_schema_conformance,
                                               status_code_conformance)

from shared.auth import CLAIMS_READ_BODY, ROLES
from tests.support import service_auth, token

BUDGET = 300  # requests per service: spread over its operations, at least 8 each
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
CALLERS = (*ROLES, "service", None)
# What issue 12's hostile user sent, put in place of a case's strings (path, query and top-level body fields)
# now and then, beyond what the schema's strategies already draw: NUL, control and bidi characters, numbers
# past any column's range, money written the ways a parser trips on.
HOSTILE = ("\x00", "a\x00b", "%00", "\x01", "\u202e", "\ufeff", "9" * 400, str(10**30), "-1", "1e400", "１.００",
           " 1.00", "AAAA", "!!!", "\ud7ff" * 50)


def caller_headers(caller: str | None) -> dict[str, str]:
    if caller is None:
        return {}
    if caller == "service":
        return service_auth(scopes=(CLAIMS_READ_BODY,))
    return {"Authorization": f"Bearer {token(caller, sub=f'fuzz-{caller}')}"}


@dataclass
class FuzzRun:
    requests: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)


def fuzz(app: Any, *, budget: int = BUDGET) -> FuzzRun:
    """Every operation of `app`'s /openapi.json, budget / operations cases each; returns what was sent and
    what failed."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    run = FuzzRun()
    operations = [result.ok() for result in schema.get_all_operations()]
    examples = max(8, budget // len(operations))
    for operation in operations:
        cases = st.one_of(operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
                          operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))

        @settings(max_examples=examples, derandomize=True, database=None, deadline=None,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @given(case=cases, caller=st.sampled_from(CALLERS), poison=st.none() | st.sampled_from(HOSTILE))
        def send(case: Any, caller: str | None, poison: str | None) -> None:
            if poison is not None:
                _poison(case, poison)
            headers = {**(case.headers or {}), **caller_headers(caller)}
            case.headers = headers
            response = case.call()
            run.requests += 1
            run.statuses[response.status_code] = run.statuses.get(response.status_code, 0) + 1
            # a 503 the operation documents (readiness without a broker, an unreachable provider) is its answer
            documented = str(response.status_code) in operation.definition.raw.get("responses", {})
            checks = CHECKS[1:] if response.status_code == 503 and documented else CHECKS
            try:
                case.validate_response(response, checks=checks)
            except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collected, reported together below
                run.failures.append(f"{operation.label} as {caller}: {str(exc)[:1500]}")

        send()
    return run


def _poison(case: Any, value: str) -> None:
    for part in (case.path_parameters, case.query):
        for name in list(part or {}):
            part[name] = value
    if isinstance(case.body, dict):
        for name, current in list(case.body.items()):
            if isinstance(current, str):
                case.body[name] = value


def undocumented_methods(app: Any) -> list[str]:
    """Each documented path asked with a method it does not document: a 405 problem naming in `Allow` the
    methods it takes (RFC 9110 §15.5.6), whoever asks. Returns what answered otherwise."""
    import re

    from fastapi.testclient import TestClient

    wrong = []
    client = TestClient(app)
    paths = app.openapi()["paths"]
    methods = {path: {m.upper() for m in item if m in ("get", "put", "post", "delete", "patch")}
               for path, item in paths.items()}
    for path, documented in methods.items():
        concrete = re.sub(r"{[^}]+}", "x", path)
        # a method another template takes at this very path (GET /claims/lookup is GET /claims/{id}) is no probe
        elsewhere = {m for other, ms in methods.items() if other != path
                     and re.fullmatch(re.sub(r"{[^}]+}", "[^/]+", other), concrete) for m in ms}
        for method in sorted({"GET", "PUT", "POST", "DELETE", "PATCH"} - documented - elsewhere):
            response = client.request(method, concrete, headers=caller_headers("admin"))
            allowed = {m.strip() for m in response.headers.get("allow", "").split(",") if m.strip()}
            if response.status_code != 405 or not documented <= allowed:
                wrong.append(f"{method} {path}: {response.status_code}, Allow: {response.headers.get('allow')}")
    return wrong

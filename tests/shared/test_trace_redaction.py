"""A claim search by identity number (GET /v1/claims?claimant_id_number=) leaves no raw number in a trace."""

from shared.tracing import redact_query
from tests.support import person_id


class _Span:
    def __init__(self, attributes: dict[str, str]):
        self.attributes = dict(attributes)

    def is_recording(self) -> bool:
        return True

    def set_attribute(self, name: str, value: str) -> None:
        self.attributes[name] = value


def test_the_identity_number_of_a_search_is_redacted_from_the_server_span():
    number = person_id(7)
    query = f"status=rejected&claimant_id_number={number}"
    span = _Span({"http.url": f"http://127.0.0.1/v1/claims?{query}", "http.target": f"/v1/claims?{query}",
                  "url.query": query})
    redact_query(span, {"query_string": query.encode()})
    assert number not in str(span.attributes)
    assert span.attributes["http.target"] == "/v1/claims?status=rejected&claimant_id_number=REDACTED"
    assert span.attributes["url.query"] == "status=rejected&claimant_id_number=REDACTED"


def test_other_queries_are_left_as_they_are():
    span = _Span({"http.target": "/v1/claims?status=rejected"})
    redact_query(span, {"query_string": b"status=rejected"})
    assert span.attributes == {"http.target": "/v1/claims?status=rejected"}

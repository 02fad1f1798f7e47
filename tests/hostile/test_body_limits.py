"""Issue 12 point 4: body limits count the bytes actually read (chunked bodies too), per route; bank files
take the larger GRANTS_BANK_FILE_MAX_BYTES (200,000 bytes in these tests)."""

from collections.abc import Iterator

from tests.support import auth


def _chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    """A JSON body sent without Content-Length (Transfer-Encoding: chunked)."""
    yield b'{"fund": "'
    sent = 0
    while sent < total:
        yield b"x" * size
        sent += size
    yield b'"}'


def test_a_chunked_json_body_over_64_kib_is_a_413_before_it_is_parsed(disbursement):
    r = disbursement.post("/v1/batches", content=_chunks(10 * 1024 * 1024),
                          headers={**auth("officer", "off-1"), "content-type": "application/json"})
    assert r.status_code == 413 and r.json()["type"].endswith("/payload-too-large"), r.text


def test_a_declared_length_over_the_limit_is_a_413(applications):
    r = applications.post("/v1/claims", content=b"{" + b" " * 70_000 + b"}",
                          headers={**auth("applicant", "a-1"), "Idempotency-Key": "big", "content-type": "application/json"})
    assert r.status_code == 413, r.text


def test_a_bank_return_route_takes_its_own_larger_limit(disbursement):
    officer = {**auth("officer", "off-1"), "content-type": "text/csv"}
    within = b"payment_id,status\n" + b"P-unknown,ACSC\n" * 8_000  # 128 KB: over 64 KiB, under 200,000
    r = disbursement.post("/v1/bank-returns", content=within, headers=officer)
    assert r.status_code == 200, r.text
    over = (b"P-unknown,ACSC\n" * 1_000 for _ in range(20))  # 300 KB, chunked
    r = disbursement.post("/v1/bank-returns", content=over, headers=officer)
    assert r.status_code == 413 and "200000" in r.json()["detail"], r.text



def test_a_chunked_body_to_a_real_server_is_a_413(pg_urls):
    """Through uvicorn, Transfer-Encoding: chunked on the wire, no Content-Length to trust."""
    import httpx

    from services.applications.main import create_app
    from tests.applications.conftest import applications_settings
    from tests.live_server import serve

    with serve(create_app(applications_settings(pg_urls["applications"]), run_workers=False)) as base:
        r = httpx.post(f"{base}/v1/claims", content=_chunks(10 * 1024 * 1024), timeout=30,
                       headers={**auth("applicant", "a-chunk"), "Idempotency-Key": "chunk",
                                "content-type": "application/json"})
    assert r.status_code == 413 and r.json()["type"].endswith("/payload-too-large"), r.text

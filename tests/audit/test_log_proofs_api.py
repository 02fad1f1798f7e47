"""Proofs fetched over HTTP, checked by a verifier written here from RFC 9162 and docs/api.md alone.

Nothing below imports the project's Merkle, checkpoint or encoding code: the leaf is built from an
entry as GET /v1/ledger/entries shows it, the root is walked back through the RFC's own recursive
definitions of PATH and SUBPROOF (§2.1.3.1, §2.1.4.1), and signatures are checked with `cryptography`.
One fund's log grows through 1, 2, 3, 7, 8 and 1,000 entries (and 100,001 on PostgreSQL), signed at each.
"""

import base64
import hashlib
import json
import random
from decimal import Decimal
from itertools import combinations_with_replacement

from cryptography.hazmat.primitives.serialization import load_pem_public_key

from tests.audit.merkle_support import grow
from tests.support import auth

AUDITOR = auth("auditor", "auditor-1")
FUND = "employment_subsidy"
SIZES = [1, 2, 3, 7, 8, 1000]
BIG = 100_001


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def split(n: int) -> int:
    """The largest power of two smaller than n."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def entry_bytes(entry: dict) -> bytes:
    """docs/api.md, "Entry bytes"."""
    def fen(amount: str) -> int:
        return int(Decimal(amount) * 100)

    postings = sorted(({"account": p["account"], "credit_fen": fen(p["credit"]), "debit_fen": fen(p["debit"])}
                       for p in entry["postings"]), key=lambda p: (p["account"], p["debit_fen"], p["credit_fen"]))
    document = {k: entry[k] for k in ("entry_id", "event_id", "fund", "payment_id", "posted_at", "seq")}
    return json.dumps({**document, "postings": postings}, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=True).encode("ascii")


def root_from_path(m: int, n: int, leaf: bytes, path: list[bytes]) -> bytes:
    """MTH(D[n]) rebuilt from leaf m and PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n]) (or its mirror)."""
    if n == 1:
        assert path == [], "inclusion path too long"
        return leaf
    assert path, "inclusion path too short"
    k, inner, sibling = split(n), path[:-1], path[-1]
    if m < k:
        return sha256(b"\x01" + root_from_path(m, k, leaf, inner) + sibling)
    return sha256(b"\x01" + sibling + root_from_path(m - k, n - k, leaf, inner))


def roots_from_consistency(m: int, n: int, proof: list[bytes], old_root: bytes, b: bool = True
                           ) -> tuple[bytes, bytes]:
    """(MTH(D[0:m]), MTH(D[0:n])) of a subtree, rebuilt from SUBPROOF(m, D[n], b) taken from its end."""
    if m == n:
        if b:
            assert proof == [], "consistency proof too long"
            return old_root, old_root
        assert len(proof) == 1, "consistency proof of the wrong length"
        return proof[0], proof[0]
    assert proof, "consistency proof too short"
    k, inner, last = split(n), proof[:-1], proof[-1]
    if m <= k:
        old, new = roots_from_consistency(m, k, inner, old_root, b)
        return old, sha256(b"\x01" + new + last)
    old, new = roots_from_consistency(m - k, n - k, inner, old_root, False)
    return sha256(b"\x01" + last + old), sha256(b"\x01" + last + new)


def check_signature(checkpoint: dict, public_key_pem: str) -> None:
    """docs/api.md, "Checkpoints": Ed25519 over the context line and the sorted compact JSON of five fields."""
    signed = {k: checkpoint[k] for k in ("fund", "issued_at", "key_id", "root", "size")}
    message = b"grants-ledger-checkpoint/v1\n" + json.dumps(signed, sort_keys=True, separators=(",", ":")).encode()
    load_pem_public_key(public_key_pem.encode()).verify(base64.b64decode(checkpoint["signature"]), message)


def hashes(values: list[str]) -> list[bytes]:
    return [bytes.fromhex(v) for v in values]


def sampled_seqs(size: int, rng: random.Random) -> list[int]:
    if size <= 8:
        return list(range(1, size + 1))
    return sorted({1, 2, size // 2, size - 1, size, *rng.sample(range(1, size + 1), 3)})


def test_inclusion_and_consistency_proofs_verify_from_the_rfc_alone(client, engine):
    sizes = SIZES + ([BIG] if engine.dialect.name == "postgresql" else [])
    public_key = client.get("/v1/ledger/public-key", headers=AUDITOR).json()["public_key"]
    signed = []
    for size in sizes:
        grow(engine, FUND, size)
        response = client.post("/v1/ledger/checkpoints", json={"fund": FUND}, headers=AUDITOR)
        assert response.status_code == 201
        (checkpoint,) = response.json()["items"]
        check_signature(checkpoint, public_key)
        assert checkpoint["size"] == size
        signed.append(checkpoint)

    rng = random.Random(18)
    entries: dict[int, dict] = {}
    for checkpoint in signed:
        for seq in sampled_seqs(checkpoint["size"], rng):
            if seq not in entries:
                (entries[seq],) = client.get("/v1/ledger/entries", params={"payment_id": f"{FUND}-p{seq}"},
                                             headers=AUDITOR).json()["items"]
            proof = client.get("/v1/ledger/proofs/inclusion", params={
                "entry_id": entries[seq]["entry_id"], "size": checkpoint["size"]}, headers=AUDITOR).json()
            assert (proof["leaf_index"], proof["tree_size"], proof["fund"]) == (seq - 1, checkpoint["size"], FUND)
            leaf = sha256(b"\x00" + entry_bytes(entries[seq]))
            assert root_from_path(seq - 1, checkpoint["size"], leaf, hashes(proof["inclusion_path"])).hex() == \
                checkpoint["root"], (seq, checkpoint["size"])

    for old, new in combinations_with_replacement(signed, 2):
        proof = client.get("/v1/ledger/proofs/consistency", params={"fund": FUND, "from": old["size"],
                                                                    "to": new["size"]}, headers=AUDITOR).json()
        assert (proof["first"], proof["second"]) == (old["size"], new["size"])
        first, second = roots_from_consistency(old["size"], new["size"], hashes(proof["consistency_path"]),
                                               bytes.fromhex(old["root"]))
        assert (first.hex(), second.hex()) == (old["root"], new["root"]), (old["size"], new["size"])

    # The verifier can fail: one fen more in an entry, and its proof no longer reaches the signed root.
    forged = json.loads(json.dumps(entries[3]))
    forged["postings"][0]["debit"] = str(Decimal(forged["postings"][0]["debit"]) + Decimal("0.01"))
    proof = client.get("/v1/ledger/proofs/inclusion", params={"entry_id": forged["entry_id"], "size": 7},
                       headers=AUDITOR).json()
    assert root_from_path(2, 7, sha256(b"\x00" + entry_bytes(forged)), hashes(proof["inclusion_path"])).hex() != \
        signed[3]["root"]


def problem(response, status: int) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return response.json()


def test_proofs_of_what_the_log_does_not_hold_are_problems(client, engine):
    grow(engine, FUND, 5)
    (entry,) = client.get("/v1/ledger/entries", params={"payment_id": f"{FUND}-p3"}, headers=AUDITOR).json()["items"]
    inclusion, consistency = "/v1/ledger/proofs/inclusion", "/v1/ledger/proofs/consistency"
    assert problem(client.get(inclusion, params={"entry_id": "no-such-entry", "size": 5}, headers=AUDITOR), 404)[
        "type"].endswith("/not-found")
    for size in (0, 2, 6):  # no tree; a tree the entry is not in yet; a tree larger than the log
        problem(client.get(inclusion, params={"entry_id": entry["entry_id"], "size": size}, headers=AUDITOR), 422)
    problem(client.get(inclusion, params={"entry_id": entry["entry_id"]}, headers=AUDITOR), 422)
    problem(client.get(consistency, params={"fund": "no_such_fund", "from": 1, "to": 1}, headers=AUDITOR), 404)
    for first, second in ((0, 3), (4, 3), (3, 6)):
        body = problem(client.get(consistency, params={"fund": FUND, "from": first, "to": second}, headers=AUDITOR),
                       422)
        assert body["errors"][0]["field"] in ("from", "to")
    assert client.get(consistency, params={"fund": FUND, "from": 5, "to": 5},
                      headers=AUDITOR).json()["consistency_path"] == []

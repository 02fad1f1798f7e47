"""Signed checkpoints: on demand and when due, kept, listed with witnesses' co-signatures, published on Kafka."""

import base64
import json
import threading
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select
from sqlmodel import Session

from services.audit.db.tables import outbox
from services.audit.domain import checkpoints as signing
from services.audit.domain.merkle import append_leaves, range_hash
from services.audit.service import checkpoints
from services.audit.service.checkpoint_schedule import CheckpointSchedule
from shared.relay import OutboxRelay
from tests.audit.domain.factories import EU, UI
from tests.audit.merkle_support import grow, nodes_of_the_chain
from tests.audit.support import wait_for
from tests.support import auth, read_topic

AUDITOR = auth("auditor", "auditor-1")


def root_of(engine, fund: str) -> str:  # type: ignore[no-untyped-def]
    nodes = {(level, idx): bytes.fromhex(h) for (f, level, idx), h in nodes_of_the_chain(engine).items() if f == fund}
    return range_hash(0, sum(1 for level, _ in nodes if level == 0), nodes).hex()


def cosignature(witness: Ed25519PrivateKey, doc: dict) -> str:
    return base64.b64encode(witness.sign(signing.message(signing.from_json(doc)[0]))).decode()


def pem_of(key: Ed25519PrivateKey) -> str:
    return signing.public_pem(key.public_key())


def test_a_checkpoint_on_demand_signs_each_funds_log_with_the_published_key(keyed_client, engine, log_key):
    grow(engine, UI, 5)
    grow(engine, EU, 3)
    published = keyed_client.get("/v1/ledger/public-key", headers=AUDITOR).json()
    assert (published["algorithm"], published["key_id"]) == ("Ed25519", log_key.key_id)
    response = keyed_client.post("/v1/ledger/checkpoints", headers=AUDITOR)
    assert response.status_code == 201
    signed = {c["fund"]: c for c in response.json()["items"]}
    assert {f: c["size"] for f, c in signed.items()} == {UI: 5, EU: 3}
    for fund, doc in signed.items():
        assert signing.verified(doc, signing.load_public_key(published["public_key"])).root == root_of(engine, fund)
        assert keyed_client.get(f"/v1/ledger/checkpoints/{doc['id']}", headers=AUDITOR).json() == doc
    assert keyed_client.post("/v1/ledger/checkpoints", json={"fund": "no_such_fund"}, headers=AUDITOR
                             ).status_code == 404
    assert keyed_client.get("/v1/ledger/checkpoints/999999", headers=AUDITOR).status_code == 404


def test_checkpoints_are_kept_and_listed_newest_first_per_fund(keyed_client, engine):
    for size in (1, 2, 4):
        grow(engine, UI, size)
        keyed_client.post("/v1/ledger/checkpoints", json={"fund": UI}, headers=AUDITOR)
    grow(engine, EU, 1)
    keyed_client.post("/v1/ledger/checkpoints", json={"fund": EU}, headers=AUDITOR)
    first = keyed_client.get("/v1/ledger/checkpoints", params={"fund": UI, "limit": 2}, headers=AUDITOR).json()
    rest = keyed_client.get("/v1/ledger/checkpoints", params={"fund": UI, "cursor": first["next_cursor"]},
                            headers=AUDITOR).json()
    assert [c["size"] for c in first["items"] + rest["items"]] == [4, 2, 1] and rest["next_cursor"] is None
    assert len(keyed_client.get("/v1/ledger/checkpoints", headers=AUDITOR).json()["items"]) == 4


def test_a_witness_cosignature_is_verified_kept_once_and_shown_with_its_checkpoint(keyed_client, engine, log_key):
    grow(engine, UI, 3)
    (doc,) = keyed_client.post("/v1/ledger/checkpoints", json={"fund": UI}, headers=AUDITOR).json()["items"]
    witness = Ed25519PrivateKey.generate()
    body = {"public_key": pem_of(witness), "signature": cosignature(witness, doc)}
    url = f"/v1/ledger/checkpoints/{doc['id']}/cosign"
    first = keyed_client.post(url, json=body, headers=AUDITOR)
    assert first.status_code == 201
    again = keyed_client.post(url, json=body, headers=AUDITOR)
    assert again.status_code == 200 and again.json() == first.json()
    (shown,) = keyed_client.get("/v1/ledger/checkpoints", params={"fund": UI}, headers=AUDITOR).json()["items"]
    (cosigned,) = shown["cosignatures"]
    assert (cosigned["key_id"], cosigned["public_key"]) == (signing.key_id_of(witness.public_key()), pem_of(witness))
    signing.check_signature(signing.from_json(shown)[0], cosigned["signature"], witness.public_key())


@pytest.mark.parametrize("case", ["another checkpoint", "another key", "the log's own key", "not a key"])
def test_a_cosignature_that_does_not_vouch_for_the_checkpoint_is_refused(keyed_client, engine, tmp_path, case):
    grow(engine, UI, 2)
    (doc,) = keyed_client.post("/v1/ledger/checkpoints", json={"fund": UI}, headers=AUDITOR).json()["items"]
    witness = Ed25519PrivateKey.generate()
    body = {"public_key": pem_of(witness), "signature": cosignature(witness, doc)}
    if case == "another checkpoint":
        body["signature"] = cosignature(witness, {**doc, "size": 1})
    elif case == "another key":
        body["public_key"] = pem_of(Ed25519PrivateKey.generate())
    elif case == "the log's own key":
        own = signing.load_private_key((tmp_path / "checkpoint-key.pem").read_bytes())
        body = {"public_key": pem_of(own), "signature": cosignature(own, doc)}
    else:
        body["public_key"] = "-----BEGIN PUBLIC KEY-----\nnonsense\n-----END PUBLIC KEY-----\n"
    response = keyed_client.post(f"/v1/ledger/checkpoints/{doc['id']}/cosign", json=body, headers=AUDITOR)
    assert response.status_code == 422 and response.headers["content-type"].startswith("application/problem+json")
    assert keyed_client.get(f"/v1/ledger/checkpoints/{doc['id']}", headers=AUDITOR).json()["cosignatures"] == []
    assert keyed_client.post("/v1/ledger/checkpoints/999999/cosign", json=body, headers=AUDITOR).status_code == 404


def staged_checkpoints(engine) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(outbox)
                            .where(outbox.c.topic_suffix == "checkpoints.v1")).scalar_one()


def test_checkpoints_fall_due_every_n_entries_or_t_seconds_after_the_log_grew(engine, log_key):
    t0 = datetime(2026, 1, 1, tzinfo=UTC)

    def due(at_seconds: float) -> list[int]:
        with Session(engine) as session:
            issued = checkpoints.issue_due(session, log_key, 5, 60, t0 + timedelta(seconds=at_seconds))
            session.commit()
        return [c.checkpoint.size for c in issued]

    grow(engine, UI, 3)
    assert due(0) == [3]  # never signed
    grow(engine, UI, 6)
    assert due(10) == []  # 3 new entries, 10 s
    grow(engine, UI, 8)
    assert due(20) == [8]  # 5 new entries
    assert due(500) == []  # nothing new to sign
    grow(engine, UI, 9)
    assert (due(79), due(81)) == ([], [9])  # 1 new entry: signed 60 s after the last checkpoint
    assert staged_checkpoints(engine) == 3


def test_the_schedule_signs_as_soon_as_a_batch_makes_a_checkpoint_due(engine, log_key):
    schedule = CheckpointSchedule(engine, log_key, every_entries=4, every_seconds=0)
    thread = threading.Thread(target=schedule.run, daemon=True)
    thread.start()
    try:
        grow(engine, EU, 4)
        schedule.wake()  # as the consumer does after each committed batch
        wait_for(lambda: staged_checkpoints(engine) == 1, 10, "the checkpoint of 4 entries")
    finally:
        schedule.stop()
        thread.join(5)


def test_checkpoints_are_published_on_the_checkpoints_topic(keyed_client, engine, broker, topic_prefix, log_key):
    grow(engine, UI, 2)
    (doc,) = keyed_client.post("/v1/ledger/checkpoints", json={"fund": UI}, headers=AUDITOR).json()["items"]
    relay = OutboxRelay(engine, outbox, broker, topic_prefix)
    try:
        assert relay.relay_once() == 1
    finally:
        relay.stop()
        relay._drop_producer()
    (record,) = read_topic(broker, f"{topic_prefix}.checkpoints.v1", 1)
    event = json.loads(record.value)
    assert (event["type"], event["subject"], record.key) == ("grants.ledger.checkpoint", UI, UI.encode())
    assert event["data"] == {k: v for k, v in doc.items() if k != "cosignatures"}
    signing.verified(event["data"], log_key.public_key)

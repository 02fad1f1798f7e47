"""Where the checkpoint signing key comes from: a secret or a file, a development key under ./var, never nothing
in production."""

import json
import stat

import pytest
from pydantic import ValidationError

from services.audit.config import Settings
from services.audit.domain.checkpoints import private_pem
from services.audit.service import signing_key
from services.audit.service.signing_key import load_signer, write_new_key

PRODUCTION = {"grants_env": "production", "grants_pii_key": "p" * 40, "grants_kafka_bootstrap": "kafka:9092",
              "grants_oidc_issuer": "https://id.example/realms/grants"}


def test_production_refuses_to_start_without_a_signing_key():
    with pytest.raises(ValidationError, match="AUDIT_CHECKPOINT_KEY"):
        Settings(**PRODUCTION)


def test_the_key_comes_from_a_secret_or_a_file(tmp_path):
    from_file = write_new_key(tmp_path / "key.pem")
    assert load_signer(Settings(**PRODUCTION, audit_checkpoint_key_file=str(tmp_path / "key.pem"))
                       ).key_id == from_file.key_id
    assert load_signer(Settings(**PRODUCTION, audit_checkpoint_key=(tmp_path / "key.pem").read_text())
                       ).key_id == from_file.key_id
    assert stat.S_IMODE((tmp_path / "key.pem").stat().st_mode) == 0o600


def test_development_makes_one_key_under_var_and_keeps_it(tmp_path, monkeypatch):
    monkeypatch.setattr(signing_key, "DEVELOPMENT_KEY", tmp_path / "var" / "audit-checkpoint-key.pem")
    first = load_signer(Settings(grants_env="development"))
    assert load_signer(Settings(grants_env="development")).key_id == first.key_id
    assert (tmp_path / "var" / "audit-checkpoint-key.pem").exists()
    assert [p.name for p in (tmp_path / "var").iterdir()] == ["audit-checkpoint-key.pem"]  # no scratch file left


def test_a_key_that_is_not_ed25519_is_refused(tmp_path):
    from cryptography.hazmat.primitives.asymmetric import ec

    other = ec.generate_private_key(ec.SECP256R1())
    with pytest.raises(ValueError, match="not an Ed25519 key"):
        load_signer(Settings(audit_checkpoint_key=private_pem(other).decode()))


def test_keygen_writes_a_key_the_service_signs_with_and_never_overwrites_one(tmp_path, capsys):
    from tests.audit.merkle_support import run_audit_cli

    code, out = run_audit_cli(capsys, "keygen", str(tmp_path / "key.pem"))
    assert code == 0
    assert load_signer(Settings(audit_checkpoint_key_file=str(tmp_path / "key.pem"))).key_id == json.loads(out)[
        "key_id"]
    before = (tmp_path / "key.pem").read_bytes()
    code, reason = run_audit_cli(capsys, "keygen", str(tmp_path / "key.pem"))
    assert code == 1 and "cannot write" in reason and (tmp_path / "key.pem").read_bytes() == before

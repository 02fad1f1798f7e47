"""The Kafka clients' authentication settings: none for the embedded broker and compose, SCRAM over TLS
with the cluster's CA on Kubernetes, refused when SASL is asked for without a user."""

import pytest
from pydantic import ValidationError

from shared.settings import KafkaSecurity


def test_plaintext_by_default():
    assert KafkaSecurity().client_options() == {"security_protocol": "PLAINTEXT"}


def test_scram_over_tls_as_the_kubernetes_config_map_and_secrets_give_it(monkeypatch):
    for key, value in {"GRANTS_KAFKA_SECURITY_PROTOCOL": "SASL_SSL", "GRANTS_KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
                       "GRANTS_KAFKA_USERNAME": "grants-audit", "GRANTS_KAFKA_PASSWORD": "s3cret",
                       "GRANTS_KAFKA_CA_FILE": "/etc/grants/kafka-ca/ca.crt"}.items():
        monkeypatch.setenv(key, value)
    assert KafkaSecurity().client_options() == {
        "security_protocol": "SASL_SSL", "sasl_mechanism": "SCRAM-SHA-512", "sasl_plain_username": "grants-audit",
        "sasl_plain_password": "s3cret", "ssl_cafile": "/etc/grants/kafka-ca/ca.crt"}


def test_sasl_without_a_password_is_refused_at_start(monkeypatch):
    monkeypatch.setenv("GRANTS_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
    monkeypatch.setenv("GRANTS_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
    monkeypatch.setenv("GRANTS_KAFKA_USERNAME", "grants-audit")
    with pytest.raises(ValidationError, match="GRANTS_KAFKA_PASSWORD"):
        KafkaSecurity()

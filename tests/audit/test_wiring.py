"""How the pieces are put together: the CLI command, and the service's workers."""

import argparse

from cli import audit as audit_cli
from services.audit.service.anomaly_sweep import AnomalySweep
from services.audit.main import create_app
from services.audit.messaging.consumer import AuditConsumer
from tests.audit.support import audit_settings


def test_the_grants_command_gains_audit_verify():
    parser = argparse.ArgumentParser(prog="grants")
    audit_cli.add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["audit", "verify", "ledger.jsonl"])
    assert (args.command, args.file, args.func) == ("audit", "ledger.jsonl", audit_cli.run_verify)


def test_the_service_runs_the_audit_consumer_with_the_anomaly_sweep(tmp_path, standards):
    app = create_app(audit_settings(f"sqlite:///{tmp_path}/a.db"), run_workers=False, standards=standards)
    workers = app.state.runtime.build_workers().workers
    (consumer,) = [w for w in workers if hasattr(w, "spec")]
    assert isinstance(consumer, AuditConsumer)
    assert consumer.spec.topic_suffixes == ["payments.v1", "batches.v1"]
    assert isinstance(consumer.spec.on_batch_committed, AnomalySweep)
    app.state.runtime.engine.dispose()

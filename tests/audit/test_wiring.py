"""How the pieces are put together: the CLI command, and the service's workers."""

import argparse

from cli import audit as audit_cli
from cli import audit_proofs
from services.audit.service.anomaly_worker import AnomalySweep
from services.audit.main import create_app
from services.audit.messaging.consumer import AuditConsumer
from services.audit.service.checkpoint_schedule import CheckpointSchedule
from tests.audit.support import audit_settings


def test_the_grants_command_gains_audit_verify():
    parser = argparse.ArgumentParser(prog="grants")
    audit_cli.add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["audit", "verify", "ledger.jsonl"])
    assert (args.command, args.file, args.func) == ("audit", "ledger.jsonl", audit_cli.run_verify)


def test_the_grants_command_gains_the_merkle_log_verifiers():
    parser = argparse.ArgumentParser(prog="grants")
    audit_cli.add_parser(parser.add_subparsers(dest="command", required=True))
    inclusion = parser.parse_args(["audit", "verify-inclusion", "e.json", "p.json", "c.json", "--key", "k.pem"])
    consistency = parser.parse_args(["audit", "verify-consistency", "o.json", "n.json", "p.json", "--key", "k.pem"])
    assert (inclusion.entry, inclusion.proof, inclusion.checkpoint, inclusion.key, inclusion.func) == (
        "e.json", "p.json", "c.json", "k.pem", audit_proofs.run_inclusion)
    assert (consistency.old, consistency.new, consistency.proof, consistency.func) == (
        "o.json", "n.json", "p.json", audit_proofs.run_consistency)


def test_the_service_runs_the_audit_consumer_with_the_anomaly_sweep_and_the_checkpoint_schedule(tmp_path, standards):
    app = create_app(audit_settings(f"sqlite:///{tmp_path}/a.db"), run_workers=False, standards=standards)
    workers = app.state.runtime.build_workers().workers
    consumer, control = [w for w in workers if hasattr(w, "spec")]
    assert isinstance(consumer, AuditConsumer)
    assert control.spec.name == "audit.stream_control" and not isinstance(control, AuditConsumer)
    assert consumer.spec.topic_suffixes == ["payments.v1", "batches.v1"]
    after_batch = consumer.spec.on_batch_committed
    assert isinstance(after_batch.sweep, AnomalySweep) and after_batch.sweep in workers  # its own thread
    assert isinstance(after_batch.schedule, CheckpointSchedule) and after_batch.schedule in workers
    app.state.runtime.engine.dispose()

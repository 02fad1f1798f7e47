"""The audit service: a hash-chained double-entry ledger per fund, anomaly findings and reconciliation,
all re-derived from the events as received (contract §5).

Read it top-down, nothing running back up (tests/test_architecture.py holds it to this):
- main.py builds the app and its consumer; config.py is the only reader of the environment.
- api/ routes and response shapes; messaging/ the consumer of payment, batch and budget events.
  Both call service/ and nothing below it.
- service/ the use cases: ledger_ingest (keep, post or quarantine) over ledger_batch, anomaly_sweep
  (run by anomaly_worker, in a process of its own by anomaly_process), findings_review, ledger_reading,
  ledger_verification, reconciliation_report, fund_usage_report, budget_records, redelivery_check, and
  catalog_standards (the catalog as the rules' Standards).
- db/ base, tables, repositories and reads (every query) and the Alembic history; domain/ the pure
  ledger: event facts, postings, the chain, the journal, anomaly rules and reconciliation.
"""

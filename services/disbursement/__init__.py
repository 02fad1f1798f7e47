"""The disbursement service: decides claims against the policy catalog, then batches and pays them
(contract §4, docs/finance.md).

Read it top-down, nothing running back up (tests/test_architecture.py holds it to this):
- main.py builds the app, the decider and the workers; config.py is the only reader of the environment.
- api/ routes and request shapes; messaging/ the consumer of claims.v1 (submissions, payee changes).
  Both call service/ and nothing below it.
- service/ the use cases: claim_deciding and claim_evaluation (what-if), operator_parameters,
  batch_drafting, batch_approval, payment_issuing, payment_file_export, bank_return_intake,
  payee_change_acceptance, fund_budgets, and the views batch_view and entitlements.
- db/ base, tables, repositories (every query), claim_source (the applications service, read like a
  repository) and the Alembic history; domain/ the pure rules engine (rules/), approval policy, batch
  states, bank-return matching and the pain.001 rendering.
"""

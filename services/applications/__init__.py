"""The applications service: applicants file claims and follow them to payment (contract §3).

Read it top-down, nothing running back up (tests/test_architecture.py holds it to this):
- main.py builds the app and its workers; config.py is the only reader of the environment.
- api/ routes and their request/response shapes; messaging/ the consumer of disbursement's decision, batch
  and payment events. Both call service/ and nothing below it.
- service/ the use cases: claim_filing, payee_correction, claim_timeline (status moves), claim_reads.
- db/ tables, claims_repo (every query) and the Alembic history; domain/ the claim status machine.
"""

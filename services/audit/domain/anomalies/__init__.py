"""Anomaly rules over payment events, each citing the clause it enforces. See engine.run_rules."""

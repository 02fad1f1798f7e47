"""The demo's last part: what an auditor sees — fund balances, the chain check, anomalies, reconciliation."""

from collections import Counter

import httpx

from shared.retrying import poll


def wait_for_ledger(auditor: httpx.Client, entries: int, timeout: float = 60.0) -> dict:
    """Wait until the audit service has posted at least `entries` ledger entries; returns the verify answer."""
    return poll(lambda: auditor.get("/v1/ledger/verify").json(), lambda verify: verify["entries"] >= entries,
                timeout=timeout, interval=0.3)


def show_audit(auditor: httpx.Client, expected_entries: int) -> None:
    verify = wait_for_ledger(auditor, expected_entries)
    print("\nAudit: ledger")
    print(f"  hash chain verified: {verify['ok']}, {verify['entries']} entries, head {str(verify['head'])[:16]}…")
    print("\nAudit: fund balances (debit - credit, CNY)")
    for item in auditor.get("/v1/ledger/balances").json()["items"]:
        print(f"  {item['account']:<52} {item['balance']:>12}")
    findings = auditor.get("/v1/anomalies?limit=500").json()["items"]
    print(f"\nAudit: anomalies ({len(findings)} findings)")
    for (rule, severity, clause), n in sorted(Counter((f["rule"], f["severity"], f["clause"]) for f in findings).items()):
        print(f"  {n:>3} × {rule:<34} {severity:<7} {clause}")
    if findings:  # an auditor works one: its status, who and why are kept with every change
        first = findings[0]
        worked = auditor.post(f"/v1/anomalies/{first['finding_key']}/status",
                              json={"status": "resolved", "note": "checked with the bureau: corrected"})
        if worked.status_code == 200:
            print(f"  auditor resolved a {first['rule']} finding: status {worked.json()['status']}, "
                  f"by {worked.json()['status_by']}")
    report = auditor.get("/v1/reports/reconciliation").json()
    print("\nAudit: reconciliation per fund (approved / issued / posted / settled / failed)")
    for row in report["funds"]:
        print(f"  {row['fund']:<24} {row['approved_total']:>10} / {row['issued_total']:>10} / {row['posted_total']:>10}"
              f" / {row['settled_total']:>10} / {row['failed_total']:>10}   breaks: {row['breaks']}")
    kinds = Counter(b["kind"] for b in report["breaks"])
    print(f"  breaks: {dict(kinds) if kinds else 'none'}")

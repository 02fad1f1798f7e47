"""The demo's last steps (issue 14): an auditor follows one payment end to end (GET /v1/payments/{id}/trail), the
access trail the walk left, and what the claimant whose payment failed reads in plain words."""

import httpx


def show_payment_trail(auditor: httpx.Client, admin: httpx.Client, applicant: httpx.Client) -> None:
    entries = auditor.get("/v1/ledger/entries", params={"limit": 500}).json()["items"]
    settled = [e["payment_id"] for e in entries if any(p["account"].endswith(":bank") for p in e["postings"])]
    if not entries:
        print("\nPayment trail: no ledger entries yet")
        return
    payment_id = (settled or [entries[0]["payment_id"]])[0]
    admin.post("/v1/ledger/checkpoints").raise_for_status()  # sign now, so every entry has its inclusion proof
    trail = auditor.get(f"/v1/payments/{payment_id}/trail")
    trail.raise_for_status()
    t = trail.json()
    d, a = t["decision"] or {}, t["approval"]
    print(f"\nPayment trail of {payment_id} (GET /v1/payments/{{id}}/trail, also …/trail.json)")
    print(f"  claim {t['claim_id']}  {t['programme']}  {t['amount']} {t['currency']}  fund {t['fund']}")
    print(f"  decision {d.get('outcome')} [{d.get('clause')}], catalog {str(d.get('catalog_hash'))[:16]}…, "
          f"{len(d.get('computation') or [])} computation steps")
    print(f"  maker {a['maker']} at {a.get('made_at')}; checkers "
          + ", ".join(f"{c['checker']} at {c['at']}" for c in a.get("checkers") or []))
    print(f"  payment file MsgId {t['payment_file']['message_id']}, EndToEndId {t['payment_file']['end_to_end_id']}")
    print(f"  bank outcome {t['bank_outcome'].get('status')} {t['bank_outcome'].get('reason_code') or ''}")
    for entry in t["ledger"]:
        proof = entry["inclusion_proof"] or {}
        print(f"  ledger seq {entry['seq']} hash {entry['hash'][:16]}…  in checkpoint {proof.get('checkpoint_id')} "
              f"(leaf {proof.get('leaf_index')} of {proof.get('tree_size')}, {len(proof.get('inclusion_path') or [])}"
              " path hashes)")
    if t["missing"]:
        print(f"  missing: {t['missing']}")
    log = auditor.get("/v1/access-log", params={"limit": 500}).json()["items"]
    kinds: dict[str, int] = {}
    for record in log:
        kinds[f"{record['action']}/{record['outcome']}"] = kinds.get(f"{record['action']}/{record['outcome']}", 0) + 1
    print(f"  access log (GET /v1/access-log): {kinds}")
    for claim in applicant.get("/v1/claims", params={"limit": 500}).json()["items"]:
        if claim["status"] == "payment_failed" or any(h["status"] == "payment_failed" for h in claim["history"]):
            for language in ("zh-CN", "en"):
                words = applicant.get(f"/v1/claims/{claim['claim_id']}",
                                      headers={"Accept-Language": language}).json()["explanation"]
                print(f"  the claimant reads ({language}): {words['message']} {words['next_step'] or ''}")
            break

from tests.support import auth, skill_upgrade_body

OFFICER = auth("officer", "officer-1")
ADMIN = auth("admin", "admin-1")


def _startup_chongqing() -> dict:
    body = skill_upgrade_body(3)
    body.update(programme="startup", jurisdiction="chongqing", facts={
        "founder_category": "returning_migrant_worker", "business_uscc": "91350100M000100Y43",
        "business_registered_on": "2019-03-01", "first_business": True})
    body["as_of"] = "2021-06-01"  # one year of operation reached in 2020 (chongqing-2020 §29's cohort)
    return body


def test_programmes_list_every_programme_with_its_clause_fund_and_dated_parameters(disbursement):
    page = disbursement.get("/v1/programmes?limit=500", headers=OFFICER).json()
    su = next(i for i in page["items"] if i["policy_id"] == "qingyang-2023" and i["programme"] == "skill_upgrade")
    assert su["clause"] == "qingyang-2023 §18" and su["fund"] == "unemployment_insurance"
    level_4 = next(p for p in su["parameters"] if p["id"].endswith("amount_level_4"))
    assert level_4["values"][0]["value"] == "1500.00" and level_4["values"][0]["effective_to"] == "2023-12-31"
    assert page["catalog_hash"] and page["next_cursor"] is None


def test_what_if_evaluation_answers_the_decision_and_persists_nothing(disbursement):
    r = disbursement.post("/v1/evaluations", json=skill_upgrade_body(), headers=OFFICER)
    assert r.status_code == 200, r.text
    assert (r.json()["outcome"], r.json()["amount"], r.json()["persisted"]) == ("eligible", "1500.00", False)
    again = disbursement.post("/v1/evaluations", json=skill_upgrade_body(), headers=OFFICER)
    assert again.json()["outcome"] == "eligible"  # the first evaluation did not become a grant


def test_what_if_overrides_a_parameter_and_an_unknown_one_is_a_422(disbursement):
    body = {**skill_upgrade_body(), "parameters": {"qingyang-2023.skill_upgrade.amount_level_4": "1800.00"}}
    assert disbursement.post("/v1/evaluations", json=body, headers=OFFICER).json()["amount"] == "1800.00"
    bad = {**skill_upgrade_body(), "parameters": {"no.such.parameter": "1.00"}}
    r = disbursement.post("/v1/evaluations", json=bad, headers=OFFICER)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "parameters"


def test_applicants_cannot_run_evaluations(disbursement):
    assert disbursement.post("/v1/evaluations", json=skill_upgrade_body(), headers=auth()).status_code == 403


def test_an_unset_operator_parameter_rejects_until_an_admin_sets_it(disbursement):
    before = disbursement.post("/v1/evaluations", json=_startup_chongqing(), headers=OFFICER).json()
    assert "PARAMETER_NOT_SET" in [r["code"] for r in before["reasons"]]
    put = disbursement.put("/v1/parameters/chongqing-2020.startup.amount", headers=ADMIN,
                           json={"value": "5000.00", "reason": "district decision 2020-14"})
    assert put.status_code == 200, put.text
    after = disbursement.post("/v1/evaluations", json=_startup_chongqing(), headers=OFFICER).json()
    assert "PARAMETER_NOT_SET" not in [r["code"] for r in after["reasons"]]
    listed = disbursement.get("/v1/parameters?limit=500", headers=OFFICER).json()["items"]
    assert next(p for p in listed if p["id"] == "chongqing-2020.startup.amount")["operator_value"] == "5000.00"


def test_a_value_given_by_the_seeds_cannot_be_overridden_by_an_operator(disbursement):
    r = disbursement.put("/v1/parameters/qingyang-2023.skill_upgrade.amount_level_4", headers=ADMIN,
                         json={"value": "9999.00", "reason": "try"})
    assert r.status_code == 409


def test_only_admins_set_parameters(disbursement):
    r = disbursement.put("/v1/parameters/chongqing-2020.startup.amount", headers=OFFICER,
                         json={"value": "1.00", "reason": "x"})
    assert r.status_code == 403


def test_parameters_are_paged_and_the_pages_hold_each_parameter_once(disbursement):
    first = disbursement.get("/v1/parameters?limit=50", headers=OFFICER).json()
    rest = disbursement.get("/v1/parameters", params={"limit": 500, "cursor": first["next_cursor"]},
                            headers=OFFICER).json()
    whole = disbursement.get("/v1/parameters?limit=500", headers=OFFICER).json()
    assert len(first["items"]) == 50 and rest["next_cursor"] is None and whole["next_cursor"] is None
    assert [p["id"] for p in first["items"] + rest["items"]] == [p["id"] for p in whole["items"]]

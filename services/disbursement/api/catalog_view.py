"""The policy catalog as the API shows it: each programme per policy with dated parameters and citations."""

from typing import Any

from shared.catalog import Catalog


def programme_items(catalog: Catalog) -> list[dict[str, Any]]:
    items = []
    for policy, programme in catalog.programmes():
        prefix = f"{policy.policy_id}.{programme.code}."
        parameters = [p.model_dump(mode="json") for p in policy.parameters if p.id.startswith(prefix)]
        groups = [g.model_dump(mode="json") for g in catalog.exclusive_groups(policy.policy_id)
                  if programme.code in g.programmes]
        items.append({
            "policy_id": policy.policy_id, "policy_status": policy.status, "policy_title": policy.title,
            "programme": programme.code, "name": programme.name, "clause": programme.clause,
            "fund": programme.fund.code, "fund_clause": programme.fund.clause,
            "period": (programme.period or policy.period).model_dump(mode="json"),
            "definition": programme.model_dump(mode="json"), "parameters": parameters,
            "exclusive_groups": groups,
        })
    return items


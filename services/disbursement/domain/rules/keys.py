"""Pseudonymous references and qualifying keys: how a claim and an earlier grant are recognised as
being about the same person, business or certificate without any raw identity number.

A qualifying key is `field=value;field=value` in the catalog's order, values percent-encoded; person
and USCC fields are written as their keyed pseudonym (HMAC-SHA256 under the PII key).
"""

from datetime import date
from typing import Any
import functools
from urllib.parse import quote, unquote

from pydantic import BaseModel

from shared.catalog import Catalog
from shared.catalog.fact_paths import fact_kind
from shared.catalog.schema import Programme
from shared.claims import Claim, Person
from shared.identifiers import pseudonymise

PARTY_KINDS = ("person", "uscc")


def read_fact(facts: BaseModel, path: str) -> Any:
    """The value at a dotted path of the facts, or None where any step is absent."""
    value: Any = facts
    for name in path.split("."):
        value = getattr(value, name, None)
        if value is None:
            return None
    return value


def beneficiary_ref(claim: Claim, pii_key: str) -> str:
    return pseudonymise(claim.body.claimant.identifier, pii_key)


def subject_ref(claim: Claim, programme: Programme, pii_key: str) -> str:
    if programme.subject == "claimant":
        return beneficiary_ref(claim, pii_key)
    person = read_fact(claim.facts, programme.subject)
    return pseudonymise(person.id_number, pii_key)


def key_fields(claim: Claim, programme: Programme, pii_key: str) -> dict[str, str]:
    """The qualifying-key fields of a claim, parties already pseudonymised."""
    model = type(claim.facts)
    fields: dict[str, str] = {}
    for path in programme.qualifying_key:
        value = read_fact(claim.facts, path)
        kind = fact_kind(model, path)
        if value is None:
            fields[path] = ""
        elif isinstance(value, Person):
            fields[path] = pseudonymise(value.id_number, pii_key)
        elif kind == "uscc":
            fields[path] = pseudonymise(value, pii_key)
        elif isinstance(value, date):
            fields[path] = value.isoformat()
        else:
            fields[path] = str(value)
    return fields


def party_refs(claim: Claim, programme: Programme, fields: dict[str, str]) -> list[str]:
    model = type(claim.facts)
    return [fields[p] for p in programme.qualifying_key if fact_kind(model, p) in PARTY_KINDS and fields[p]]


def encode_key(fields: dict[str, str]) -> str:
    return ";".join(f"{name}={quote(value, safe='')}" for name, value in fields.items())


@functools.lru_cache(maxsize=65536)
def _decoded(key: str) -> tuple[tuple[str, str], ...]:
    return tuple((name, unquote(value)) for name, _, value in (part.partition("=") for part in key.split(";") if key))


def decode_key(key: str) -> dict[str, str]:
    """The fields of a qualifying key (memoised: a history grant is compared with many claims)."""
    return dict(_decoded(key))



def history_refs(claim: Claim, catalog: Catalog, *, pii_key: str) -> list[str]:
    """The refs whose grants can limit this claim: lock these, load grants with any of them in lookup_refs."""
    refs: set[str] = set()
    for _, programme in catalog.programmes():
        if programme.code != claim.body.programme:
            continue
        refs.add(subject_ref(claim, programme, pii_key))
        refs.update(party_refs(claim, programme, key_fields(claim, programme, pii_key)))
    return sorted(refs)

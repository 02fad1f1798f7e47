"""Pseudonymous references and qualifying keys: how a claim and an earlier grant are recognised as
being about the same person, business or certificate without any raw identity number.

A qualifying key is `field=value;field=value` in the catalog's order, values percent-encoded; person
and USCC fields are written as their keyed pseudonym (HMAC-SHA256 under the PII key).
"""

import functools
import re
from typing import Any
from urllib.parse import quote, unquote

from pydantic import BaseModel

from shared.catalog import Catalog
from shared.catalog.fact_paths import FactKind, fact_kind
from shared.catalog.schema import Programme
from shared.claims import Claim
from shared.identifiers import pseudonymise

PARTY_KINDS = ("person", "uscc")


def read_fact(facts: BaseModel, path: str) -> Any:
    """The value at a dotted path of the facts, or None where any step is absent."""
    if "." not in path:
        return getattr(facts, path, None)
    value: Any = facts
    for name in path.split("."):
        value = getattr(value, name, None)
        if value is None:
            return None
    return value


class Pseudonyms(dict[str, str]):
    """Keyed pseudonyms for one evaluation: an identity number met twice (claimant and subject, a party in
    the key) is hashed once. One per call, never kept across calls."""

    def __init__(self, pii_key: str):
        super().__init__()
        self.pii_key = pii_key

    def __missing__(self, identifier: str) -> str:
        ref = self[identifier] = pseudonymise(identifier, self.pii_key)
        return ref


def beneficiary_ref(claim: Claim, refs: Pseudonyms) -> str:
    return refs[claim.body.claimant.identifier]


def subject_ref(claim: Claim, programme: Programme, refs: Pseudonyms) -> str:
    if programme.subject == "claimant":
        return beneficiary_ref(claim, refs)
    person = read_fact(claim.facts, programme.subject)
    return refs[person.id_number]


@functools.lru_cache(maxsize=1024)
def _key_kinds(model: type[BaseModel], paths: tuple[str, ...]) -> tuple[tuple[str, FactKind | None], ...]:
    """Each qualifying-key path with the kind of fact it names (memoised: facts models and catalogs are fixed)."""
    return tuple((path, fact_kind(model, path)) for path in paths)


def key_fields(claim: Claim, programme: Programme, refs: Pseudonyms) -> dict[str, str]:
    """The qualifying-key fields of a claim, parties already pseudonymised."""
    facts = claim.facts
    fields: dict[str, str] = {}
    for path, kind in _key_kinds(type(facts), tuple(programme.qualifying_key)):
        value = read_fact(facts, path)
        if value is None:
            fields[path] = ""
        elif kind == "person":
            fields[path] = refs[value.id_number]
        elif kind == "uscc":
            fields[path] = refs[value]
        elif kind == "date":
            fields[path] = value.isoformat()
        else:
            fields[path] = str(value)
    return fields


def party_refs(claim: Claim, programme: Programme, fields: dict[str, str]) -> list[str]:
    kinds = _key_kinds(type(claim.facts), tuple(programme.qualifying_key))
    return [fields[path] for path, kind in kinds if kind in PARTY_KINDS and fields[path]]


_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]*")  # what quote(value, safe="") leaves as it is


def encode_key(fields: dict[str, str]) -> str:
    if _UNRESERVED.fullmatch("".join(fields.values())):  # the usual case: nothing to escape, skip quote()
        return ";".join(f"{name}={value}" for name, value in fields.items())
    return ";".join(f"{name}={quote(value, safe='')}" for name, value in fields.items())


@functools.lru_cache(maxsize=65536)
def key_map(key: str) -> dict[str, str]:
    """The fields of a qualifying key, memoised (a history grant is compared with many claims): read only."""
    return {name: unquote(value) for name, _, value in (part.partition("=") for part in key.split(";") if key)}


def decode_key(key: str) -> dict[str, str]:
    """The fields of a qualifying key."""
    return dict(key_map(key))


def history_refs(claim: Claim, catalog: Catalog, *, pii_key: str) -> list[str]:
    """The refs whose grants can limit this claim: lock these, load grants with any of them in lookup_refs."""
    pseudonyms = Pseudonyms(pii_key)
    refs: set[str] = set()
    for _, programme in catalog.programmes():
        if programme.code != claim.body.programme:
            continue
        refs.add(subject_ref(claim, programme, pseudonyms))
        refs.update(party_refs(claim, programme, key_fields(claim, programme, pseudonyms)))
    return sorted(refs)

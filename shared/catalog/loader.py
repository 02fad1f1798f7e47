"""Load and validate the catalog directory: index.yaml plus policies/<policy-id>.yaml.

Any fault (unknown field, dangling clause, overlapping tiers, undated value, ...) stops the load with
a CatalogError whose lines read `file:line: path: message`, so an operator can go straight to it.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError
from yaml.nodes import Node

from shared.catalog.catalog import Catalog
from shared.catalog.fact_paths import fact_kind
from shared.catalog.references import check_policy
from shared.catalog.schema import CatalogIndex, PolicyDocument
from shared.catalog.yaml_source import load_yaml, locate
from shared.claims import PROGRAMMES

DEFAULT_CATALOG_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Fault:
    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path}: {self.message}"


class CatalogError(ValueError):
    """The catalog cannot be used; `faults` says where and why."""

    def __init__(self, faults: list[Fault]):
        super().__init__("\n".join(str(f) for f in faults))
        self.faults = faults


def _read(path: Path, model: type[BaseModel]) -> tuple[BaseModel | None, Node | None, list[Fault]]:
    name = str(path)
    try:
        data, root = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        return None, None, [Fault(name, None, "(file)", f"cannot read: {exc}")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        return None, None, [Fault(name, mark.line + 1 if mark else None, "(yaml)", problem)]
    try:
        return model.model_validate(data), root, []
    except ValidationError as exc:
        faults: dict[tuple[str, str], Fault] = {}
        for err in exc.errors(include_url=False):
            where, line = locate(root, err["loc"])
            message = err["msg"].removeprefix("Value error, ")
            faults.setdefault((where, message), Fault(name, line, where, message))
        return None, root, list(faults.values())


def _catalog_wide(index: CatalogIndex, docs: dict[str, PolicyDocument]) -> list[tuple[str, tuple, str]]:
    """Checks across files: jurisdictions name real policies; caps and exclusions compare fields that exist."""
    problems: list[tuple[str, tuple, str]] = []
    for name, entry in index.jurisdictions.items():
        for i, policy_id in enumerate(entry.policies):
            if policy_id not in docs:
                problems.append(("index", ("jurisdictions", name, "policies", i), f"unknown policy {policy_id!r}"))
    listed = {p for entry in index.jurisdictions.values() for p in entry.policies}
    keys: dict[str, set[str]] = {}
    subjects: dict[str, str] = {}
    for doc in docs.values():
        if doc.policy_id not in listed:
            problems.append((doc.policy_id, ("policy_id",), "the policy applies in no jurisdiction of index.yaml"))
        for i, programme in enumerate(doc.programmes):
            keys.setdefault(programme.code, set(programme.qualifying_key)).intersection_update(programme.qualifying_key)
            if subjects.setdefault(programme.code, programme.subject) != programme.subject:
                problems.append((doc.policy_id, ("programmes", i, "subject"),
                                 f"{programme.code} is about {subjects[programme.code]} in other policies, not {programme.subject}"))
    for doc in docs.values():
        rules = [(("programmes", i, "caps", j), cap) for i, p in enumerate(doc.programmes) for j, cap in enumerate(p.caps)]
        rules += [(("exclusive_groups", i), group) for i, group in enumerate(doc.exclusive_groups)]
        for loc, rule in rules:
            for k, code in enumerate(rule.programmes):
                if code not in keys:
                    problems.append((doc.policy_id, (*loc, "programmes", k), f"no policy offers programme {code!r}"))
                    continue
                for field in rule.same:
                    if field != "subject" and field not in keys[code]:
                        problems.append((doc.policy_id, (*loc, "same"), f"{field!r} is not in the qualifying key of {code}"))
                # History is loaded by subject and party refs: a rule matching on anything else would never see it.
                if not any(f == "subject" or fact_kind(PROGRAMMES[code][1], f) in ("person", "uscc") for f in rule.same):
                    problems.append((doc.policy_id, (*loc, "same"), "must include subject or a person/USCC field of the qualifying key"))
    return problems


def load_catalog(path: str | Path | None = None) -> Catalog:
    """Load the catalog directory (default: the one shipped in shared/catalog); raise CatalogError on any fault."""
    root = Path(path) if path is not None else DEFAULT_CATALOG_DIR
    faults: list[Fault] = []
    index_path = root / "index.yaml"
    index, index_node, index_faults = _read(index_path, CatalogIndex)
    faults += index_faults
    files = sorted((root / "policies").glob("*.yaml"))
    if not files:
        faults.append(Fault(str(root / "policies"), None, "(directory)", "no policy files"))
    docs: dict[str, PolicyDocument] = {}
    nodes: dict[str, tuple[str, Node | None]] = {"index": (str(index_path), index_node)}
    digest = hashlib.sha256()
    for file in [index_path, *files]:
        if file.exists():
            digest.update(file.name.encode() + b"\0" + file.read_bytes() + b"\0")
    for file in files:
        doc, node, file_faults = _read(file, PolicyDocument)
        faults += file_faults
        if doc is None:
            continue
        for loc, message in check_policy(doc, file.stem):
            where, line = locate(node, loc)
            faults.append(Fault(str(file), line, where, message))
        docs[doc.policy_id] = doc
        nodes[doc.policy_id] = (str(file), node)
    if index is not None and not faults:
        for owner, loc, message in _catalog_wide(index, docs):
            file, node = nodes[owner]
            where, line = locate(node, loc)
            faults.append(Fault(file, line, where, message))
    if faults or index is None:
        raise CatalogError(faults)
    return Catalog(index, docs, {pid: nodes[pid][0] for pid in docs}, digest.hexdigest())

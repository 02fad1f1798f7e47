"""The shape of the code, checked on every run.

- import-linter runs the contracts in pyproject.toml ([tool.importlinter]): every service holds exactly
  main, config and the rooms api/, messaging/, service/, db/, domain/, read top-down (api/ and messaging/
  -> service/ -> db/ -> domain/); routes and consumers reach db/ only through service/; nothing under
  service/ or domain/ imports FastAPI (not even through shared.web); no service imports another; no
  import circle anywhere.
- The console (services/console) holds no tables and reaches the services only through their HTTP APIs:
  its own layers contract and a forbidden one in pyproject.toml, and an AST walk of its imports here.
- An AST walk finds every SQLAlchemy query builder (select, insert, update, delete, text, ...) imported
  or called outside a db/ room and shared's database helpers.
"""

import ast
import tomllib
from pathlib import Path

from importlinter import configuration
from importlinter.application.use_cases import lint_imports

ROOT = Path(__file__).resolve().parents[1]
QUERY_BUILDERS = {"select", "insert", "update", "delete", "text", "union", "union_all", "exists", "bindparam",
                  "literal_column", "table", "column"}
SQL_MODULES = ("sqlalchemy", "sqlmodel")
# shared's database helpers: the engine and unit of work, bulk inserts, inbox, outbox and its relay (and lease)
SHARED_DB_HELPERS = {"shared/db.py", "shared/bulk.py", "shared/inbox.py", "shared/outbox.py", "shared/relay.py",
                     "shared/db_privileges.py", "shared/dead_letter_records.py", "shared/relay_lease.py",
                     "shared/stream_repo.py"}


def query_builders_in(source: str) -> list[str]:
    """The SQLAlchemy query builders a module imports or calls through a module alias, by name."""
    found, aliases = [], set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in SQL_MODULES:
            found += [a.name for a in node.names if a.name in QUERY_BUILDERS]
        elif isinstance(node, ast.Import):
            aliases |= {a.asname or a.name for a in node.names if a.name.split(".")[0] in SQL_MODULES}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in QUERY_BUILDERS and isinstance(node.value, ast.Name) \
                and node.value.id in aliases:
            found.append(node.attr)
    return found


def may_build_queries(path: Path) -> bool:
    relative = path.relative_to(ROOT).as_posix()
    parts = relative.split("/")
    return relative in SHARED_DB_HELPERS or (parts[0] == "services" and len(parts) > 3 and parts[2] == "db")


def test_the_import_contracts_hold():
    configuration.configure()  # what the lint-imports command does first (its logging set-up is left out:
    # it would disable every logger the suite has created)
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), cache_dir=None, no_logo=True), \
        "an import contract is broken: see the report above"


def test_no_module_outside_db_builds_a_query():
    offenders = {}
    for path in sorted([*ROOT.glob("services/**/*.py"), *ROOT.glob("shared/**/*.py"), *ROOT.glob("cli/**/*.py")]):
        if not may_build_queries(path) and (builders := query_builders_in(path.read_text())):
            offenders[path.relative_to(ROOT).as_posix()] = builders
    assert offenders == {}


def test_the_query_check_sees_imported_and_aliased_builders():
    assert query_builders_in("from sqlalchemy import select, func\nfrom sqlmodel import Session") == ["select"]
    assert query_builders_in("from sqlalchemy.dialects.postgresql import insert as pg_insert") == ["insert"]
    assert query_builders_in("import sqlalchemy as sa\nq = sa.text('SELECT 1')") == ["text"]
    assert query_builders_in("from shared.bulk import insert_many\nrows.insert(0, x)") == []
    assert may_build_queries(ROOT / "services/audit/db/ledger_repo.py")
    assert not may_build_queries(ROOT / "services/audit/service/ledger_ingest.py")


SERVICES_BEHIND_HTTP = ("services.applications", "services.disbursement", "services.audit")


def service_imports_in(source: str) -> list[str]:
    """The modules of the three services a module imports (import x, from x import y, from services import x)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            names = [module] + ([f"{module}.{a.name}" for a in node.names] if module == "services" else [])
        else:
            continue
        found += [n for n in names if any(n == s or n.startswith(s + ".") for s in SERVICES_BEHIND_HTTP)]
    return found


def test_the_console_imports_nothing_from_the_services_it_shows():
    modules = sorted(ROOT.glob("services/console/**/*.py"))
    assert len(modules) > 20
    offenders = {p.relative_to(ROOT).as_posix(): found for p in modules if (found := service_imports_in(p.read_text()))}
    assert offenders == {}
    assert not (ROOT / "services/console/db").exists()  # it owns no business data: no tables, no migrations


def test_the_console_import_check_sees_each_way_of_importing_a_service():
    assert service_imports_in("import services.audit.main") == ["services.audit.main"]
    assert service_imports_in("from services.disbursement.domain import batch_states") == ["services.disbursement.domain"]
    assert service_imports_in("from services import applications") == ["services.applications"]
    assert service_imports_in("from services.console.domain import charts\nimport shared.money") == []


def test_the_import_contracts_cover_the_console():
    contracts = {c["id"]: c for c in tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]}
    assert contracts["console-through-http"]["source_modules"] == ["services.console"]
    assert set(contracts["console-through-http"]["forbidden_modules"]) == set(SERVICES_BEHIND_HTTP)
    assert "services.console" in contracts["services-apart"]["modules"]
    assert contracts["console-rooms"]["containers"] == ["services.console"]

"""`grants catalog lint`: prints the catalog, or exits non-zero naming the file and path of a fault."""

import argparse
import io
import shutil
from pathlib import Path

from cli.catalog import add_parser, lint
from shared.catalog import DEFAULT_CATALOG_DIR


def test_lint_prints_every_programme_with_clause_fund_and_amounts() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert lint(None, out, err) == 0
    text = out.getvalue()
    assert "skill_upgrade 技能提升补贴 | clause qingyang-2023 §18 | fund unemployment_insurance" in text
    assert "level_4 (level = 4): 1500.00 (effective 2023-01-01 to 2023-12-31)" in text
    assert "UNSET (operator; yongchuan-2020.trainee.monthly_amount)" in text
    assert text.strip().splitlines()[-1].startswith("catalog OK: 5 policies")
    assert err.getvalue() == ""


def test_lint_of_a_broken_catalog_exits_1_with_file_and_path(tmp_path: Path) -> None:
    shutil.copytree(DEFAULT_CATALOG_DIR / "policies", tmp_path / "policies")
    shutil.copy(DEFAULT_CATALOG_DIR / "index.yaml", tmp_path / "index.yaml")
    target = tmp_path / "policies" / "yongchuan-2020.yaml"
    target.write_text(target.read_text(encoding="utf-8").replace("  - code: apprenticeship\n", "  - code: apprenticeship\n    bonus: 1\n"))
    out, err = io.StringIO(), io.StringIO()
    assert lint(str(tmp_path), out, err) == 1
    first = err.getvalue().splitlines()[0]
    assert first.startswith(f"{target}:") and "programmes[3].bonus: Extra inputs are not permitted" in first


def test_add_parser_registers_catalog_lint_with_a_handler() -> None:
    parser = argparse.ArgumentParser(prog="grants")
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["catalog", "lint", "--path", "/nowhere"])
    assert (args.command, args.catalog_command, args.path) == ("catalog", "lint", "/nowhere")
    assert args.handler(args) == 1

"""The layer rule: each stage package of gongkai/ imports only the stages below it.

A strict order forbids cycles between packages as well: a cycle needs one upward import.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.helpers.layers import STAGES, violations

GONGKAI = Path(__file__).resolve().parent.parent.parent / "gongkai"


def test_no_stage_imports_one_above_it():
    assert violations(GONGKAI) == []


def test_every_stage_is_a_package():
    packages = {p.parent.name for p in GONGKAI.glob("*/__init__.py")}
    assert set(STAGES) <= packages


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / "gongkai" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return root / "gongkai"


def test_an_upward_import_is_found(tmp_path):
    tree = _tree(tmp_path, {
        "core/__init__.py": "", "core/money.py": "from gongkai.plan.pages import Page\n",
        "plan/__init__.py": "", "plan/pages.py": "from gongkai.core import money\n"})
    assert violations(tree) == [
        "core/money.py:1: core/ imports gongkai.plan.pages, from plan/ above it"]


def test_a_lazy_or_relative_upward_import_is_found(tmp_path):
    tree = _tree(tmp_path, {
        "read/__init__.py": "",
        "read/source.py": "def f() -> None:\n    from ..build import write\n",
        "model/__init__.py": "", "model/content.py": "import gongkai.cli.main\n"})
    assert violations(tree) == [
        "model/content.py:1: model/ imports gongkai.cli.main, from cli/ above it",
        "read/source.py:2: read/ imports gongkai.build, from build/ above it"]


def test_a_module_outside_the_stages_is_found(tmp_path):
    tree = _tree(tmp_path, {"loose.py": "", "core/__init__.py": "",
                            "core/deep/x.py": ""})
    assert violations(tree) == ["core/deep/x.py: not a module of a stage package",
                                "loose.py: not a module of a stage package"]


MAX_LINES = 400


def test_no_module_is_over_400_lines():
    over = {path.relative_to(GONGKAI).as_posix(): lines
            for path in GONGKAI.rglob("*.py")
            if (lines := len(path.read_text("utf-8").splitlines())) > MAX_LINES}
    assert over == {}, f"split these along a seam, not in halves: {over}"


# Output names that only the address module may spell (model/addresses.py). Messages
# (N_("…")) may name a file for the people who read them.
OUTPUT_NAMES = re.compile(r"atom\.xml|robots\.txt|summary\.json|sitemap[-.]|manifest\.sha256"
                          r"|\.qr\.png|log\.jsonl|seal\.pub|checkpoint\.txt|search\.json"
                          r"|\.v\{")
ADDRESS_MODULE = "model/addresses.py"


def output_name_literals(root: Path) -> list[str]:
    """Every string literal of ``root`` (docstrings aside) that spells an output's name."""
    found = []
    for path in sorted(root.rglob("*.py")):
        if path.relative_to(root).as_posix() == ADDRESS_MODULE:
            continue
        tree = ast.parse(path.read_text("utf-8"))
        skipped = {id(node.body[0].value) for node in ast.walk(tree)
                   if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
                   and node.body and isinstance(node.body[0], ast.Expr)}
        skipped |= {id(arg) for node in ast.walk(tree) if isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name) and node.func.id == "N_"
                    for arg in node.args}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and id(node) not in skipped and OUTPUT_NAMES.search(node.value)):
                found.append(f"{path.relative_to(root)}:{node.lineno}: {node.value!r}")
    return found


def test_output_names_are_spelt_only_by_the_address_module():
    assert output_name_literals(GONGKAI) == []


def test_an_output_name_typed_elsewhere_is_found(tmp_path):
    tree = _tree(tmp_path, {"model/addresses.py": 'ROBOTS = "robots.txt"\n',
                            "plan/x.py": '"""Writes robots.txt."""\nNAME = "robots.txt"\n'
                                         'HELP = N_("robots.txt lets crawlers in")\n'})
    assert output_name_literals(tree) == ["plan/x.py:2: 'robots.txt'"]


def test_the_architecture_lists_exactly_the_modules_that_exist():
    doc = (GONGKAI.parent / "docs" / "architecture.md").read_text("utf-8")
    listed = re.findall(r"^\| `([a-z]+/[a-z0-9_]+\.py)` \|", doc, re.M)
    modules = [p.relative_to(GONGKAI).as_posix() for p in GONGKAI.glob("*/*.py")
               if p.name != "__init__.py" and p.parent.name in STAGES]
    assert len(listed) == len(set(listed)), "a module is listed twice"
    assert sorted(listed) == sorted(modules)

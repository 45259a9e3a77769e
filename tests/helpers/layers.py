"""The layer rule of gongkai/: each stage package imports only the packages below it."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

# Bottom to top: a package may import itself and the packages before it, never after.
STAGES = ("core", "read", "model", "check", "load", "render", "trust", "plan", "build",
          "clerk", "publish", "cli")
# Data folders (charts of accounts, catalogs) and the entry point sit outside the stages.
OUTSIDE = ("accounts", "locales", "__main__", "__init__")


def _imported(tree: ast.AST, package: str) -> Iterator[tuple[int, str]]:
    """Yield (line, dotted module) for every absolute or relative import in a module."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            if base == "gongkai":
                for alias in node.names:
                    yield node.lineno, f"gongkai.{alias.name}"
            else:
                yield node.lineno, base


def violations(root: Path, name: str = "gongkai") -> list[str]:
    """Every import of ``root`` (a copy of gongkai/) that goes upward or leaves the stages."""
    found = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        stage = parts[0]
        if stage in OUTSIDE:
            continue
        if stage not in STAGES or len(parts) != 2:
            found.append(f"{path.relative_to(root)}: not a module of a stage package")
            continue
        package = ".".join((name, *parts[:-1]))
        for line, module in _imported(ast.parse(path.read_text("utf-8")), package):
            if not module.startswith(f"{name}."):
                continue
            target = module.split(".")[1]
            if target.startswith("__"):  # the package's own __version__
                continue
            if target not in STAGES:
                found.append(f"{path.relative_to(root)}:{line}: imports {module}, "
                             "outside the stages")
            elif STAGES.index(target) > STAGES.index(stage):
                found.append(f"{path.relative_to(root)}:{line}: {stage}/ imports {module}, "
                             f"from {target}/ above it")
    return found

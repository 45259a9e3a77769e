"""Packaging glue that pyproject.toml cannot say: the top-level ``layouts/`` (the default
theme, kept beside ``content/`` where a site's own would be) ships inside the package as
``gongkai._layouts``, while every package under ``gongkai/`` is found by walking it.

Everything else (metadata, dependencies, package data) lives in ``pyproject.toml``.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import find_namespace_packages, setup

HERE = Path(__file__).resolve().parent


def theme_packages() -> dict[str, str]:
    """Map layouts/ and each folder under it to a package under gongkai._layouts."""
    layouts = HERE / "layouts"
    folders = [layouts, *sorted(p for p in layouts.rglob("*") if p.is_dir())]
    return {".".join(("gongkai", "_layouts", *f.relative_to(layouts).parts)):
            f.relative_to(HERE).as_posix() for f in folders}


THEME = theme_packages()

setup(
    packages=[*find_namespace_packages(include=["gongkai", "gongkai.*"]), *THEME],
    package_dir=THEME,
)

"""Build the site in this folder: a thin shim over ``gongkai.cli:main``."""

from __future__ import annotations

import os
import runpy
import sys


def _pypa_build() -> None:
    """Run PyPA's ``build``: ``python -m build`` here finds this file first."""
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != here]
    runpy.run_module("build", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    if __spec__ is not None and __spec__.name == "build":  # `python -m build`, not ours
        _pypa_build()
        raise SystemExit(0)
    from gongkai.cli.main import main

    raise SystemExit(main())

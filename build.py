"""Build the site in this folder: a thin shim over ``gongkai.cli.main:main``."""

from __future__ import annotations

from gongkai.cli.main import main

if __name__ == "__main__":
    raise SystemExit(main())

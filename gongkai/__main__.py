"""Run the CLI as ``python -m gongkai``."""

from __future__ import annotations

from gongkai.cli.main import main

raise SystemExit(main())

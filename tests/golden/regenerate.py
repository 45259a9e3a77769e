"""Rebuild tests/golden/expected from tests/golden/site.

Run ``python tests/golden/regenerate.py`` after an intended change to the theme or the
pages, then review ``git diff tests/golden/expected`` before committing it.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from gongkai.build.options import Options  # noqa: E402
from gongkai.build.pipeline import build  # noqa: E402


def main() -> int:
    """Build the golden site into the expected folder."""
    expected = HERE / "expected"
    shutil.rmtree(expected, ignore_errors=True)
    result = build(Options(HERE / "site", expected, cache=False))
    if result.failed:
        print("the golden site has errors", file=sys.stderr)
        return 1
    (expected / ".gongkai-build").unlink()
    print(f"wrote {result.pages} pages to {expected}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Golden output: a small fixed site must build to exactly the reviewed files.

Regenerate after an intended change: ``python tests/golden/regenerate.py``.
"""

from __future__ import annotations

from pathlib import Path

from gongkai.build.options import Options
from gongkai.build.pipeline import build

GOLDEN = Path(__file__).resolve().parent.parent / "golden"


def test_golden_site_matches_the_reviewed_output(tmp_path):
    result = build(Options(GOLDEN / "site", tmp_path / "out", cache=False))
    assert not result.failed
    expected = GOLDEN / "expected"
    built = {p.relative_to(tmp_path / "out").as_posix(): p.read_bytes()
             for p in (tmp_path / "out").rglob("*") if p.is_file() and p.name != ".gongkai-build"}
    wanted = {p.relative_to(expected).as_posix(): p.read_bytes()
              for p in expected.rglob("*") if p.is_file()}
    assert sorted(built) == sorted(wanted)
    for name, data in wanted.items():
        assert built[name] == data, f"{name} differs: run python tests/golden/regenerate.py and review"

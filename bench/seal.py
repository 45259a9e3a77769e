"""The seal log (issue 17): what sealing, correcting and verifying cost on a scaled county.

    python bench/seal.py --pages 2000 [--workdir DIR]

Makes (or reuses, as ``county.py`` does) a county of about N pages, copies it, and times
each step in a fresh process, on one pinned day: a cold build before any seal, one
ledger edit then, the first seal (every disclosure recorded, signed), a build with
nothing changed, one ledger line corrected (with its correction entry), the second seal,
and ``gongkai verify`` of the output. Then the size of ``history/`` in the site folder
and in the output. Prints a Markdown table. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

from _measure import Run, measure  # noqa: E402
from county import checked, child_env, compile_bytecode, prepare_county, say  # noqa: E402

TODAY = "2026-11-27"
CORRECTION = """
corrections:
  - date: 2026-11-27
    change: 第一笔收入的摘要补充“（复核更正）”
    reason: 基准测试：更正一笔已封存的记录
    approved_by: 村务监督委员会
"""


def gongkai(*args: str) -> list[str]:
    """A gongkai command line run with this checkout."""
    return [sys.executable, "-m", "gongkai", *args]


def folder_size(folder: Path) -> tuple[int, int]:
    """Return the number of files and their bytes under a folder."""
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def correct_ledger(site: Path, village: str) -> Path:
    """Change the first income line's item of a village's newest ledger, with a correction."""
    ledger = sorted((site / "content" / village / "finance").glob("*.yaml"))[-1]
    text = ledger.read_text(encoding="utf-8")
    marker = "item: "
    start = text.index(marker, text.index("\nincome:")) + len(marker)
    end = min(i for i in (text.find(",", start), text.find("}", start), text.find("\n", start))
              if i >= 0)
    ledger.write_text(text[:end] + "（复核更正）" + text[end:] + CORRECTION, encoding="utf-8")
    return ledger


def edit_unsealed(site: Path, village: str) -> None:
    """Change a word in the newest affairs disclosure of a village (before any seal)."""
    disclosure = sorted((site / "content" / village / "affairs").glob("*.md"))[-1]
    disclosure.write_text(disclosure.read_text(encoding="utf-8").rstrip() + "\n\n补充说明。\n",
                          encoding="utf-8")


def row(label: str, run: Run) -> str:
    """One line of the table."""
    tree = f"{run.tree_mb:.0f}" if run.tree_mb is not None else "–"
    return f"| {label} | {run.seconds:.1f} | {run.cpu_seconds:.1f} | {run.peak_mb:.0f} | {tree} |"


def main(argv: Sequence[str] | None = None) -> int:
    """Time the seal steps on a scaled county and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/gongkai-bench"))
    options = parser.parse_args(argv)
    compile_bytecode()
    county = prepare_county(REPO, options.workdir, options.pages)
    work = options.workdir / f"seal-{options.pages}"
    shutil.rmtree(work, ignore_errors=True)
    site = work / "site"
    shutil.copytree(county.site / "content", site / "content")
    shutil.copy(county.site / "site_config.yaml", site)
    out, logs, key = work / "public", work / "logs", work / "key" / "seal"
    env = child_env()
    village = county.village_ids()[county.villages // 2]
    checked(measure(gongkai("keygen", str(key)), work, logs / "keygen", env), "keygen")
    build = gongkai("build", "--site", str(site), "--out", str(out))
    seal = gongkai("seal", "--site", str(site), "--out", str(out), "--key", str(key))
    rows: list[str] = []

    def step(label: str, command: list[str]) -> None:
        say(label)
        rows.append(row(label, checked(measure(command, work, logs / str(len(rows)), env),
                                       label)))

    step("cold build, never sealed", [*build, "--today", TODAY])
    edit_unsealed(site, village)
    step("one disclosure edited, never sealed", [*build, "--today", TODAY])
    step("first seal (every disclosure recorded, signed)", [*seal, "--today", TODAY])
    step("nothing changed since the seal", [*build, "--today", TODAY])
    correct_ledger(site, village)
    step("one ledger line corrected (with its correction entry)", [*build, "--today", TODAY])
    step("second seal (one new version)", [*seal, "--today", TODAY])
    step("gongkai verify of the output", gongkai("verify", str(out)))
    pages = sum(1 for _ in out.rglob("*.html"))
    history_files, history_bytes = folder_size(site / "history")
    out_files, out_bytes = folder_size(out / "history")
    print(f"{pages} pages, {county.villages} villages; "
          f"history/ in the site: {history_files} files, {history_bytes / 1e6:.1f} MB; "
          f"in the output: {out_files} files, {out_bytes / 1e6:.1f} MB\n")
    print("| step | wall s | CPU s | peak MB (largest process) | peak MB (all processes) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

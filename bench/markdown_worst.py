"""Time render_markdown on every adversarial family at 10 KB, 100 KB, 500 KB and 2 MB.

Run by hand from the repository root::

    python bench/markdown_worst.py [--timeout S] [--sizes 10k,100k] [--edge] [--unchecked]
                                   [family ...]

Each case runs in its own process, so one that hangs is cut off at the timeout and
shown as ``>S`` (wall-clock). A cell is the CPU seconds of ``render_markdown``, the
best of three (on a shared machine the wall clock says more about the neighbours than
about the code), then ``no`` when the text was refused (``MarkdownTooComplex``), or
``rec`` when Python-Markdown ran out of recursion. ``--edge`` adds a column: the largest
size of the family that is accepted, and the seconds it takes to render, which is the
slowest a clerk's text of that kind can be. ``--unchecked`` skips ``check_markdown``, to
time Python-Markdown alone (the "before" table). Not part of the test suite: timings
depend on the machine and on what else runs on it.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SIZES = {"10k": 10 * 1024, "100k": 100 * 1024, "500k": 500 * 1024, "2m": 2 * 1024 * 1024}


def time_one(family: str, size: int, unchecked: bool) -> None:
    """Render one family at one size in this process and print the seconds (and refusal).

    The best of up to three runs, after a warm-up, as a build renders many texts: the
    neighbours on a shared machine only ever make a run slower.
    """
    from tests.test_pathological import FAMILIES

    from gongkai.read import markup
    from gongkai.read.markup import render_markdown
    from gongkai.read.mdcost import MarkdownTooComplex

    if unchecked:  # how Python-Markdown alone fares: the "before" table
        markup.check_markdown = lambda text: None
    render_markdown("warm *up* [a](b) `c`\n\n|a|b|\n|-|-|\n|1|2|\n\n- x\n")
    text = FAMILIES[family](size)
    best = float("inf")
    outcome = ""
    spent = 0.0
    for _run in range(3):
        began = time.process_time()
        try:
            render_markdown(text)
        except MarkdownTooComplex:
            outcome = "no"
        except RecursionError:
            outcome = "rec"
        took = time.process_time() - began
        best, spent = min(best, took), spent + took
        if spent > 3:
            break
    print(f"{best:.2f} {outcome}".strip())


def edge(family: str) -> int:
    """Return the largest size of a family that check_markdown accepts (up to 2 MB)."""
    from tests.test_pathological import FAMILIES

    from gongkai.read.mdcost import MarkdownTooComplex
    from gongkai.read.mdguard import check_markdown

    def accepted(size: int) -> bool:
        try:
            check_markdown(FAMILIES[family](size))
        except MarkdownTooComplex:
            return False
        return True

    low, high = 0, SIZES["2m"]
    if accepted(high):
        return high
    while high - low > max(64, low // 50):
        middle = (low + high) // 2
        low, high = (middle, high) if accepted(middle) else (low, middle)
    return low


def measure(family: str, size: int, timeout: float, unchecked: bool = False) -> str:
    """Return one cell of the table: seconds, ``>timeout``, or ``crash``."""
    command = [sys.executable, __file__, "--one", family, str(size)]
    if unchecked:
        command.append("--unchecked")
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                              check=False)
    except subprocess.TimeoutExpired:
        return f">{timeout:g}"
    if done.returncode != 0:
        return "crash"
    return done.stdout.strip()


def main() -> None:
    """Print a table of family × size × seconds."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("families", nargs="*")
    parser.add_argument("--timeout", type=float, default=20.0)
    parser.add_argument("--sizes", default=",".join(SIZES))
    parser.add_argument("--edge", action="store_true")
    parser.add_argument("--unchecked", action="store_true",
                        help="skip check_markdown, to time Python-Markdown alone")
    parser.add_argument("--one", nargs=2, metavar=("FAMILY", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        time_one(args.one[0], int(args.one[1]), args.unchecked)
        return
    from tests.test_pathological import FAMILIES

    sizes = [(name, SIZES[name]) for name in args.sizes.split(",") if name]
    head = f"{'family':<22}" + "".join(f"{name:>11}" for name, _ in sizes)
    print(head + ("          largest accepted" if args.edge else ""), flush=True)
    worst = 0.0
    for family in args.families or FAMILIES:
        cells: list[str] = []
        for _name, size in sizes:
            # Past a timeout the larger sizes can only be slower.
            cell = f">{args.timeout:g}" if cells and cells[-1].startswith(">") else measure(
                family, size, args.timeout, args.unchecked)
            cells.append(cell)
        line = f"{family:<22}" + "".join(f"{cell:>11}" for cell in cells)
        if args.edge:
            size = edge(family)
            cell = measure(family, size, args.timeout) if size else "-"
            line += f"{size // 1024:>12} KB {cell:>10}"
            if not cell.startswith(">") and cell[:1].isdigit():
                worst = max(worst, float(cell.split()[0]))
        print(line, flush=True)
    if args.edge:
        print(f"slowest accepted text: {worst:.2f} s")


if __name__ == "__main__":
    main()

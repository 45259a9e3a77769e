"""Search (issue 16): shard sizes, index build time, and what a first query transfers.

    python bench/search.py                          # the sample
    python bench/search.py --years 10               # the sample, qingshan with 10 years of months
    python bench/search.py --site /tmp/gongkai-bench/county-2000/site   # a scaled county
    python bench/search.py --pagefind               # also Pagefind (extended) on the village

The first query is measured in Chromium at 360 px on a page carrying the search form (the
board when it has one): the bytes of every response, once as a plain static host sends
them and once gzipped (what nginx with ``gzip_types application/json application/javascript``
or any CDN sends), counting the script and the shard (and, separately, the page itself).
The same query is typed on the home page (its first town chosen, when the county has more
than ``HOME_ALL_TOWNS`` towns). ``home_weights`` gives, from the shards' own bytes, what the
home page's first query transfers when it fetches every town's shard (as it does up to
``HOME_ALL_TOWNS`` towns) and when it fetches only the largest town's.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import re
import shutil
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from gongkai.core.errors import Report  # noqa: E402
from gongkai.core.fingerprint import Fingerprinter  # noqa: E402
from gongkai.load.site import load_site  # noqa: E402
from gongkai.plan.search import HOME_ALL_TOWNS, search_shards, search_words  # noqa: E402
from gongkai.read.sitefolder import default_layouts  # noqa: E402
from gongkai.render.jinja import Renderer  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
_DATE = re.compile(r"\b(20\d\d)-(\d\d)-(\d\d)\b")


def gz(data: bytes) -> int:
    """Bytes once gzipped at nginx's default level."""
    compressor = zlib.compressobj(1, zlib.DEFLATED, 31)
    return len(compressor.compress(data) + compressor.flush())


def many_years(sample: Path, folder: Path, village: str, years: int) -> Path:
    """Copy the sample, giving one monthly village ``years`` years of its two years' ledgers."""
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(sample / "content", folder / "content")
    shutil.copy(sample / "site_config.yaml", folder)
    finance = folder / "content" / village / "finance"
    originals = sorted(finance.glob("20??-??.yaml"))
    for shift in range(2, years, 2):
        for path in originals:
            def older(match: re.Match[str], shift: int = shift) -> str:
                day = min(int(match[3]), 28) if match[2] == "02" else int(match[3])
                return f"{int(match[1]) - shift}-{match[2]}-{day:02d}"
            text = _DATE.sub(older, path.read_text(encoding="utf-8"))
            # Periods before 2024 would be kept under the 2004 chart: say which they use.
            text = text.replace("published:", "chart_of_accounts: coa-2024\npublished:", 1)
            name = f"{int(path.stem[:4]) - shift}{path.stem[4:]}.yaml"
            (finance / name).write_text(text, encoding="utf-8")
    # Only the first period states its opening balance; the others carry the chain.
    oldest = min(p.stem for p in finance.glob("*.yaml"))
    for path in finance.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if path.stem == oldest:
            text = re.sub(r"^closing_balance:.*\n", "", text, flags=re.MULTILINE)
            if "opening_balance" not in text:
                text = text.replace("published:", "opening_balance: 100000.00\npublished:", 1)
        else:
            text = re.sub(r"^(opening|closing)_balance:.*\n", "", text, flags=re.MULTILINE)
        path.write_text(text, encoding="utf-8")
    return folder


def build(site: Path, out: Path) -> float:
    """Build a site cold; return the seconds taken."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "gongkai", "build", "--site", str(site), "--out",
                    str(out), "--no-cache"], check=True, cwd=REPO, capture_output=True,
                   env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    return time.perf_counter() - start


def index_time(site: Path) -> tuple[float, float, dict[str, bytes]]:
    """Load a site, then make every shard: (seconds loading, seconds making, shards)."""
    start = time.perf_counter()
    fingerprint = Fingerprinter()
    loaded = load_site(site, Report(), None, fingerprint)
    assert loaded is not None
    loaded_at = time.perf_counter()
    renderer = Renderer([default_layouts()], loaded.config.site.language)
    shards = list(search_shards(loaded, search_words(renderer), b"bench", fingerprint))
    made = {shard.path: shard.make() for shard in shards}
    return loaded_at - start, time.perf_counter() - loaded_at, made


def home_weights(made: dict[str, bytes], script: bytes) -> dict[str, Any]:
    """The home page's first query, weighed: the script and every town's shard, or the
    script and the largest town's shard (plain bytes, gzipped bytes)."""
    towns = [b for path, b in made.items() if path.startswith("towns/")]
    largest = max(towns, key=len)
    return {"towns": len(towns),
            "fetches": "the chosen town's shard" if len(towns) > HOME_ALL_TOWNS else
            "every town's shard",
            "every_town": (len(script) + sum(map(len, towns)), gz(script) + sum(map(gz, towns))),
            "one_town_largest": (len(script) + len(largest), gz(script) + gz(largest))}


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzipped when asked for (``compress``) and the client accepts it."""

    compress = False

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        wants = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (self.compress and wants and path.is_file()):
            return super().send_head()
        data = gzip.compress(path.read_bytes(), 1)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return io.BytesIO(data)


@contextmanager
def serve(folder: Path, compress: bool) -> Iterator[str]:
    """Serve a folder on a free loopback port."""
    handler = functools.partial(type("H", (_Handler,), {"compress": compress}),
                                directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


def probe_page(out: Path, village: str) -> str:
    """The village's board, which carries the search form (layouts/_search.html)."""
    board = f"{village}/index.html"
    if 'data-shard="' not in (out / board).read_text(encoding="utf-8"):
        raise SystemExit(f"{board} has no search form: is the site built with the default theme?")
    return board


def first_query(browser: Any, base: str, page_path: str, query: str) -> tuple[dict[str, int], str]:
    """Type a query; return the bytes of each response (as transferred) and the results."""
    sizes: dict[str, int] = {}
    context = browser.new_context(viewport={"width": 360, "height": 740})
    tab = context.new_page()

    def record(response: Any) -> None:
        body = response.request.sizes()["responseBodySize"]
        sizes[response.url.removeprefix(base)] = body
    tab.on("requestfinished", lambda request: record(request.response()))
    tab.goto(base + page_path)
    tab.fill("input[type=search]", query)
    tab.wait_for_selector(".search-results:not([hidden])")
    tab.wait_for_timeout(300)
    text = tab.inner_text(".search-results")
    context.close()
    return sizes, text


PAGEFIND_PAGE = """<!doctype html><meta charset="utf-8"><body><script type="module">
const pf = await import("./pagefind/pagefind.js");
await pf.options({excerptLength: 20});
window.run = async (q) => {
  const r = await pf.search(q);
  const data = await Promise.all(r.results.slice(0, 10).map(x => x.data()));
  return {count: r.results.length, urls: data.map(d => d.url + " " + d.meta.title)};
};
window.ready = true;
</script>"""


def pagefind_index(out: Path, village: str) -> tuple[Path, float]:
    """Index one village folder with Pagefind (extended), outside any event loop."""
    import asyncio

    from pagefind.index import IndexConfig, PagefindIndex

    folder = out.parent / f"pagefind-{village}"
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(out / village, folder / village)
    shutil.copytree(out / "assets", folder / "assets")

    async def index() -> None:
        config = IndexConfig(output_path=str(folder / village / "pagefind"))
        async with PagefindIndex(config=config) as idx:
            await idx.add_directory(str(folder / village))
    start = time.perf_counter()
    asyncio.run(index())
    return folder, time.perf_counter() - start


def pagefind(browser: Any, folder: Path, seconds: float, village: str,
             queries: list[str]) -> dict[str, Any]:
    """Measure Pagefind's first query on an indexed village: bytes, requests, results."""
    (folder / village / "pf.html").write_text(PAGEFIND_PAGE, encoding="utf-8")
    files = [p for p in (folder / village / "pagefind").rglob("*") if p.is_file()]
    result: dict[str, Any] = {"seconds": seconds, "files": len(files),
                              "bytes": sum(p.stat().st_size for p in files)}
    with serve(folder, compress=True) as base:
        for query in queries:
            sizes: dict[str, int] = {}
            context = browser.new_context(viewport={"width": 360, "height": 740})
            tab = context.new_page()
            tab.on("requestfinished", lambda r, s=sizes: s.__setitem__(
                r.url.removeprefix(base), r.sizes()["responseBodySize"]))
            tab.goto(base + f"{village}/pf.html")
            tab.wait_for_function("window.ready === true")
            found = tab.evaluate("q => window.run(q)", query)
            context.close()
            search = {u: s for u, s in sizes.items() if "pagefind" in u}
            result[query] = {"requests": len(search), "bytes": sum(search.values()),
                             "count": found["count"], "top": found["urls"]}
    return result


def main() -> int:
    """Measure and print a report as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, default=REPO)
    parser.add_argument("--years", type=int, default=0,
                        help="give the sample's qingshan this many years of monthly ledgers")
    parser.add_argument("--village", default="", help="the village measured (default: the "
                        "one with the largest shard)")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/gongkai-search-bench"))
    parser.add_argument("--query", action="append", default=[])
    parser.add_argument("--pagefind", action="store_true")
    parser.add_argument("--index-only", action="store_true",
                        help="only time loading and indexing and weigh the shards (no build)")
    args = parser.parse_args()
    queries = args.query or ["道路", "低保"]
    args.workdir.mkdir(parents=True, exist_ok=True)
    site = args.site
    if args.years:
        site = many_years(REPO, args.workdir / f"years-{args.years}", "qingshan", args.years)
    out = args.workdir / "public"
    report: dict[str, Any] = {"site": str(site)}
    if not args.index_only:
        if out.exists():
            shutil.rmtree(out)
        report["build_seconds"] = round(build(site, out), 2)
        report["pages"] = sum(1 for _ in out.rglob("*.html"))
    load_s, make_s, made = index_time(site)
    report.update(load_seconds=round(load_s, 2), index_seconds=round(make_s, 2),
                  shards=len(made))
    village_shards = {p.split("/")[0]: b for p, b in made.items() if not p.startswith("towns/")}
    town_shards = {p: b for p, b in made.items() if p.startswith("towns/")}
    for name, shards in (("village", village_shards), ("town", town_shards)):
        sizes = sorted((len(b), gz(b), k) for k, b in shards.items())
        report[f"{name}_shards"] = {"count": len(sizes), "largest": sizes[-1],
                                    "median": sizes[len(sizes) // 2],
                                    "total": sum(s[0] for s in sizes)}
    village = args.village or max(village_shards, key=lambda k: len(village_shards[k]))
    report["village"] = village
    report["home_first_query"] = home_weights(
        made, (default_layouts() / "assets" / "search.js").read_bytes())
    if args.index_only:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return 0
    page_path = probe_page(out, village)
    indexed = pagefind_index(out, village) if args.pagefind else None
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for compress in (False, True):
            with serve(out, compress) as base:
                for query in queries:
                    for where, probed in (("", page_path), ("home ", "index.html")):
                        sizes, text = first_query(browser, base, probed, query)
                        search = {u: s for u, s in sizes.items() if "search" in u and u != probed}
                        report[f"{where}{query} {'gzip' if compress else 'plain'}"] = {
                            "search_bytes": sum(search.values()), "files": search,
                            "all_bytes": sum(sizes.values()), "results": text[:300]}
        if indexed is not None:
            report["pagefind"] = pagefind(browser, *indexed, village, queries)
        browser.close()
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

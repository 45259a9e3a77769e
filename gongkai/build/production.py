"""Making outputs: carry unchanged files over from the last build, make the rest.

An output whose key equals the one recorded for the file now in the output folder (and
that file is still the one recorded: same size, change time and inode) is carried into
the new build with a hard link, costing no rendering and no copying. The others are made
(pages rendered, in worker processes when there are many) and written to the staging
folder as they come, so no step holds the site's output in memory.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import multiprocessing
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from segno.encoder import DataOverflowError

from gongkai.core.cache import Cache, OutputRecord, code_digest, still
from gongkai.core.errors import Location, Problem
from gongkai.core.i18n import N_, Msg
from gongkai.model.outputs import Output
from gongkai.render.budgets import Weight, gzipped_size, size_limit, weigh
from gongkai.render.jinja import Renderer, template_problem
from gongkai.render.qr import QrCode, make_qr

log = logging.getLogger(__name__)

# Below this many pages to render, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 200
_CHUNK = 32
# What a layout can raise while rendering: reported against its template, not as a traceback.
RENDER_ERRORS = (jinja2.TemplateError, TypeError, ValueError, KeyError, AttributeError)


@dataclass
class Made:
    """What making one output gave: its record, weight, problem, and a new QR code."""

    path: str
    record: OutputRecord | None = None
    weight: Weight | None = None
    problem: Problem | None = None
    broken_template: bool = False  # the same for every page: told once
    qr: tuple[str, QrCode, bytes] | None = None
    links: tuple[str, ...] = ()  # a page's: the output paths its links lead to


@dataclass
class Production:
    """The outcome of making a site's outputs."""

    records: dict[str, OutputRecord] = field(default_factory=dict)
    weights: list[Weight] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    made: list[str] = field(default_factory=list)     # outputs written anew (not carried)
    removed: list[str] = field(default_factory=list)  # outputs of the last build now gone
    new_qr_codes: list[str] = field(default_factory=list)  # addresses whose code was drawn


@dataclass
class Work:
    """Everything making needs; shared with worker processes by forking, never pickled."""

    renderer: Renderer
    dirs: list[Path]
    site_root: Path
    base_url: str | None
    staging: Path | None            # None when only checking: make, weigh, write nothing
    qr_codes: dict[str, tuple[QrCode, bytes]] = field(default_factory=dict)


def unchanged(outputs: Sequence[Output], previous: dict[str, OutputRecord],
              old: Path | None) -> tuple[list[Output], list[Output]]:
    """Split outputs into those to carry over from ``old`` and those to make."""
    carry, make = [], []
    for output in outputs:
        record = previous.get(output.path)
        if old is not None and record is not None and record.key == output.key and \
                still(old / output.path, record):
            carry.append(output)
        else:
            make.append(output)
    return carry, make


def produce(outputs: Sequence[Output], carry: Sequence[Output], make: Sequence[Output],
            previous: dict[str, OutputRecord], old: Path | None, work: Work,
            jobs: int) -> Production:
    """Carry and make every output; return records, weights and problems."""
    done = Production()
    for output in carry:
        record = previous[output.path]
        if work.staging is not None:
            record = _carried(old / output.path if old else Path(), work.staging / output.path,
                              record)
        done.records[output.path] = record
        if output.budget:
            done.weights.append(_weight(output, record.size, record.zipped))
    told = False
    linked: list[tuple[Output, tuple[str, ...]]] = []
    sources = {output.path: output for output in make}
    for made in _make_all(make, work, jobs):
        if made.links:
            linked.append((sources[made.path], made.links))
        if made.broken_template:
            if told:
                continue
            told = True
        done.made.append(made.path)
        if made.record is not None:
            done.records[made.path] = made.record
        if made.weight is not None:
            done.weights.append(made.weight)
        if made.problem is not None:
            done.problems.append(made.problem)
        if made.qr is not None and made.qr[0] not in work.qr_codes:
            work.qr_codes[made.qr[0]] = (made.qr[1], made.qr[2])
            done.new_qr_codes.append(made.qr[0])
    current = {output.path for output in outputs}
    done.problems += unbuilt_links(linked, current)
    done.removed = sorted(path for path in previous if path not in current)
    return done


# Written by the seal step after every output is made (trust.seal), not outputs themselves.
_SEAL_FILES = "history/"


def unbuilt_links(linked: Sequence[tuple[Output, tuple[str, ...]]],
                  outputs: set[str]) -> list[Problem]:
    """Report each link a template wrote to a page or file the build does not make."""
    problems = []
    for output, targets in linked:
        for target in targets:
            if target not in outputs and not target.startswith(_SEAL_FILES):
                problems.append(Problem(Location(output.source), Msg.of(
                    N_("the page {page} made from this file links to {target}, which the "
                       "build does not make; the link would lead nowhere"),
                    page=output.path, target=target)))
    return problems


def _weight(output: Output, size: int, zipped: int) -> Weight:
    """Weigh an output from its sizes."""
    return Weight(output.path, zipped, output.budget, output.source, size,
                  size_limit(output.path))


def _carried(old: Path, new: Path, record: OutputRecord) -> OutputRecord:
    """Carry a file into the new build: a hard link where the file system allows one."""
    try:
        os.link(old, new)
    except FileNotFoundError:  # its folder is not made yet (once per folder, not per file)
        new.parent.mkdir(parents=True, exist_ok=True)
        os.link(old, new)
    except OSError:  # no hard links here (FAT, some network shares): copy instead
        new.parent.mkdir(parents=True, exist_ok=True)
        new.write_bytes(old.read_bytes())
    stat = new.stat()
    return OutputRecord(record.key, stat.st_size, record.zipped, stat.st_mtime_ns, stat.st_ino,
                        record.sha256)


# --- making, in this process or in workers --------------------------------------------

_WORK: Work | None = None
_TASKS: Sequence[Output] = ()


def _make_all(make: Sequence[Output], work: Work, jobs: int) -> Iterator[Made]:
    """Make outputs in order of the list; pages in worker processes when it pays."""
    pages = sum(1 for output in make if output.page is not None)
    if jobs <= 1 or pages < PARALLEL_THRESHOLD or not _can_fork():
        broken = False
        for output in make:
            if broken and output.page is not None:
                continue  # one broken template fails every page alike: no need to go on
            made = _make(output, work)
            broken = broken or made.broken_template
            yield made
        return
    yield from _make_in_workers(make, work, jobs)


def _can_fork() -> bool:
    """Tell whether worker processes can share the build by forking (not on Windows)."""
    return "fork" in multiprocessing.get_all_start_methods()


def _make_in_workers(make: Sequence[Output], work: Work, jobs: int) -> Iterator[Made]:
    """Make outputs in ``jobs`` forked processes, which inherit the build's data."""
    global _WORK, _TASKS
    _WORK, _TASKS = work, make
    # Compile every template once, here, rather than once in each worker; and move the
    # build's objects out of the collector's reach, so that workers do not copy the pages
    # of memory that hold them merely by walking them.
    for name in sorted({o.page.template for o in make if o.page is not None}):
        work.renderer.env.get_template(name)
    gc.freeze()
    chunks = [range(start, min(start + _CHUNK, len(make)))
              for start in range(0, len(make), _CHUNK)]
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(jobs) as pool:
            for batch in pool.imap(_make_chunk, chunks):
                yield from batch
    finally:
        gc.unfreeze()
        _WORK, _TASKS = None, ()


def _make_chunk(indices: range) -> list[Made]:
    """Make a run of outputs in a worker."""
    assert _WORK is not None
    return [_make(_TASKS[index], _WORK) for index in indices]


def _make(output: Output, work: Work) -> Made:
    """Make one output and write it to the staging folder (or only weigh it)."""
    if output.page is not None:
        return _make_page(output, work)
    if output.copy is not None:
        if work.staging is None:
            return Made(output.path)
        target = work.staging / output.path
        target.parent.mkdir(parents=True, exist_ok=True)
        data = output.copy.read_bytes()
        target.write_bytes(data)
        return Made(output.path, _record(output, target, 0, data))
    if output.qr_url:
        qr, png, new = _qr(output.qr_url, output.qr_page, work)
        made = _write(output, png, work)
        made.qr = (output.qr_url, qr, png) if new else None
        return made
    if output.data is not None:
        return _write(output, output.data, work)
    assert output.make is not None
    return _write(output, output.make(), work)


def _make_page(output: Output, work: Work) -> Made:
    """Render one page (with its QR code) and write it."""
    page = output.page
    assert page is not None
    context = dict(page.context, qr=None)
    new_qr = None
    if output.qr_url:
        try:
            qr, png, new = _qr(output.qr_url, page.qr, work)
        except DataOverflowError:
            return Made(output.path, problem=Problem(Location(output.source), Msg.of(N_(
                "the page's address {url} is too long for a QR code; shorten the file name"),
                url=output.qr_url)))
        context["qr"] = qr
        new_qr = (output.qr_url, qr, png) if new else None
    try:
        html, links = work.renderer.render_linked(page.path, page.template, context)
    except RENDER_ERRORS as exc:
        return Made(output.path, problem=template_problem(exc, work.dirs, work.site_root),
                    broken_template=True)
    made = _write(output, html, work)
    made.qr = new_qr
    made.links = links
    return made


def _qr(url: str, page_path: str, work: Work) -> tuple[QrCode, bytes, bool]:
    """Return a page's QR code and image: from the cache, else drawn (and then new)."""
    known = work.qr_codes.get(url)
    if known is not None:
        return known[0], known[1], False
    assert work.base_url is not None
    qr, png = make_qr(work.base_url, page_path)
    assert qr.url == url, (qr.url, url)
    return qr, png, True


def _write(output: Output, data: bytes, work: Work) -> Made:
    """Write bytes to the staging folder (unless checking) and weigh them if weighed."""
    zipped = gzipped_size(data) if output.budget else 0
    weight = weigh(output.path, data, output.budget, output.source) if output.budget else None
    if work.staging is None:
        return Made(output.path, None, weight)
    target = work.staging / output.path
    try:
        target.write_bytes(data)
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return Made(output.path, _record(output, target, zipped, data), weight)


def _record(output: Output, target: Path, zipped: int, data: bytes) -> OutputRecord:
    """Record what a written file was made from and how to recognise it later."""
    stat = target.stat()
    return OutputRecord(output.key, stat.st_size, zipped, stat.st_mtime_ns, stat.st_ino,
                        hashlib.sha256(data).hexdigest())


def fetch_qr_codes(cache: Cache, urls: Sequence[str]) -> dict[str, tuple[QrCode, bytes]]:
    """Look up the QR codes already drawn for these addresses."""
    found = {}
    for url in urls:
        value = cache.get_parsed(qr_cache_key(url))
        if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], QrCode):
            found[url] = value
    return found


def qr_cache_key(url: str) -> str:
    """Name a QR code in the cache by the address it carries and the code that drew it."""
    return "qr:" + hashlib.sha256(f"{code_digest()}\0{url}".encode()).hexdigest()


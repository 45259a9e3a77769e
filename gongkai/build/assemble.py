"""The build proper: load and validate everything, plan every output, make what changed,
then swap the new site in.

Outputs come from producers (``producers``) and are made as a stream (``production``):
an output whose inputs did not change since the build now in the output folder is
carried over by a hard link instead of being made again.
"""

from __future__ import annotations

import gc
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

from gongkai.build import replay
from gongkai.build.options import Options, Result
from gongkai.build.production import (
    Production,
    Work,
    fetch_qr_codes,
    produce,
    qr_cache_key,
    unchanged,
)
from gongkai.build.write import output_lock, recover, staging_folder
from gongkai.check.affairs import report_unanswered
from gongkai.check.future import report_future
from gongkai.check.schedule import disclosure_calendar, report_late
from gongkai.core.cache import Cache, OutputRecord, code_digest
from gongkai.core.errors import Location, Report
from gongkai.core.fingerprint import Fingerprinter
from gongkai.core.i18n import N_, Msg
from gongkai.core.names import check_names
from gongkai.load.site import Site, load_site
from gongkai.model.addresses import CHECKPOINTS_DIR, TEMPLATE_PATHS, checkpoint_name
from gongkai.model.config import resolve_today
from gongkai.model.outputs import Output
from gongkai.plan import feeds, producers, sitemaps, summary
from gongkai.plan.feeds import Formats
from gongkai.plan.opendata import data_files, sized
from gongkai.plan.pages import disclosure_pages, plan_pages
from gongkai.plan.producers import render_salt, templates_digest
from gongkai.plan.search import TEMPLATE_GLOBALS as SEARCH_GLOBALS
from gongkai.plan.search import search_shards, search_words
from gongkai.read.sitefolder import CONFIG_FILE, HISTORY_DIR, layout_dirs
from gongkai.render.budgets import report_over_budget
from gongkai.render.jinja import SEARCH_SCRIPT, STYLESHEET, Renderer, find_asset, hashed_asset
from gongkai.render.qr import MAX_BASE_URL
from gongkai.trust import seal
from gongkai.trust.log import History, HistoryError, read_history
from gongkai.trust.records import LatestSeal, Record, Seals, check_records, earlier_versions

log = logging.getLogger(__name__)


def assemble(options: Options, result: Result, cache: Cache,
             signature: replay.Signature | None) -> None:
    """Load a site and, when it loaded, plan, make and (unless checking) write it."""
    with _Collector().paused_for_build() as collector:
        fingerprint = Fingerprinter()
        held = _Held(result.report)
        site = load_site(options.site, result.report, cache, fingerprint, held.check)
        if site is not None:
            _build_site(site, options, result, cache, fingerprint, signature, held, collector)
        else:
            cache.save(None, None)


class _Collector:
    """Python's cyclic garbage collector, paused while a build loads and plans.

    Loading and planning allocate the whole site and keep nearly all of it to the end, so
    the collector's passes find almost nothing to free, yet each pass walks every object
    made so far: 10 of 32 CPU seconds of an edit at 32,000 pages (docs/performance.md).
    Reference counting still frees what is dropped. Making, which renders page after page
    (in forked workers too) and drops each, runs with the collector again.
    """

    def __init__(self) -> None:
        self.paused = False

    @contextmanager
    def paused_for_build(self) -> Iterator[_Collector]:
        """Pause the collector (if it runs) until :meth:`resume` or the block's end."""
        self.paused = gc.isenabled()
        gc.disable()
        try:
            yield self
        finally:
            self.resume()

    def resume(self) -> None:
        """Let the collector run again, if this build paused it."""
        if self.paused:
            gc.enable()
            self.paused = False


class _Abandon(Exception):
    """The build found problems while making its outputs: the staging folder is dropped."""


def _build_site(site: Site, options: Options, result: Result, cache: Cache,
                fingerprint: Fingerprinter, signature: replay.Signature | None,
                held: _Held, collector: _Collector) -> None:
    """Plan every output, then make what changed: into the output folder, or only weigh it."""
    report = result.report
    today = resolve_today(site.config, options.today, _now(site))
    calendar = disclosure_calendar(site.villages, site.config.rules, today)
    report_late(calendar, report)
    report_unanswered(site.villages, today, report)
    report_future(site.dated, today, report)
    dirs = layout_dirs(site.root)
    css = hashed_asset(find_asset(dirs, STYLESHEET))
    language, title = site.config.site.language, site.config.site.title
    js = hashed_asset(find_asset(dirs, SEARCH_SCRIPT))
    renderer = Renderer(dirs, language, compiled=cache, site_title=title,
                        stylesheet=css.path, search_script=js.path, **TEMPLATE_PATHS,
                        **SEARCH_GLOBALS)
    # The data pages give each file's size: known from the last build when its key matches.
    known = {path: (record.key, record.size)
             for path, record in replay.recorded_outputs(cache, options.out).items()}
    downloads = sized(data_files(site, code_digest(), fingerprint), known)
    base_url = _qr_base(site, report)
    history, seals, sealing, shown = _seals(site, options, today, report, held)
    feed_plan = feeds.prepare(site, base_url, Formats(language, renderer.yuan, renderer.period))
    # Page heads link the feeds: the links are part of each page's context, hence its key.
    planned = feeds.with_feed_links(
        plan_pages(site, today, report, downloads, calendar, seals), feed_plan)
    salt = render_salt(templates_digest(dirs), language, title, css.path, js.path)
    shards = search_shards(site, search_words(renderer), producers.search_salt(language),
                           fingerprint)
    outputs = [*producers.stylesheet(css), *producers.data_files(downloads),
               *producers.search_script(js), *producers.search_shards(shards),
               *producers.attachments(site),
               *producers.pages(planned, salt, base_url, fingerprint),
               *producers.qr_images(planned, base_url)]
    outputs += feeds.outputs(feed_plan, base_url, site.config.site.timezone, language)
    outputs += seal.outputs(shown)
    outputs += summary.outputs(site, calendar, today, seals.latest)
    outputs += sitemaps.outputs(outputs, base_url, site)  # last: it lists every page
    check_names(((o.path, o.source) for o in outputs), report)
    result.pages = sum(1 for o in outputs if o.page is not None)
    result.files = len(outputs) - result.pages
    collector.resume()  # planned: what follows renders and drops page after page
    work = Work(renderer, dirs, site.root, base_url, None)
    jobs = options.jobs or os.cpu_count() or 1
    if not options.write or result.failed:
        plan = _Plan(outputs, replay.recorded_outputs(cache, options.out), options.out)
        _conclude(_make(plan, work, cache, jobs), result)
        cache.save(None, None)
        return
    finish = None
    if shown is not None:
        finish = partial(seal.finish, history=history or shown, sealing=sealing)
    with output_lock(options.out, options.on_wait):
        written = _write(outputs, options, work, cache, jobs, result, finish)
        if written and sealing is not None and history is not None and history.latest:
            latest = history.latest
            result.sealed = (latest.seal, len(sealing.entries), latest.short,
                             latest.date.isoformat())
        if written and signature is not None:
            replay.record(cache, options.out, signature, replay.Recorded(
                signature.digest, today, site.config.site.timezone,
                options.today is not None or site.config.site.today is not None,
                tuple(report.problems), result.pages, result.files))
            cache.save(None, None)


def _write(outputs: list[Output], options: Options, work: Work, cache: Cache, jobs: int,
           result: Result,
           finish: Callable[[Path, dict[str, str]], None] | None = None) -> bool:
    """Make what changed into a staging folder and swap it in (holding the output's lock);
    tell whether the output folder now holds this build.

    ``finish`` writes the last files into the staging folder (the manifest of all the
    others, given the digests the build already knows; the seal's checkpoint) just before
    it is swapped in."""
    out = options.out
    recover(out)  # first: what a killed build left must not be mistaken for the output
    plan = _Plan(outputs, replay.recorded_outputs(cache, out), out)
    if (plan.previous and not plan.make and len(plan.carry) == len(plan.previous)
            and options.seal is None):
        # Everything is as the last build left it: the folder is already this build.
        _conclude(_make(plan, work, cache, jobs), result)
        cache.save(None, None)
        return not (options.strict and result.report.warnings)
    try:
        with staging_folder(out, options.site) as staging:
            work.staging = staging.path
            done = _make(plan, work, cache, jobs)
            _conclude(done, result)
            if result.failed or (options.strict and result.report.warnings):
                raise _Abandon
            if finish is not None:
                finish(staging.path, {path: record.sha256
                                      for path, record in done.records.items()})
            cache.forget_outputs(out)  # until the new records are saved, trust none
            staging.commit()
    except _Abandon:
        cache.save(None, None)
        return False
    cache.save(out, done.records)
    return True


class _Plan:
    """The outputs of a build split against the build now in the output folder."""

    def __init__(self, outputs: list[Output], previous: dict[str, OutputRecord],
                 out: Path) -> None:
        self.outputs, self.previous = outputs, previous
        self.old = out if previous else None
        self.carry, self.make = unchanged(outputs, previous, self.old)


def _make(plan: _Plan, work: Work, cache: Cache, jobs: int) -> Production:
    """Carry over what did not change since the build now in the output; make the rest."""
    work.qr_codes = fetch_qr_codes(cache, [o.qr_url for o in plan.make if o.qr_url])
    done = produce(plan.outputs, plan.carry, plan.make, plan.previous, plan.old, work, jobs)
    for url in done.new_qr_codes:
        cache.put_parsed(qr_cache_key(url), work.qr_codes[url])
    return done


def _conclude(done: Production, result: Result) -> None:
    """Take the problems, weights and changes of making into the result."""
    result.report.extend(done.problems)
    result.weights = sorted(done.weights, key=lambda w: w.path)
    report_over_budget(result.weights, result.report)
    result.made, result.removed = done.made, done.removed


class _Held:
    """The content held to the seal log: checked while loading, so that its problems are
    reported with every other (a changed ledger also breaks the chain of balances)."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.history: History | None = None
        self.records: dict[str, Record] = {}
        self.page_of: dict[str, str] = {}

    def check(self, site: Site) -> None:
        """Read and check history/, then every disclosure against what was sealed."""
        try:
            self.history = read_history(site.root)
        except HistoryError as exc:
            self.report.error(Location(exc.where), exc.message)
            return
        self.page_of = disclosure_pages(site)
        self.records = check_records(site, self.history, self.page_of, self.report)


def _seals(site: Site, options: Options, today: date, report: Report, held: _Held
           ) -> tuple[History | None, Seals, seal.Sealing | None, History | None]:
    """When sealing, work out the new versions. Return the log as read, what the pages
    show of it, the seal under way and the log as the output shows it (with the new
    seal's entries)."""
    history, records, page_of = held.history, held.records, held.page_of
    shown, sealing = history, None
    latest = history.latest if history is not None else None
    if options.seal is not None and latest is not None and today < latest.date:
        last = f"{HISTORY_DIR}/{CHECKPOINTS_DIR}/{checkpoint_name(latest.seal)}"
        report.error(Location(last), Msg.of(N_(
            "this seal would be dated {today}, before the last seal ({date}): seals go forward "
            "in time; remove site.today from site_config.yaml or give --today {date} or later"),
            today=today.isoformat(), date=latest.date.isoformat()))
    if options.seal is not None and not report.errors:
        history = history or History(site.root / HISTORY_DIR)
        sealing = seal.start(site, history, options.seal.key, today)
        shown = seal.with_entries(history, sealing)
        records = check_records(site, shown, page_of, Report())
    if shown is None:
        return None, Seals(records, {}), None, None
    try:
        earlier = earlier_versions(shown, records, page_of, site.config.rules)
    except HistoryError as exc:
        report.error(Location(exc.where), exc.message)
        earlier = {}
    latest = shown.latest
    newest = None if latest is None else LatestSeal(
        latest.seal, latest.date, latest.short, bool(shown.public_key))
    return history, Seals(records, earlier, newest), sealing, shown


def _qr_base(site: Site, report: Report) -> str | None:
    """Return the address QR codes start with, or None (with a problem) when there is none."""
    base_url = site.config.site.base_url
    if base_url is None:
        report.warning(Location(CONFIG_FILE), Msg(N_(
            "site.base_url is not set, so pages carry no QR codes and the site has no feeds "
            "or sitemaps: add the site's public address, such as "
            "“base_url: https://sanwu.example.cn/”")), "site.base_url")
        return None
    if len(base_url) > MAX_BASE_URL:
        report.error(Location(CONFIG_FILE), Msg.of(N_(
            "site.base_url is {length} characters long; a QR code of it would be too dense for "
            "a phone to read from the wall: use an address of at most {limit} characters"),
            length=len(base_url), limit=MAX_BASE_URL), "site.base_url")
        return None
    return base_url


def _now(site: Site) -> date:
    """Return today's date in the site's time zone."""
    return datetime.now(ZoneInfo(site.config.site.timezone)).date()

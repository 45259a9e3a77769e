"""The build, top to bottom: load and validate everything, render every page, then write.

Nothing is written unless the whole site loaded and rendered without errors (and,
with ``strict``, without warnings).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import jinja2
from segno.encoder import DataOverflowError

from gongkai.addresses import TEMPLATE_PATHS, absolute_url
from gongkai.affairs import report_unanswered
from gongkai.budgets import CSS_BUDGET, HTML_BUDGET, Weight, report_over_budget, weigh
from gongkai.config import resolve_today
from gongkai.errors import Location, Report
from gongkai.i18n import N_, Msg
from gongkai.loading import CONFIG_FILE, Site, display_path, load_site
from gongkai.names import check_names
from gongkai.opendata import data_files
from gongkai.pages import plan_pages
from gongkai.qr import MAX_BASE_URL, make_qr
from gongkai.render import (
    STYLESHEET,
    Renderer,
    find_asset,
    hashed_asset,
    layout_dirs,
    template_problem,
)
from gongkai.schedule import report_overdue
from gongkai.write import write_output

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Options:
    """What one run was asked to do."""

    site: Path
    out: Path
    today: date | None = None
    strict: bool = False
    write: bool = True


@dataclass
class Result:
    """What one run did: counts, problems and time taken."""

    report: Report = field(default_factory=Report)
    pages: int = 0
    files: int = 0
    seconds: float = 0.0
    weights: list[Weight] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """Tell whether the run found errors."""
        return bool(self.report.errors)


def build(options: Options) -> Result:
    """Load, validate, render and (unless checking) write a site."""
    started = time.perf_counter()
    result = Result()
    site = load_site(options.site, result.report)
    if site is not None:
        outputs, copies = _render_site(site, options, result)
        result.pages = sum(1 for path, _data in outputs if path.endswith(".html"))
        result.files = len(copies) + len(outputs) - result.pages
        blocked = result.failed or (options.strict and bool(result.report.warnings))
        if options.write and not blocked:
            write_output(options.out, options.site, outputs, copies)
    result.seconds = time.perf_counter() - started
    return result


def _render_site(site: Site, options: Options,
                 result: Result) -> tuple[list[tuple[str, bytes]], list[tuple[str, Path]]]:
    """Render and weigh every page, and list the files to copy."""
    report = result.report
    today = resolve_today(site.config, options.today, _now(site))
    report_overdue(site.villages, site.config.rules, today, report)
    report_unanswered(site.villages, today, report)
    dirs = layout_dirs(site.root)
    css = hashed_asset(find_asset(dirs, STYLESHEET))
    renderer = Renderer(dirs, site.config.site.language, site_title=site.config.site.title,
                        stylesheet=css.path, **TEMPLATE_PATHS)
    downloads = data_files(site)
    outputs = [(css.path, css.data), *((f.path, f.data) for f in downloads)]
    result.weights.append(weigh(css.path, css.data, CSS_BUDGET,
                                f"layouts/assets/{STYLESHEET}"))
    names = [(css.path, f"layouts/assets/{STYLESHEET}"), *((f.path, f.path) for f in downloads)]
    names += [(path, display_path(site.root, source)) for path, source in site.files]
    base_url = _qr_base(site, report)
    for page in plan_pages(site, today, report, downloads):
        context = dict(page.context, qr=None)
        names.append((page.path, page.source or page.path))
        if base_url is not None and page.qr:
            try:
                context["qr"], png = make_qr(base_url, page.qr)
            except DataOverflowError:
                report.error(Location(page.source or page.path), Msg.of(N_(
                    "the page's address {url} is too long for a QR code; shorten the file "
                    "name"), url=absolute_url(base_url, page.qr)))
                continue
            if page.qr == page.path:  # each image is written once, by its own page
                outputs.append((context["qr"].png_path, png))
                names.append((context["qr"].png_path, page.source or page.path))
        try:
            html = renderer.render(page.path, page.template, context)
        except (jinja2.TemplateError, TypeError, ValueError, KeyError, AttributeError) as exc:
            report.add(template_problem(exc, dirs, site.root))
            break  # one broken template fails every page alike: say it once
        outputs.append((page.path, html))
        result.weights.append(weigh(page.path, html, HTML_BUDGET, page.source))
    report_over_budget(result.weights, report)
    check_names(names, report)
    return outputs, list(site.files)


def _qr_base(site: Site, report: Report) -> str | None:
    """Return the address QR codes start with, or None (with a problem) when there is none."""
    base_url = site.config.site.base_url
    if base_url is None:
        report.warning(Location(CONFIG_FILE), Msg(N_(
            "site.base_url is not set, so pages carry no QR codes: add the site's public "
            "address, such as “base_url: https://sanwu.example.cn/”")), "site.base_url")
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

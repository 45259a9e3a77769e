"""The build, top to bottom: load and validate everything, render every page, then write.

Nothing is written unless the whole site loaded and rendered without errors (and,
with ``strict``, without warnings).
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import jinja2

from gongkai.budgets import CSS_BUDGET, HTML_BUDGET, Weight, report_over_budget, weigh
from gongkai.config import resolve_today
from gongkai.errors import Location, Report
from gongkai.i18n import N_, Msg
from gongkai.loading import CONTENT_DIR, Site, load_site, visible
from gongkai.pages import PATHS, plan_pages
from gongkai.render import (
    STYLESHEET,
    Renderer,
    find_asset,
    hashed_asset,
    layout_dirs,
    template_problem,
)
from gongkai.write import write_output

log = logging.getLogger(__name__)

# Scans and photos for phones are a few MB; a bigger file is a mistake that would cost
# every resident who taps it.
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


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
        result.pages = len(outputs) - 1  # the stylesheet is not a page
        result.files = len(copies) + 1
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
    dirs = layout_dirs(site.root)
    css = hashed_asset(find_asset(dirs, STYLESHEET))
    renderer = Renderer(dirs, site.config.site.language, site_title=site.config.site.title,
                        stylesheet=css.path, **PATHS)
    outputs = [(css.path, css.data)]
    result.weights.append(weigh(css.path, css.data, CSS_BUDGET,
                                f"layouts/assets/{STYLESHEET}"))
    for page in plan_pages(site, today, report):
        try:
            html = renderer.render(page.path, page.template, dict(page.context))
        except (jinja2.TemplateError, TypeError, ValueError, KeyError, AttributeError) as exc:
            report.add(template_problem(exc, dirs, site.root))
            break  # one broken template fails every page alike: say it once
        outputs.append((page.path, html))
        result.weights.append(weigh(page.path, html, HTML_BUDGET, page.source))
    report_over_budget(result.weights, report)
    return outputs, _attachments(site, report)


def _now(site: Site) -> date:
    """Return today's date in the site's time zone."""
    return datetime.now(ZoneInfo(site.config.site.timezone)).date()


def _attachments(site: Site, report: Report) -> list[tuple[str, Path]]:
    """List every file under each village's files/ folder, to publish as it is.

    A link that leads out of the village folder is refused (it could publish any file of
    the machine), and so is a file over the size limit.
    """
    copies = []
    content = site.root / CONTENT_DIR
    for village in site.villages:
        folder = content / village.id / "files"
        home = (content / village.id).resolve()
        for path in _walk(folder):
            display = path.relative_to(site.root).as_posix()
            if not path.resolve().is_relative_to(home):
                report.error(Location(display), Msg.of(N_(
                    "this is a link to a place outside the village folder; put the file "
                    "itself here instead of a link")))
            elif path.is_file() and path.stat().st_size > MAX_ATTACHMENT_BYTES:
                report.error(Location(display), Msg.of(
                    N_("the file is {size} MB, over the limit of {limit} MB for an "
                       "attachment; make scans smaller (150 dpi is plenty) or split them"),
                    size=f"{path.stat().st_size / 1024 / 1024:.1f}",
                    limit=MAX_ATTACHMENT_BYTES // 1024 // 1024))
            elif path.is_file():
                copies.append((path.relative_to(content).as_posix(), path))
    return copies


def _walk(folder: Path) -> list[Path]:
    """List the visible files and links under a folder, in order, without following links."""
    found = []
    for parent, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if visible(Path(d)))
        base = Path(parent)
        links = [d for d in dirs if (base / d).is_symlink()]
        found += [base / name for name in [*files, *links] if visible(Path(name))]
    return sorted(found)

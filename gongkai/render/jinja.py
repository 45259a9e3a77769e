"""Render pages with Jinja2: the site's layouts/ over the default theme.

Rendering is a pure function of a page (its path, template and context) and the
renderer's fixed settings; it reads nothing else and writes nothing.
"""

from __future__ import annotations

import gettext
import hashlib
import sys
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
import jinja2.runtime
from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal
from jinja2.sandbox import ImmutableSandboxedEnvironment

from gongkai.core.cache import Cache
from gongkai.core.dates import Period
from gongkai.core.errors import Location, Problem
from gongkai.core.i18n import N_, Msg, babel_locale, translations
from gongkai.core.numerals import capital_yuan
from gongkai.model.addresses import asset_path, relative_url
from gongkai.model.labels import APPROVAL_NAMES, KIND_NAMES, STAGE_NAMES, TYPE_NAMES
from gongkai.model.village import STANDARD_NAMES
from gongkai.render.compiled import CompiledTemplates, is_default_theme

STYLESHEET = "style.css"
LINKED = "_linked_targets"  # where url() notes the targets of a page being rendered
SEARCH_SCRIPT = "search.js"


def find_asset(dirs: list[Path], name: str) -> Path:
    """Find a theme asset (``layouts/assets/<name>``), the site's own first."""
    for folder in dirs:
        candidate = folder / "assets" / name
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(name)


@dataclass(frozen=True)
class Asset:
    """A theme file published under a content-hashed name (WeChat caches hard)."""

    path: str
    data: bytes


def hashed_asset(source: Path) -> Asset:
    """Name an asset after its content hash: ``assets/style.1a2b3c4d.css``."""
    data = source.read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:10]
    return Asset(asset_path(source.stem, digest, source.suffix), data)


def _label(tr: gettext.NullTranslations, names: Mapping[str, str]) -> Callable[..., str]:
    """Make a filter naming a key in the site's language, as ``"party"|kind_label``.

    It takes the context so that Jinja never folds it into a template's compiled code: a
    constant argument would otherwise be translated once, in the language of the first
    site whose build compiled the template (the compiled code is kept by language as
    well, see ``_environment``; this keeps the filter safe on its own).
    """

    @jinja2.pass_context
    def label(_context: jinja2.runtime.Context, key: str) -> str:
        return tr.gettext(names[key])

    return label


class Renderer:
    """Turns pages into HTML bytes for one site language and theme."""

    def __init__(self, dirs: list[Path], language: str, *, compiled: Cache | None = None,
                 **globals_: Any) -> None:
        self.language = language
        self.locale = babel_locale(language)
        self.env = self._environment(dirs, globals_, compiled)

    def _environment(self, dirs: list[Path], globals_: dict[str, Any],
                     compiled: Cache | None) -> jinja2.Environment:
        """Build a strict, autoescaping Jinja environment with the site's catalog.

        A site's own layouts render in Jinja's sandbox (see the README); the default
        theme alone, which ships with Gongkai and is as trusted as its code, renders
        without the sandbox's checks on every attribute and call (a third of the time
        spent rendering)."""
        own = any(not is_default_theme(folder) for folder in dirs)
        kind = ImmutableSandboxedEnvironment if own else jinja2.Environment
        env = kind(
            loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            # Keyed by language too: Jinja evaluates a filter of a constant while compiling
            # (`"party-day"|type_name` becomes 主题党日 in the code itself).
            bytecode_cache=CompiledTemplates(compiled, self.language),
        )
        tr = translations(self.language)
        env.install_gettext_translations(tr, newstyle=True)  # type: ignore[attr-defined]
        env.filters.update(money=self.money, yuan=self.yuan, day=self.day, capital=_capital,
                           quantity=_quantity,
                           kilobytes=self.kilobytes, monthday=self.monthday,
                           period=self.period, type_name=lambda key: tr.gettext(TYPE_NAMES[key]),
                           stage_name=lambda key: tr.gettext(STAGE_NAMES[key]),
                           standard_name=lambda key: tr.gettext(STANDARD_NAMES[key]),
                           kind_label=_label(tr, KIND_NAMES),
                           approval_label=_label(tr, APPROVAL_NAMES))
        env.globals.update(url=_url, lang=self.language, **globals_)
        return env

    def render(self, path: str, template: str, context: dict[str, Any]) -> bytes:
        """Render one page to UTF-8 bytes."""
        return self.render_linked(path, template, context)[0]

    def render_linked(self, path: str, template: str, context: dict[str, Any]
                      ) -> tuple[bytes, tuple[str, ...]]:
        """Render one page to UTF-8 bytes, with every output path its links lead to."""
        linked: list[str] = []
        values = {**context, "page_path": path, LINKED: linked}
        html = self.env.get_template(template).render(values).encode("utf-8")
        return html, tuple(dict.fromkeys(linked))

    def money(self, amount: Decimal | None) -> str:
        """Format an amount with grouping and two decimals: 12,000.00 (None: 不详)."""
        if amount is None:  # a balance that was not kept is said to be unknown, never 0
            return translations(self.language).gettext(N_("unknown"))
        return str(format_decimal(amount, format="#,##0.00", locale=self.locale))

    def yuan(self, amount: Decimal | None) -> str:
        """Format an amount with its unit: 12,000.00 元 (None: 不详)."""
        if amount is None:
            return self.money(None)
        text = translations(self.language).gettext(N_("{amount} yuan"))
        return text.format(amount=self.money(amount))

    def kilobytes(self, size: int) -> str:
        """Format a file size for residents: 12.3 KB."""
        value = format_decimal(Decimal(size) / 1024, format="#,##0.0", locale=self.locale)
        return f"{value} KB"

    def day(self, value: date) -> str:
        """Format a date the local way: 2025年3月5日 / March 5, 2025."""
        return str(format_date(value, format="long", locale=self.locale))

    def monthday(self, value: date) -> str:
        """Format a day inside a known period briefly: 3月5日 / Mar 5."""
        return str(format_skeleton("MMMd", value, locale=self.locale))

    def period(self, period: Period) -> str:
        """Name a period: 2025年3月, 2025年第1季度, 2025年度."""
        return period_name(period, self.language)


def period_name(period: Period, language: str) -> str:
    """Name a period in a language: 2025年3月, 2025年第1季度, 2025年度 (pages and ledgers)."""
    tr = translations(language)
    if period.kind == "month":
        return str(format_skeleton("yMMMM", period.start, locale=babel_locale(language)))
    if period.kind == "quarter":
        quarter = (period.start.month + 2) // 3
        return tr.gettext(N_("Q{quarter} {year}")).format(quarter=quarter,
                                                         year=period.start.year)
    return tr.gettext(N_("Year {year}")).format(year=period.start.year)


def _capital(amount: Decimal | None) -> str:
    """Write an amount in capital numerals; nothing for an amount that is not known."""
    return "" if amount is None else capital_yuan(amount)


def _quantity(value: Decimal) -> str:
    """Write a quantity as given, without trailing zeros: 34.5, 120."""
    return format(value.normalize(), "f")


@jinja2.pass_context
def _url(context: jinja2.runtime.Context, target: str) -> str:
    """Link from the page being rendered to another output path, relatively, noting the
    target for the check that every link leads to a page or file the build makes."""
    linked = context.get(LINKED)
    if isinstance(linked, list):
        linked.append(target)
    return relative_url(context["page_path"], target)


def template_problem(exc: Exception, dirs: list[Path], site_root: Path) -> Problem:
    """Explain a template failure at the template's file and line."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where = _template_location(exc.filename, exc.lineno, site_root)
        return Problem(where, Msg.of(N_("template error: {detail}"), detail=exc.message))
    frame = _last_template_frame(exc)
    where = _template_location(*frame, site_root) if frame else Location("layouts")
    return Problem(where, Msg.of(N_("template error: {detail}"), detail=str(exc)))


def _last_template_frame(exc: Exception) -> tuple[str, int] | None:
    """Find the innermost traceback frame that belongs to a template."""
    found = None
    for frame in traceback.extract_tb(exc.__traceback__ or sys.exc_info()[2]):
        if frame.filename.endswith(".html") and frame.lineno is not None:
            found = (frame.filename, frame.lineno)
    return found


def _template_location(filename: str | None, line: int | None, site_root: Path) -> Location:
    """Name a template file relative to the site when it is the site's own."""
    if filename is None:
        return Location("layouts", line)
    path = Path(filename)
    try:
        return Location(path.resolve().relative_to(site_root.resolve()).as_posix(), line)
    except ValueError:
        return Location(path.as_posix(), line)

"""The parts of a site folder: its configuration, its content and its layouts.

Kept apart from loading and rendering, and light to import, so that a build can look at
its inputs (``replay``) and the command line can pick its language before either of those
heavy modules is imported.
"""

from __future__ import annotations

from pathlib import Path

from gongkai.core.i18n import DEFAULT_LANGUAGE, LANGUAGES
from gongkai.read.source import SourceError, parse_yaml, read_text

CONFIG_FILE = "site_config.yaml"
CONTENT_DIR = "content"
HISTORY_DIR = "history"  # the seal log, committed with the content (history/log.py)


def default_layouts() -> Path:
    """Find the default theme: gongkai/_layouts in a wheel, else the checkout's layouts/."""
    package = Path(__file__).resolve().parent.parent  # gongkai/, above read/
    for candidate in (package / "_layouts", package.parent / "layouts"):
        if (candidate / "base.html").is_file():
            return candidate
    raise FileNotFoundError("the default layouts are missing from the installation")


def layout_dirs(site_root: Path) -> list[Path]:
    """Return the template folders, the site's own first so it overrides by name."""
    own = site_root / "layouts"
    default = default_layouts()
    dirs = [own] if own.is_dir() and own.resolve() != default.resolve() else []
    return [*dirs, default]


def read_config_language(root: Path) -> str:
    """Peek at site.language so even a broken config is reported in the right language."""
    try:
        data, _ = parse_yaml(read_text(root / CONFIG_FILE, CONFIG_FILE), CONFIG_FILE)
    except (OSError, SourceError):
        return DEFAULT_LANGUAGE
    site = data.get("site") if isinstance(data, dict) else None
    language = site.get("language") if isinstance(site, dict) else None
    return language if language in LANGUAGES else DEFAULT_LANGUAGE

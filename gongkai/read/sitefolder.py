"""The parts of a site folder: its configuration, its content and its layouts.

Kept apart from loading and rendering, and light to import, so that a build can look at
its inputs (``replay``) and the command line can pick its language before either of those
heavy modules is imported.
"""

from __future__ import annotations

from pathlib import Path, PurePath

from gongkai.core.i18n import DEFAULT_LANGUAGE, LANGUAGES
from gongkai.read.source import SourceError
from gongkai.read.text import read_text, readable
from gongkai.read.yamlfile import parse_yaml

CONFIG_FILE = "site_config.yaml"
CONTENT_DIR = "content"
HISTORY_DIR = "history"  # the seal log, committed with the content (trust/log.py)
LAYOUTS_DIR = "layouts"
# The folders a build reads below the site folder, besides CONFIG_FILE itself.
INPUT_FOLDERS = (CONTENT_DIR, LAYOUTS_DIR, HISTORY_DIR)
# Files editors and browsers write beside the real one while saving or downloading.
_PARTIAL_SUFFIXES = ("~", ".swp", ".swx", ".swo", ".tmp", ".part", ".bak", ".crdownload")


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


def visible(path: PurePath) -> bool:
    """Tell whether the loader reads a name: not hidden, not an editor's backup or swap file."""
    name = path.name
    return not (name.startswith((".", "~", "#")) or name.endswith(_PARTIAL_SUFFIXES))


def read_by_build(root: Path, path: Path) -> bool:
    """Tell whether a changed path is one a build of ``root`` reads (for the preview)."""
    try:
        relative = PurePath(path.absolute().relative_to(root.absolute()))
    except ValueError:
        return False
    if relative.parts == (CONFIG_FILE,):
        return True
    if not relative.parts or relative.parts[0] not in INPUT_FOLDERS:
        return False
    # vim probes a folder by writing and deleting "4913" before each save.
    return all(visible(PurePath(part)) for part in relative.parts) and not relative.name.isdigit()


def read_config_language(root: Path) -> str:
    """Peek at site.language so even a broken config is reported in the right language."""
    return peek_language(root / CONFIG_FILE, CONFIG_FILE, "site")


def peek_language(path: Path, display: str, *within: str) -> str:
    """Read the language a YAML file asks for (``language``, under the keys ``within``)
    before validating it, so that even a broken file is reported in that language."""
    try:
        data, _ = parse_yaml(read_text(path, display), display)
    except (OSError, SourceError):
        return DEFAULT_LANGUAGE
    for key in within:
        data = data.get(key) if isinstance(data, dict) else None
    language = data.get("language") if isinstance(data, dict) else None
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def display_path(root: Path, path: Path) -> str:
    """Name a file the way the clerk sees it: relative to the site folder, with slashes."""
    try:
        return readable(path.relative_to(root).as_posix())
    except ValueError:
        return readable(path.as_posix())

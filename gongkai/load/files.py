"""Walking ``content/``: names a clerk can read, links that stay inside, published files.

Also the attachments a disclosure names, held to the files/ folder that is published.
"""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path, PurePosixPath, PureWindowsPath

from gongkai.check.privacy import (
    OFFICE_SUFFIXES,
    TEXT_SUFFIXES,
    guard_attachment,
    guard_folder_name,
    guard_name,
)
from gongkai.core.errors import Location, Report, quoted, suggestion
from gongkai.core.i18n import N_, Msg
from gongkai.load.parsing import Parsing
from gongkai.read.sitefolder import CONTENT_DIR, display_path, visible
from gongkai.read.source import Positions
from gongkai.read.text import readable, unsafe_character
from gongkai.read.yamlfile import dotted

# Scans and photos for phones are a few MB; a bigger file is a mistake that would cost
# every resident who taps it.
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


# What files/ may publish: documents, pictures, sound and video, archives. Never HTML,
# SVG or scripts: served from the site's own address, they could run in a resident's
# browser as if the site had written them.
ATTACHMENT_SUFFIXES = frozenset({
    ".pdf", ".jpg", ".jpeg", ".png", ".gif", ".webp", ".txt", ".csv", ".doc", ".docx",
    ".xls", ".xlsx", ".ppt", ".pptx", ".wps", ".et", ".dps", ".odt", ".ods", ".odp",
    ".mp3", ".m4a", ".mp4", ".zip", ".rar", ".7z"})


def admit(root: Path, path: Path, report: Report) -> bool:
    """Tell whether a file or folder of content/ may be read: a usable name, no link out."""
    return _usable_name(root, path, report) and not _links_out(root, path, report)


def _usable_name(root: Path, path: Path, report: Report) -> bool:
    """Report a name that is not UTF-8 or holds invisible control characters."""
    display = display_path(root, path)
    if readable(path.name) != path.name:
        report.error(Location(display), Msg(N_(
            "the name is not in UTF-8, the encoding of web addresses (it was probably made "
            "on an older Windows computer, in GBK); rename it here")))
        return False
    char = unsafe_character(path.name)
    if char is not None:
        report.error(Location(display), Msg.of(N_(
            "the name holds an invisible control character ({code}); rename it"),
            code=f"U+{ord(char):04X}"))
        return False
    return True


def _links_out(root: Path, path: Path, report: Report) -> bool:
    """Report a link that leads out of content/: it could publish any file of the machine."""
    if not path.is_symlink():
        return False
    try:
        inside = path.resolve().is_relative_to((root / CONTENT_DIR).resolve())
    except (OSError, RuntimeError):  # a loop of links
        inside = False
    if not inside:
        report.error(Location(display_path(root, path)), Msg(N_(
            "this is a link to a place outside the content folder; put the file or folder "
            "itself here instead of a link")))
    return not inside


def folder_files(root: Path, owner: Path, parsing: Parsing,
                 report: Report) -> list[tuple[str, Path]]:
    """List every file to publish under the files/ folder of a village, town or county."""
    copies: list[tuple[str, Path]] = []
    content = root / CONTENT_DIR
    folder = owner / "files"
    home = owner.resolve()
    if not admit(root, folder, report):
        return copies
    files, folders = _walk(folder)
    for sub in folders:
        guard_folder_name(display_path(root, sub), report)
    for path in files:
        display = display_path(root, path)
        if not _usable_name(root, path, report):
            continue
        guard_name(display, report)
        if not path.resolve().is_relative_to(home):
            report.error(Location(display), Msg.of(N_(
                "this is a link to a place outside the village folder; put the file "
                "itself here instead of a link")))
        elif path.is_file() and path.suffix.lower() not in ATTACHMENT_SUFFIXES:
            report.error(Location(display), Msg.of(
                N_("only documents and pictures are published from files/ ({allowed}); "
                   "a {suffix} file could run script in residents' browsers or is not "
                   "for them: save it as PDF"),
                allowed=" ".join(sorted(ATTACHMENT_SUFFIXES)), suffix=path.suffix or "—"))
        elif path.is_file() and path.stat().st_size > MAX_ATTACHMENT_BYTES:
            report.error(Location(display), Msg.of(
                N_("the file is {size} MB, over the limit of {limit} MB for an "
                   "attachment; make scans smaller (150 dpi is plenty) or split them"),
                size=f"{path.stat().st_size / 1024 / 1024:.1f}",
                limit=MAX_ATTACHMENT_BYTES // 1024 // 1024))
        elif path.is_file():
            if path.suffix.lower() in TEXT_SUFFIXES | OFFICE_SUFFIXES:
                parsing.checked(_file_key(path), partial(guard_attachment, path, display),
                                report)
            copies.append((path.relative_to(content).as_posix(), path))
    return copies


def _file_key(path: Path) -> str:
    """Key an attachment by its identity and change time (a scan is not hashed each build)."""
    stat = path.stat()
    return f"file:{path}:{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}:{stat.st_ino}"


def _walk(folder: Path) -> tuple[list[Path], list[Path]]:
    """List the visible files (and links) and the folders under a folder, in order,
    without following links."""
    found, folders = [], []
    for parent, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if visible(Path(d)))
        base = Path(parent)
        links = [d for d in dirs if (base / d).is_symlink()]
        folders += [base / d for d in dirs if d not in links]
        found += [base / name for name in [*files, *links] if visible(Path(name))]
    return sorted(found), sorted(folders)


def warn_unused(root: Path, path: Path, report: Report) -> None:
    """Warn about a file that is in no place Gongkai reads."""
    report.warning(Location(display_path(root, path)), Msg(
        N_("this file is not used: it is not in a place Gongkai reads; move or delete it")))


# A YAML file may end in .yml as well as .yaml (editors and other tools save either).
YAML_SUFFIXES = (".yaml", ".yml")


def content_files(folder: Path, suffix: str | tuple[str, ...], root: Path,
                  report: Report) -> list[Path]:
    """List the content files of one kind (one suffix or several) in a folder, warning
    about any others."""
    suffixes = (suffix,) if isinstance(suffix, str) else suffix
    if not folder.is_dir() or not admit(root, folder, report):
        return []
    found = []
    for path in sorted(folder.iterdir()):
        if not visible(path) or not admit(root, path, report):
            continue
        if path.is_file() and path.suffix in suffixes:
            found.append(path)
        else:
            warn_unused(root, path, report)
    return found


def is_published_file(village_dir: Path, name: str) -> bool:
    """Tell whether a path names a visible file under files/, the folder that is published."""
    files = (village_dir / "files").resolve()
    try:
        target = (village_dir / name).resolve()
        if not target.is_relative_to(files) or not target.is_file():
            return False
    except (OSError, ValueError, RuntimeError):  # a NUL in the name, a loop of links
        return False
    return all(visible(Path(part)) for part in target.relative_to(files).parts)


def check_attachments(village_dir: Path, attachments: list[str], positions: Positions,
                      report: Report, parent: tuple[str | int, ...] = ()) -> None:
    """Report attachments that are not published files of the village's files/ folder."""
    for index, name in enumerate(attachments):
        if not is_published_file(village_dir, name):
            missing_file((*parent, "attachments", index), name, positions, report,
                         village_dir)


def missing_file(loc: tuple[str | int, ...], name: str, positions: Positions,
                 report: Report, village_dir: Path | None = None) -> None:
    """Report a path that is not a published file of the village's files/ folder, with
    the nearest name of a file there when one is close."""
    if PurePosixPath(name).is_absolute() or PureWindowsPath(name).is_absolute() or \
            PureWindowsPath(name).drive:
        report.error(positions.locate(loc), Msg.of(
            N_("expected a path inside the village folder, such as files/plan.pdf; found "
               "{found}, a path on the clerk's own computer, which residents cannot open: copy "
               "the file into files/ and name it from there"), found=quoted(name)), dotted(loc))
        return
    close = None if village_dir is None else closest_file(name, village_dir)
    if close is not None:
        report.error(positions.locate(loc), Msg.of(
            N_("expected a file in the village's files/ folder, such as files/plan.pdf; "
               "found {found}, which is not there; did you mean “{close}”?"),
            found=quoted(name), close=close), dotted(loc))
        return
    report.error(positions.locate(loc), Msg.of(
        N_("expected a file in the village's files/ folder, such as files/plan.pdf; "
           "found {found}, which is not there"), found=quoted(name)), dotted(loc))


def closest_file(name: str, owner: Path) -> str | None:
    """Return the file of a folder's files/ nearest to a name that is not there, if one is
    close (compared without the files/ they all start with, which would make any two
    names look alike)."""
    folder = owner / "files"
    found, _folders = _walk(folder)
    names = [path.relative_to(folder).as_posix() for path in found if path.is_file()]
    close = suggestion(name.removeprefix("files/"), names)
    return None if close is None else f"files/{close}"

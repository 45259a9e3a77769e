"""Output names that every file system and web host can hold.

A name that one machine accepts can fail on another: ext4 and most file systems allow
255 bytes per name (a Chinese character takes 3 in UTF-8, and a page's QR image adds
``.qr.png`` to its name), and many hosts (Windows, macOS, some object stores and CDNs)
treat two names that differ only in letter case as one file, so one page would silently
replace the other. Both are found while checking, against the file that causes them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from gongkai.core.errors import Location, Report
from gongkai.core.i18n import N_, Msg

NAME_MAX_BYTES = 255
_SHOWN = 24  # characters of an over-long name quoted in the message


def check_names(outputs: Iterable[tuple[str, str]], report: Report) -> None:
    """Report output paths with a name too long to store, or equal to another but for case.

    ``outputs`` are (output path, the file it comes from) pairs.
    """
    seen: dict[str, tuple[str, str]] = {}
    for path, source in sorted(outputs):  # sorted, so the same file is named every time
        _check_length(path, source, report)
        key = unicodedata.normalize("NFC", path).casefold()
        first = seen.setdefault(key, (path, source))
        if first[0] != path:
            report.error(Location(source), Msg.of(
                N_("its web address {path} differs from {other} (made from {source}) only in "
                   "upper and lower case, and many web hosts treat the two as one file; rename "
                   "one of them"), path=path, other=first[0], source=first[1]))


def _check_length(path: str, source: str, report: Report) -> None:
    """Report a path part longer than file systems allow."""
    for part in path.split("/"):
        size = len(part.encode("utf-8"))
        if size > NAME_MAX_BYTES:
            report.error(Location(source), Msg.of(
                N_("the published name {name} would be {size} bytes long, over the {limit} "
                   "bytes file systems allow (a Chinese character takes 3); shorten the file "
                   "name"), name=f"“{part[:_SHOWN]}…”", size=size, limit=NAME_MAX_BYTES))
            return

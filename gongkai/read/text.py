"""Decoding clerks' files: UTF-8 (or a GBK file told apart), the characters a file may hold.

Also ``printable``, the one way a name from a file reaches a terminal.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml

from gongkai.core.errors import Location, Problem
from gongkai.core.i18n import N_, Msg
from gongkai.read.source import SourceError

# A clerk's YAML or Markdown file is a few kilobytes; anything near this is a mistake
# (a spreadsheet or a scan saved under the wrong name) and is refused before reading.
MAX_TEXT_BYTES = 2 * 1024 * 1024
# Characters a Chinese text read as GB18030 may hold: with anything else the bytes were
# in some other encoding, or damaged.
_CHINESE_TEXT = re.compile(
    r"[\x00-\x7f\u00a5\u00b7\u00d7\u00f7\u2010-\u206f\u2100-\u214f\u2160-\u218f"
    r"\u2190-\u21ff\u2460-\u24ff\u2500-\u257f\u25a0-\u25ff\u2600-\u26ff\u3000-\u303f"
    r"\u3200-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ufe30-\ufe4f\uff00-\uffef]*")


def read_text(path: Path, display: str) -> str:
    """Read a clerk's UTF-8 text file (a BOM and CRLF line ends are accepted), or raise."""
    return decode_text(read_bytes(path, display), display)


def read_bytes(path: Path, display: str) -> bytes:
    """Read a clerk's content file, refusing one too big to be a content file."""
    size = path.stat().st_size
    if size > MAX_TEXT_BYTES:
        raise SourceError(Problem(Location(display), Msg.of(
            N_("the file is {size} MB, over the limit of {limit} MB for a content file; is it "
               "a spreadsheet or a scan? Put those under files/"),
            size=f"{size / 1024 / 1024:.1f}", limit=MAX_TEXT_BYTES // 1024 // 1024)))
    return path.read_bytes()


def decode_text(data: bytes, display: str) -> str:
    """Decode a clerk's UTF-8 text (a BOM and CRLF line ends are accepted), or raise.

    A file in another encoding is refused, never guessed at: GBK text (what older Windows
    editors save) is told apart and the clerk is told how to save it as UTF-8, but Korean
    or Japanese bytes can read as plausible Chinese in GBK, and a wrong guess would
    publish nonsense to residents.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(_not_utf8(data, display, exc.start)) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    check_characters(text, display)
    return text


# Control characters (other than Tab and line ends) and the Unicode bidirectional
# overrides and isolates: invisible, they can make a page or a terminal show text in
# another order than it is stored ("Trojan Source"), or drive a terminal (ESC).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
# What never goes to a terminal or a log as it is: the above, and the lone surrogates
# Python makes of file-name bytes that are not UTF-8. A log line escapes Tab and line
# breaks too, so that a request cannot forge a line of its own.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
                          "\ud800-\udfff]")
_UNPRINTABLE_IN_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
                                  "\ud800-\udfff]")


def printable(text: str, *, one_line: bool = False) -> str:
    """Show control, direction and undecodable characters as visible codes: \\u001b
    (with ``one_line``, Tab and line breaks as well)."""
    unprintable = _UNPRINTABLE_IN_LINE if one_line else _UNPRINTABLE
    return unprintable.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def unsafe_character(text: str) -> str | None:
    """Return the first control or direction character of a text, if it holds one."""
    found = _CONTROL.search(text) or _BIDI.search(text)
    return found.group() if found else None


_CHARACTER_PROBLEMS = (
    (_CONTROL, N_("the line holds an invisible control character ({code}); delete it (such "
                  "characters come with text copied from web pages or Word files)")),
    (_BIDI, N_("the line holds an invisible direction control character ({code}), which "
               "can make text show in another order than it is written; delete it")),
)


def _first_unsafe(text: str) -> tuple[int, Msg] | None:
    """Find the first control or direction character of a text: where, and what to say."""
    for pattern, msgid in _CHARACTER_PROBLEMS:
        found = pattern.search(text)
        if found:
            return found.start(), Msg.of(msgid, code=f"U+{ord(found.group()):04X}")
    return None


def check_characters(text: str, display: str, line_offset: int = 0) -> None:
    """Refuse control characters and bidirectional overrides, naming the first one's line."""
    found = _first_unsafe(text)
    if found:
        line = text.count("\n", 0, found[0]) + 1 + line_offset
        raise SourceError(Problem(Location(display, line), found[1]))


def check_escaped(node: yaml.ScalarNode, display: str, line_offset: int) -> None:
    """Refuse a control or direction character that a quoted value spells as an escape
    ("\\0", "\\e", "\\u202E"): the file's text is clean, the value is not."""
    found = _first_unsafe(node.value)
    if found:
        mark = node.start_mark
        raise SourceError(Problem(
            Location(display, mark.line + 1 + line_offset, mark.column + 1), found[1]))


def _not_utf8(data: bytes, display: str, start: int) -> Problem:
    """Explain a file that is not UTF-8, naming GBK when the bytes are plainly GBK text."""
    where = Location(display, data.count(b"\n", 0, start) + 1)
    if _looks_like_gbk(data):
        return Problem(where, Msg.of(
            N_("the file is saved in the GBK encoding, not UTF-8; open it in Notepad, choose "
               "File › Save As, set Encoding to UTF-8 and save (WPS and other editors have "
               "the same choice)")))
    return Problem(where, Msg.of(
        N_("the file is not UTF-8 text (byte {byte} cannot be read); save it again choosing "
           "the UTF-8 encoding"), byte=f"0x{data[start]:02X}"))


def _looks_like_gbk(data: bytes) -> bool:
    """Tell whether bytes read cleanly as GB18030 into ordinary Chinese text."""
    # Mostly good UTF-8 with a few bad bytes is a damaged UTF-8 file, not a GBK one.
    bad = data.decode("utf-8", "replace").count("\ufffd")
    if bad * 10 < sum(1 for byte in data if byte >= 0x80):
        return False
    try:
        return bool(_CHINESE_TEXT.fullmatch(data.decode("gb18030")))
    except UnicodeDecodeError:
        return False


def readable(name: str) -> str:
    """Show a file name as its owner sees it: bytes that are not UTF-8 are read as GBK.

    Python keeps such bytes as lone surrogates, which no page or terminal can show.
    """
    if not any("\udc80" <= char <= "\udcff" for char in name):
        return name
    raw = os.fsencode(name)
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "replace")

"""Reading clerks' files: text decoding, YAML with positions, Markdown front matter.

Nothing here knows about villages or money: it turns bytes into Python values and
remembers where in the file each value came from, so later errors can name the line.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from gongkai.core.errors import Location, Problem
from gongkai.core.i18n import N_, Msg

log = logging.getLogger(__name__)

Key = str | int
Path_ = tuple[Key, ...]


class SourceError(Exception):
    """A file could not be read or parsed at all; carries the problem to report."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message.msgid)
        self.problem = problem


@dataclass
class Positions:
    """Where each value of a parsed document stands (a path of keys -> line, column), and
    the problems with keys found on the way: given twice, or not text."""

    file: str
    line_offset: int = 0
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def locate(self, path: Path_, *, key: bool = False) -> Location:
        """Return the location of a value (or its key), falling back to the nearest parent."""
        table = self.keys if key else self.values
        probe = tuple(path)
        while probe:
            if probe in table:
                return self.at(table[probe])
            if probe in self.values:
                return self.at(self.values[probe])
            probe = probe[:-1]
        return self.at(self.values.get((), (0, 0)))

    def at(self, mark: tuple[int, int]) -> Location:
        """Turn a 0-based YAML mark into a 1-based location in the whole file."""
        return Location(self.file, mark[0] + 1 + self.line_offset, mark[1] + 1)


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
# What never goes to a terminal as it is: the above, and the lone surrogates Python
# makes of file-name bytes that are not UTF-8.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
                          "\ud800-\udfff]")


def printable(text: str) -> str:
    """Show control, direction and undecodable characters as visible codes: \\u001b."""
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


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


def _check_escaped(node: yaml.ScalarNode, display: str, line_offset: int) -> None:
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


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """YAML 1.2-like scalars: no floats (numbers become Decimal), no yes/no booleans,
    no sexagesimal 8:30 integers, and no octal from a leading zero (phone numbers)."""


_Loader.yaml_implicit_resolvers = {}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789"))
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    # No exponents: 1e5 is not how an amount is written, and 1e999999999 is a trap.
    re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)$"), list("-+0123456789."))
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:timestamp",
    re.compile(r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
               r"(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?"
               r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?$"),
    list("0123456789"))


def _construct_decimal(loader: yaml.SafeLoader, node: yaml.Node) -> Decimal:
    """Build a Decimal from the number exactly as written: money is never a binary float."""
    text = str(loader.construct_scalar(node))  # type: ignore[arg-type]
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the resolver only admits decimal syntax
        raise yaml.constructor.ConstructorError(None, None, text, node.start_mark) from None


def _construct_timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    """Build a date, or keep the text of an impossible one (2025-02-30) for validation."""
    try:
        return loader.construct_yaml_timestamp(node)  # type: ignore[arg-type]
    except ValueError:
        return loader.construct_scalar(node)  # type: ignore[arg-type]


_Loader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)

TAB_HINT = N_("a Tab character is used for indentation; indent with spaces")
FULLWIDTH_COLON_HINT = N_("after a field name write an English colon and a space (“key: value”), "
                          "not the Chinese colon “：”")
# The problem texts of PyYAML's Python parser and of libyaml, which it uses when present.
_YAML_HINTS = {
    "mapping values are not allowed in this context":
        N_("a colon stands where YAML does not expect one; put a space after “key:” "
           "and quote values that contain a colon"),
    "mapping values are not allowed here":
        N_("a colon stands where YAML does not expect one; put a space after “key:” "
           "and quote values that contain a colon"),
    "could not find expected ':'": N_("a line is missing its “key: value” colon"),
    "found duplicate anchor": N_("the same &anchor is defined twice"),
}


def parse_yaml(text: str, display: str, line_offset: int = 0) -> tuple[Any, Positions]:
    """Parse YAML text into plain values and their positions, or raise SourceError."""
    positions = Positions(display, line_offset)
    if "*" in text:
        _reject_aliases(text, display, line_offset)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            _check_tags(node, display, line_offset)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        raise SourceError(_yaml_problem(exc, text, display, line_offset)) from None
    except yaml.reader.ReaderError as exc:
        raise SourceError(_control_problem(exc, text, display, line_offset)) from None
    finally:
        loader.dispose()
    if node is not None:
        _record(node, (), positions)
    return data, positions


def _reject_aliases(text: str, display: str, line_offset: int) -> None:
    """Refuse YAML aliases (*name): clerks never need them, and a few nested ones can
    stand for billions of values (the "billion laughs" attack)."""
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent):
                mark = event.start_mark
                where = Location(display) if mark is None else \
                    Location(display, mark.line + 1 + line_offset, mark.column + 1)
                raise SourceError(Problem(where,
                    Msg.of(N_("YAML aliases (*name) are not supported; write the value out "
                              "in full, or quote text that starts with *"))))
    except yaml.YAMLError:
        return  # the full parse reports it, with its hint


# The tags the loader resolves by itself. Explicit others (!!binary, !!set, !!omap,
# !custom) build values no schema expects (bytes that would bypass every text check).
_PLAIN_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in (
    "str", "int", "float", "bool", "null", "timestamp", "map", "seq"))


def _check_tags(root: yaml.Node, display: str, line_offset: int) -> None:
    """Refuse explicit YAML tags other than the plain ones, at the tagged value, and
    escaped control characters in double-quoted values."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.tag not in _PLAIN_TAGS:
            mark = node.start_mark
            raise SourceError(Problem(
                Location(display, mark.line + 1 + line_offset, mark.column + 1),
                Msg.of(N_("YAML tags such as {tag} are not supported; write the value as "
                          "plain text, without the tag"), tag=f"“{_short_tag(node.tag)}”")))
        if isinstance(node, yaml.MappingNode):
            stack.extend(n for pair in node.value for n in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.ScalarNode) and node.style == '"':
            _check_escaped(node, display, line_offset)


def _short_tag(tag: str) -> str:
    """Write a tag the way it is typed: tag:yaml.org,2002:binary as !!binary."""
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org") \
        else tag[:40]


def _control_problem(exc: yaml.reader.ReaderError, text: str, display: str,
                     line_offset: int) -> Problem:
    """Explain an invisible control character, which YAML does not allow."""
    # libyaml counts the position in bytes, the Python reader in characters: find the
    # character itself instead.
    char = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
    line = text.count("\n", 0, max(text.find(char), 0)) + 1 + line_offset
    return Problem(Location(display, line), Msg.of(
        N_("the line holds an invisible control character ({code}); delete it (such "
           "characters come with text copied from web pages or Word files)"),
        code=f"U+{ord(char):04X}"))


def _yaml_problem(exc: yaml.MarkedYAMLError, text: str, display: str,
                  line_offset: int) -> Problem:
    """Explain a YAML syntax error at the line that holds the mistake, with a fix.

    PyYAML notices a full-width colon or a full-width indent a line or more late, and its
    own texts are English: the lines before the error are looked at for those slips, and
    every problem text (of the Python parser and of libyaml) is told as a catalog message.
    """
    detail = str(exc.problem or exc.context or "")
    log.debug("%s: YAML error %s / %s", display, exc.context, exc.problem)
    # "could not find expected ':'" is noticed a line late; the key's own line is the context.
    missing_colon = detail == "could not find expected ':'" and exc.context_mark is not None
    mark = exc.context_mark if missing_colon else (exc.problem_mark or exc.context_mark)
    if mark and _char_at(text, mark.line, mark.column) == "\t":
        return _malformed(display, line_offset, (mark.line, mark.column), Msg(TAB_HINT))
    culprit = _fullwidth_culprit(text, (exc.problem_mark or mark).line if mark else None)
    if culprit is not None:
        return _malformed(display, line_offset, culprit[0], Msg(culprit[1]))
    hint = _YAML_HINTS.get(detail)
    if hint:
        where = (mark.line, mark.column) if mark else None
        return _malformed(display, line_offset, where, Msg(hint))
    found = _parser_hint(exc, text)
    if found is not None:
        return _malformed(display, line_offset, found[0], found[1])
    where = (mark.line, mark.column) if mark else None
    return Problem(_mark_location(display, line_offset, where), Msg(MALFORMED))


MALFORMED = N_("the YAML is malformed here; check the indentation, colons and quotes on this "
               "line and the one above")


MALFORMED_HINT = N_("the YAML is malformed: {hint}")


def _malformed(display: str, line_offset: int, where: tuple[int, int] | None,
               hint: Msg) -> Problem:
    """Build the problem "the YAML is malformed: hint" at a 0-based line and column."""
    return Problem(_mark_location(display, line_offset, where),
                   Msg.of(MALFORMED_HINT, hint=hint))


def _mark_location(display: str, line_offset: int, where: tuple[int, int] | None) -> Location:
    """Turn a 0-based line and column into a location in the whole file."""
    if where is None:
        return Location(display)
    return Location(display, where[0] + 1 + line_offset, where[1] + 1)


FULLWIDTH_SPACE_HINT = N_("the line is indented with full-width spaces (“　”, typed by a "
                          "Chinese input method); indent with ordinary spaces")
FULLWIDTH_COMMA_HINT = N_("inside {{ }} or [ ] separate the entries with an English comma "
                          "“,”, not the Chinese comma “，”")
# A field name (always English) followed by a full-width colon, at the start of a line
# (after an indent or a list dash) or after the { or , of a flow block.
_FULLWIDTH_COLON = re.compile(
    r"(?:^[ \t\u3000]*(?:-[ \t\u3000]+)?|[{,][ \t\u3000]*)"
    r"(?P<key>[A-Za-z_][A-Za-z0-9_]*)[ \t\u3000]*：")
# A field name whose colon is followed by a full-width space, which YAML does not take for
# the space that ends a key: "town:　baishi" reads as one word.
_FULLWIDTH_AFTER_COLON = re.compile(
    r"(?:^[ \t]*(?:-[ \t]+)?|[{,][ \t]*)(?P<key>[A-Za-z_][A-Za-z0-9_]*):\u3000")
FULLWIDTH_AFTER_COLON_HINT = N_("after the colon write an ordinary space, not a full-width "
                                "space (“　”, typed by a Chinese input method)")
# An indent holding a full-width space, before what is plainly structure: a list dash or
# a field name with its colon (prose indented with “　　” inside a text is left alone).
_FULLWIDTH_INDENT = re.compile(
    r"^[ \t]*\u3000[ \t\u3000]*(?:-(?:[ \t\u3000]|$)|[A-Za-z_][A-Za-z0-9_]*[ \t\u3000]*[:：]"
    r"(?:[ \t\u3000]|$))")
# The start of a block text (“note: |”, “- >-”): its lines are text, not structure.
_BLOCK_SCALAR = re.compile(r"(?:^|:[ \t]|-[ \t])[ \t]*[|>][0-9+-]*[ \t]*(?:#.*)?$")
# How many lines above a parser error a full-width slip may stand and still be its cause.
_CULPRIT_WINDOW = 5


def _fullwidth_culprit(text: str, error_line: int | None) -> tuple[tuple[int, int], str] | None:
    """Find a full-width colon or indent at or above a parser error's line, nearest first."""
    if error_line is None:
        return None
    lines = text.split("\n")
    text_lines = _block_text_lines(lines)
    for index in range(min(error_line, len(lines) - 1), max(error_line - _CULPRIT_WINDOW, 0) - 1,
                       -1):
        if index in text_lines:
            continue
        line = lines[index]
        if _FULLWIDTH_INDENT.match(line):
            return (index, 0), FULLWIDTH_SPACE_HINT
        colon = _FULLWIDTH_COLON.search(line)
        if colon:
            return (index, colon.start("key")), FULLWIDTH_COLON_HINT
        spaced = _FULLWIDTH_AFTER_COLON.search(line)
        if spaced:
            return (index, spaced.start("key")), FULLWIDTH_AFTER_COLON_HINT
    return None


def _block_text_lines(lines: list[str]) -> set[int]:
    """Return the indexes of the lines inside block texts (after “key: |” or “key: >”)."""
    inside: set[int] = set()
    opener: int | None = None  # the indent of the line that opened the block text
    for index, line in enumerate(lines):
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if opener is not None:
            if not stripped.strip() or indent > opener:
                inside.add(index)
                continue
            opener = None
        if _BLOCK_SCALAR.search(line.split(" #")[0] if " #" in line else line):
            opener = indent
    return inside


def mistyped_key(key: str) -> str | None:
    """Return the hint for a field name a full-width slip made: an indent or a colon."""
    if key.startswith("\u3000"):
        return FULLWIDTH_SPACE_HINT
    if _FULLWIDTH_COLON.match(key):
        return FULLWIDTH_COLON_HINT
    if _FULLWIDTH_AFTER_COLON.match(key):
        return FULLWIDTH_AFTER_COLON_HINT
    return None


LIST_HINT = N_("this line does not line up with the list above it: every entry of a list "
               "starts with “- ”, indented the same")
INDENT_HINT = N_("this line does not line up with the fields above it: the fields of one "
                 "block start in the same column, indented with the same number of spaces")
AFTER_QUOTE_HINT = N_("text follows the closing quote; put the whole value inside the quotes")
QUOTE_HINT = N_("the quote that opens here is never closed; add the same quote (\" or ') at "
                "the end of the value")
BAD_START_HINT = N_("a value cannot start with “{char}”; put the whole value in quotes, such "
                    "as \"{char}…\"")
DASH_HINT = N_("“- ” starts an entry of a list and cannot follow a field name on the same "
               "line: put each entry on its own line below, indented (“  - …”), or quote "
               "the value")
TAG_HINT = N_("“!” starts a YAML tag, which is not supported; put the value in quotes")
ANCHOR_HINT = N_("YAML anchors and aliases (&name, *name) are not supported; write the value "
                 "out in full, or quote text that starts with & or *")
BLOCK_TEXT_HINT = N_("after “|” or “>” nothing may follow on the same line; start the text "
                     "on the next line, indented")
DOCUMENT_HINT = N_("a line “---” or “...” here ends the fields; remove it (in a Markdown "
                   "file the front matter ends at its second “---” line)")
ESCAPE_HINT = N_("inside double quotes a backslash “\\” starts an escape; write two "
                 "backslashes for one, or use single quotes")
NODE_HINT = N_("a value is missing here, or a sign such as “,” “[” “{{” stands where a value "
               "should be; quote values that start with such a sign")
KEY_HINT = N_("a field name must be plain text, not a list or a block")
OPEN_BRACKET_HINT = N_("the “{open}” here is never closed; add “{close}” after its last entry")
BRACKET_HINT = N_("inside the “{open} {close}” that starts on line {line}, separate the "
                  "entries with commas and close it with “{close}”; quote values that "
                  "contain a colon or a comma")
# PyYAML's problem (and context) texts, from its Python parser and from libyaml, each
# with the hint that tells a clerk what to change (and the sign a BAD_START_HINT names).
# The first that matches is used.
_PARSER_HINTS: tuple[tuple[str, str, str, str], ...] = (
    # (pattern on the problem, pattern on the context, hint, sign)
    (r"found a tab character", "", TAB_HINT, ""),
    (r"found unexpected ':'", "", _YAML_HINTS["mapping values are not allowed here"], ""),
    (r"sequence entries are not allowed", "", DASH_HINT, ""),
    (r"mapping keys are not allowed", "", BAD_START_HINT, "?"),
    (r"found unexpected end of stream|found unexpected document separator", "quoted scalar",
     QUOTE_HINT, ""),
    (r"escape|hexadecimal|hexdecimal", "", ESCAPE_HINT, ""),
    (r"", "double-quoted scalar|while parsing a quoted scalar", ESCAPE_HINT, ""),
    (r"", r"an? (?:alias|anchor)|duplicate anchor", ANCHOR_HINT, ""),
    (r"undefined alias|duplicate anchor", "", ANCHOR_HINT, ""),
    (r"tag handle|expected '!'|URI|expected '>'", "", TAG_HINT, ""),
    (r"", r"\btag\b", TAG_HINT, ""),
    (r"indentation indicator", "", BLOCK_TEXT_HINT, ""),
    (r"", "block scalar", BLOCK_TEXT_HINT, ""),
    (r"another document|document start|document indicator|document end", "", DOCUMENT_HINT, ""),
    (r"directive", "", BAD_START_HINT, "%"),
    (r"", "directive", BAD_START_HINT, "%"),
    (r"node content", "", NODE_HINT, ""),
    (r"unhashable key", "", KEY_HINT, ""),
    (r"expected '-' indicator", "", LIST_HINT, ""),
    (r"expected <block end>|did not find expected key", "block collection", LIST_HINT, ""),
    (r"expected <block end>|did not find expected key", "", INDENT_HINT, ""),
)


def _parser_hint(exc: yaml.MarkedYAMLError, text: str
                 ) -> tuple[tuple[int, int] | None, Msg] | None:
    """Tell a PyYAML error as a catalog hint, at the place where it is best seen."""
    problem, context = str(exc.problem or ""), str(exc.context or "")
    mark, opener = exc.problem_mark, exc.context_mark
    where = (mark.line, mark.column) if mark else None
    if "flow sequence" in context or "flow mapping" in context:
        return _flow_hint(text, "[" if "sequence" in context else "{", where, opener)
    if "cannot start any token" in problem and mark is not None:
        return where, Msg.of(BAD_START_HINT, char=_char_at(text, mark.line, mark.column) or "?")
    for on_problem, on_context, hint, sign in _PARSER_HINTS:
        if (on_problem and not re.search(on_problem, problem)) or \
                (on_context and not re.search(on_context, context)):
            continue
        if hint == QUOTE_HINT and opener is not None:
            return (opener.line, opener.column), Msg(hint)
        if hint == INDENT_HINT and mark is not None and \
                _line_at(text, mark.line)[:mark.column].rstrip()[-1:] in ("\"", "'"):
            return where, Msg(AFTER_QUOTE_HINT)
        return where, Msg.of(hint, char=sign) if sign else Msg(hint)
    return None


def _flow_hint(text: str, open_: str, where: tuple[int, int] | None,
               opener: yaml.Mark | None) -> tuple[tuple[int, int] | None, Msg]:
    """Explain a { } or [ ] block that is not closed, or whose entries run together."""
    close = "]" if open_ == "[" else "}"
    first = opener.line if opener is not None else (where[0] if where else 0)
    last = where[0] if where else first
    for line in range(last, first - 1, -1):  # the Chinese comma nearest the error
        comma = _line_at(text, line).rfind("，", 0, where[1] if where and line == last else None)
        if comma >= 0:
            return (line, comma), Msg(FULLWIDTH_COMMA_HINT)
    lines = text.split("\n")
    rest = "\n".join(lines[last:])[where[1]:] if where and last < len(lines) else ""
    if opener is not None and not rest.strip():
        return (opener.line, opener.column), Msg.of(OPEN_BRACKET_HINT, open=open_, close=close)
    return where, Msg.of(BRACKET_HINT, open=open_, close=close, line=first + 1)


def _line_at(text: str, line: int) -> str:
    """Return a 0-based line of the text, or ""."""
    lines = text.split("\n")
    return lines[line] if line < len(lines) else ""


def _char_at(text: str, line: int, column: int) -> str:
    """Return the character at a 0-based line and column, or ""."""
    return _line_at(text, line)[column:column + 1]


def _note_bad_key(positions: Positions, path: Path_, mark: tuple[int, int],
                  in_braces: bool | None) -> None:
    """Report a key that is not text: a number or date where a field name should be."""
    if in_braces:
        # In "{amount: 12,000.00}" YAML splits at the comma: "000.00" becomes a key.
        message = Msg(N_("a number stands where a field name should be; inside {{ }} a comma "
                         "separates fields, so write amounts with a thousands comma in quotes, "
                         "such as \"12,000.00\""))
    else:
        message = Msg.of(N_("expected a field name, found {found}; a field name is text "
                            "followed by a colon and a space"), found=f"“{path[-1]}”")
    positions.problems.append(Problem(positions.at(mark), message, dotted(path[:-1])))


def _note_mistyped_key(positions: Positions, key: str, mark: tuple[int, int]) -> None:
    """Report a field name a full-width indent or colon made (YAML read it as a name)."""
    hint = mistyped_key(key)
    if hint is not None:
        positions.problems.append(Problem(positions.at(mark), Msg.of(MALFORMED_HINT,
                                                                     hint=Msg(hint))))


def dotted(path: Path_) -> str:
    """Write a path of keys as income[2].amount."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _note_duplicate(positions: Positions, path: Path_, mark: tuple[int, int]) -> None:
    """Report a key given twice in one mapping (YAML would silently keep the last)."""
    first = positions.keys[path][0] + 1 + positions.line_offset
    positions.problems.append(Problem(
        positions.at(mark),
        Msg.of(N_("the key is given twice (first on line {first}); keep only one"), first=first),
        field=str(path[-1])))


def _record(node: yaml.Node, path: Path_, positions: Positions) -> None:
    """Walk a composed YAML node and note the start of every key and value."""
    positions.values[path] = (node.start_mark.line, node.start_mark.column)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            child = (*path, key)
            mark = (key_node.start_mark.line, key_node.start_mark.column)
            if key_node.tag != "tag:yaml.org,2002:str":
                _note_bad_key(positions, child, mark, node.flow_style)
            elif mistyped_key(key):
                _note_mistyped_key(positions, key, mark)
            elif child in positions.keys:
                _note_duplicate(positions, child, mark)
            positions.keys[child] = mark
            _record(value_node, child, positions)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record(item, (*path, index), positions)


@dataclass(frozen=True)
class FrontMatter:
    """A Markdown file split into its YAML header and its body."""

    header: str
    header_line: int
    body: str
    body_line: int = 1


_FENCE = re.compile(r"^---[ \t]*$", re.MULTILINE)


def split_front_matter(text: str, display: str) -> FrontMatter:
    """Split ``---`` front matter from the Markdown body, or raise SourceError."""
    if not text.startswith("---"):
        raise SourceError(Problem(Location(display, 1), Msg.of(
            N_("no front matter: the file must start with a line “---”, then title, date "
               "and type, then another “---” line"))))
    first_end = text.find("\n")
    closing = _FENCE.search(text, first_end + 1) if first_end >= 0 else None
    if closing is None:
        raise SourceError(Problem(Location(display, 1), Msg.of(
            N_("the front matter is not closed: add a line “---” after its last field"))))
    header = text[first_end + 1:closing.start()]
    rest = text[closing.end():]
    body = rest.lstrip("\n")
    body_line = text.count("\n", 0, closing.end()) + len(rest) - len(body) + 1
    return FrontMatter(header, 1, body, body_line)

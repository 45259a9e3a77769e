"""What a YAML parser's error means, in a clerk's words: full-width punctuation, tabs, quotes."""

from __future__ import annotations

import logging
import re

import yaml

from gongkai.core.errors import Location, Problem
from gongkai.core.i18n import N_, Msg

log = logging.getLogger(__name__)


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


def control_problem(exc: yaml.reader.ReaderError, text: str, display: str,
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


def yaml_problem(exc: yaml.MarkedYAMLError, text: str, display: str,
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
FULLWIDTH_COLON = re.compile(
    r"(?:^[ \t\u3000]*(?:-[ \t\u3000]+)?|[{,][ \t\u3000]*)"
    r"(?P<key>[A-Za-z_][A-Za-z0-9_]*)[ \t\u3000]*：")
# A field name whose colon is followed by a full-width space, which YAML does not take for
# the space that ends a key: "town:　baishi" reads as one word.
FULLWIDTH_AFTER_COLON = re.compile(
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
        colon = FULLWIDTH_COLON.search(line)
        if colon:
            return (index, colon.start("key")), FULLWIDTH_COLON_HINT
        spaced = FULLWIDTH_AFTER_COLON.search(line)
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

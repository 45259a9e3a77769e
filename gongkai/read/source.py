"""What every reader of a clerk's file shares: its errors, the positions of values, front matter.

Nothing here knows about villages or money. Decoding is in ``text``, YAML in ``yamlfile``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gongkai.core.errors import Location, Problem
from gongkai.core.i18n import N_, Msg

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

"""Problems a clerk can cause: where they are, what was expected, what was found."""

from __future__ import annotations

import difflib
import gettext
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum

from gongkai.core.i18n import N_, Msg
from gongkai.core.pii import mask_personal


class Severity(Enum):
    """Errors stop the build; warnings do not, unless ``--strict``."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Location:
    """A place in a source file: the path relative to the site and a 1-based line/column."""

    file: str
    line: int | None = None
    column: int | None = None

    def render(self) -> str:
        """Format as ``file:line:column`` with the parts that are known."""
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


@dataclass(frozen=True)
class Problem:
    """One problem in the content, ready to be told to a clerk in the site's language."""

    where: Location
    message: Msg
    field: str = ""
    severity: Severity = Severity.ERROR

    def render(self, tr: gettext.NullTranslations) -> str:
        """Format as ``file:line:col: error: field: message``."""
        text = self.message.render(tr)
        if self.field:
            text = tr.gettext(N_("{field}: {text}")).format(field=self.field, text=text)
        shape = N_("{where}: error: {text}") if self.is_error else N_("{where}: warning: {text}")
        # A message quotes what the clerk wrote; a personal number in it never reaches a log.
        return mask_personal(tr.gettext(shape).format(where=self.where.render(), text=text))

    @property
    def is_error(self) -> bool:
        """Tell whether this problem stops the build."""
        return self.severity is Severity.ERROR


@dataclass
class Report:
    """All problems of one run, collected so they can be told together."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        """Record one problem."""
        self.problems.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        """Record several problems."""
        self.problems.extend(problems)

    def error(self, where: Location, message: Msg, field: str = "") -> None:
        """Record an error."""
        self.add(Problem(where, message, field))

    def warning(self, where: Location, message: Msg, field: str = "") -> None:
        """Record a warning."""
        self.add(Problem(where, message, field, Severity.WARNING))

    @property
    def errors(self) -> list[Problem]:
        """Return the problems that stop the build."""
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        """Return the problems that do not stop the build."""
        return [p for p in self.problems if not p.is_error]

    def sorted(self) -> list[Problem]:
        """Return the problems in file and line order, errors before warnings in a tie."""
        return sorted(self.problems, key=_sort_key)


def _sort_key(p: Problem) -> tuple[str, int, int, bool]:
    """Order problems by file, line, column, then errors first."""
    return (p.where.file, p.where.line or 0, p.where.column or 0, not p.is_error)


def quoted(value: object) -> str:
    """Show a found value the way a clerk typed it, in quotes, personal numbers masked."""
    # Masked before it is cut short: a number cut in two is no longer recognised as one.
    # (Only the start is shown, so only the start, with room for any number, is masked.)
    text = mask_personal(str(value)[:1000])
    if len(text) > 60:
        text = text[:57] + "…"
    return f"“{text}”"


def suggestion(word: str, choices: Iterable[str]) -> str | None:
    """Return the closest valid name to a misspelt one, if any is close."""
    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return found[0] if found else None


def unknown_name(kind_expected: Msg, word: str, choices: Iterable[str]) -> Msg:
    """Describe an unknown name with the valid ones and a did-you-mean where one is close."""
    options = tuple(choices)
    listed = options or ("—",)
    close = suggestion(word, options)
    if close:
        return Msg.of(N_("expected {expected} ({choices}), found {found}; did you mean “{close}”?"),
                      expected=kind_expected, choices=listed, found=quoted(word), close=close)
    return Msg.of(N_("expected {expected} ({choices}), found {found}"),
                  expected=kind_expected, choices=listed, found=quoted(word))

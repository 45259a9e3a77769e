"""The one printer of the command line: every line escapes control and direction characters.

A file name or a value quoted in a message (from the site, a downloaded copy, a remote
manifest) could otherwise move the cursor, recolour or hide the terminal's text.
"""

from __future__ import annotations

import io
import sys

from gongkai.core.errors import Report
from gongkai.core.i18n import translations
from gongkai.read.text import printable


def say(text: str, *, error: bool = False) -> None:
    """Print a line (to stderr for a failure) with control and direction characters shown
    as codes, never obeyed: ESC could recolour or hide the terminal's text, U+202E reverse it.

    Each line is flushed: a deploy's progress or a wait for the output's lock reaches a
    pipe as it happens, and stdout and stderr keep their order when they share a terminal.
    """
    print(printable(text), file=sys.stderr if error else sys.stdout, flush=True)


def calm_streams() -> None:
    """Let a console that cannot show Chinese print codes instead of crashing the CLI."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")


def usage_error(language: str, msgid: str, **values: object) -> None:
    """Print a usage error."""
    say(translations(language).gettext(msgid).format(**values), error=True)


def print_problems(report: Report, language: str) -> None:
    """Print each problem on its own line, in file and line order."""
    tr = translations(language)
    for problem in report.sorted():
        say(problem.render(tr), error=True)

"""What every command shares: exit codes, help options, argparse in the CLI's language."""

from __future__ import annotations

import argparse
import gettext
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date

from gongkai.core.dates import DateError, parse_date
from gongkai.core.i18n import N_, cli_language, translations

# argparse's own messages (usage line, errors), which it looks up through the gettext
# module; listed so extraction puts them in our catalogs, used by argparse_speaks().
ARGPARSE_MESSAGES = (
    N_("usage: "), N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"), N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("the following arguments are required: %s"), N_("expected one argument"),
    N_("ignored explicit argument %r"), N_("ambiguous option: %(option)s could match %(matches)s"),
)
EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


@contextmanager
def argparse_speaks(tr: gettext.NullTranslations) -> Iterator[None]:
    """Let argparse's own messages speak the CLI's language while it parses."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = tr.gettext, tr.ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def help_options(parser: argparse.ArgumentParser, _: Callable[[str], str]) -> None:
    """Title the argument and option groups and add -h in the CLI's language (argparse's
    are English)."""
    parser._positionals.title = _(N_("arguments"))
    parser._optionals.title = _(N_("options"))
    parser.add_argument("-h", "--help", action="help", help=_(N_("show this help and exit")))


def jobs(text: str) -> int:
    """Parse --jobs: a whole number of processes, at least 1."""
    if text.isdigit() and int(text) >= 1:
        return int(text)
    message = translations(cli_language()).gettext(N_("expected a number of processes, such as 2"))
    raise argparse.ArgumentTypeError(message)


def day(text: str) -> date:
    """Parse --today."""
    try:
        return parse_date(text)
    except DateError:
        message = translations(cli_language()).gettext(N_("expected a date such as 2025-03-05"))
        raise argparse.ArgumentTypeError(message) from None

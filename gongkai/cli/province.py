"""``gongkai province``: a province's index from its counties' summaries (``publish.province``).

Kept light, like ``cli.seal``: the command line imports it on every run, and only the
province command loads the schema, the templates and the pages.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from gongkai.build.write import WAITING, WAITING_UNKNOWN, UnsafeOutput, check_output
from gongkai.cli.say import say
from gongkai.core.i18n import N_, translations
from gongkai.read.sitefolder import peek_language

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
PROVINCE_FILE = "province.yaml"  # publish.province.PROVINCE_FILE, without importing it
TIMEZONE = "Asia/Shanghai"  # whose date "today" is, without --today


def add_command(commands: argparse._SubParsersAction[argparse.ArgumentParser],
                _: Callable[[str], str],
                help_options: Callable[[argparse.ArgumentParser, Callable[[str], str]], None],
                day: Callable[[str], date]) -> None:
    """Describe ``gongkai province [--site DIR] [--out DIR] [--today D]``."""
    text = N_("build a province's index from the summaries of its counties' sites "
              "(province.yaml)")
    sub = commands.add_parser("province", help=_(text), description=_(text), add_help=False)
    help_options(sub, _)
    sub.add_argument("--site", type=Path, default=Path("."),
                     help=_(N_("the province folder, holding province.yaml (default: the "
                               "current folder)")))
    sub.add_argument("--out", type=Path, default=None,
                     help=_(N_("the output folder (default: public/ in the province folder)")))
    sub.add_argument("--today", type=day, default=None,
                     help=_(N_("the date the index is compiled on, YYYY-MM-DD (default: "
                               "today)")))
    sub.add_argument("-v", "--verbose", action="store_true", help=argparse.SUPPRESS)


def read_language(root: Path) -> str:
    """Peek at the province's language, so even a broken province.yaml speaks it."""
    return peek_language(root / PROVINCE_FILE, PROVINCE_FILE)


def run(folder: Path, out: Path | None, today: date | None) -> int:
    """Build the province's index into ``out``; print its problems; return the exit code."""
    language = read_language(folder)
    tr = translations(language)
    if not folder.is_dir():
        say(tr.gettext(N_("the province folder {path} does not exist")).format(path=folder),
            error=True)
        return EXIT_USAGE
    from gongkai.publish.province import OutputHoldsCounty, build_province

    out = out if out is not None else folder / "public"
    refused = N_("refusing to write to {path}: it is the site folder, or holds files Gongkai "
                 "did not make; choose an empty or new folder with --out")

    def waiting(pid: int | None) -> None:
        msgid = WAITING if pid is not None else WAITING_UNKNOWN
        say(tr.gettext(msgid).format(pid=pid, path=out), error=True)

    try:
        check_output(out, folder)
        outcome = build_province(folder, out, today or datetime.now(ZoneInfo(TIMEZONE)).date(),
                                 waiting)
    except UnsafeOutput:
        say(tr.gettext(refused).format(path=out), error=True)
        return EXIT_USAGE
    except OutputHoldsCounty as exc:
        say(exc.message.render(tr), error=True)
        return EXIT_USAGE
    except OSError as exc:
        say(tr.gettext(N_("could not write {path}: {error}; the previous site is kept"))
            .format(path=out, error=exc.strerror or exc), error=True)
        return EXIT_USAGE
    report = outcome.report
    for problem in report.sorted():
        say(problem.render(tr), error=True)
    errors, warnings = len(report.errors), len(report.warnings)
    counts = {
        "errors": tr.ngettext("{n} error", "{n} errors", errors).format(n=errors),
        "warnings": tr.ngettext("{n} warning", "{n} warnings", warnings).format(n=warnings),
        "pages": tr.ngettext("{n} page", "{n} pages", outcome.pages).format(n=outcome.pages),
        "counties": tr.ngettext("{n} county", "{n} counties", outcome.counties).format(
            n=outcome.counties),
    }
    if not outcome.written:
        say(tr.gettext(N_("{errors}, {warnings}. Nothing was written; {out} is unchanged."))
            .format(out=out, **counts), error=True)
        return EXIT_CONTENT
    say(tr.gettext(N_("Wrote the province's index of {counties} ({pages}) to {out}; "
                      "{warnings}.")).format(out=out, **counts))
    return EXIT_OK

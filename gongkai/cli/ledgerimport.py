"""``gongkai import``: a ledger from a spreadsheet, checked with the site."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from gongkai.build.options import Options
from gongkai.build.pipeline import build
from gongkai.cli.args import EXIT_CONTENT, EXIT_OK, EXIT_USAGE, day, help_options
from gongkai.cli.say import print_problems, say
from gongkai.core.i18n import N_, translations


def add_command(commands: argparse._SubParsersAction[argparse.ArgumentParser],
                _: Callable[[str], str]) -> None:
    """Describe ``gongkai import VILLAGE PERIOD FILE``."""
    text = N_("write a period's ledger from a spreadsheet (xlsx, xls, csv), then check the site")
    sub = commands.add_parser("import", help=_(text), description=_(text), add_help=False)
    help_options(sub, _)
    sub.add_argument("village", metavar="VILLAGE",
                     help=_(N_("the village's folder name under content/, such as qingshan")))
    sub.add_argument("period", metavar="PERIOD", help=_(N_("the period: 2026-01, 2026-Q1 or 2026")))
    sub.add_argument("file", metavar="FILE", type=Path, help=_(N_("the spreadsheet file")))
    sub.add_argument("--site", type=Path, default=Path("."),
                     help=_(N_("the site folder (default: the current folder)")))
    sub.add_argument("--force", action="store_true",
                     help=_(N_("replace the period's ledger if it exists")))
    sub.add_argument("--sheet", default=None,
                     help=_(N_("the sheet to read (default: the first with a ledger's header)")))
    sub.add_argument("--published", type=day, default=None,
                     help=_(N_("the ledger's published date, YYYY-MM-DD (default: today)")))
    sub.add_argument("-v", "--verbose", action="store_true",
                     help=_(N_("show what the build is doing")))


def run(parsed: argparse.Namespace, language: str) -> int:
    """Import a spreadsheet into a ledger, then check the site as ``check`` does."""
    from gongkai.clerk.importer import Refused, Request, run_import

    tr = translations(language)
    request = Request(parsed.site, parsed.village, parsed.period, parsed.file, parsed.force,
                      parsed.published, parsed.sheet)
    try:
        outcome = run_import(request, language)
    except Refused as exc:
        say(exc.message.render(tr), error=True)
        return EXIT_USAGE
    for line in outcome.problems:
        say(line, error=True)
    if not outcome.written:
        count = len(outcome.problems)
        errors = tr.ngettext("{n} error", "{n} errors", count).format(n=count)
        say(tr.gettext(N_("{errors} in the spreadsheet. Nothing was written.")).format(
            errors=errors), error=True)
        return EXIT_CONTENT
    for message in outcome.said:
        say(message.render(tr))
    say(tr.gettext(N_("Checking the site with the new ledger…")))
    result = build(Options(parsed.site, parsed.site / "public", write=False))
    print_problems(result.report, language)
    found, warned = len(result.report.errors), len(result.report.warnings)
    counts = {
        "errors": tr.ngettext("{n} error", "{n} errors", found).format(n=found),
        "warnings": tr.ngettext("{n} warning", "{n} warnings", warned).format(n=warned),
    }
    if found:
        say(tr.gettext(N_("The ledger was written, but the check found {errors} and {warnings}: "
                          "correct {path} (or the spreadsheet, then import it again with "
                          "--force) and run “gongkai check”.")).format(
            path=outcome.path.relative_to(parsed.site).as_posix(), **counts), error=True)
        return EXIT_CONTENT
    if warned:
        say(tr.gettext(N_("Checked: no errors, {warnings}: read them above; what they ask for "
                          "(such as the committee's review) belongs in the ledger before it "
                          "is published.")).format(**counts))
    else:
        say(tr.gettext(N_("Checked: no errors, {warnings}. Build the site to publish it."))
            .format(**counts))
    return EXIT_OK

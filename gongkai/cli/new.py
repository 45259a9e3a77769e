"""``gongkai new site|village|finance|affairs|party``: start a file from a commented template."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from gongkai.cli.args import EXIT_CONTENT, EXIT_OK, EXIT_USAGE, day, help_options
from gongkai.cli.say import print_problems, say, usage_error
from gongkai.core.errors import Report
from gongkai.core.i18n import N_, translations

if TYPE_CHECKING:  # scaffold.py loads the content model, which a replayed build never needs
    from gongkai.clerk.scaffold import Written


def add_new_commands(commands: argparse._SubParsersAction,  # type: ignore[type-arg]
                     _: Callable[[str], str]) -> None:
    """Add ``new village|finance|affairs|party``: start a file from a commented template."""
    text = N_("start a new village, finance period or disclosure from a commented file")
    new = commands.add_parser("new", help=_(text), description=_(text), add_help=False)
    help_options(new, _)
    kinds = new.add_subparsers(dest="kind", required=True, title=_(N_("what to start")),
                               metavar="{site,village,finance,affairs,party}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--site", type=Path, default=Path("."),
                        help=_(N_("the site folder (default: the current folder)")))
    common.add_argument("--today", type=day, default=None,
                        help=_(N_("the date to write, YYYY-MM-DD (default: site.today, else "
                                  "today)")))
    common.add_argument("-v", "--verbose", action="store_true", help=argparse.SUPPRESS)
    subs = {}
    for kind, helped in (
            ("site", N_("write site_config.yaml and content/ in a new or empty folder")),
            ("village", N_("write content/ID/village.yaml")),
            ("finance", N_("write a finance period, its opening balance carried over")),
            ("affairs", N_("write a dated village-affairs disclosure (村务)")),
            ("party", N_("write a dated party-affairs disclosure (党务)"))):
        sub = kinds.add_parser(kind, parents=[common], help=_(helped), description=_(helped),
                               add_help=False)
        help_options(sub, _)
        subs[kind] = sub
    subs["site"].add_argument("title", help=_(N_("the site's title, in quotes")))
    subs["site"].add_argument("--town", dest="towns", action="append", required=True,
                              help=_(N_("a town as id=name, e.g. qingshan=青山镇; repeat it "
                                        "for each town")))
    subs["site"].add_argument("--language", choices=("zh-CN", "en"), default="zh-CN",
                              help=_(N_("the language of pages and messages (default: "
                                        "zh-CN)")))
    subs["village"].add_argument("id", help=_(N_("the village id: lowercase letters, digits "
                                                  "and hyphens, e.g. dongshan")))
    subs["village"].add_argument("--town", required=True,
                                 help=_(N_("the id of its town in site_config.yaml")))
    subs["village"].add_argument("--name", required=True,
                                 help=_(N_("the village's name, e.g. 东山村")))
    subs["finance"].add_argument("village", help=_(N_("the village id")))
    subs["finance"].add_argument("period", help=_(N_("2026-01 (a month), 2026-Q1 (a quarter) "
                                                     "or 2026 (a year)")))
    for kind in ("affairs", "party"):
        subs[kind].add_argument("village", help=_(N_("the village id")))
        subs[kind].add_argument("title", help=_(N_("the title, in quotes")))
        subs[kind].add_argument("--type", dest="type_given", default=None,
                                help=_(N_("its type, e.g. 公示 (default: guessed from the "
                                          "title, else 其他)")))
        subs[kind].add_argument("--slug", default=None,
                                help=_(N_("the file name after the month (default: the "
                                          "title)")))
    subs["party"].add_argument("--stage", default=None,
                               help=_(N_("the stage of a 发展党员 notice, e.g. 发展对象")))


def run_new(parsed: argparse.Namespace, language: str) -> int:
    """Write the new file, then say where it is and what to do next."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from gongkai.clerk.newfinance import new_finance
    from gongkai.clerk.newsite import new_village
    from gongkai.clerk.scaffold import new_disclosure
    from gongkai.core.i18n import Msg
    from gongkai.load.parsing import load_config
    from gongkai.model.config import resolve_today

    tr = translations(language)
    site: Path = parsed.site
    report = Report()
    config = load_config(site, report)
    if config is None or report.errors:
        print_problems(report, language)
        return EXIT_CONTENT
    today = resolve_today(config, parsed.today,
                          datetime.now(ZoneInfo(config.site.timezone)).date())
    def make() -> Written:
        if parsed.kind == "village":
            return new_village(site, config, parsed.id, parsed.town, parsed.name, tr)
        if parsed.kind == "finance":
            return new_finance(site, config, parsed.village, parsed.period, today, tr)
        return new_disclosure(site, config, parsed.kind, parsed.village, parsed.title,
                              today, tr, type_given=parsed.type_given, slug=parsed.slug,
                              stage=getattr(parsed, "stage", None))

    written = _scaffold(language, make)
    if written is None:
        return EXIT_USAGE
    shown = written.path.as_posix()
    say(tr.gettext(N_("Wrote {path}.")).format(path=shown))
    for note in written.notes:
        say(Msg.of(N_("Note: {note}."), note=note).render(tr))
    program = _program()
    site_option = "" if site == Path(".") else f" --site {site}"
    say(tr.gettext(N_("Next: edit it, then run “{program} serve{site}” to preview it, or "
                      "“{program} check{site}” to check it.")).format(
        program=program, site=site_option))
    return EXIT_OK


def _scaffold(language: str, make: Callable[[], Written]) -> Written | None:
    """Run a ``new`` command's writer; say why it wrote nothing, if it did not."""
    from gongkai.clerk.scaffold import ScaffoldError

    try:
        return make()
    except ScaffoldError as exc:
        say(exc.message.render(translations(language)), error=True)
    except OSError as exc:
        usage_error(language, N_("could not write {path}: {error}"), path=exc.filename,
                    error=exc.strerror or exc)
    return None


def run_new_site(parsed: argparse.Namespace, language: str) -> int:
    """Start a site in a new or empty folder: its settings and an empty content/."""
    from gongkai.clerk.newsite import new_site

    site: Path = parsed.site
    language = parsed.language
    tr = translations(language)

    def make() -> Written:
        site.mkdir(parents=True, exist_ok=True)
        return new_site(site, parsed.title, parsed.towns, language, tr)

    written = _scaffold(language, make)
    if written is None:
        return EXIT_USAGE
    say(tr.gettext(N_("Wrote {path}.")).format(path=written.path.as_posix()))
    program = _program()
    if site == Path("."):
        say(tr.gettext(N_("Next: add a village with “{program} new village ID --town TOWN "
                          "--name NAME”.")).format(program=program))
    else:
        say(tr.gettext(N_("Next: go into the site folder (cd {site}), then add a village with "
                          "“{program} new village ID --town TOWN --name NAME”.")).format(
            program=program, site=site))
    return EXIT_OK


def _program() -> str:
    """Name the command the clerk typed, to repeat it in the next step."""
    path = Path(sys.argv[0]) if sys.argv and sys.argv[0] else Path("gongkai")
    if path.name == "build.py":
        return "python build.py"
    if path.name == "__main__.py" and path.parent.name == "gongkai":
        return "python -m gongkai"
    return "gongkai"

"""The command line: ``gongkai [build|check] [--site DIR] [--out DIR] [--today D] [--strict]``.

Exit codes: 0 success, 1 problems in the content, 2 a usage error.
"""

from __future__ import annotations

import argparse
import gettext
import io
import logging
import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from gongkai import __version__
from gongkai.build.pipeline import Options, Result, SealRequest, build
from gongkai.build.write import WAITING, WAITING_UNKNOWN, UnsafeOutput, check_output
from gongkai.cli import deploy as deploycli
from gongkai.cli import province
from gongkai.cli import seal as sealcli
from gongkai.core.dates import DateError, parse_date
from gongkai.core.errors import Report
from gongkai.core.i18n import N_, cli_language, translations
from gongkai.read.sitefolder import read_config_language
from gongkai.read.text import printable
from gongkai.render.budgets import heaviest, kilobytes

if TYPE_CHECKING:  # scaffold.py loads the content model, which a replayed build never needs
    from gongkai.clerk.scaffold import Written

log = logging.getLogger(__name__)

COMMANDS = ("build", "check", "serve", "new", "import", "seal", "keygen", "verify", "deploy",
            "province")
# argparse's own messages (usage line, errors), which it looks up through the gettext
# module; listed so extraction puts them in our catalogs, used by _argparse_speaks().
ARGPARSE_MESSAGES = (
    N_("usage: "), N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"), N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("the following arguments are required: %s"), N_("expected one argument"),
    N_("ignored explicit argument %r"), N_("ambiguous option: %(option)s could match %(matches)s"),
)
EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code."""
    _calm_streams()
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or (args[0] not in COMMANDS and args[0] not in ("-h", "--help", "--version")):
        args.insert(0, "build")
    with _argparse_speaks(translations(cli_language())):
        parsed = _parser().parse_args(args)
    logging.basicConfig(level=logging.DEBUG if parsed.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        return _run(parsed)
    except BrokenPipeError:
        # The reader stopped early (``gongkai check | head``): nothing is lost by stopping
        # too, and Python would otherwise complain again while flushing at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


@contextmanager
def _argparse_speaks(tr: gettext.NullTranslations) -> Iterator[None]:
    """Let argparse's own messages speak the CLI's language while it parses."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = tr.gettext, tr.ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def _parser() -> argparse.ArgumentParser:
    """Describe the commands and options, in the language of the environment."""
    _ = translations(cli_language()).gettext
    parser = argparse.ArgumentParser(
        prog="gongkai", description=_(N_("Build a village three-affairs disclosure site.")),
        add_help=False)
    _help_options(parser, _)
    parser.add_argument("--version", action="version", version=f"gongkai {__version__}",
                        help=_(N_("show the version and exit")))
    commands = parser.add_subparsers(dest="command", required=True,
                                     title=_(N_("commands")),
                                     metavar="{build,check,serve,new,import,seal,keygen,verify,"
                                             "deploy,province}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--site", type=Path, default=Path("."),
                        help=_(N_("the site folder (default: the current folder)")))
    common.add_argument("--out", type=Path, default=None,
                        help=_(N_("the output folder (default: public/ in the site folder)")))
    common.add_argument("--today", type=_day, default=None,
                        help=_(N_("the “as of” date, YYYY-MM-DD (default: site.today, "
                                  "else the build date)")))
    common.add_argument("--strict", action="store_true",
                        help=_(N_("treat warnings as errors")))
    common.add_argument("--jobs", type=_jobs, default=0,
                        help=_(N_("worker processes for rendering (default: one per core)")))
    common.add_argument("--no-cache", dest="cache", action="store_false",
                        help=_(N_("build everything from scratch, without reading or writing "
                                  "the cache in .gongkai-cache/")))
    common.add_argument("-v", "--verbose", action="store_true",
                        help=_(N_("show what the build is doing")))
    for name, text in (("build", N_("build the site into the output folder (default)")),
                       ("check", N_("check the content and write nothing")),
                       ("serve", N_("preview the site in a browser, rebuilding on every edit"))):
        sub = commands.add_parser(name, parents=[common], help=_(text), description=_(text),
                                  add_help=False)
        _help_options(sub, _)
        if name == "serve":
            sub.add_argument("--port", type=int, default=8000,
                             help=_(N_("the port to serve on (default: 8000)")))
            sub.add_argument("--host", default="127.0.0.1",
                             help=_(N_("the address to serve on (default: 127.0.0.1, this "
                                       "computer only)")))
            sub.add_argument("--open", action="store_true",
                             help=_(N_("open the preview in the web browser")))
    _add_new_commands(commands, _)
    _add_import_command(commands, _)
    sealcli.add_commands(commands, common, _, _help_options)
    deploycli.add_command(commands, _, _help_options)
    province.add_command(commands, _, _help_options, _day)
    return parser


def _help_options(parser: argparse.ArgumentParser, _: Callable[[str], str]) -> None:
    """Title the argument and option groups and add -h in the CLI's language (argparse's
    are English)."""
    parser._positionals.title = _(N_("arguments"))
    parser._optionals.title = _(N_("options"))
    parser.add_argument("-h", "--help", action="help", help=_(N_("show this help and exit")))


def _jobs(text: str) -> int:
    """Parse --jobs: a whole number of processes, at least 1."""
    if text.isdigit() and int(text) >= 1:
        return int(text)
    message = translations(cli_language()).gettext(N_("expected a number of processes, such as 2"))
    raise argparse.ArgumentTypeError(message)


def _day(text: str) -> date:
    """Parse --today."""
    try:
        return parse_date(text)
    except DateError:
        message = translations(cli_language()).gettext(N_("expected a date such as 2025-03-05"))
        raise argparse.ArgumentTypeError(message) from None


def _run(parsed: argparse.Namespace) -> int:
    """Run build or check and report the outcome."""
    language = cli_language()
    if parsed.command == "keygen":
        return sealcli.run_keygen(parsed.path, parsed.name, language)
    if parsed.command == "verify":
        return sealcli.run_verify(parsed.folder, parsed.key, parsed.since, language)
    if parsed.command == "province":
        return province.run(parsed.site, parsed.out, parsed.today)
    site: Path = parsed.site
    if parsed.command == "new" and parsed.kind == "site":
        return _run_new_site(parsed, language)
    if not site.is_dir():
        _usage_error(language, N_("the site folder {path} does not exist"), path=site)
        return EXIT_USAGE
    language = read_config_language(site)
    if parsed.command == "new":
        return _run_new(parsed, language)
    if parsed.command == "import":
        return _run_import(parsed, language)
    if parsed.command == "deploy":
        return deploycli.run(parsed, language)
    if parsed.command == "serve":
        return _serve(site, parsed, language)
    out: Path = parsed.out if parsed.out is not None else site / "public"
    writing = parsed.command in ("build", "seal")
    seal = None
    if parsed.command == "seal":
        loaded, key = sealcli.load_seal_key(site, parsed.key, language)
        if not loaded:
            return EXIT_USAGE
        seal = SealRequest(key)
    if writing:
        try:
            check_output(out, site)
        except UnsafeOutput:
            _usage_error(language, N_("refusing to write to {path}: it is the site folder, or "
                                      "holds files Gongkai did not make; choose an empty or "
                                      "new folder with --out"), path=out)
            return EXIT_USAGE
    def waiting(pid: int | None) -> None:
        msgid = WAITING if pid is not None else WAITING_UNKNOWN
        _say(translations(language).gettext(msgid).format(pid=pid, path=out), sys.stderr,
             flush=True)

    try:
        result = build(Options(site, out, parsed.today, parsed.strict, writing, parsed.jobs,
                               parsed.cache, waiting, seal))
    except UnsafeOutput:  # checked again under the output's lock, in case it changed
        _usage_error(language, N_("refusing to write to {path}: it is the site folder, or "
                                  "holds files Gongkai did not make; choose an empty or "
                                  "new folder with --out"), path=out)
        return EXIT_USAGE
    except OSError as exc:
        _usage_error(language, N_("could not write {path}: {error}; the previous site is kept"),
                     path=out, error=exc.strerror or exc)
        return EXIT_USAGE
    code = _report(result, language, writing, parsed.strict, out)
    if code == EXIT_OK and result.sealed is not None:
        sealcli.say_sealed(result.sealed, language)
    return code


def _serve(site: Path, parsed: argparse.Namespace, language: str) -> int:
    """Preview the site until Ctrl-C; every rebuild prints its problems and its time."""
    from gongkai.clerk.serve import Preview, Server

    tr = translations(language)

    def told(result: Result) -> None:
        _print_problems(result.report, language)
        text = N_("Rebuilt {pages} pages in {seconds:.2f} s; {errors} errors, {warnings} warnings.")
        _say(tr.gettext(text).format(pages=result.pages, seconds=result.seconds,
                                      errors=len(result.report.errors),
                                      warnings=len(result.report.warnings)), flush=True)

    preview = Preview(site, parsed.today, language, told)
    try:
        server = Server(preview, parsed.host, parsed.port)
    except OSError as exc:
        preview.close()
        _usage_error(language, N_("cannot serve on {host}:{port}: {error}"),
                     host=parsed.host, port=parsed.port, error=exc.strerror or exc)
        return EXIT_USAGE
    server.start()
    _say(tr.gettext(N_("Previewing {site} at {url} (Ctrl-C to stop); public/ is not "
                        "touched.")).format(site=site.resolve(), url=server.url), flush=True)
    if parsed.open:
        import webbrowser

        webbrowser.open(server.url)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        _say(tr.gettext(N_("Stopped.")))
    finally:
        server.stop()
    return EXIT_OK


def _say(text: str, file: TextIO | None = None, flush: bool = False) -> None:
    """Print a line with control and direction characters shown as codes, never obeyed.

    A file name or a value quoted in a message could otherwise move the cursor, recolour
    or hide the terminal's text (ESC) or reverse it (U+202E).
    """
    print(printable(text), file=file or sys.stdout, flush=flush)


def _calm_streams() -> None:
    """Let a console that cannot show Chinese print codes instead of crashing the CLI."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")


def _usage_error(language: str, msgid: str, **values: object) -> None:
    """Print a usage error."""
    _say(translations(language).gettext(msgid).format(**values), file=sys.stderr)


def _report(result: Result, language: str, writing: bool, strict: bool, out: Path) -> int:
    """Print every problem, then one summary line; return the exit code."""
    tr = translations(language)
    _print_problems(result.report, language)
    if not writing and result.weights:
        _print_budgets(result, tr)
    errors, warnings = len(result.report.errors), len(result.report.warnings)
    counts = {
        "errors": tr.ngettext("{n} error", "{n} errors", errors).format(n=errors),
        "warnings": tr.ngettext("{n} warning", "{n} warnings", warnings).format(n=warnings),
        "pages": tr.ngettext("{n} page", "{n} pages", result.pages).format(n=result.pages),
        "files": tr.ngettext("{n} file", "{n} files", result.files).format(n=result.files),
    }
    if errors or (strict and warnings):
        text = tr.gettext(N_("{errors}, {warnings}. Nothing was written; {out} is unchanged.")
                          if writing else N_("{errors}, {warnings}."))
        _say(text.format(out=out, **counts), file=sys.stderr)
        return EXIT_CONTENT
    if writing:
        text = tr.gettext(N_("Wrote {pages} and {files} more (data, styles, attachments) to "
                             "{out}; {warnings}; "
                             "{seconds:.2f} s."))
    else:
        text = tr.gettext(N_("Checked {pages}: no errors, {warnings}; {seconds:.2f} s."))
    _say(text.format(out=out, seconds=result.seconds, **counts))
    return EXIT_OK


def _print_budgets(result: Result, tr: gettext.NullTranslations) -> None:
    """Print the heaviest pages and the stylesheet against their budgets."""
    _say(tr.gettext(N_("Heaviest files, gzipped, against their budgets:")))
    for weight in heaviest(result.weights):
        size = kilobytes(weight.gzipped).rjust(8)
        line = tr.gettext(N_("{size} of {budget}  {path}")).format(
            size=size, budget=kilobytes(weight.budget), path=weight.path)
        if weight.over:
            line += tr.gettext(N_("  (over budget)"))
        _say("  " + line)


def _print_problems(report: Report, language: str) -> None:
    """Print each problem on its own line, in file and line order."""
    tr = translations(language)
    for problem in report.sorted():
        _say(problem.render(tr), file=sys.stderr)


def _add_new_commands(commands: argparse._SubParsersAction,  # type: ignore[type-arg]
                      _: Callable[[str], str]) -> None:
    """Add ``new village|finance|affairs|party``: start a file from a commented template."""
    text = N_("start a new village, finance period or disclosure from a commented file")
    new = commands.add_parser("new", help=_(text), description=_(text), add_help=False)
    _help_options(new, _)
    kinds = new.add_subparsers(dest="kind", required=True, title=_(N_("what to start")),
                               metavar="{site,village,finance,affairs,party}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--site", type=Path, default=Path("."),
                        help=_(N_("the site folder (default: the current folder)")))
    common.add_argument("--today", type=_day, default=None,
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
        _help_options(sub, _)
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


def _run_new(parsed: argparse.Namespace, language: str) -> int:
    """Write the new file, then say where it is and what to do next."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from gongkai.clerk.scaffold import new_disclosure, new_finance, new_village
    from gongkai.core.i18n import Msg
    from gongkai.load.parsing import load_config
    from gongkai.model.config import resolve_today

    tr = translations(language)
    site: Path = parsed.site
    report = Report()
    config = load_config(site, report)
    if config is None or report.errors:
        _print_problems(report, language)
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
    _say(tr.gettext(N_("Wrote {path}.")).format(path=shown))
    for note in written.notes:
        _say(Msg.of(N_("Note: {note}."), note=note).render(tr))
    program = _program()
    site_option = "" if site == Path(".") else f" --site {site}"
    _say(tr.gettext(N_("Next: edit it, then run “{program} serve{site}” to preview it, or "
                       "“{program} check{site}” to check it.")).format(
        program=program, site=site_option))
    return EXIT_OK


def _scaffold(language: str, make: Callable[[], Written]) -> Written | None:
    """Run a ``new`` command's writer; say why it wrote nothing, if it did not."""
    from gongkai.clerk.scaffold import ScaffoldError

    try:
        return make()
    except ScaffoldError as exc:
        _say(exc.message.render(translations(language)), file=sys.stderr)
    except OSError as exc:
        _usage_error(language, N_("could not write {path}: {error}"), path=exc.filename,
                     error=exc.strerror or exc)
    return None


def _run_new_site(parsed: argparse.Namespace, language: str) -> int:
    """Start a site in a new or empty folder: its settings and an empty content/."""
    from gongkai.clerk.scaffold import new_site

    site: Path = parsed.site
    language = parsed.language
    tr = translations(language)

    def make() -> Written:
        site.mkdir(parents=True, exist_ok=True)
        return new_site(site, parsed.title, parsed.towns, language, tr)

    written = _scaffold(language, make)
    if written is None:
        return EXIT_USAGE
    _say(tr.gettext(N_("Wrote {path}.")).format(path=written.path.as_posix()))
    program = _program()
    if site == Path("."):
        _say(tr.gettext(N_("Next: add a village with “{program} new village ID --town TOWN "
                           "--name NAME”.")).format(program=program))
    else:
        _say(tr.gettext(N_("Next: go into the site folder (cd {site}), then add a village with "
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


def _add_import_command(commands: argparse._SubParsersAction[argparse.ArgumentParser],
                        _: Callable[[str], str]) -> None:
    """Describe ``gongkai import VILLAGE PERIOD FILE``."""
    text = N_("write a period's ledger from a spreadsheet (xlsx, xls, csv), then check the site")
    sub = commands.add_parser("import", help=_(text), description=_(text), add_help=False)
    _help_options(sub, _)
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
    sub.add_argument("--published", type=_day, default=None,
                     help=_(N_("the ledger's published date, YYYY-MM-DD (default: today)")))
    sub.add_argument("-v", "--verbose", action="store_true",
                     help=_(N_("show what the build is doing")))


def _run_import(parsed: argparse.Namespace, language: str) -> int:
    """Import a spreadsheet into a ledger, then check the site as ``check`` does."""
    from gongkai.clerk.importer import Refused, Request, run_import

    tr = translations(language)
    request = Request(parsed.site, parsed.village, parsed.period, parsed.file, parsed.force,
                      parsed.published, parsed.sheet)
    try:
        outcome = run_import(request, language)
    except Refused as exc:
        _say(exc.message.render(tr), file=sys.stderr)
        return EXIT_USAGE
    for line in outcome.problems:
        _say(line, file=sys.stderr)
    if not outcome.written:
        count = len(outcome.problems)
        errors = tr.ngettext("{n} error", "{n} errors", count).format(n=count)
        _say(tr.gettext(N_("{errors} in the spreadsheet. Nothing was written.")).format(
            errors=errors), file=sys.stderr)
        return EXIT_CONTENT
    for message in outcome.said:
        _say(message.render(tr))
    _say(tr.gettext(N_("Checking the site with the new ledger…")), flush=True)
    result = build(Options(parsed.site, parsed.site / "public", write=False))
    _print_problems(result.report, language)
    found, warned = len(result.report.errors), len(result.report.warnings)
    counts = {
        "errors": tr.ngettext("{n} error", "{n} errors", found).format(n=found),
        "warnings": tr.ngettext("{n} warning", "{n} warnings", warned).format(n=warned),
    }
    if found:
        _say(tr.gettext(N_("The ledger was written, but the check found {errors} and {warnings}: "
                           "correct {path} (or the spreadsheet, then import it again with "
                           "--force) and run “gongkai check”.")).format(
            path=outcome.path.relative_to(parsed.site).as_posix(), **counts), file=sys.stderr)
        return EXIT_CONTENT
    if warned:
        _say(tr.gettext(N_("Checked: no errors, {warnings}: read them above; what they ask for "
                           "(such as the committee's review) belongs in the ledger before it "
                           "is published.")).format(**counts))
    else:
        _say(tr.gettext(N_("Checked: no errors, {warnings}. Build the site to publish it."))
             .format(**counts))
    return EXIT_OK

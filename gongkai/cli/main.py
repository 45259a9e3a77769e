"""The command line: ``gongkai [build|check] [--site DIR] [--out DIR] [--today D] [--strict]``.

Exit codes: 0 success, 1 problems in the content, 2 a usage error.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from gongkai import __version__
from gongkai.cli import build as buildcli
from gongkai.cli import deploy as deploycli
from gongkai.cli import ledgerimport, province
from gongkai.cli import seal as sealcli
from gongkai.cli.args import EXIT_OK, EXIT_USAGE, argparse_speaks, day, help_options, jobs
from gongkai.cli.new import add_new_commands, run_new, run_new_site
from gongkai.cli.say import calm_streams, usage_error
from gongkai.cli.serve import run_serve
from gongkai.core.i18n import N_, cli_language, translations
from gongkai.read.sitefolder import read_config_language

COMMANDS = ("build", "check", "serve", "new", "import", "seal", "keygen", "verify", "deploy",
            "province")


# Their debug logs print each request's headers and signing steps: the access key id, the
# session token. -v is for Gongkai's own log; a secret is never in any output.
QUIET_LIBRARIES = ("botocore", "boto3", "s3transfer", "urllib3")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code."""
    calm_streams()
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or (args[0] not in COMMANDS and args[0] not in ("-h", "--help", "--version")):
        args.insert(0, "build")
    with argparse_speaks(translations(cli_language())):
        parsed = _parser().parse_args(args)
    logging.basicConfig(level=logging.DEBUG if parsed.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(logging.WARNING)
    try:
        return _run(parsed)
    except BrokenPipeError:
        # The reader stopped early (``gongkai check | head``): nothing is lost by stopping
        # too, and Python would otherwise complain again while flushing at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    """Describe the commands and options, in the language of the environment."""
    _ = translations(cli_language()).gettext
    parser = argparse.ArgumentParser(
        prog="gongkai", description=_(N_("Build a village three-affairs disclosure site.")),
        add_help=False)
    help_options(parser, _)
    parser.add_argument("--version", action="version", version=f"gongkai {__version__}",
                        help=_(N_("show the version and exit")))
    commands = parser.add_subparsers(dest="command", required=True,
                                     title=_(N_("commands")),
                                     metavar="{" + ",".join(COMMANDS) + "}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--site", type=Path, default=Path("."),
                        help=_(N_("the site folder (default: the current folder)")))
    common.add_argument("--out", type=Path, default=None,
                        help=_(N_("the output folder (default: public/ in the site folder)")))
    common.add_argument("--today", type=day, default=None,
                        help=_(N_("the “as of” date, YYYY-MM-DD (default: site.today, "
                                  "else the build date)")))
    common.add_argument("--strict", action="store_true",
                        help=_(N_("treat warnings as errors")))
    common.add_argument("--jobs", type=jobs, default=0,
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
        help_options(sub, _)
        if name == "serve":
            sub.add_argument("--port", type=int, default=8000,
                             help=_(N_("the port to serve on (default: 8000)")))
            sub.add_argument("--host", default="127.0.0.1",
                             help=_(N_("the address to serve on (default: 127.0.0.1, this "
                                       "computer only)")))
            sub.add_argument("--open", action="store_true",
                             help=_(N_("open the preview in the web browser")))
    add_new_commands(commands, _)
    ledgerimport.add_command(commands, _)
    sealcli.add_commands(commands, common, _, help_options)
    deploycli.add_command(commands, _, help_options)
    province.add_command(commands, _, help_options, day)
    return parser


def _run(parsed: argparse.Namespace) -> int:
    """Run the command that was parsed; return its exit code."""
    language = cli_language()
    if parsed.command == "keygen":
        return sealcli.run_keygen(parsed.path, parsed.name, language)
    if parsed.command == "verify":
        return sealcli.run_verify(parsed.folder, parsed.key, parsed.since, language)
    if parsed.command == "province":
        return province.run(parsed.site, parsed.out, parsed.today)
    site: Path = parsed.site
    if parsed.command == "new" and parsed.kind == "site":
        return run_new_site(parsed, language)
    if not site.is_dir():
        usage_error(language, N_("the site folder {path} does not exist"), path=site)
        return EXIT_USAGE
    language = read_config_language(site)
    if parsed.command == "new":
        return run_new(parsed, language)
    if parsed.command == "import":
        return ledgerimport.run(parsed, language)
    if parsed.command == "deploy":
        return deploycli.run(parsed, language)
    if parsed.command == "serve":
        return run_serve(site, parsed, language)
    return buildcli.run(parsed, site, language)

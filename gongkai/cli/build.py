"""``gongkai build``, ``check`` and ``seal``: the build, its problems and its summary line."""

from __future__ import annotations

import argparse
import gettext
from pathlib import Path

from gongkai.build.options import Options, Result, SealRequest
from gongkai.build.pipeline import build
from gongkai.build.write import WAITING, WAITING_UNKNOWN, UnsafeOutput, check_output
from gongkai.cli import seal as sealcli
from gongkai.cli.args import EXIT_CONTENT, EXIT_OK, EXIT_USAGE
from gongkai.cli.say import print_problems, say, usage_error
from gongkai.core.i18n import N_, translations
from gongkai.render.budgets import heaviest, kilobytes


def run(parsed: argparse.Namespace, site: Path, language: str) -> int:
    """Build or check the site (sealing it first for ``seal``); print the outcome."""
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
            usage_error(language, N_("refusing to write to {path}: it is the site folder, or "
                                     "holds files Gongkai did not make; choose an empty or "
                                     "new folder with --out"), path=out)
            return EXIT_USAGE
    def waiting(pid: int | None) -> None:
        msgid = WAITING if pid is not None else WAITING_UNKNOWN
        say(translations(language).gettext(msgid).format(pid=pid, path=out), error=True)

    try:
        result = build(Options(site, out, parsed.today, parsed.strict, writing, parsed.jobs,
                               parsed.cache, waiting, seal))
    except UnsafeOutput:  # checked again under the output's lock, in case it changed
        usage_error(language, N_("refusing to write to {path}: it is the site folder, or "
                                 "holds files Gongkai did not make; choose an empty or "
                                 "new folder with --out"), path=out)
        return EXIT_USAGE
    except OSError as exc:
        usage_error(language, N_("could not write {path}: {error}; the previous site is kept"),
                    path=out, error=exc.strerror or exc)
        return EXIT_USAGE
    code = report_build(result, language, writing, parsed.strict, out)
    if code == EXIT_OK and result.sealed is not None:
        sealcli.say_sealed(result.sealed, language)
    return code


def report_build(result: Result, language: str, writing: bool, strict: bool, out: Path) -> int:
    """Print every problem, then one summary line; return the exit code."""
    tr = translations(language)
    print_problems(result.report, language)
    if not writing and result.weights:
        print_budgets(result, tr)
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
        say(text.format(out=out, **counts), error=True)
        return EXIT_CONTENT
    if writing:
        text = tr.gettext(N_("Wrote {pages} and {files} more (data, styles, attachments) to "
                             "{out}; {warnings}; "
                             "{seconds:.2f} s."))
    else:
        text = tr.gettext(N_("Checked {pages}: no errors, {warnings}; {seconds:.2f} s."))
    say(text.format(out=out, seconds=result.seconds, **counts))
    return EXIT_OK


def print_budgets(result: Result, tr: gettext.NullTranslations) -> None:
    """Print the heaviest pages and the stylesheet against their budgets."""
    say(tr.gettext(N_("Heaviest files, gzipped, against their budgets:")))
    for weight in heaviest(result.weights):
        size = kilobytes(weight.gzipped).rjust(8)
        line = tr.gettext(N_("{size} of {budget}  {path}")).format(
            size=size, budget=kilobytes(weight.budget), path=weight.path)
        if weight.over:
            line += tr.gettext(N_("  (over budget)"))
        say("  " + line)

"""``gongkai serve``: the live preview until Ctrl-C, every rebuild's problems and time."""

from __future__ import annotations

import argparse
import signal
import threading
from pathlib import Path

from gongkai.build.options import Result
from gongkai.cli.args import EXIT_OK, EXIT_USAGE
from gongkai.cli.say import print_problems, say, usage_error
from gongkai.core.i18n import N_, translations


def run_serve(site: Path, parsed: argparse.Namespace, language: str) -> int:
    """Preview the site until Ctrl-C; every rebuild prints its problems and its time."""
    from gongkai.clerk.serve import Preview, Server

    tr = translations(language)

    def told(result: Result) -> None:
        print_problems(result.report, language)
        text = N_("Rebuilt {pages} pages in {seconds:.2f} s; {errors} errors, {warnings} warnings.")
        say(tr.gettext(text).format(pages=result.pages, seconds=result.seconds,
                                      errors=len(result.report.errors),
                                      warnings=len(result.report.warnings)))

    preview = Preview(site, parsed.today, language, told)
    try:
        server = Server(preview, parsed.host, parsed.port)
    except OSError as exc:
        preview.close()
        usage_error(language, N_("cannot serve on {host}:{port}: {error}"),
                    host=parsed.host, port=parsed.port, error=exc.strerror or exc)
        return EXIT_USAGE
    server.start()
    say(tr.gettext(N_("Previewing {site} at {url} (Ctrl-C to stop); public/ is not "
                        "touched.")).format(site=site.resolve(), url=server.url))
    if parsed.open:
        import webbrowser

        webbrowser.open(server.url)
    stopped = threading.Event()
    for name in ("SIGTERM", "SIGHUP"):  # a service manager's stop, a closed terminal
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), lambda *_: stopped.set())
    try:
        stopped.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()  # removes the preview folder, however the preview was stopped
    say(tr.gettext(N_("Stopped.")))
    return EXIT_OK

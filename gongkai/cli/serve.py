"""``gongkai serve``: the live preview until Ctrl-C, every rebuild's problems and time."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import webbrowser
from pathlib import Path

from gongkai.build.options import Result
from gongkai.cli.args import EXIT_OK, EXIT_USAGE
from gongkai.cli.say import print_problems, say, usage_error
from gongkai.core.i18n import N_, Msg, translations


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
    stopped = threading.Event()
    for name in ("SIGTERM", "SIGHUP"):  # a service manager's stop, a closed terminal
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), lambda *_: stopped.set())
    try:
        server.start()
    except KeyboardInterrupt:  # during the first build: nothing is served or watched yet
        preview.close()
        say(tr.gettext(N_("Stopped.")))
        return EXIT_OK
    try:
        say(tr.gettext(N_("Previewing {site} at {url} (Ctrl-C to stop); public/ is not "
                          "touched.")).format(site=site.resolve(), url=server.url))
        if parsed.open:
            say(open_browser(server.url).render(tr))
        stopped.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()  # removes the preview folder, however the preview was stopped
    say(tr.gettext(N_("Stopped.")))
    return EXIT_OK


def open_browser(url: str) -> Msg:
    """Open the preview in the browser; say that it did, or why it could not."""
    headless = sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    try:
        opened = not headless and webbrowser.open(url)
    except webbrowser.Error:
        opened = False
    if opened:
        return Msg.of(N_("Opened {url} in the browser."), url=url)
    if headless:
        return Msg.of(N_("Could not open a browser: this session has no display (neither "
                         "DISPLAY nor WAYLAND_DISPLAY is set, as over SSH); open {url} in a "
                         "browser on this machine, or on another with --host 0.0.0.0."),
                      url=url)
    return Msg.of(N_("Could not open a browser: none was found (set the BROWSER variable to "
                     "one); open {url} in a browser yourself."), url=url)

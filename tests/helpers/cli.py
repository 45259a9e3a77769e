"""Running the command line in the tests: in-process (output captured) or as a process."""

from __future__ import annotations

import io
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from gongkai.cli.main import main


def cli(*args: str | Path) -> tuple[int, str, str]:
    """Run the CLI in-process; return (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def problems(run, root):
    code, _out, err = run("check", "--site", root)
    return code, [line for line in err.splitlines() if ": 错误：" in line or ": 警告：" in line]


def start_build(site: Path, out: Path) -> subprocess.Popen[bytes]:
    """Start a build in its own process."""
    return subprocess.Popen([sys.executable, "-m", "gongkai", "build", "--site", str(site),
                             "--out", str(out)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)

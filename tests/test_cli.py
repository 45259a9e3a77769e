"""The entry points: build.py, python -m gongkai, and the installed command agree."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GOLDEN = REPO / "tests/golden/site"


def cli(*args: str | Path, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """Run a command with the current Python."""
    return subprocess.run([sys.executable, *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, check=False)


def test_build_py_defaults_to_build_in_the_current_folder(tmp_path):
    site = tmp_path / "site"
    subprocess.run(["cp", "-r", str(GOLDEN), str(site)], check=True)
    result = cli(REPO / "build.py", cwd=site)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("已生成 6 个页面，复制 1 个文件到 public；0 个警告")
    assert (site / "public/index.html").is_file()


def test_python_dash_m_runs_the_same_cli(tmp_path):
    result = cli("-m", "gongkai", "check", "--site", GOLDEN)
    assert result.returncode == 0
    assert result.stdout.startswith("已检查 6 个页面：没有错误，0 个警告")


def test_usage_errors_exit_2():
    result = cli("-m", "gongkai", "frobnicate")
    assert result.returncode == 2
    result = cli("-m", "gongkai", "build", "--site", "/nonexistent/site")
    assert (result.returncode, result.stderr) == (2, "网站文件夹 /nonexistent/site 不存在\n")

"""The entry points: build.py, python -m gongkai, and the installed command agree."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gongkai.cli.main import main

REPO = Path(__file__).resolve().parent.parent.parent
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
    assert result.stdout.startswith("已生成 19 个页面，另有 18 个文件（数据、样式、附件），输出到 public；0 个警告")
    assert (site / "public/index.html").is_file()


def test_python_dash_m_runs_the_same_cli(tmp_path):
    result = cli("-m", "gongkai", "check", "--site", GOLDEN)
    assert result.returncode == 0
    assert result.stdout.splitlines()[-1].startswith("已检查 19 个页面：没有错误，0 个警告")


def test_usage_errors_exit_2():
    result = cli("-m", "gongkai", "frobnicate")
    assert result.returncode == 2
    result = cli("-m", "gongkai", "build", "--site", "/nonexistent/site")
    assert (result.returncode, result.stderr) == (2, "网站文件夹 /nonexistent/site 不存在\n")



@pytest.mark.parametrize(("language", "expected"), [
    ("zh-CN", "gongkai check：错误：参数 --today：应为日期，例如 2025-03-05"),
    ("en", "gongkai check: error: argument --today: expected a date such as 2025-03-05"),
])
def test_argparse_errors_speak_the_cli_language(monkeypatch, capsys, language, expected):
    monkeypatch.setenv("GONGKAI_LANG", language)
    with pytest.raises(SystemExit) as stop:
        main(["check", "--today", "yesterday"])
    err = capsys.readouterr().err.splitlines()
    assert stop.value.code == 2
    assert err[0].startswith("用法：gongkai check " if language == "zh-CN" else "usage: gongkai check ")
    assert err[-1] == expected

"""Fuzzing the loader: random and mutated YAML, front matter and Markdown.

Whatever a clerk's editor leaves in a file, the only outcomes are a built site or
reported errors naming a file, never a traceback.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
import textwrap
from pathlib import Path
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.build.options import Options, Result
from gongkai.build.pipeline import build
from gongkai.cli.main import main
from tests.helpers.sites import BASE_FILES

# Characters that matter to YAML, Markdown and our parsers, and some a clerk types.
SYNTAX = ":-{}[],'\"#&*!|>%@?`~\t\n\r \\/<>=_.+０１２３４５６７８９：，。￥元年月日青山村\ufeff\x00"
# GONGKAI_FUZZ_EXAMPLES=5000 fuzzes deeper than the default run has time for. (On CI the
# profile loaded by tests/conftest.py draws the same examples every run.)
FUZZ = settings(max_examples=int(os.environ.get("GONGKAI_FUZZ_EXAMPLES", "100")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FILES = sorted(BASE_FILES)


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """Apply a few random edits to a text: deletions, insertions, replacements, swaps."""
    for _ in range(draw(st.integers(1, 4))):
        if not text:
            break
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start, min(len(text), start + 12)))
        noise = draw(st.text(alphabet=SYNTAX, max_size=8) | st.text(max_size=4))
        edit = draw(st.sampled_from(["delete", "insert", "replace", "swap-lines"]))
        if edit == "delete":
            text = text[:start] + text[end:]
        elif edit == "insert":
            text = text[:start] + noise + text[start:]
        elif edit == "replace":
            text = text[:start] + noise + text[end:]
        else:
            lines = text.split("\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
    return text


def build_outcome(files: dict[str, str | bytes]) -> tuple[int, str]:
    """Write a site and check it through the CLI; return exit code and stderr.

    The CLI's own build is recorded, not repeated, to hold every problem to a file name.
    """
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "site"
        for name, content in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8", errors="surrogatepass")
        results: list[Result] = []

        def recorded(options: Options) -> Result:
            results.append(build(options))
            return results[-1]

        err = io.StringIO()
        with mock.patch("gongkai.cli.build.build", recorded), \
                contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            code = main(["check", "--site", str(root)])
        [result] = results
        for problem in result.report.problems:
            assert problem.where.file, problem
        assert code in (0, 1)
        assert (code == 1) == result.failed
        return code, err.getvalue()


def base() -> dict[str, str | bytes]:
    """The valid small site of the other tests."""
    return {name: textwrap.dedent(text) for name, text in BASE_FILES.items()}


@FUZZ
@given(name=st.sampled_from(FILES), data=st.data())
def test_mutated_files_build_or_report_errors(name, data):
    files = base()
    files[name] = data.draw(mutated(str(files[name])))
    build_outcome(files)


@FUZZ
@given(name=st.sampled_from(FILES), text=st.text(max_size=300))
def test_random_text_files_build_or_report_errors(name, text):
    files = base()
    files[name] = text.replace("\ud800", "")  # lone surrogates cannot be written as UTF-8
    build_outcome(files)


@FUZZ
@given(name=st.sampled_from(FILES), blob=st.binary(max_size=200))
def test_random_bytes_build_or_report_errors(name, blob):
    files = base()
    files[name] = blob
    build_outcome(files)


@FUZZ
@given(body=st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_any_markdown_body_builds(body):
    files = base()
    notice = str(files["content/qingshan/affairs/道路硬化公示.md"])
    files["content/qingshan/affairs/道路硬化公示.md"] = notice + body
    code, err = build_outcome(files)
    # A body can only be wrong by holding a personal number, or an invisible control or
    # direction character (issue 12: they could reorder text or drive a terminal).
    assert code == 0 or "错误：发现" in err or "看不见的" in err, err

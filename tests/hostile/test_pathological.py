"""Adversarial Markdown: every family of slow input renders, or is refused, at the size limit.

The families are the inputs on which Python-Markdown's time grows faster than the text.
``bench/markdown_worst.py`` times them; these tests only say what becomes of each: no
test here measures time.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from gongkai.core.i18n import Msg, translations
from gongkai.read import markup
from gongkai.read.markup import render_markdown
from gongkai.read.mdcost import (
    MAX_DEPTH,
    MSG_DEPTH,
    MSG_MARKS,
    MSG_RESPLIT,
    MSG_SEARCH,
    MSG_SPREAD,
    MSG_TAG,
    MarkdownTooComplex,
)
from gongkai.read.mdguard import check_markdown
from gongkai.read.text import MAX_TEXT_BYTES

REPO = Path(__file__).resolve().parent.parent.parent

# Each family builds a body of about ``size`` bytes from one construct repeated or nested.
Family = Callable[[int], str]


def _repeat(unit: str) -> Family:
    """Return a family that repeats ``unit`` up to the size."""
    return lambda size: (unit * (size // len(unit.encode()) + 1))[: size // len(unit.encode()) * len(unit)]


def _nest(opening: str, closing: str, middle: str = "x") -> Family:
    """Return a family that nests ``opening`` … ``closing`` as deep as the size allows."""
    def build(size: int) -> str:
        depth = (size - len(middle)) // (len(opening) + len(closing))
        return opening * depth + middle + closing * depth
    return build


def _lines(make: Callable[[int], str]) -> Family:
    """Return a family of lines ``make(i)`` for i = 0, 1, … up to the size."""
    def build(size: int) -> str:
        out: list[str] = []
        total = 0
        i = 0
        line = make(0)
        while total + len(line.encode()) <= size:
            out.append(line)
            total += len(line.encode())
            i += 1
            line = make(i)
        return "".join(out)
    return build


def _staircase(unit: str, gap: str = " ") -> Family:
    """Return runs of ``unit`` of lengths 1, 2, 3, … (every run a different length)."""
    def build(size: int) -> str:
        out: list[str] = []
        total = 0
        n = 1
        while total + n * len(unit) + len(gap) <= size:
            out.append(unit * n + gap)
            total += n * len(unit) + len(gap)
            n += 1
        return "".join(out)
    return build


def _table(columns: int) -> Family:
    """Return a table of ``columns`` columns with as many rows as the size allows."""
    def build(size: int) -> str:
        head = "|" + "|".join(f"h{i}" for i in range(columns)) + "|\n"
        rule = "|" + "|".join("---" for _ in range(columns)) + "|\n"
        row = "|" + "|".join("1" for _ in range(columns)) + "|\n"
        return head + rule + row * max(1, (size - len(head) - len(rule)) // len(row))
    return build


FAMILIES: dict[str, Family] = {
    # Baselines: ordinary text, which must stay linear.
    "plain paragraphs": _repeat("村民代表会议通过了道路硬化方案。\n\n"),
    "one long paragraph": _repeat("村民代表会议通过 "),
    "cjk one line": _repeat("村务公开"),
    # Brackets and links.
    "open [": _repeat("["),
    "open [ words": _repeat("[a "),
    "nested [ ]": _nest("[", "]"),
    "closed [ ]": _repeat("[a] "),
    "open ![": _repeat("!["),
    "open ](": _repeat("]("),
    "open [a](": _repeat("[a]("),
    "open [a](( ": _repeat("[a]((("),
    "links": _repeat("[a](b) "),
    "link titles open": _repeat('[a](b "'),
    "link title quotes": _repeat("[a](b '\"("),
    "open [a][": _repeat("[a]["),
    "reference links": _repeat("[a][b] "),
    "reference defs": _lines(lambda i: f"[r{i}]: http://e.cn/{i}\n"),
    "images": _repeat("![a](b.png) "),
    "angle link (<": _repeat("[a](<"),
    # Angles: autolinks, raw HTML, comments.
    "open <": _repeat("<"),
    "open <a": _repeat("<a"),
    "open <a  words": _repeat("<a "),
    "open <http://": _repeat("<http://a"),
    "autolinks": _repeat("<http://a.cn> "),
    "open <a@b": _repeat("<a@b"),
    "automail": _repeat("<a@b.cn> "),
    "inline tags": _repeat("<b>x</b>"),
    "open tag attrs": _repeat('<a href="'),
    "open <!--": _repeat("<!--"),
    "one open <!--": lambda size: "<!--" + "a\n" * (size // 2 - 2),
    "comments": _repeat("<!-- a --> "),
    "open <?": _repeat("<?"),
    "open <![CDATA[": _repeat("<![CDATA["),
    "open <!": _repeat("<!"),
    "html blocks open": _repeat("<div>\n"),
    "html nested": _nest("<div>", "</div>"),
    "html block lines": _repeat("<div>a</div>\n"),
    "nested <": _nest("<", ">"),
    # Emphasis.
    "stars": _repeat("*"),
    "open *a": _repeat("*a "),
    "emphasis": _repeat("*a* "),
    "strong": _repeat("**a** "),
    "open _a": _repeat("_a "),
    "underscores": _repeat("_"),
    "mixed * _": _repeat("*_"),
    "nested * ": _nest("*", "*"),
    "nested ** _": _nest("**_", "_**"),
    "star staircase": _staircase("*"),
    # Code.
    "backticks": _repeat("`"),
    "open `a": _repeat("`a "),
    "code spans": _repeat("`a` "),
    "backtick staircase": _staircase("`"),
    "fence open": lambda size: "```\n" + "a\n" * (size // 2 - 2),
    "fences": _repeat("```\na\n```\n"),
    "indented code": _repeat("    a\n"),
    # Escapes and entities.
    "backslashes": _repeat("\\"),
    "escapes": _repeat("\\["),
    "entities": _repeat("&amp;"),
    "open &#": _repeat("&#"),
    "ampersands": _repeat("&"),
    # Blocks.
    "> one line": _repeat(">"),
    "> staircase": _lines(lambda i: ">" * (i + 1) + " a\n"),
    "> lines": _repeat("> a\n"),
    "> lazy": _repeat("> a\nb\n"),
    "> - nested": _repeat("> - "),
    "nested lists": _lines(lambda i: "  " * i + "- x\n"),
    "nested lists 4": _lines(lambda i: "    " * i + "- x\n"),
    "- - - one line": _repeat("- "),
    "1. 1. one line": _repeat("1. "),
    "flat list": _repeat("- x\n"),
    "ordered list": _lines(lambda i: f"{i + 1}. x\n"),
    "loose list": _repeat("- x\n\n"),
    "headings": _repeat("# a\n"),
    "setext": _repeat("a\n===\n"),
    "rules": _repeat("***\n"),
    "hard breaks": _repeat("a  \n"),
    "deep indent": lambda size: " " * (size - 1) + "a",
    "tabs": lambda size: "\t" * (size - 1) + "a",
    "carriage returns": _repeat("a\r"),
    "blank lines": _repeat("\n"),
    # Tables.
    "table rows": _table(3),
    "table wide": lambda size: _table(size // 14)(size),
    "pipes": _repeat("|"),
    "pipe lines": _repeat("|a|\n"),
    "table of links": lambda size: "|a|b|\n|-|-|\n" + "|[a](b)|`c`|\n" * (size // 14 - 1),
    # Characters Python-Markdown uses for its own placeholders.
    "stash lookalikes": _repeat("\x02wzxhzdk:0\x03"),
    "stx etx": _repeat("\x02\x03"),
}


def _medley(size: int) -> str:
    """Return every other family in turn, each a share of the size, between blank lines."""
    share = size // len(FAMILIES) - 2
    return "\n\n".join(build(share) for name, build in FAMILIES.items() if name != "medley")


FAMILIES["medley"] = _medley


def too_long(line: int) -> tuple[int, Msg]:
    """Return the refusal of a text with more lines and marks than the budget, at a line."""
    return line, Msg.of(MSG_MARKS)


def too_deep(line: int, depth: int) -> tuple[int, Msg]:
    """Return the refusal of quotes or lists nested ``depth`` deep, at a line."""
    return line, Msg.of(MSG_DEPTH, depth=depth, limit=MAX_DEPTH)


# What becomes of each family at the size limit of a content file: None when it renders,
# else the line and message of its refusal.
AT_LIMIT: dict[str, tuple[int, Msg] | None] = {
    "plain paragraphs": too_long(9846),
    "one long paragraph": None,
    "cjk one line": None,
    "open [": too_long(1),
    "open [ words": too_long(1),
    "nested [ ]": too_long(1),
    "closed [ ]": too_long(1),
    "open ![": too_long(1),
    "open ](": too_long(1),
    "open [a](": too_long(1),
    "open [a](( ": too_long(1),
    "links": too_long(1),
    "link titles open": too_long(1),
    "link title quotes": too_long(1),
    "open [a][": too_long(1),
    "reference links": too_long(1),
    "reference defs": too_long(7530),
    "images": too_long(1),
    "angle link (<": too_long(1),
    "open <": too_long(1),
    "open <a": too_long(1),
    "open <a  words": too_long(1),
    "open <http://": too_long(1),
    "autolinks": too_long(1),
    "open <a@b": too_long(1),
    "automail": too_long(1),
    "inline tags": too_long(1),
    "open tag attrs": too_long(1),
    "open <!--": too_long(1),
    "one open <!--": too_long(127985),
    "comments": too_long(1),
    "open <?": too_long(1),
    "open <![CDATA[": too_long(1),
    "open <!": too_long(1),
    "html blocks open": too_long(7530),
    "html nested": too_long(1),
    "html block lines": too_long(3879),
    "nested <": too_long(1),
    "stars": too_long(1),
    "open *a": too_long(1),
    "emphasis": too_long(1),
    "strong": too_long(1),
    "open _a": too_long(1),
    "underscores": too_long(1),
    "mixed * _": too_long(1),
    "nested * ": too_long(1),
    "nested ** _": too_long(1),
    "star staircase": too_long(1),
    "backticks": too_long(1),
    "open `a": too_long(1),
    "code spans": too_long(1),
    "backtick staircase": too_long(1),
    "fence open": too_long(127977),
    "fences": too_long(7530),
    "indented code": too_long(128001),
    "backslashes": too_long(1),
    "escapes": too_long(1),
    "entities": too_long(1),
    "open &#": too_long(1),
    "ampersands": too_long(1),
    "> one line": too_long(1),
    "> staircase": too_long(179),
    "> lines": too_long(14223),
    "> lazy": too_long(25601),
    "> - nested": too_long(1),
    "nested lists": too_deep(65, 33),
    "nested lists 4": too_deep(33, 33),
    "- - - one line": None,
    "1. 1. one line": too_deep(1, 33),
    "flat list": too_long(3879),
    "ordered list": too_long(3879),
    "loose list": too_long(4414),
    "headings": too_long(128001),
    "setext": too_long(128001),
    "rules": too_long(5121),
    "hard breaks": too_long(14223),
    "deep indent": None,
    "tabs": None,
    "carriage returns": too_long(128001),
    "blank lines": too_long(5121),
    "table rows": too_long(1969),
    "table wide": too_long(1),
    "pipes": too_long(1),
    "pipe lines": too_long(3879),
    "table of links": too_long(1321),
    "stash lookalikes": None,
    "stx etx": None,
    "medley": too_long(959),
}

# What the families that render at the size limit render to.
RENDERED: dict[str, Callable[[str], bool]] = {
    "one long paragraph": lambda html: html.startswith("<p>村民代表会议通过 村民") and html.endswith(
        "通过 </p>") and html.count("<") == 2,
    "cjk one line": lambda html: html == "<p>" + "村务公开" * (MAX_TEXT_BYTES // 12) + "</p>",
    "- - - one line": lambda html: html == "<hr>",
    # An indented code block: four spaces are the indent, the rest is code.
    "deep indent": lambda html: html == "<pre><code>" + " " * (MAX_TEXT_BYTES - 5) + "a\n</code></pre>",
    "tabs": lambda html: html == "<pre><code>" + " " * 4 * (MAX_TEXT_BYTES - 2) + "a\n</code></pre>",
    # Python-Markdown drops the STX and ETX of its own placeholders: nothing is stashed.
    "stash lookalikes": lambda html: html == "<p>" + "wzxhzdk:0" * (MAX_TEXT_BYTES // 11) + "</p>",
    "stx etx": lambda html: html == "",
}


def test_every_family_has_an_outcome_at_the_limit():
    assert set(AT_LIMIT) == set(FAMILIES)
    assert {family for family, outcome in AT_LIMIT.items() if outcome is None} == set(RENDERED)


@pytest.mark.parametrize("family", FAMILIES)
def test_every_family_at_the_size_limit_renders_or_is_refused_saying_where_and_why(family):
    text = FAMILIES[family](MAX_TEXT_BYTES)
    assert len(text.encode()) <= MAX_TEXT_BYTES
    outcome = AT_LIMIT[family]
    if outcome is None:
        assert RENDERED[family](render_markdown(text))
        return
    with pytest.raises(MarkdownTooComplex) as refused:
        render_markdown(text)
    assert (refused.value.line, refused.value.message) == outcome


@pytest.mark.parametrize("family", FAMILIES)
def test_every_family_within_the_marks_budget_renders_or_is_refused(family):
    # 32 KB is under the marks budget for many families, so the other budgets decide.
    text = FAMILIES[family](32 * 1024)
    try:
        check_markdown(text)
    except MarkdownTooComplex as refused:
        assert 1 <= refused.line <= text.count("\n") + 1
        assert refused.message.msgid in {
            MSG_MARKS, MSG_DEPTH, MSG_SPREAD, MSG_SEARCH, MSG_TAG, MSG_RESPLIT}
        return
    render_markdown(text)


ZH = translations("zh-CN")


def refusal(text: str) -> tuple[int, str]:
    """Return the line and the zh-CN message of the refusal of a text."""
    with pytest.raises(MarkdownTooComplex) as refused:
        render_markdown(text)
    return refused.value.line, refused.value.message.render(ZH)


INTRO = "# 关于道路硬化工程的公示\n\n经村民代表会议讨论通过。\n\n"  # three lines, then a blank


def test_an_unclosed_bracket_before_a_long_paragraph_is_refused_at_its_line():
    text = INTRO + "见附件[1\n" + "道路全长三公里，宽四米，" * 30000
    check_markdown(text[:100_000])  # a shorter paragraph after it is searched in time
    assert refusal(text) == (5, "这里的 [ 以及同一段中类似的符号没有配对（或嵌套太深），查找它们的结尾太慢："
                                "请补全配对，或写成 \\[ 原样显示，或用空行把这一段分开")


def test_unclosed_code_spans_are_refused_at_the_costliest_one():
    # Runs of 1 to 100 backticks: none has a closing run of its length.
    text = INTRO + " ".join("`" * i for i in range(1, 101)) + "\n" + "道路全长三公里" * 20000
    line, message = refusal(text)
    assert line == 5 and message.startswith("这里的 ` 以及同一段中类似的符号没有配对")


def test_a_tag_never_closed_is_refused_at_its_line():
    # Tags never closed, each followed by a page of text the parser scans again.
    text = INTRO + ("<a href=x\n" + "道路全长三公里，宽四米。\n" * 60) * 120
    assert refusal(text) == (5, "这里的 < 像是 HTML 标签的开头，却没有 > 把它结束，查找 > 太慢："
                                "要显示小于号请写成 &lt;，或用 > 把标签补全")


def test_a_long_paragraph_with_many_marks_is_refused():
    text = INTRO + "**路灯**维修，" * 3500
    assert refusal(text) == (5, "这一段有 31500 个字符、14000 个格式符号，合在一起无法及时显示："
                                "请用空行把它分成几段")


def test_headings_without_blank_lines_are_refused():
    text = INTRO + "".join(f"## 第{i}项\n说明\n" for i in range(1500))
    assert refusal(text) == (5, "这 3000 行中有 1500 个标题或分隔线，前后没有空行，无法及时显示："
                                "请在每个标题和分隔线的前后各空一行")


def test_nesting_too_deep_is_refused_at_the_first_line_too_deep():
    text = INTRO + "".join("> " * depth + "引用\n" for depth in range(1, 40))
    assert refusal(text) == (4 + MAX_DEPTH + 1, "这里的引用（>）和列表嵌套了 33 层，最多只能显示 32 层："
                                                "请减少几层嵌套")
    lists = INTRO + "".join("    " * depth + "- 项\n" for depth in range(40))
    assert refusal(lists)[0] == 4 + MAX_DEPTH + 1


def test_a_text_too_long_is_refused_where_the_budget_runs_out():
    rows = "".join(f"| 张{i} | 3 | **1,200.00** | [名单](files/list.pdf) |\n" for i in range(2000))
    text = INTRO + "| 户主 | 人口 | 金额 | 附件 |\n|---|---:|---:|---|\n" + rows
    line, message = refusal(text)
    assert 4 < line < 2000 and message == (
        "从大约这一行起，文字太长，无法及时显示：它的行和格式符号（如 [ ] < > * _ ` |）太多；"
        "请把它分成几篇公开内容，或把长的部分做成 PDF 放在 files/ 中")


BIG_TABLE = "| 户主 | 人口 | 金额（元） | 说明 |\n|---|---:|---:|---|\n" + "".join(
    f"| 张{i} | 3 | 1,200.00 | **已核实** |\n" for i in range(1000))
PROSE = "村民代表会议讨论了道路硬化、路灯维修和鱼塘承包等事项，同意按方案实施。" * 12


@pytest.mark.parametrize(("name", "text"), [pytest.param(*case, id=case[0]) for case in [
    ("a 1000-row table with bold cells", BIG_TABLE),
    ("2 MB of prose in paragraphs", "\n\n".join([PROSE] * (MAX_TEXT_BYTES // 1200))[:MAX_TEXT_BYTES // 3]),
    ("2 MB of one pasted paragraph, a line per sentence",
     (PROSE + "\n") * (MAX_TEXT_BYTES // len((PROSE + "\n").encode()))),
    ("a 2000-item list", "".join(f"- 张{i}：补助 1,200.00 元\n" for i in range(2000))),
    ("300 sections", "".join(f"## 第{i}项\n\n{PROSE}\n\n[附件](files/a{i}.pdf)\n\n"
                             for i in range(300))),
    ("code and quotes", "```\n" + "x = [1, 2]  # <tag> `code`\n" * 500 + "```\n\n"
                        + "> " + PROSE + "\n" * 2 + "> > 嵌套引用\n"),
]])
def test_large_ordinary_disclosures_are_accepted(name, text):
    assert len(text.encode()) <= MAX_TEXT_BYTES, name
    check_markdown(text)


def test_the_check_changes_no_output(monkeypatch):
    texts = [path.read_text(encoding="utf-8") for path in sorted(
        [*(REPO / "content").rglob("*.md"), *(REPO / "tests/golden/site").rglob("*.md")])]
    texts += [BIG_TABLE[:5000], INTRO + PROSE]
    checked = [render_markdown(text) for text in texts]
    monkeypatch.setattr(markup, "check_markdown", lambda text: None)
    assert [render_markdown(text) for text in texts] == checked


def test_a_refusal_is_an_error_naming_the_file_and_line(make_site, run):
    from tests.helpers.sites import NOTICE

    body = "\n见附件[1\n" + "道路全长三公里，宽四米，" * 30000 + "\n"
    root = make_site({"content/qingshan/affairs/道路硬化公示.md": NOTICE + body})
    code, _out, err = run("check", "--site", root)
    assert code == 1
    assert err.startswith("content/qingshan/affairs/道路硬化公示.md:9: 错误：这里的 [ "
                          "以及同一段中类似的符号没有配对（或嵌套太深），查找它们的结尾太慢"), err

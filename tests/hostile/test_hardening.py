"""Hardening, round two: links, control characters, output names, consoles and layouts.

Each case ends in an exact error naming the file that causes it, or in a clean site.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import jinja2
import pytest
from jinja2.sandbox import ImmutableSandboxedEnvironment

from tests.helpers.sites import CONFIG, LEDGER, NOTICE, REPO, VILLAGE

BODY = "content/qingshan/affairs/道路硬化公示.md"
LEDGER_NAME = "content/qingshan/finance/2025-03.yaml"


# Links out of content/ ---------------------------------------------------------------


def test_a_village_folder_linked_from_outside_is_one_error(make_site, run, tmp_path):
    outside = tmp_path / "elsewhere"
    for index in range(3):
        (outside / "affairs").mkdir(parents=True, exist_ok=True)
        (outside / "affairs" / f"{index}.md").write_text(NOTICE, encoding="utf-8")
    (outside / "village.yaml").write_text(VILLAGE, encoding="utf-8")
    root = make_site()
    os.symlink(outside, root / "content/xikou")
    code, _out, err = run("check", "--site", root)
    assert code == 1
    assert err.splitlines() == [
        "content/xikou: 错误：这是指向 content 文件夹以外位置的链接；请把文件或文件夹本身放在这里，不要用链接",
        "1 个错误，0 个警告。",
    ]


@pytest.mark.parametrize("linked", ["content/qingshan/affairs", "content/qingshan/village.yaml",
                                    "content/qingshan/affairs/道路硬化公示.md",
                                    "content/qingshan/files"])
def test_a_content_file_or_folder_linked_from_outside_is_refused(make_site, run, tmp_path,
                                                                   linked):
    root = make_site({"content/qingshan/files/plan.pdf": b"%PDF"})
    target = root / linked
    moved = tmp_path / "outside" / target.name
    moved.parent.mkdir()
    target.rename(moved)
    os.symlink(moved, target)
    code, _out, err = run("check", "--site", root)
    assert code == 1
    assert f"{linked}: 错误：这是指向 content 文件夹以外位置的链接" in err
    assert err.count("错误：") == 1  # a linked folder is one error, not one per file


def test_a_link_inside_content_is_followed(make_site, run):
    root = make_site()
    affairs = root / "content/qingshan/affairs"
    (root / "content/shared.md").write_text(NOTICE.replace("道路硬化", "自来水"), encoding="utf-8")
    os.symlink(root / "content/shared.md", affairs / "自来水公示.md")
    code, _out, err = run("build", "--site", root)
    assert code == 0, err
    assert (root / "public/qingshan/affairs/自来水公示.html").is_file()


# Control and direction characters ------------------------------------------------------


@pytest.mark.parametrize(("char", "code"), [
    ("\u202e", "U+202E"), ("\u202a", "U+202A"), ("\u2066", "U+2066"), ("\u2069", "U+2069"),
])
def test_direction_controls_are_errors_naming_the_line(make_site, run, char, code):
    for name, text in ((BODY, NOTICE + f"\n第二段{char}倒过来的文字\n"),
                       ("content/qingshan/village.yaml", VILLAGE + f"office_hours: 周一{char}至周五\n")):
        root = make_site({name: text})
        result, _out, err = run("check", "--site", root)
        line = 9 if name == BODY else 4
        assert result == 1
        assert err.splitlines()[0] == (
            f"{name}:{line}: 错误：这一行有看不见的文字方向控制字符（{code}），会让文字显示的顺序与"
            "书写的不同；请删除它")
        assert char not in err


@pytest.mark.parametrize(("char", "code"), [("\x00", "U+0000"), ("\x1b", "U+001B"),
                                            ("\x7f", "U+007F"), ("\x9b", "U+009B")])
def test_nul_esc_and_other_controls_in_a_body_are_errors(make_site, run, char, code):
    root = make_site({BODY: NOTICE + f"\n\n颜色{char}[31m变红\n"})
    result, _out, err = run("check", "--site", root)
    assert result == 1
    assert err.splitlines()[0] == (
        f"{BODY}:10: 错误：这一行有看不见的控制字符（{code}）；请删除它（这类字符常随从网页或 Word "
        "文件复制的文字带进来）")


@pytest.mark.parametrize(("escape", "code", "kind"), [
    ("\\0", "U+0000", "控制字符"), ("\\e[31m", "U+001B", "控制字符"),
    ("\\x7f", "U+007F", "控制字符"), ("\\u202E", "U+202E", "文字方向控制字符"),
])
def test_controls_spelt_as_escapes_in_a_quoted_value_are_errors(make_site, run, escape, code,
                                                                kind):
    # The file's own text is clean; the value YAML makes of "\0" or "\e" is not.
    for name, text, line, column in (
            ("content/qingshan/village.yaml", VILLAGE + f'office_hours: "周一{escape}至周五"\n',
             4, 15),
            (LEDGER_NAME, LEDGER + "corrections:\n  - {date: 2025-04-10, change: "
             f'"改{escape}正", reason: 抄录错误, approved_by: 李芳}}\n', 11, 32)):
        root = make_site({name: text})
        result, _out, err = run("check", "--site", root)
        assert result == 1
        assert err.splitlines()[0].startswith(
            f"{name}:{line}:{column}: 错误：这一行有看不见的{kind}（{code}）"), err


def test_a_file_name_with_control_characters_is_refused_and_never_echoed(make_site, run):
    name = "content/qingshan/affairs/通知\x1b[2J\u202e.md"
    root = make_site({name: NOTICE})
    result, _out, err = run("check", "--site", root)
    assert result == 1
    assert ("content/qingshan/affairs/通知\\u001b[2J\\u202e.md: 错误：名称里有看不见的控制字符"
            "（U+001B）；请重新命名") in err
    assert "\x1b" not in err and "\u202e" not in err


# YAML tags ----------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "tag"), [
    ("!!binary MTM4MTIzNDU2Nzg=", "!!binary"), ("!!set {a, b}", "!!set"),
    ("!!omap [a: 1]", "!!omap"), ("!custom 1", "!custom"),
])
def test_yaml_values_with_non_text_tags_are_refused(make_site, run, value, tag):
    root = make_site({"content/qingshan/village.yaml": VILLAGE + f"office_hours: {value}\n"})
    result, _out, err = run("check", "--site", root)
    assert result == 1
    assert err.splitlines()[0] == (f"content/qingshan/village.yaml:4:15: 错误：不支持 “{tag}” "
                                   "这样的 YAML 标记；请去掉标记，直接写出值")


# Output names ------------------------------------------------------------------------


def test_a_name_in_a_legacy_encoding_is_reported_against_that_file(make_site, run):
    root = make_site({"content/qingshan/files/plan.pdf": b"%PDF"})
    gbk = "村务公开.pdf".encode("gbk")
    (root / "content/qingshan/files").joinpath(os.fsdecode(gbk)).write_bytes(b"%PDF")
    (root / "content/qingshan/affairs").joinpath(os.fsdecode("公示.md".encode("gbk"))).write_text(
        NOTICE, encoding="utf-8")
    result, _out, err = run("build", "--site", root)
    assert result == 1
    message = ("错误：名称不是网址使用的 UTF-8 编码（可能是在较旧的 Windows 电脑上以 GBK 编码起的名）；"
               "请在这里重新命名")
    assert err.splitlines()[:2] == [f"content/qingshan/affairs/公示.md: {message}",
                                    f"content/qingshan/files/村务公开.pdf: {message}"]
    assert "layouts" not in err and not (root / "public").exists()


def test_an_absolute_attachment_path_is_refused(make_site, run):
    names = ["/home/wenshu/plan.pdf", "C:\\\\Users\\\\文书\\\\plan.pdf", "D:plan.pdf"]
    notice = NOTICE.replace("type: 公示", f"type: 公示\nattachments: {names}".replace("'", '"'))
    root = make_site({BODY: notice})
    result, _out, err = run("check", "--site", root)
    assert result == 1
    assert err.count("这是文书自己电脑上的路径，村民无法打开") == 3


def test_a_name_too_long_once_its_qr_image_is_named_is_found_by_check(make_site, run):
    stem = "公" * 83  # 249 bytes: the .md and .html fit in 255, the .qr.png does not
    name = f"content/qingshan/affairs/{stem}.md"
    root = make_site({name: NOTICE})
    result, _out, err = run("check", "--site", root)
    assert result == 1
    assert err.splitlines()[0] == (
        f"{name}: 错误：发布后的名称 “{'公' * 24}…” 长 256 字节，超过文件系统允许的 255 字节"
        "（一个汉字占 3 字节）；请缩短文件名")


def test_names_that_differ_only_in_case_are_an_error(make_site, run):
    root = make_site({"content/qingshan/files/Plan.pdf": b"%PDF",
                      "content/qingshan/files/plan.pdf": b"%PDF",
                      "content/qingshan/affairs/Notice.md": NOTICE,
                      "content/qingshan/affairs/notice.md": NOTICE})
    result, _out, err = run("check", "--site", root)
    assert result == 1
    assert ("content/qingshan/affairs/notice.md: 错误：它的网址 qingshan/affairs/notice.html 与 "
            "qingshan/affairs/Notice.html（由 content/qingshan/affairs/Notice.md 生成）只有大小写"
            "不同，很多网站主机会把两者当作同一个文件；请给其中一个改名") in err
    assert ("content/qingshan/files/plan.pdf: 错误：它的网址 qingshan/files/plan.pdf 与 "
            "qingshan/files/Plan.pdf（由 content/qingshan/files/Plan.pdf 生成）只有大小写不同") in err


def test_a_base_url_too_long_for_a_qr_code_is_an_error(make_site, run):
    url = "https://sanwu.example.cn/" + "a" * 100 + "/"
    root = make_site({"site_config.yaml": CONFIG.replace("https://sanwu.example.cn/", url)})
    result, _out, err = run("check", "--site", root)
    assert result == 1
    assert err.splitlines()[0] == (
        "site_config.yaml: 错误：site.base_url：site.base_url 长 126 个字符，生成的二维码太密，"
        "手机难以从墙上扫描：请使用不超过 120 个字符的地址")


@pytest.mark.parametrize("url", ["https://[sanwu.example.cn/", "https://sanwu.example.cn:99999/",
                                 "https://user@sanwu.example.cn/", "https://sanwu]example.cn/"])
def test_a_base_url_whose_host_cannot_be_read_is_an_error_not_a_traceback(make_site, run, url):
    # Found by tests/hostile/test_fuzz.py: an unclosed bracket crashed the feeds' tag: ids.
    root = make_site({"site_config.yaml": CONFIG.replace("https://sanwu.example.cn/", url)})
    result, _out, err = run("check", "--site", root)
    assert result == 1
    assert err.splitlines()[0] == (
        f"site_config.yaml:3:13: 错误：site.base_url：应为以 https:// 开头的完整网址，实际为 “{url}”")


@pytest.mark.parametrize("url", ["https://三务.中国/", "http://[::1]:8080/county/"])
def test_a_chinese_domain_or_an_ipv6_host_is_a_base_url(make_site, run, url):
    root = make_site({"site_config.yaml": CONFIG.replace("https://sanwu.example.cn/", url)})
    assert run("build", "--site", root)[0] == 0
    assert f"<loc>{url}qingshan/</loc>" in (root / "public/sitemap.xml").read_text()


@pytest.mark.parametrize("encoding", ["ascii", "latin-1", "cp437"])
def test_a_console_that_cannot_show_chinese_never_crashes_the_cli(make_site, encoding):
    root = make_site({"content/qingshan/village.yaml": VILLAGE + "office_hours: 周一\x1b\n"})
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    done = subprocess.run([sys.executable, "-m", "gongkai", "check", "--site", str(root)],
                          capture_output=True, env=env, cwd=REPO, check=False)
    assert done.returncode == 1
    err = done.stderr.decode(encoding)
    assert "Traceback" not in err
    assert err.startswith("content/qingshan/village.yaml:4: \\u9519\\u8bef")  # 错误, escaped
    assert b"\x1b" not in done.stderr


# Layouts run in Jinja's sandbox --------------------------------------------------------


@pytest.mark.parametrize("expression", [
    "''.__class__.__mro__[1].__subclasses__()",
    "cycler.__init__.__globals__.os.popen('id').read()",
    "url.__globals__['__builtins__']['open']('/etc/passwd').read()",
    "lipsum.__globals__",
])
def test_a_hostile_layout_cannot_reach_python(make_site, run, expression):
    root = make_site({"layouts/profile.html": f"{{{{ {expression} }}}}\n"})
    result, _out, err = run("build", "--site", root)
    assert result == 1
    assert err.startswith("layouts/profile.html:1: 错误：模板错误：")
    assert "unsafe" in err or "has no attribute" in err
    assert not (root / "public").exists()


def test_a_layout_may_still_shape_its_own_pages(make_site, run):
    root = make_site({"layouts/profile.html": "<p>{{ village.name }} {{ range(3) | list }}</p>\n"})
    result, _out, err = run("build", "--site", root)
    assert result == 0, err
    assert (root / "public/qingshan/profile.html").read_text(encoding="utf-8") == \
        "<p>青山村 [0, 1, 2]</p>\n"


def test_a_byte_copy_of_the_default_theme_is_trusted_and_one_edit_is_not(make_site):
    """A county that copied the theme to start from renders it without the sandbox's
    cost; a single file of its own, however small, puts every template in the sandbox."""
    from gongkai.read.sitefolder import default_layouts
    from gongkai.render.jinja import Renderer

    root = make_site()
    own = root / "layouts"
    shutil.copytree(default_layouts(), own)
    assert type(Renderer([own, default_layouts()], "zh-CN").env) is jinja2.Environment
    (own / "profile.html").write_text("{{ village.name }}\n", encoding="utf-8")
    assert isinstance(Renderer([own, default_layouts()], "zh-CN").env,
                      ImmutableSandboxedEnvironment)
    (own / "profile.html").unlink()
    (own / "extra.html").write_text("x\n", encoding="utf-8")   # not a file of the theme
    assert isinstance(Renderer([own, default_layouts()], "zh-CN").env,
                      ImmutableSandboxedEnvironment)


@pytest.mark.parametrize("inside", ["content/out", "layouts/out", "layouts"])
def test_an_output_inside_the_content_or_the_layouts_is_refused(make_site, run, inside):
    root = make_site()
    code, _out, err = run("build", "--site", root, "--out", root / inside)
    assert code == 2
    assert err.startswith(f"拒绝写入 {root / inside}")
    assert not (root / inside / "index.html").exists()

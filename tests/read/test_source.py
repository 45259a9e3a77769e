"""Reading files: decoding, YAML scalars, positions, front matter."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from gongkai.core.i18n import translations
from gongkai.read.source import SourceError, split_front_matter
from gongkai.read.text import read_text
from gongkai.read.yamlfile import parse_yaml

ZH = translations("zh-CN")


def test_numbers_are_decimals_never_floats() -> None:
    data, _ = parse_yaml("a: 3200.50\nb: 12\nc: -0.1\n", "f.yaml")
    assert data == {"a": Decimal("3200.50"), "b": 12, "c": Decimal("-0.1")}
    assert isinstance(data["a"], Decimal)


def test_yaml_1_1_traps_stay_text() -> None:
    text = "time: 8:30\nanswer: no\nphone: 057986000001\nzero: 0123\nflag: true\nday: 2025-03-05\n"
    data, _ = parse_yaml(text, "f.yaml")
    assert data == {"time": "8:30", "answer": "no", "phone": "057986000001", "zero": "0123",
                    "flag": True, "day": date(2025, 3, 5)}


def test_positions_of_values_and_keys() -> None:
    text = "income:\n  - {date: 2025-03-02, amount: 12}\n  - amount: 5\n    item: x\n"
    _, pos = parse_yaml(text, "f.yaml")
    assert pos.locate(("income", 0, "amount")).render() == "f.yaml:2:32"
    assert pos.locate(("income", 1, "item"), key=True).render() == "f.yaml:4:5"
    # A field that is not there is located at its nearest parent.
    assert pos.locate(("income", 1, "missing")).render() == "f.yaml:3:5"


def test_line_offset_for_front_matter() -> None:
    _, pos = parse_yaml("title: x\ndate: 2025\n", "a.md", line_offset=1)
    assert pos.locate(("date",)).render() == "a.md:3:7"


def test_duplicate_keys_are_reported() -> None:
    _, pos = parse_yaml("name: a\ntown: b\nname: c\n", "v.yaml")
    assert [p.render(ZH) for p in pos.problems] == [
        "v.yaml:3:1: 错误：name：这个字段写了两次（第一次在第 1 行）；只保留一个"]


def test_tab_indentation_gets_a_hint() -> None:
    with pytest.raises(SourceError) as caught:
        parse_yaml("a:\n\tb: 1\n", "f.yaml")
    assert caught.value.problem.render(ZH) == \
        "f.yaml:2:1: 错误：YAML 格式错误：用了 Tab 键缩进；请改用空格缩进"


def test_stray_colon_gets_a_hint() -> None:
    with pytest.raises(SourceError) as caught:
        parse_yaml("title: 公示: 道路\n", "f.yaml")
    assert caught.value.problem.render(ZH) == (
        "f.yaml:1:10: 错误：YAML 格式错误：此处出现了多余的冒号；“名称:”后要加一个空格，值里含冒号时请给值加引号")


def test_other_yaml_errors_name_the_line() -> None:
    with pytest.raises(SourceError) as caught:
        parse_yaml("a: [1, 2\nb: 3\n", "f.yaml")
    assert caught.value.problem.where.render() == "f.yaml:2:2"


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "v.yaml"
    path.write_bytes(b"\xef\xbb\xbfname: \xe9\x9d\x92\xe5\xb1\xb1\r\ntown: q\r\n")
    assert read_text(path, "v.yaml") == "name: 青山\ntown: q\n"


def test_non_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "v.yaml"
    path.write_bytes("name: a\ntown: 青山镇\n".encode("gbk"))
    with pytest.raises(SourceError) as caught:
        read_text(path, "content/q/village.yaml")
    assert caught.value.problem.render(ZH) == (
        "content/q/village.yaml:2: 错误：文件是 GBK 编码，不是 UTF-8；请用记事本打开，选择“文件 › "
        "另存为”，把“编码”设为 UTF-8 后保存（WPS 等编辑器也有同样的选项）")


@pytest.mark.parametrize(("data", "line", "byte"), [
    ("name: Café\n".encode("latin-1"), 1, "0xE9"),                       # not Chinese at all
    ("a: 青山村青山村\nb: 公开公开\n".encode() + b"c: \xff\n", 3, "0xFF"),  # damaged UTF-8
])
def test_other_encodings_are_refused_naming_the_byte(tmp_path: Path, data, line, byte) -> None:
    path = tmp_path / "v.yaml"
    path.write_bytes(data)
    with pytest.raises(SourceError) as caught:
        read_text(path, "v.yaml")
    assert caught.value.problem.render(ZH) == (
        f"v.yaml:{line}: 错误：文件不是 UTF-8 编码（无法识别字节 {byte}）；"
        "请用“另存为”并选择 UTF-8 编码重新保存")


def test_utf8_with_bom_and_crlf_reads_the_same(tmp_path: Path) -> None:
    path = tmp_path / "v.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + "name: 青山村\r\ntown: q\r\n".encode())
    assert read_text(path, "v.yaml") == "name: 青山村\ntown: q\n"


def test_a_huge_content_file_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "v.yaml"
    path.write_bytes(b"#" * (2 * 1024 * 1024 + 1))
    with pytest.raises(SourceError) as caught:
        read_text(path, "v.yaml")
    assert caught.value.problem.render(ZH) == (
        "v.yaml: 错误：文件大小为 2.0 MB，超过内容文件 2 MB 的上限；是不是表格或扫描件？"
        "这类文件请放在 files/ 文件夹中")


def test_yaml_aliases_are_refused_before_they_can_expand() -> None:
    laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
    with pytest.raises(SourceError) as caught:
        parse_yaml(laughs, "v.yaml")
    assert caught.value.problem.render(ZH) == (
        "v.yaml:2:8: 错误：不支持 YAML 别名（*名称）；请把内容完整写出，以 * 开头的文字请加引号")
    assert parse_yaml("a: '*x'\nb: 2*3\n", "v.yaml")[0] == {"a": "*x", "b": "2*3"}


def test_front_matter_split() -> None:
    parts = split_front_matter("---\ntitle: x\n---\n\nbody\n---\nmore\n", "a.md")
    assert (parts.header, parts.body) == ("title: x\n", "body\n---\nmore\n")


@pytest.mark.parametrize(("text", "message"), [
    ("title: x\n", "a.md:1: 错误：缺少文件开头的信息块：文件第一行必须是“---”，"
                   "接着写 title、date、type，再用一行“---”结束"),
    ("---\ntitle: x\nbody\n", "a.md:1: 错误：文件开头的信息块没有结束：请在最后一个字段之后加一行“---”"),
])
def test_front_matter_errors(text: str, message: str) -> None:
    with pytest.raises(SourceError) as caught:
        split_front_matter(text, "a.md")
    assert caught.value.problem.render(ZH) == message


def test_an_invisible_control_character_names_its_line() -> None:
    with pytest.raises(SourceError) as caught:
        parse_yaml("name: 青山村\ntown: qing\x08shan\n", "v.yaml")
    assert caught.value.problem.render(ZH) == (
        "v.yaml:2: 错误：这一行有看不见的控制字符（U+0008）；请删除它（这类字符常随从网页或 Word "
        "文件复制的文字带进来）")

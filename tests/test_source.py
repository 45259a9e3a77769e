"""Reading files: decoding, YAML scalars, positions, front matter."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from gongkai.i18n import translations
from gongkai.source import SourceError, parse_yaml, read_text, split_front_matter

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
        "content/q/village.yaml:2: 错误：文件不是 UTF-8 编码（无法识别字节 0xC7）；"
        "请用“另存为”并选择 UTF-8 编码重新保存")


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

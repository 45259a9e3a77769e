"""The personal-data guard against the ways people (and attackers) actually write numbers.

Every spelling of the corpus must be found with its exact kind and masked form; every
near-miss of ordinary content must not be; and a number found in a site stops the build,
is named by file, line and masked form, and appears in full nowhere in the output.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.check import privacy
from gongkai.check.privacy import guard_attachment, guard_folder_name, guard_name, guard_text
from gongkai.core.errors import Report, quoted
from gongkai.core.i18n import translations
from gongkai.core.idnumbers import MAX_GROUPS
from gongkai.core.pii import find_personal_numbers, mask_personal, number_key
from gongkai.core.textform import demark, normalise
from tests.helpers.sites import LEDGER, NOTICE

ID = "330102199001011234"
ID_MASKED = "3301**********1234"
CARD = "6222021234567890128"
CARD_MASKED = "6222***********0128"
MOBILE = "13812345678"
MOBILE_MASKED = "138****5678"

M_ = ("mobile", MOBILE_MASKED)
ID_ = ("id", ID_MASKED)
C_ = ("card", CARD_MASKED)

CORPUS = [
    # Spaces of every kind, and several of them.
    ("138  1234   5678", M_),
    ("138\u00a01234\u00a05678", M_),               # no-break space
    ("138\u202f1234\u202f5678", M_),               # narrow no-break space
    ("138\u30001234\u30005678", M_),               # ideographic space
    ("138\u20091234\u20035678", M_),               # thin and em space
    ("3301 0219 9001 0112 34", ID_),
    ("330102\u2003 19900101 1234", ID_),
    ("6222 0212 3456 7890 128", C_),
    # Dashes of every kind.
    ("138\u20131234\u20135678", M_),               # en dash
    ("138\u20141234\u20145678", M_),               # em dash
    ("138\u20101234\u20115678", M_),               # hyphen, non-breaking hyphen
    ("138\u20121234\u20155678", M_),               # figure dash, horizontal bar
    ("138\u22121234\u22125678", M_),               # minus sign
    ("138\uff0d1234\uff0d5678", M_),               # full-width hyphen
    ("138\ufe631234\ufe635678", M_),               # small hyphen
    ("6222-0212-3456-7890-128", C_),
    ("330102\u2014199001011234", ID_),
    # Dots.
    ("138.1234.5678", M_),
    ("138\u00b71234\u00b75678", M_),               # middle dot
    ("138\uff0e1234\uff0e5678", M_),               # full-width full stop
    ("330102.19900101.1234", ID_),
    # Brackets and country codes.
    ("(+86) 138 1234 5678", M_),
    ("\uff0886\uff09138-1234-5678", M_),           # （86）
    ("+86-13812345678", M_),
    ("0086 138 1234 5678", M_),
    ("008613812345678", M_),
    ("8613812345678", M_),
    ("[86]13812345678", M_),
    ("\u30100086\u301113812345678", M_),           # 【0086】
    ("\uff0b\uff18\uff16 \uff11\uff13\uff18 \uff11\uff12\uff13\uff14 \uff15\uff16\uff17\uff18", M_),
    ("(138) 1234 5678", M_),
    # Digits of other scripts.
    ("\u0661\u0663\u0668\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668", M_),  # Arabic-Indic
    ("\u06f1\u06f3\u06f8\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8", M_),  # Persian
    ("\u0967\u0969\u096e\u0967\u0968\u0969\u096a\u096b\u096c\u096d\u096e", M_),  # Devanagari
    ("\u09e7\u09e9\u09ee\u09e7\u09e8\u09e9\u09ea\u09eb\u09ec\u09ed\u09ee", M_),  # Bengali
    ("\U0001d7cf\U0001d7d1\U0001d7d6\U0001d7cf\U0001d7d0\U0001d7d1\U0001d7d2\U0001d7d3"
     "\U0001d7d4\U0001d7d5\U0001d7d6", M_),                                      # bold maths
    ("\uff13\uff13\uff10\uff11\uff10\uff12\uff11\uff19\uff19\uff10\uff10\uff11\uff10\uff11"
     "\uff11\uff12\uff13\uff14", ID_),                                              # full-width
    ("13\uff18\u0661\u0662" "34\u096b6\u096d8", M_),                              # mixed
    # Invisible characters inside.
    ("138\u20601234\u20645678", M_),               # word joiner, invisible plus
    ("138\u180e12345678", M_),                     # Mongolian vowel separator
    ("3301\ufeff02199001011234", ID_),              # byte order mark
    ("138\u200d1234\u200c5678", M_),               # zero-width joiners
    ("1\u03013812345678", M_),                     # a combining accent
    # Single digits spaced out.
    ("1 3 8 1 2 3 4 5 6 7 8", M_),
    ("1 3 8 1234 5678", M_),
    ("6 2 2 2 0 2 1 2 3 4 5 6 7 8 9 0 1 2 8", C_),
    # The check character, written every way.
    ("11010519491231002x", ("id", "1101**********002X")),
    ("11010519491231002\uff38", ("id", "1101**********002X")),
    ("330102 900101 123", ("id", "3301*******1123")),
    # Glued to letters, never to digits.
    ("No.13812345678", M_),
    ("13812345678x", M_),
]

MARKUP = [
    ("138<b>1234</b>5678", M_),
    ('138<span style="color:red">1234</span>5678', M_),
    ("<em>3301</em>02199001011234", ID_),
    ("&#49;3812345678", M_),
    ("&#x31;&#x33;&#x38;12345678", M_),
    ("138&nbsp;1234&nbsp;5678", M_),
    ("138&#8203;12345678", M_),                    # an entity of a zero-width space
    ("138**1234**5678", M_),
    ("138_1234_5678", M_),
    ("~~138~~12345678", M_),
    ("`138`12345678", M_),
    ("138<!-- -->12345678", M_),
    ("[138](https://example.cn/)12345678", M_),
    ("138\\-1234\\-5678", M_),
    ("6222<br>0212 3456 7890 128", C_),
]

NEAR_MISSES = [
    "0579-86000001", "0579 8600 0001", "(0579) 86000001", "+86 579 8600 0001",
    "0579-86000001-8012", "12,000.00", "161139.51", "12000.00 13800.00 3200.50",
    "1,381,234,567.80", "2025-03-05", "2025.03.05\u20142025.04.16", "2025-03-05 2025-04-16",
    "20250305", "2025-03-05 10:30", "\u8bb0-003", "25332000000012345678",
    "4111 1111 1111 1112", "6222021234567890127", "330102199001011235",
    "330102199002301234", "23812345678", "12812345678", "138123456789", "813812345678",
    "12 15 18 21 24 27 30 33 36 39", "3 200.50 12 000.00", "91330102MA2B3C4D5E",
    "1381234567", "13812345678901234567890", "2025.04.06~2025.04.16", "2025.4.6~2025.4.16",
    "公示期 2025-04-06 ~ 2025-04-16", "138000.00~150000.00元",
    "138\t1234\t5678",                          # three cells of a pasted table
    "100102199001011236", "1 2025-03-05 1234", "7035170 2019-04-24 1671960",
    "165 97349 633.42", "161 869 26731", "402 557 0579-86988025", "2528304 19064 4342792",
]


@pytest.mark.parametrize(("text", "found"), CORPUS)
def test_every_spelling_is_found_with_its_masked_form(text: str, found: tuple[str, str]) -> None:
    assert [(f.kind, f.masked) for f in find_personal_numbers(text)] == [found]


@pytest.mark.parametrize(("text", "found"), CORPUS + MARKUP)
def test_every_spelling_is_found_as_markdown_too(text: str, found: tuple[str, str]) -> None:
    assert [(f.kind, f.masked) for f in find_personal_numbers(text, markup=True)] == [found]


@pytest.mark.parametrize(("text", "found"), MARKUP)
def test_markup_spellings_are_not_numbers_as_plain_text(text: str, found: object) -> None:
    # A text attachment is shown as it is: tags do not join its digits.
    assert not [f for f in find_personal_numbers(text) if f.masked == found]


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_ordinary_content_is_no_personal_number(text: str) -> None:
    assert find_personal_numbers(text, markup=True) == []


@pytest.mark.parametrize(("text", "masked"), [
    ("联系 138-1234-5678", "联系 138-****-5678"),
    ("138<b>1234</b>5678", "138<b>****</b>5678"),
    ("&#49;3812345678", "&#49;38****5678"),
    ("身份证 ３３０１０２１９９００１０１１２３４。", "身份证 ３３０１**********１２３４。"),
    ("编号 12345678901234567890", "编号 123*************7890"),   # no number, but too long
    ("金额 161139.51，凭证 记-003，电话 0579-86000001", "金额 161139.51，凭证 记-003，电话 0579-86000001"),
])
def test_masking_keeps_the_way_a_number_is_written(text: str, masked: str) -> None:
    assert mask_personal(text) == masked
    assert mask_personal(masked) == masked


@given(prefix=st.sampled_from(["", "+86 ", "(+86) ", "0086-", "86", "\uff0886\uff09"]),
       first=st.sampled_from(["", " ", "-", "\u00a0", "\u3000", "\u2014", ".", "  "]),
       second=st.sampled_from(["", " ", "-", "\u202f", "\u2013", "\uff0d", "."]),
       digits=st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
       before=st.sampled_from(["", "电话", "手机：", "Tel. ", "（"]),
       after=st.sampled_from(["", "。", " 张三", "）", "x"]))
def test_every_grouping_of_a_mobile_is_found(prefix: str, first: str, second: str, digits: str,
                                             before: str, after: str) -> None:
    text = before + prefix + digits[:3] + first + digits[3:7] + second + digits[7:] + after
    found = find_personal_numbers(text, markup=True)
    assert [(f.kind, f.masked) for f in found] == [("mobile", digits[:3] + "****" + digits[7:])]


def test_a_number_is_reported_once_even_when_both_readings_find_it() -> None:
    found = find_personal_numbers(f"**{MOBILE}** 和 138<b>1234</b>5678", markup=True)
    assert [(f.kind, f.start) for f in found] == [("mobile", 2), ("mobile", 18)]


def test_finds_point_back_to_lines_and_offsets_of_the_source() -> None:
    text = "第一行\n\u200b\u200b电话 &#49;38 1234 5678\n\n身份证 3301\u00ad02199001011234\n"
    found = find_personal_numbers(text, markup=True)
    assert [(f.kind, f.line, text[f.start:f.end]) for f in found] == [
        ("mobile", 1, "&#49;38 1234 5678"), ("id", 3, "3301\u00ad02199001011234")]


def test_normal_form_and_demarked_form_trace_back_to_the_source() -> None:
    text = "a\u200b１３８–1234 <b>5678</b>"
    normal = normalise(text)
    assert normal.form == "a138-1234 <b>5678</b>"
    assert [normal.span(i) for i in (1, 4)] == [(2, 3), (5, 6)]
    shown = demark(text)
    assert shown.form == "a138-1234 5678"
    assert shown.span(10) == (14, 15)   # the 5, after the tag


def test_overlapping_windows_prefer_fewer_groups_then_ids() -> None:
    assert [f.kind for f in find_personal_numbers(f"{MOBILE} 12345")] == ["mobile"]
    assert [f.kind for f in find_personal_numbers(f"{ID} {MOBILE}")] == ["id", "mobile"]
    assert [(f.kind, f.masked) for f in find_personal_numbers("4111111111111111 2")] == [
        ("card", "4111********1111")]


def test_numbers_of_too_many_groups_are_a_table_not_a_number() -> None:
    groups = ["33", "01", "02", "1990", "0101", "1234"]
    assert len(groups) == MAX_GROUPS and find_personal_numbers(" ".join(groups))
    assert not find_personal_numbers("33 01 02 1990 01 01 1234")


def test_numbers_are_split_only_where_people_split_them() -> None:
    for usual in ("138 1234 5678", "1381 2345 678", "138 12345678", "1381234 5678",
                  "138 12 34 56 78", "+86138 1234 5678", "3301 0219 9001 0112 34",
                  "622202 1234567890128", "4111 1111 1111 1111"):
        assert find_personal_numbers(usual), usual
    for unusual in ("13 81 23 45 67 8", "138123 45678", "41111 11111 111111", "8 613812345678",
                    "86161334 73909"):
        assert not find_personal_numbers(unusual), unusual


def test_allowed_numbers_do_not_use_up_the_limit() -> None:
    text = f"村集体账户 {CARD}\n" * 30 + f"张三 {ID}\n"
    found = find_personal_numbers(text, limit=5, allowed=frozenset({CARD}))
    assert [(f.kind, f.line) for f in found] == [("id", 30)]


def test_spellings_of_a_number_have_one_key() -> None:
    assert {number_key(s) for s in ("+86 138-1234-5678", "0086 13812345678", MOBILE,
                                    "１３８ １２３４ ５６７８", "138\u00a01234\u00a05678")} == {MOBILE}
    assert number_key("11010519491231002x") == "11010519491231002X"


def test_a_long_quoted_value_is_masked_before_it_is_cut() -> None:
    value = "说明" * 20 + ID + "，以及更多的说明"
    shown = quoted(value)
    assert shown.endswith("…”") and "3301**" in shown
    assert not re.search(r"[0-9]{8}", shown)


def test_a_number_cut_short_is_masked_all_the_same() -> None:
    # A message may quote a value someone else cut short: 12 digits of an ID are no ID.
    assert mask_personal("找到 “3301021990010…”") == "找到 “330******0010…”"


def test_a_large_text_full_of_numbers_and_near_numbers_is_checked_whole() -> None:
    near = "330102199001011235 2025-03-05 12000.00 0579-86000001 138<b>1234</b>567 "
    body = (near + "\n") * (2 * 1024 * 1024 // (len(near.encode()) + 1))
    found = find_personal_numbers(body + f"最后：{MOBILE}\n", markup=True, limit=21)
    assert [(f.kind, f.line) for f in found] == [("mobile", body.count("\n"))]
    dense = "138 1234 5678 " * (2 * 1024 * 1024 // 14)
    assert len(find_personal_numbers(dense, markup=True, limit=21)) == 21
    assert len(find_personal_numbers("1 " * 1024 * 1024 + "<b>" * 100000)) == 0


def render(report: Report) -> list[str]:
    """Render a report's problems in Chinese, as the command line prints them."""
    tr = translations("zh-CN")
    return [p.render(tr) for p in report.sorted()]


def test_a_body_with_many_numbers_reports_twenty_then_one_more() -> None:
    report = Report()
    guard_text(f"张三 {ID}\n" * 30, 7, "content/x/affairs/名单.md", report, frozenset())
    lines = render(report)
    assert len(lines) == 21
    assert lines[0].startswith("content/x/affairs/名单.md:7: 错误：发现完整的身份证号码")
    assert lines[-1] == "content/x/affairs/名单.md:27: 错误：后面还有更多个人号码；请全部打码后再检查"


def test_folder_names_are_guarded_once_by_their_own_name() -> None:
    report = Report()
    guard_folder_name(f"content/张三{MOBILE}", report)
    guard_name(f"content/张三{MOBILE}/affairs/通知.md", report)
    assert render(report) == [
        "content/张三138****5678: 错误：文件夹名里有个人号码，而文件夹名会出现在网址中；"
        "请给文件夹改名（例如改用 138****5678）"]


TEXT_FILE = f"姓名,身份证,电话\n张三,{ID},0579-86000001\n李四,—,138 1234 5678\n"


@pytest.mark.parametrize("data", [
    TEXT_FILE.encode(), codecs.BOM_UTF8 + TEXT_FILE.encode(), TEXT_FILE.encode("gb18030"),
    TEXT_FILE.encode("utf-16"), TEXT_FILE.encode("gb18030").replace(b",", b"\xff,"),
], ids=["utf-8", "utf-8-bom", "gb18030", "utf-16", "undecodable"])
def test_text_attachments_are_read_in_any_encoding(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "名单.csv"
    path.write_bytes(data)
    report = Report()
    guard_attachment(path, "content/x/files/名单.csv", report)
    # Undecodable text is read for its ASCII digits, which are all a number needs.
    assert render(report) == [
        "content/x/files/名单.csv:2: 错误：在附件中发现完整的身份证号码，而附件会原样公开；"
        "请在文件中打码，写作 3301**********1234",
        "content/x/files/名单.csv:3: 错误：在附件中发现个人手机号码，而附件会原样公开；"
        "请在文件中打码，写作 138****5678",
    ]


def zipped(parts: dict[str, bytes]) -> bytes:
    """Return a zip archive of the given parts, deflated."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = ('<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>身份证 3301</w:t></w:r>'
        '<w:proofErr w:type="spellStart"/><w:r><w:rPr><w:b/></w:rPr><w:t>0219900101'
        '</w:t></w:r><w:r><w:t>1234</w:t></w:r></w:p><w:p><w:r><w:t>1</w:t></w:r></w:p>'
        '<w:p><w:r><w:t>3812345678</w:t></w:r></w:p></w:body></w:document>').encode()
XLSX = (b"<sst><si><t>138</t></si><si><t>12345678</t></si><si><r><t>139</t></r>"
        b"<r><t>1234&#53;678</t></r></si></sst>")
ODT = ('<office:document-content><office:body><office:text><text:p>卡号<text:s/>6222'
       '<text:span>0212</text:span>3456<text:tab/>7890 128</text:p></office:text>'
       '</office:body></office:document-content>').encode()


@pytest.mark.parametrize(("name", "parts", "found"), [
    ("通知.docx", {"word/document.xml": DOCX}, "发现完整的身份证号码，而附件会原样公开；请在文件中打码，写作 3301**********1234"),
    ("名单.xlsx", {"xl/sharedStrings.xml": XLSX}, "发现个人手机号码，而附件会原样公开；请在文件中打码，写作 139****5678"),
    ("账户.odt", {"content.xml": ODT}, "发现完整的银行卡号，而附件会原样公开；请在文件中打码，写作 6222***********0128"),
])
def test_office_documents_are_read_part_by_part(tmp_path: Path, name: str,
                                                parts: dict[str, bytes], found: str) -> None:
    path = tmp_path / name
    path.write_bytes(zipped({"[Content_Types].xml": b"<Types/>", **parts}))
    report = Report()
    guard_attachment(path, f"content/x/files/{name}", report)
    assert render(report) == [f"content/x/files/{name}: 错误：在附件中{found}"]


def test_a_zip_bomb_is_read_only_up_to_the_budget(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(privacy, "MAX_EXTRACTED_BYTES", 1024 * 1024)
    bomb = b"<w:t>" + ID.encode() + b"</w:t>" + b" " * (50 * 1024 * 1024) + MOBILE.encode()
    path = tmp_path / "bomb.docx"
    path.write_bytes(zipped({"word/document.xml": bomb, "word/other.xml": MOBILE.encode()}))
    assert path.stat().st_size < 200 * 1024
    report = Report()
    guard_attachment(path, "content/x/files/bomb.docx", report)
    assert [p.message.params for p in report.problems] == [(("masked", ID_MASKED),)]


@pytest.mark.parametrize("data", [b"PK\x03\x04broken", b"", b"not a zip at all"])
def test_a_broken_office_document_is_no_concern_of_the_guard(tmp_path: Path,
                                                             data: bytes) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(data)
    report = Report()
    guard_attachment(path, "content/x/files/broken.xlsx", report)
    assert report.problems == []


def test_pdfs_and_pictures_are_not_read(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(f"%PDF-1.4 ({ID})".encode())
    report = Report()
    guard_attachment(path, "content/x/files/scan.pdf", report)
    assert report.problems == []


def assert_nowhere(number: str, *outputs: str) -> None:
    """Check that no output holds the number, nor 8 digits of it in a row."""
    for output in outputs:
        digits = re.sub(r"[^0-9]", "", output)
        assert number not in output and number not in digits
        assert not any(number[i:i + 8] in output for i in range(len(number) - 7)), output


@pytest.mark.parametrize(("spelling", "expected"), [
    ("138<b>1234</b>5678", "发现个人手机号码；请打码后公开，写作 138****5678；如果这是公务电话，请把它列入 not_personal"),
    ("&#49;38&nbsp;1234&nbsp;5678", "发现个人手机号码；请打码后公开，写作 138****5678；如果这是公务电话，请把它列入 not_personal"),
    ("3301**0219**9001**0112**34", "发现完整的身份证号码；请打码后公开，写作 3301**********1234；如果这不是个人的号码，请把它列入 not_personal"),
    ("（+86）138\u00a01234\u00a05678", "发现个人手机号码；请打码后公开，写作 138****5678；如果这是公务电话，请把它列入 not_personal"),
])
def test_a_markdown_body_stops_the_build_and_names_line_and_mask(make_site, run, spelling,
                                                                 expected) -> None:
    root = make_site({"content/qingshan/affairs/道路硬化公示.md":
                      NOTICE + f"\n\n联系人：王五，{spelling}。\n"})
    code, out, err = run("build", "--site", root)
    assert code == 1
    assert err.splitlines()[0] == f"content/qingshan/affairs/道路硬化公示.md:10: 错误：{expected}"
    assert_nowhere(MOBILE, out, err)
    assert_nowhere(ID, out, err)
    assert not (root / "public").exists()


def test_a_yaml_value_stops_the_build_and_names_line_column_field_and_mask(make_site,
                                                                          run) -> None:
    ledger = LEDGER.replace("prepared_by: 王会计", "prepared_by: 王会计 138\u20131234\u20135678")
    ledger = ledger.replace("payee: 青山电器店", "payee: \"张三 6222&#8203;0212 3456 7890 128\"")
    root = make_site({"content/qingshan/finance/2025-03.yaml": ledger})
    code, out, err = run("build", "--site", root)
    assert code == 1
    assert err.splitlines()[:2] == [
        "content/qingshan/finance/2025-03.yaml:2:14: 错误：prepared_by：发现个人手机号码；"
        "请打码后公开，写作 138****5678；如果这是公务电话，请把它列入 not_personal",
        "content/qingshan/finance/2025-03.yaml:8:76: 错误：expense[0].payee：发现完整的银行卡号；"
        "请打码后公开，写作 6222***********0128；如果这不是个人的银行卡，请把它列入 not_personal",
    ]
    assert_nowhere(MOBILE, out, err)
    assert_nowhere(CARD, out, err)
    assert not (root / "public").exists()


def test_a_number_in_a_long_quoted_value_is_never_printed_whole(make_site, run) -> None:
    long_value = "经办人说明" * 8 + ID + "以及其他说明"
    ledger = LEDGER.replace("published: 2025-04-05", f"published: {long_value}")
    root = make_site({"content/qingshan/finance/2025-03.yaml": ledger})
    code, out, err = run("check", "--site", root)
    assert code == 1
    assert "published：发现完整的身份证号码" in err
    assert_nowhere(ID, out, err)
    assert not re.search(r"[0-9]{11}", err)

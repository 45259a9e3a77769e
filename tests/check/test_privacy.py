"""The personal-data guard: no full ID-card, bank-card or mobile number is published."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.idnumbers import _ID_CHECK, _ID_WEIGHTS
from gongkai.core.pii import find_personal_numbers
from tests.helpers.sites import LEDGER, NOTICE, VILLAGE


def id_number(first17: str) -> str:
    """Complete 17 digits with their check character."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return first17 + _ID_CHECK[total % 11]


ID = id_number("33010219900101123")          # 330102199001011234
ID_X = id_number("11010519491231002")        # ends in X
CARD = "6222021234567890128"                 # Luhn-valid, 19 digits
MOBILE = "13812345678"


@pytest.mark.parametrize(("text", "found"), [
    (ID, [("id", "3301**********1234")]),
    (f"身份证号{ID_X}，", [("id", "1101**********002X")]),
    (ID_X.lower(), [("id", "1101**********002X")]),
    ("身份证号：３３０１０２１９９００１０１１２３４", [("id", "3301**********1234")]),
    ("老身份证 330102900101123", [("id", "3301*******1123")]),
    (CARD, [("card", "6222***********0128")]),
    ("卡号 6222 0212 3456 7890 128", [("card", "6222***********0128")]),
    ("4111-1111-1111-1111", [("card", "4111********1111")]),
    (MOBILE, [("mobile", "138****5678")]),
    ("联系 138-1234-5678 或 +86 139 1234 5678", [("mobile", "138****5678"), ("mobile", "139****5678")]),
    ("１３８１２３４５６７８", [("mobile", "138****5678")]),
])
def test_personal_numbers_are_found_and_masked(text, found):
    assert [(f.kind, f.masked) for f in find_personal_numbers(text)] == found


@pytest.mark.parametrize("text", [
    ID[:-1] + ("5" if ID[-1] != "5" else "6"),   # wrong check digit
    "330102199013011234",                         # month 13
    "4111111111111112",                           # fails Luhn
    "0579-86000001", "12345678901", "记-003", "2025-03-05", "152340.00", "12,000.00元",
    "20250305", "23812345678",                    # no mobile starts 2
    f"{ID}5", f"9{MOBILE}",                       # part of a longer number
])
def test_ordinary_numbers_are_not_flagged(text):
    assert find_personal_numbers(text) == []


@given(first17=st.from_regex(
    r"(?:1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|8[1-3])[0-9]{4}(?:19[0-9]{2}|20[01][0-9])"
    r"(?:0[1-9]|1[0-2])(?:0[1-9]|1[0-9]|2[0-8])[0-9]{3}",
    fullmatch=True), before=st.sampled_from(["", "身份证：", "张三 ", "（"]),
    after=st.sampled_from(["", "。", " 男", "）"]))
def test_every_valid_id_number_is_found_wherever_it_stands(first17, before, after):
    number = id_number(first17)
    found = find_personal_numbers(before + number + after)
    assert [(f.kind, f.masked) for f in found] == [("id", number[:4] + "*" * 10 + number[-4:])]


def test_yaml_values_are_errors_with_line_field_and_masked_form(make_site, run):
    ledger = LEDGER.replace("payee: 青山电器店", f"payee: 张三 {CARD}").replace(
        "prepared_by: 王会计", f"prepared_by: 王会计（{ID}）")
    root = make_site({"content/qingshan/finance/2025-03.yaml": ledger})
    code, _out, err = run("check", "--site", root)
    assert code == 1
    assert err.splitlines()[:2] == [
        "content/qingshan/finance/2025-03.yaml:2:14: 错误：prepared_by：发现完整的身份证号码；"
        "请打码后公开，写作 3301**********1234；如果这不是个人的号码，请把它列入 not_personal",
        "content/qingshan/finance/2025-03.yaml:8:76: 错误：expense[0].payee：发现完整的银行卡号；"
        "请打码后公开，写作 6222***********0128；如果这不是个人的银行卡，请把它列入 not_personal",
    ]
    assert ID not in err and CARD not in err


def test_an_unquoted_id_number_is_found_too(make_site, run):
    root = make_site({"content/qingshan/village.yaml": VILLAGE + "office_hours: 330102900101123\n"})
    code, _out, err = run("check", "--site", root)
    assert code == 1 and "village.yaml:4:15: 错误：office_hours：发现完整的身份证号码" in err


def test_markdown_body_lines_are_counted_from_the_top_of_the_file(make_site, run):
    root = make_site({"content/qingshan/affairs/道路硬化公示.md":
                      NOTICE + f"\n\n联系人：王五，手机 {MOBILE}。\n"})
    code, _out, err = run("check", "--site", root)
    assert code == 1
    assert err.splitlines()[0] == (
        "content/qingshan/affairs/道路硬化公示.md:10: 错误：发现个人手机号码；请打码后公开，"
        "写作 138****5678；如果这是公务电话，请把它列入 not_personal")


def test_official_phone_fields_may_hold_a_mobile_number(make_site, run):
    village = VILLAGE.replace("supervision_phone: 0579-86000002", f"supervision_phone: {MOBILE}")
    root = make_site({"content/qingshan/village.yaml": village})
    assert run("check", "--site", root)[0] == 0


def test_not_personal_lists_numbers_that_only_look_personal(make_site, run):
    notice = NOTICE.replace("---\n道路", f"not_personal: [\"{CARD}\", {MOBILE}]\n---\n道路") + \
        f"\n村集体账户：{CARD}；值班手机 {MOBILE}；张三 {ID}\n"
    root = make_site({"content/qingshan/affairs/道路硬化公示.md": notice})
    code, _out, err = run("check", "--site", root)
    assert code == 1
    assert err.splitlines()[0].startswith("content/qingshan/affairs/道路硬化公示.md:10: 错误：发现完整的身份证号码")
    assert len(err.splitlines()) == 2  # the ID, then the summary line


def test_not_personal_must_be_a_list(make_site, run):
    root = make_site({"content/qingshan/village.yaml": VILLAGE + "not_personal: {a: 1}\n"})
    code, _out, err = run("check", "--site", root)
    assert code == 1
    assert err.splitlines()[0] == ("content/qingshan/village.yaml:4:15: 错误：not_personal："
                                   "应为号码列表，例如 [\"按原样写出的号码\"]")


@pytest.mark.parametrize(("text", "found"), [
    ("+8613812345678", [("mobile", "138****5678")]),
    ("ID330102199001011234", [("id", "3301**********1234")]),
    ("3301\u200b02199001011234", [("id", "3301**********1234")]),   # a zero-width space
    ("330102\u00ad199001011234", [("id", "3301**********1234")]),   # a soft hyphen
])
def test_spellings_pasted_from_word_and_the_web_are_found(text, found):
    assert [(f.kind, f.masked) for f in find_personal_numbers(text)] == found


def test_file_names_are_guarded_too(make_site, run):
    root = make_site({"content/qingshan/affairs/2025-张三330102199001011234.md": NOTICE,
                      "content/qingshan/files/李四13812345678.txt": "x"})
    code, _out, err = run("check", "--site", root)
    assert code == 1
    assert ("content/qingshan/affairs/2025-张三3301**********1234.md: 错误：文件名里有个人号码，"
            "而文件名会出现在网址中；请给文件改名（例如改用 3301**********1234）") in err
    assert "content/qingshan/files/李四138****5678.txt: 错误：文件名里有个人号码" in err
    assert ID not in err and MOBILE not in err


def test_no_message_ever_prints_a_full_number(make_site, run):
    ledger = LEDGER.replace("published: 2025-04-05", f"published: {ID}") + f"{CARD}: x\n"
    root = make_site({"content/qingshan/finance/2025-03.yaml": ledger})
    code, _out, err = run("check", "--site", root)
    assert code == 1
    assert "published：应为日期，例如 2025-03-05，实际为 “3301**********1234”" in err
    assert ID not in err and CARD not in err

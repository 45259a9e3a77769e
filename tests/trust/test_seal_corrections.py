"""The seal log, 3. what needs a correction, and what does not."""

from __future__ import annotations

import textwrap

from tests.helpers.cli import cli
from tests.helpers.seal import (
    CHANGED_LINE,
    CORRECTION,
    FIX,
    LEDGER,
    NEW_PAYEE,
    OLD_PAYEE,
    TODAY1,
    TODAY2,
    replace_once,
)
from tests.helpers.sites import copy_site


def test_removing_a_sealed_disclosure_is_an_error_naming_the_file(sealed, tmp_path):
    site = copy_site(sealed.site, tmp_path / "site")
    gone = "content/qingshan/affairs/2025-03-road-hardening.md"
    (site / gone).unlink()
    code, _out, err = cli("build", "--site", site, "--today", TODAY1)
    assert code == 1
    assert err.startswith(
        f"{gone}: error: this disclosure was sealed (version 1, sealed on 2026-01-20) and its "
        "file is gone; a published disclosure stays published: put the file back (for example "
        f"with “git checkout -- {gone}”) and correct it instead\n")


def test_changing_a_sealed_correction_entry_is_an_error(corrected, tmp_path):
    site = copy_site(corrected.site, tmp_path / "site")
    replace_once(site / LEDGER, "reason: 抄录错误", "reason: 系统错误")
    ledger = (site / LEDGER).read_text(encoding="utf-8").splitlines()
    line = ledger.index("corrections:") + 2  # its first entry
    code, _out, err = cli("build", "--site", site, "--today", TODAY2)
    assert code == 1
    assert err == (
        f"{LEDGER}:{line}:3: error: corrections: the correction entries sealed on 2026-02-05 "
        "were changed or removed; a correction stays on the record: restore the first 1 "
        "entries as they were and add a new one below them\n1 error, 0 warnings. Nothing was "
        f"written; {site / 'public'} is unchanged.\n")


def test_removing_a_sealed_correction_entry_is_an_error(corrected, tmp_path):
    site = copy_site(corrected.site, tmp_path / "site")
    replace_once(site / LEDGER, CORRECTION, "")
    code, _out, err = cli("build", "--site", site, "--today", TODAY2)
    assert code == 1
    assert "error: corrections: the correction entries sealed on 2026-02-05 were changed or " \
           "removed" in err


def test_a_second_correction_below_the_first_is_accepted(corrected, tmp_path):
    site = copy_site(corrected.site, tmp_path / "site")
    replace_once(site / LEDGER, "item: 存款利息, amount: 484.26", "item: 存款利息（一季度）, amount: 484.26")
    (site / LEDGER).write_text((site / LEDGER).read_text(encoding="utf-8") + (
        "  - {date: 2026-02-10, change: 利息摘要补充“一季度”, reason: 摘要不全, approved_by: 李芳}\n"),
        encoding="utf-8")
    code, _out, err = cli("build", "--site", site, "--today", "2026-02-12")
    assert code == 0, err


def test_no_correction_is_needed_for_new_items_comments_quoting_pinning_or_line_ends(
        sealed, tmp_path):
    site = copy_site(sealed.site, tmp_path / "site")
    (site / "content/qingshan/affairs/2026-01-新公示.md").write_text(textwrap.dedent("""\
        ---
        title: 关于春节期间值班安排的公示
        date: 2026-01-18
        type: 公示
        notice: {from: 2026-01-18}
        ---
        春节期间村委会每日安排两人值班。
        """), encoding="utf-8")
    ledger = site / LEDGER
    text = ledger.read_text(encoding="utf-8")
    text = text.replace("\nincome:", "\n# 以下为本月收入明细（注释不改变公开内容）\nincome:")
    text = text.replace("prepared_by: 吴晓燕", "prepared_by: '吴晓燕'  # 会计")
    text = text.replace("payee: 县供电公司, voucher: 记-005", 'voucher: 记-005, payee: "县供电公司"')
    ledger.write_text(text, encoding="utf-8")
    item = site / "content/qingshan/affairs/2025-03-road-hardening.md"
    replace_once(item, "type: 工程项目\n", "type: 工程项目\npinned: true\n")
    # Windows line ends and blank lines after the text change nothing a resident reads.
    item.write_text(item.read_text(encoding="utf-8").replace("\n", "\r\n") + "\r\n\r\n",
                    encoding="utf-8")
    code, _out, err = cli("build", "--site", site, "--today", TODAY1)
    assert code == 0, err
    assert "sealed" not in err



def test_a_changed_text_of_a_sealed_item_is_an_error_naming_its_line(sealed, tmp_path):
    site = copy_site(sealed.site, tmp_path / "site")
    item = "content/qingshan/affairs/2025-03-road-hardening.md"
    replace_once(site / item, "全长1450米，路面宽4米", "全长1500米，路面宽4米")
    lines = (site / item).read_text(encoding="utf-8").splitlines()
    changed = next(n for n, line in enumerate(lines) if "全长1500米" in line) + 1
    code, _out, err = cli("build", "--site", site, "--today", TODAY1)
    assert code == 1
    assert err.startswith(
        f"{item}:{changed}: error: body: this disclosure was sealed on 2026-01-20 (version 1) "
        "and has changed since without a correction entry: the text below the front matter: "
        "“…通组道路，全长1450米，路面宽4米，采用C30混凝土硬化，…” → "
        f"“…通组道路，全长1500米，路面宽4米，采用C30混凝土硬化，…”; {FIX}\n")


def test_a_line_added_to_the_text_of_a_sealed_item_is_named_where_it_was_added(
        sealed, tmp_path):
    site = copy_site(sealed.site, tmp_path / "site")
    item = site / "content/qingshan/affairs/2025-03-road-hardening.md"
    item.write_text(item.read_text(encoding="utf-8") + "\n补充说明：工期顺延。\n",
                    encoding="utf-8")
    lines = item.read_text(encoding="utf-8").splitlines()
    code, _out, err = cli("build", "--site", site, "--today", TODAY1)
    assert code == 1
    assert err.startswith(
        f"content/qingshan/affairs/2025-03-road-hardening.md:{len(lines)}: error: body: this "
        "disclosure was sealed on 2026-01-20 (version 1) and has changed since without a "
        "correction entry: the text below the front matter: — → “补充说明：工期顺延。”; ")



def test_a_seal_with_errors_in_the_content_records_nothing(sealed, tmp_path):
    site = copy_site(sealed.site, tmp_path / "site")
    log = (site / "history/log.jsonl").read_bytes()
    replace_once(site / LEDGER, CHANGED_LINE, CHANGED_LINE.replace(OLD_PAYEE, NEW_PAYEE))
    code, out, err = cli("seal", "--site", site, "--today", TODAY2, "--key", sealed.key)
    assert (code, out) == (1, "")
    assert f"expense[2].payee: “{OLD_PAYEE}” → “{NEW_PAYEE}”" in err
    assert (site / "history/log.jsonl").read_bytes() == log
    assert sorted(p.name for p in (site / "history/checkpoints").iterdir()) == [
        "0001.txt", "0001.txt.sig"]


def test_a_sealed_file_with_an_error_is_not_said_to_be_gone(sealed, tmp_path):
    site = copy_site(sealed.site, tmp_path / "site")
    item = "content/qingshan/affairs/2025-03-road-hardening.md"
    replace_once(site / item, "title: 关于村内道路硬化工程的公示\n", "title:\n")
    code, _out, err = cli("build", "--site", site, "--today", TODAY1)
    assert code == 1
    assert f"{item}:2:7: error: title: expected text, found nothing\n" in err
    assert "file is gone" not in err


def test_a_seal_dated_before_the_last_one_is_refused(sealed, tmp_path):
    site = copy_site(sealed.site, tmp_path / "site")
    code, _out, err = cli("seal", "--site", site, "--today", "2026-01-01", "--key", sealed.key)
    assert code == 1
    assert (f"history/checkpoints/0001.txt: error: this seal would be dated 2026-01-01, before "
            f"the last seal ({TODAY1}): seals go forward in time; remove site.today from "
            f"site_config.yaml or give --today {TODAY1} or later\n") in err
    assert not (site / "history/checkpoints/0002.txt").exists()

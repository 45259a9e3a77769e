"""A seal that holds against the people who keep it (issue 26): the log's keepers cannot
remove, alter or add a checkpoint, stop signing, or add a file to a copy unnoticed.

The sample county in English, sealed twice with the county's key (seal 2 records no new
version); each test damages its own copy of the site or of the published output.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.cli import cli
from tests.helpers.seal import (
    CHANGED_LINE,
    CORRECTION,
    LEDGER,
    NEW_PAYEE,
    OLD_PAYEE,
    checking,
    checkpoint_of,
)
from tests.helpers.sites import copy_site, english_sample

TODAY1, TODAY2, TODAY3 = "2026-01-20", "2026-02-05", "2026-02-10"
RESTORE = "restore history/ from the copy that was published (git checkout history/)"


@pytest.fixture(scope="module")
def key(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The county's key, outside every site."""
    path = tmp_path_factory.mktemp("keys") / "seal_ed25519"
    assert cli("keygen", path)[0] == 0
    return path


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, key: Path) -> Path:
    """The sample county sealed twice, signed."""
    folder = english_sample(tmp_path_factory.mktemp("keepers") / "site")
    for day in (TODAY1, TODAY2):
        code, _out, err = cli("seal", "--site", folder, "--today", day, "--key", key)
        assert code == 0, err
    return folder


def built(site: Path) -> tuple[int, str, str]:
    """Build the site as on the day of seal 2."""
    return cli("build", "--site", site, "--today", TODAY2)


def first_error(result: tuple[int, str, str]) -> str:
    """Return the first line a failed build printed."""
    code, _out, err = result
    assert code != 0, err
    return err.splitlines()[0]


# --- 1. the log: a removed, altered or added checkpoint --------------------------------------

def test_each_seal_names_the_checkpoint_before_it(site):
    first = checkpoint_of(site / "history/checkpoints/0001.txt")
    second = checkpoint_of(site / "history/checkpoints/0002.txt")
    assert first.previous == ""
    assert second.previous == first.digest
    assert f"previous sha256:{first.digest}\n" in (site / "public/history/checkpoint.txt"
                                                   ).read_text(encoding="utf-8")


def test_deleting_an_empty_newest_seal_is_told_only_by_a_kept_checkpoint(site, tmp_path):
    # Seal 2 recorded no version, so the log holds nothing of it: without its checkpoint
    # the site folder is seal 1 again, and builds. The copy it publishes no longer matches
    # seal 1's manifest; and a checkpoint kept elsewhere tells the seal was taken back.
    copy = copy_site(site, tmp_path / "site")
    kept = tmp_path / "kept.txt"
    shutil.copy(copy / "history/checkpoints/0002.txt", kept)
    (copy / "history/checkpoints/0002.txt").unlink()
    (copy / "history/checkpoints/0002.txt.sig").unlink()
    assert built(copy)[0] == 0
    err = verify_err(copy / "public", "--since", str(kept))
    assert err == (
        "✗ history/manifest.sha256 is not the manifest seal 1 signed: the files of this copy "
        "are not the site as sealed on 2026-01-20\n"
        f"✗ the checkpoint in {kept} is of seal 2 of 2026-02-05, but this copy's newest seal "
        "is 1 of 2026-01-20: a published seal was taken back or replaced\n"
        "Not verified: 2 problems.\n")


def test_log_lines_past_the_last_checkpoint_without_a_seal_under_way_are_an_error(
        site, key, tmp_path):
    copy = copy_site(site, tmp_path / "site")
    log = copy / "history/log.jsonl"
    lines = log.read_text(encoding="utf-8").splitlines(keepends=True)
    assert cli("seal", "--site", copy, "--today", TODAY3, "--key", key)[0] == 0
    # Seal 3 with one new version, then its checkpoint deleted.
    ledger = copy / LEDGER
    ledger.write_text(ledger.read_text(encoding="utf-8").replace(
        CHANGED_LINE, CHANGED_LINE.replace(OLD_PAYEE, NEW_PAYEE)) + CORRECTION, encoding="utf-8")
    assert cli("seal", "--site", copy, "--today", "2026-02-11", "--key", key)[0] == 0
    assert len(log.read_text(encoding="utf-8").splitlines()) == len(lines) + 1
    (copy / "history/checkpoints/0004.txt").unlink()
    message = ("history/log.jsonl: error: history/log.jsonl has 1 entries after seal 3 that "
               "no checkpoint covers: the checkpoint of seal 4 (history/checkpoints/0004.txt) "
               f"was removed; {RESTORE}: a published seal is never taken back")
    assert first_error(cli("build", "--site", copy, "--today", "2026-02-11")) == message
    code, out, err = cli("seal", "--site", copy, "--today", "2026-02-11", "--key", key)
    assert (code, out) == (2, "")
    assert err.splitlines()[0] == message.replace(": error:", ":", 1)
    assert not (copy / "history/checkpoints/0004.txt").exists()


def test_a_seal_stopped_before_its_rename_is_finished_by_the_next_build(site, tmp_path):
    copy = copy_site(site, tmp_path / "site")
    checkpoints = copy / "history/checkpoints"
    text = (checkpoints / "0002.txt").read_text(encoding="utf-8")
    (checkpoints / "0002.txt").rename(checkpoints / "0002.next")
    code, _out, err = built(copy)
    assert code == 0, err
    assert (checkpoints / "0002.txt").read_text(encoding="utf-8") == text
    assert not (checkpoints / "0002.next").exists()


def test_removing_the_public_key_does_not_downgrade_the_seal(site, tmp_path):
    copy = copy_site(site, tmp_path / "site")
    (copy / "history/seal.pub").unlink()
    message = ("history/seal.pub: error: history/seal.pub is missing, though seal 1 was "
               "signed: restore it (git checkout history/seal.pub); the county's key never "
               "changes")
    assert first_error(built(copy)) == message
    code, out, err = cli("seal", "--site", copy, "--today", TODAY3)
    assert (code, out) == (2, "")
    assert err == message.replace(": error:", ":", 1) + "\n"
    assert not (copy / "history/checkpoints/0003.txt").exists()


def test_an_unsigned_checkpoint_after_signed_ones_stops_the_build(site, tmp_path):
    copy = copy_site(site, tmp_path / "site")
    (copy / "history/checkpoints/0002.txt.sig").unlink()
    assert first_error(built(copy)) == (
        "history/checkpoints/0002.txt: error: history/checkpoints/0002.txt is not signed, "
        "though seal 1 was: once a site's seals are signed, every later one is; " + RESTORE)


def test_an_old_checkpoint_s_date_edited_stops_the_build(site, tmp_path):
    copy = copy_site(site, tmp_path / "site")
    first = copy / "history/checkpoints/0001.txt"
    first.write_text(first.read_text(encoding="utf-8").replace(f"seal 1 {TODAY1}",
                                                               "seal 1 2026-01-19"))
    size = checkpoint_of(first).size
    assert first_error(built(copy)) == (
        "history/checkpoints/0001.txt: error: the seal log was altered: its first "
        f"{size} entries no longer match the checkpoint of seal 1 "
        f"(history/checkpoints/0001.txt); {RESTORE}")


def test_an_old_checkpoint_deleted_stops_the_build(site, tmp_path):
    copy = copy_site(site, tmp_path / "site")
    (copy / "history/checkpoints/0001.txt").unlink()
    assert first_error(built(copy)) == (
        "history/checkpoints/0002.txt: error: history/checkpoints/0002.txt: expected the "
        "checkpoint of seal 1 here; a seal's checkpoint is never renamed or removed: " + RESTORE)


def test_a_file_added_among_the_checkpoints_stops_the_build(site, tmp_path):
    copy = copy_site(site, tmp_path / "site")
    (copy / "history/checkpoints/0007.txt.sig").write_text("x", encoding="ascii")
    assert first_error(built(copy)) == (
        "history/checkpoints/0007.txt.sig: error: history/checkpoints/0007.txt.sig is not a "
        "file a seal writes: only the checkpoints of seals 1 to 2 and their signatures belong "
        f"in history/checkpoints/; {RESTORE}")


@pytest.mark.parametrize("damage", ["folder", "gbk"])
def test_a_signature_that_is_a_folder_or_not_text_is_a_message(site, key, tmp_path, damage):
    copy = copy_site(site, tmp_path / "site")
    signature = copy / "history/checkpoints/0001.txt.sig"
    signature.unlink()
    if damage == "folder":
        signature.mkdir()
        reason = "[Errno 21] Is a directory: "
    else:
        signature.write_bytes("签名".encode("gbk"))
        reason = "'utf-8' codec can't decode byte 0xc3 in position 2: invalid continuation byte"
    line = first_error(built(copy))
    assert line.startswith("history/checkpoints/0001.txt.sig: error: history/checkpoints/"
                           f"0001.txt.sig cannot be read: {reason}")
    code, _out, err = cli("seal", "--site", copy, "--today", TODAY3, "--key", key)
    assert code == 2
    assert err.startswith("history/checkpoints/0001.txt.sig: history/checkpoints/0001.txt.sig "
                          f"cannot be read: {reason}")
    assert "Traceback" not in err


def test_a_signature_replaced_by_another_key_s_is_refused_by_seal(site, key, tmp_path):
    copy = copy_site(site, tmp_path / "site")
    other = tmp_path / "keys/other"
    assert cli("keygen", other)[0] == 0
    from gongkai.trust import signing
    forged = signing.sign(signing.load_private_key(other),
                          (copy / "history/checkpoints/0001.txt").read_bytes())
    (copy / "history/checkpoints/0001.txt.sig").write_text(forged, encoding="ascii")
    code, out, err = cli("seal", "--site", copy, "--today", TODAY3, "--key", key)
    assert (code, out) == (2, "")
    assert err.startswith("history/checkpoints/0001.txt.sig: the signature was made with key ")
    assert err.endswith(f"; {RESTORE}\n")


# --- 2. verify: the whole copy -----------------------------------------------------------

def verify_err(public: Path, *args: str) -> str:
    """Verify a copy that must fail; return what it said on stderr."""
    code, out, err = cli("verify", public, *args)
    assert code == 1, out
    assert out.startswith(checking(public) + "\n")
    return err


@pytest.fixture()
def public(site: Path, tmp_path: Path) -> Path:
    """A resident's copy of the published output (with no build marker: downloaded)."""
    copy = tmp_path / "copy"
    shutil.copytree(site / "public", copy, symlinks=True)
    (copy / ".gongkai-build").unlink()
    assert cli("verify", copy)[0] == 0
    return copy


def test_verify_names_every_file_added_hidden_or_in_history(public):
    (public / ".well-known").mkdir()
    (public / ".well-known/pay.html").write_text("<p>扫码缴费</p>", encoding="utf-8")
    (public / ".htaccess").write_text("Redirect / https://evil.example/\n", encoding="ascii")
    shutil.copy(public / "history/checkpoints/0002.txt", public / "history/checkpoints/0003.txt")
    (public / "history/notes.txt").write_text("x", encoding="utf-8")
    added = "is not in the manifest: it was added to this copy after the seal"
    assert verify_err(public) == (
        f"✗ .htaccess {added}\n✗ .well-known/pay.html {added}\n"
        f"✗ history/checkpoints/0003.txt {added}\n✗ history/notes.txt {added}\n"
        "Not verified: 4 problems.\n")


def test_verify_names_a_symbolic_link_and_a_loop_without_following_them(public):
    os.symlink("/etc", public / "etc")
    os.symlink("loop", public / "qingshan/loop")
    target = public / "qingshan/finance/2025-03.html"
    target.rename(public / "elsewhere.html")
    os.symlink("../../elsewhere.html", target)
    link = "is a symbolic link: a copy of the site holds only files, and what a link points " \
           "to was never sealed"
    assert verify_err(public) == (
        f"✗ elsewhere.html is not in the manifest: it was added to this copy after the seal\n"
        f"✗ etc {link}\n✗ qingshan/finance/2025-03.html {link}\n✗ qingshan/loop {link}\n"
        "Not verified: 4 problems.\n")


def test_verify_fails_an_unsigned_seal_after_signed_ones_without_the_key(public):
    # A keeper drops the key and the signatures of the newest seal: no key given, the
    # earlier seal's signature still tells.
    for name in ("history/seal.pub", "history/checkpoint.txt.sig",
                 "history/checkpoints/0002.txt.sig"):
        (public / name).unlink()
    assert verify_err(public) == (
        "✗ history/seal.pub is missing\n"
        "✗ history/checkpoint.txt.sig is missing: the checkpoint is not signed\n"
        "✗ history/checkpoints/0002.txt is not signed, though seal 1 was: a county that signs "
        "signs every seal, so this one was not made with its key\n"
        "Not verified: 3 problems.\n")


def test_verify_catches_an_old_checkpoint_s_date_edited(public):
    first = public / "history/checkpoints/0001.txt"
    first.write_text(first.read_text(encoding="utf-8").replace(f"seal 1 {TODAY1}",
                                                               "seal 1 2026-01-02"))
    err = verify_err(public)
    assert err.splitlines() == [
        "✗ history/checkpoints/0001.txt says seal 1 of 2026-01-02, but the log's entries of "
        "that seal say otherwise: the checkpoint was altered",
        "✗ history/checkpoints/0002.txt does not follow the checkpoint of seal 1: an earlier "
        "checkpoint was changed",
        "✗ history/checkpoints/0001.txt.sig: the signature does not match the signed text "
        f"(namespace “gongkai-seal”, key {err.split('key ')[-1].split(')')[0]})",
        "Not verified: 3 problems."]


def test_verify_catches_an_old_checkpoint_deleted(public):
    (public / "history/checkpoints/0001.txt").unlink()
    (public / "history/checkpoints/0001.txt.sig").unlink()
    assert verify_err(public) == (
        "✗ history/checkpoints/0001.txt is missing: every copy carries the checkpoint of each "
        "seal, and seal 1 is before the newest (2)\nNot verified: 1 problem.\n")


# --- 3. what a resident reads from other files ---------------------------------------------

ITEM = "content/qingshan/affairs/2025-03-road-hardening.md"
PDF = "content/qingshan/files/road-budget.pdf"
UNDO = ("a sealed disclosure changes only with a correction: undo the change, or add under "
        "“corrections:” in each of them an entry with its date, change, reason and approved_by")


def test_a_replaced_attachment_needs_a_correction_and_both_versions_are_kept(site, key,
                                                                              tmp_path):
    copy = copy_site(site, tmp_path / "site")
    old = (copy / PDF).read_bytes()
    (copy / PDF).write_bytes(old.replace(b"%%EOF", b"% replaced\n%%EOF"))
    code, _out, err = built(copy)
    assert code == 1
    assert err.splitlines()[0] == (
        f"{PDF}: error: this changes what sealed disclosures show (the file's bytes "
        f"changed): {ITEM}, sealed on {TODAY1} (version 1); {UNDO}")
    assert cli("seal", "--site", copy, "--today", TODAY3, "--key", key)[0] == 1
    item = copy / ITEM
    text = item.read_text(encoding="utf-8")
    item.write_text(text.replace("\n---\n", (
        "\ncorrections:\n  - {date: 2026-02-10, change: 预算表附件换为盖章版, reason: 原附件未盖章,"
        " approved_by: 村务监督委员会 李芳}\n---\n"), 1), encoding="utf-8")
    code, _out, err = cli("seal", "--site", copy, "--today", TODAY3, "--key", key)
    assert code == 0, err
    last = (copy / "history/log.jsonl").read_text(encoding="utf-8").splitlines()[-1]
    assert f'"path":"{ITEM}"' in last and '"version":2' in last
    objects = {path.read_bytes() for path in (copy / "history/objects").rglob("*")
               if path.is_file()}
    assert old in objects and (copy / PDF).read_bytes() in objects


def test_a_rule_that_changes_a_sealed_notice_period_is_named_in_the_config(site, tmp_path):
    copy = copy_site(site, tmp_path / "site")
    config = copy / "site_config.yaml"
    text = config.read_text(encoding="utf-8")
    assert text.count("notice_days: 7") == 1
    config.write_text(text.replace("notice_days: 7", "notice_days: 1"), encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if "notice_days" in row)
    code, _out, err = built(copy)
    assert code == 1
    first = err.splitlines()[0]
    assert first.startswith(
        f"site_config.yaml:{line}:16: error: rules.notice_days: this changes what sealed "
        "disclosures show (rules.notice_days: “")
    assert first.endswith(f"more, sealed on {TODAY1} (version 1); {UNDO}")


def test_a_village_name_changed_under_sealed_disclosures_is_named_in_village_yaml(site,
                                                                                  tmp_path):
    copy = copy_site(site, tmp_path / "site")
    village = copy / "content/xikou/village.yaml"
    text = village.read_text(encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), start=1)
                if row.startswith("name:"))
    name = text.splitlines()[line - 1].split(":", 1)[1].strip()
    village.write_text(text.replace(f"name: {name}", "name: 溪口新村", 1), encoding="utf-8")
    first = built(copy)[2].splitlines()[0]
    assert first.startswith(
        f"content/xikou/village.yaml:{line}:7: error: name: this changes what sealed "
        f"disclosures show (name: “{name}” → “溪口新村”): content/xikou/")


# --- 4. corrections as a 更正公告 states them ----------------------------------------------

def corrected_ledger(copy: Path, correction: str) -> Path:
    """Change the sealed payee and add one correction entry; return the ledger."""
    ledger = copy / LEDGER
    ledger.write_text(ledger.read_text(encoding="utf-8").replace(
        CHANGED_LINE, CHANGED_LINE.replace(OLD_PAYEE, NEW_PAYEE)) + "corrections:\n"
        + correction, encoding="utf-8")
    return ledger


def test_a_backdated_correction_is_refused(site, tmp_path):
    copy = copy_site(site, tmp_path / "site")
    ledger = corrected_ledger(copy, "  - {date: 2020-01-01, change: 第3笔支出收款人更正, "
                                    "reason: 抄录错误, approved_by: 村务监督委员会 李芳}\n")
    line = len(ledger.read_text(encoding="utf-8").splitlines())
    code, _out, err = built(copy)
    assert code == 1
    assert err.splitlines()[0] == (
        f"{LEDGER}:{line}:12: error: corrections[0].date: this correction is dated "
        f"2020-01-01, before the seal of version 1, which it corrects ({TODAY1}); a "
        "correction is dated the day it is made: give that day")


def test_a_correction_of_placeholders_is_refused(site, tmp_path):
    copy = copy_site(site, tmp_path / "site")
    ledger = corrected_ledger(copy, '  - {date: 2026-02-05, change: 无, reason: "-", '
                                    "approved_by: 待定}\n")
    line = len(ledger.read_text(encoding="utf-8").splitlines())
    code, _out, err = built(copy)
    expected = ("expected the words of the correction notice (更正公告), not a placeholder "
                "such as “无” or “-”, found")
    assert code == 1
    assert err.splitlines()[:3] == [
        f"{LEDGER}:{line}:32: error: corrections[0].change: {expected} “无”",
        f"{LEDGER}:{line}:43: error: corrections[0].reason: {expected} “-”",
        f"{LEDGER}:{line}:61: error: corrections[0].approved_by: {expected} “待定”"]


# --- 5. a witness: a kept checkpoint read from an address ------------------------------------

@pytest.fixture()
def witness(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A web server on 127.0.0.1 serving a folder, as a witness keeping checkpoints would."""
    import functools
    import http.server
    import threading

    folder = tmp_path / "witness"
    folder.mkdir()

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # the test's output is the CLI's
            pass

    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield folder, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_verify_since_reads_a_kept_checkpoint_from_an_address(site, witness):
    folder, address = witness
    public = site / "public"
    shutil.copy(public / "history/checkpoints/0001.txt", folder / "0001.txt")
    shutil.copy(public / "history/checkpoints/0001.txt.sig", folder / "0001.txt.sig")
    code, out, err = cli("verify", public, "--since", address + "0001.txt")
    assert (code, err) == (0, "")
    assert ("✓ the log only grew since seal 1 of 2026-01-20: entries added since: 0; none "
            "changed\n") in out
    # The witness's signature is checked too.
    signature = (folder / "0001.txt.sig").read_text()
    at = signature.index("\n-----END") - 20
    (folder / "0001.txt.sig").write_text(signature[:at] + ("7" if signature[at] != "7" else "8")
                                         + signature[at + 1:])
    code, _out, err = cli("verify", public, "--since", address + "0001.txt")
    assert code == 1
    assert err.startswith("✗ the signature does not match the signed text")


def test_verify_since_an_address_with_nothing_there_cannot_run(site, witness):
    _folder, address = witness
    code, out, err = cli("verify", site / "public", "--since", address + "0009.txt")
    assert (code, out) == (2, "")
    assert err == (f"cannot read the kept checkpoint {address}0009.txt: "
                   f"{address}0009.txt: not found\n")


# --- 5. the province as a witness -----------------------------------------------------------

def test_the_province_keeps_each_county_s_checkpoint_and_refuses_a_rewritten_log(
        site, key, tmp_path):
    root = tmp_path / "province"
    county = copy_site(site, root / "sample")
    (root / "province.yaml").write_text(
        "title: 测试省三务公开\nlanguage: en\ncounties:\n  - {id: sample, name: 示例县}\n", encoding="utf-8")
    out = tmp_path / "out"
    code, _out, err = cli("province", "--site", root, "--out", out, "--today", TODAY2)
    assert code == 0, err
    newest = (county / "public/history/checkpoint.txt").read_bytes()
    assert (root / "witness/sample.txt").read_bytes() == newest
    assert (out / "witness/sample.txt").read_bytes() == newest
    assert (out / "witness/sample.txt.sig").is_file()
    # A resident checks the county's copy against the province's, by address or file.
    code, out_text, err = cli("verify", county / "public", "--since", out / "witness/sample.txt")
    assert (code, err) == (0, ""), out_text
    # The county seals again: its log extends the kept checkpoint, which moves on.
    assert cli("seal", "--site", county, "--today", TODAY3, "--key", key)[0] == 0
    assert cli("province", "--site", root, "--out", out, "--today", TODAY3)[0] == 0
    assert checkpoint_of(root / "witness/sample.txt").seal == 3
    # The county rebuilds its log from scratch and seals it anew: refused.
    shutil.rmtree(county / "history")
    assert cli("seal", "--site", county, "--today", TODAY3, "--key", key)[0] == 0
    code, _out, err = cli("province", "--site", root, "--out", out, "--today", TODAY3)
    assert code == 1
    assert err.splitlines()[0] == (
        "province.yaml:4:5: error: county 示例县 (sample): its seal log no longer extends "
        "the checkpoint the province kept, seal 3 of 2026-02-10 (witness/sample.txt): the "
        "county rewrote or took back what it had published; the province keeps that "
        "checkpoint: ask the county why, and publish nothing of it until its log extends "
        "the kept one again")
    assert checkpoint_of(root / "witness/sample.txt").seal == 3

"""The seal log, 1. the issue's "Done when", end to end."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys

import pytest

from gongkai.trust import signing
from gongkai.trust.log import Checkpoint
from gongkai.trust.seal import manifest
from tests.helpers.cli import cli
from tests.helpers.html import element, text_of
from tests.helpers.seal import (
    FIX,
    LEDGER,
    NEW_PAYEE,
    OLD_PAYEE,
    SHA256SUM,
    SSH_KEYGEN,
    TODAY1,
    TODAY2,
    Corrected,
    checking,
    checkpoint_of,
    every_seal,
    flip,
    log_passed,
    record_block,
    replace_once,
    seal_line,
    sealed_message,
    signature_valid,
    verified,
)
from tests.helpers.sites import REPO, MakeSite, copy_site


def test_keygen_writes_a_private_key_only_its_owner_reads_and_says_its_fingerprint(sealed):
    code, out, err = sealed.keygen
    public = sealed.key.with_name("seal_ed25519.pub")
    fingerprint = signing.fingerprint(signing.parse_public_key(public.read_text()))
    assert (code, err) == (0, "")
    assert out == (
        f"Wrote the private key {sealed.key} (keep it secret, keep a copy somewhere safe) and "
        f"the public key {public}. Its fingerprint: {fingerprint}; post it where residents can "
        f"see it. Seal with “gongkai seal --key {sealed.key}”.\n")
    assert sealed.key.stat().st_mode & 0o777 == 0o600
    assert public.read_text().startswith("ssh-ed25519 ")


def test_the_first_seal_records_every_disclosure_and_publishes_the_key(sealed):
    code, out, _err = sealed.seal
    history = sealed.site / "history"
    entries = (history / "log.jsonl").read_text(encoding="utf-8").splitlines()
    checkpoint = checkpoint_of(history / "checkpoints/0001.txt")
    assert code == 0
    assert out.endswith(sealed_message(1, TODAY1, len(entries), checkpoint.short))
    assert checkpoint.size == len(entries) > 100  # every ledger and item of the sample
    assert '"path":"content/qingshan/finance/2025-03.yaml"' in "\n".join(entries)
    assert (history / "seal.pub").read_text() == (
        sealed.key.with_name("seal_ed25519.pub").read_text().split()[0] + " "
        + sealed.key.with_name("seal_ed25519.pub").read_text().split()[1] + " "
        "sanwu.example.cn\n")
    published = sealed.site / "public/history"
    assert (published / "checkpoint.txt").read_text() == checkpoint.text()
    assert (published / "log.jsonl").read_bytes() == (history / "log.jsonl").read_bytes()
    assert (published / "seal.pub").read_bytes() == (history / "seal.pub").read_bytes()
    page = (sealed.site / "public/qingshan/finance/2025-03.html").read_text(encoding="utf-8")
    assert seal_line(page) == (
        f"Version 1, sealed on January 20, 2026, seal hash {checkpoint.short}")
    assert '<section class="record"' not in page  # nothing corrected yet


def test_a_sealed_ledger_changed_without_a_correction_fails_naming_file_line_and_change(
        corrected):
    code, out, err = corrected.uncorrected
    ledger = (corrected.site / LEDGER).read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(ledger, start=1) if NEW_PAYEE in text)
    column = ledger[line - 1].index(NEW_PAYEE) + 1
    assert (code, out) == (1, "")
    assert err == (
        f"{LEDGER}:{line}:{column}: error: expense[2].payee: this disclosure was sealed on "
        f"{TODAY1} (version 1) and has changed since without a correction entry: "
        f"expense[2].payee: “{OLD_PAYEE}” → “{NEW_PAYEE}”; {FIX}\n"
        f"1 error, 0 warnings. Nothing was written; {corrected.site / 'public'} is unchanged.\n")


def test_with_a_correction_the_build_passes_and_the_page_shows_the_correction(corrected):
    code, _out, err = corrected.corrected
    assert code == 0, err
    page = corrected.pages["2025-03.html"]
    assert record_block(page) == (
        "Corrections Corrected on February 3, 2026: 第3笔支出收款人由“县供电公司”更正为“县电力公司” "
        "Reason 抄录错误 Approved by 村务监督委员会 李芳 "
        "Earlier versions: version 1 (sealed on January 20, 2026)")
    assert '<a href="2025-03.v1.html">' in page
    assert NEW_PAYEE in page
    assert '<p class="seal meta">' not in page  # the corrected version is not sealed yet


def test_the_earlier_version_keeps_its_address_and_links_to_the_current_one(corrected):
    old = corrected.pages["2025-03.v1.html"]
    banner = element(old, r'<p class="superseded".*?</p>')
    assert text_of(banner) == ("This is version 1, sealed on January 20, 2026; it has since "
                               "been corrected. Read the current version")
    assert '<a href="2025-03.html">Read the current version</a>' in banner
    assert OLD_PAYEE in old and NEW_PAYEE not in old.split("</header>")[-1]
    # Still there, unchanged, after the next seal.
    after = corrected.site / "public/qingshan/finance/2025-03.v1.html"
    assert element(after.read_text(encoding="utf-8"), r'<p class="superseded".*?</p>') == banner


def test_the_second_seal_records_the_corrected_version_on_page_and_poster(corrected, sealed):
    code, out, _err = corrected.seal
    history = corrected.site / "history"
    checkpoint = checkpoint_of(history / "checkpoints/0002.txt")
    assert code == 0
    assert out.endswith(sealed_message(2, TODAY2, 1, checkpoint.short))
    last = (history / "log.jsonl").read_text(encoding="utf-8").splitlines()[-1]
    assert f'"path":"{LEDGER}"' in last and '"version":2' in last and '"seal":2' in last
    assert '"corrections":1' in last
    # Seal 1's checkpoint is kept as it was.
    assert (history / "checkpoints/0001.txt").read_text() == sealed.kept.read_text()
    public = corrected.site / "public"
    page = (public / "qingshan/finance/2025-03.html").read_text(encoding="utf-8")
    shown = f"Version 2, sealed on February 5, 2026, seal hash {checkpoint.short}"
    assert seal_line(page) == shown
    poster = (public / "qingshan/poster/2025-03.html").read_text(encoding="utf-8")
    # Every wall sheet carries the seal at its top left (one sheet here).
    assert text_of(element(poster, r'<p class="poster-seal">.*?</p>')) == (
        f"Sealed 2026-02-05, version 2, {checkpoint.short}")


def test_verify_accepts_the_sealed_copy(corrected):
    public = corrected.site / "public"
    assert cli("verify", public) == (0, verified(public, []), "")


def test_verify_runs_as_a_command(corrected):
    public = corrected.site / "public"
    env = {**os.environ, "PYTHONPATH": str(REPO), "GONGKAI_LANG": "en"}
    done = subprocess.run([sys.executable, "-m", "gongkai", "verify", str(public)], env=env,
                          capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (0, verified(public, []), "")


def test_a_later_build_of_the_same_content_still_verifies(corrected, tmp_path):
    site = copy_site(corrected.site, tmp_path / "site")
    code, _out, err = cli("build", "--site", site, "--today", TODAY2)
    assert code == 0, err
    public = site / "public"
    assert cli("verify", public) == (0, verified(public, []), "")


def test_ssh_keygen_accepts_the_checkpoint_signature(corrected, tmp_path):
    published = corrected.site / "public/history"
    kind, blob = (published / "seal.pub").read_text().split()[:2]
    signers = tmp_path / "allowed_signers"
    signers.write_text(f"county@sanwu.example.cn {kind} {blob}\n")
    done = subprocess.run(
        [SSH_KEYGEN, "-Y", "verify", "-f", str(signers), "-I", "county@sanwu.example.cn",
         "-n", "gongkai-seal", "-s", str(published / "checkpoint.txt.sig")],
        input=(published / "checkpoint.txt").read_bytes(), capture_output=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode().startswith(
        'Good "gongkai-seal" signature for county@sanwu.example.cn with ED25519 key SHA256:')
    # A checkpoint with one byte changed is refused by ssh-keygen too.
    bad = bytearray((published / "checkpoint.txt").read_bytes())
    bad[-3] ^= 0x01
    done = subprocess.run(
        [SSH_KEYGEN, "-Y", "verify", "-f", str(signers), "-I", "county@sanwu.example.cn",
         "-n", "gongkai-seal", "-s", str(published / "checkpoint.txt.sig")],
        input=bytes(bad), capture_output=True, check=False)
    assert done.returncode != 0


def test_sha256sum_checks_the_manifest_inside_the_output(corrected):
    public = corrected.site / "public"
    done = subprocess.run([SHA256SUM, "--strict", "--quiet", "-c", "history/manifest.sha256"],
                          cwd=public, capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    listed = [line.split("  ", 1)[1] for line in
              (public / "history/manifest.sha256").read_text().splitlines()]
    assert listed == sorted(listed)
    assert "history/log.jsonl" in listed and "history/seal.pub" in listed
    assert "qingshan/finance/2025-03.v1.html" in listed
    assert "history/checkpoint.txt" not in listed and "history/manifest.sha256" not in listed


@pytest.fixture(scope="module")
def flipped(corrected: Corrected, tmp_path_factory: pytest.TempPathFactory
            ) -> dict[str, tuple[int, str, str]]:
    """Change one byte of each kind of file in a copy of the sealed output, one at a time,
    and verify after each (the byte is put back before the next)."""
    public = tmp_path_factory.mktemp("flipped") / "public"
    shutil.copytree(corrected.site / "public", public)
    listed = (public / "history/manifest.sha256").read_bytes()  # offsets in bytes
    page_line = listed.rindex(b"\n", 0, listed.index(b"  qingshan/finance/2025-03.html\n")) + 1
    css = next((public / "assets").glob("style.*.css")).relative_to(public).as_posix()
    signature = (public / "history/checkpoint.txt.sig").read_text()
    body_end = signature.index("\n-----END")
    checkpoint = (public / "history/checkpoint.txt").read_text()
    root_at = checkpoint.index("\n", checkpoint.index("\n") + 1) + 11
    log = (public / "history/log.jsonl").read_text(encoding="utf-8")
    log_at = len(log[:log.index('"content":"') + 20].encode())
    targets = {
        "qingshan/finance/2025-03.html": 2000,
        css: 500,
        "qingshan/files/road-budget.pdf": None,
        "history/manifest.sha256": page_line + 10,
        "history/log.jsonl": log_at,
        "history/checkpoint.txt": root_at,
        "history/checkpoint.txt.sig": body_end - 20,  # inside the raw signature bytes
    }
    results = {}
    for name, offset in targets.items():
        path = public / name
        if offset is None:  # the first letter or digit in the middle of a binary file
            data = path.read_bytes()
            offset = next(i for i in range(len(data) // 2, len(data))
                          if chr(data[i]).isalnum() and data[i] < 128)
        while not chr(path.read_bytes()[offset]).isalnum():
            offset += 1
        original = flip(path, offset)
        results[name] = cli("verify", public)
        path.write_bytes(original)
    assert cli("verify", public)[0] == 0  # every byte put back
    results["css"] = results.pop(css)
    return results


def test_verify_fails_on_a_changed_page(flipped, corrected):
    public = corrected.site / "public"
    assert flipped["qingshan/finance/2025-03.html"] == (
        1, checking(public) + "\n" + log_passed(public) + signature_valid(public) + every_seal(public) + "\n",
        "✗ qingshan/finance/2025-03.html differs from the manifest\nNot verified: 1 problem.\n")


def test_verify_fails_on_a_changed_stylesheet(flipped, corrected):
    public = corrected.site / "public"
    css = next((public / "assets").glob("style.*.css")).relative_to(public).as_posix()
    assert flipped["css"] == (
        1, checking(public) + "\n" + log_passed(public) + signature_valid(public) + every_seal(public) + "\n",
        f"✗ {css} differs from the manifest\nNot verified: 1 problem.\n")


def test_verify_fails_on_a_changed_attachment(flipped, corrected):
    public = corrected.site / "public"
    assert flipped["qingshan/files/road-budget.pdf"] == (
        1, checking(public) + "\n" + log_passed(public) + signature_valid(public) + every_seal(public) + "\n",
        "✗ qingshan/files/road-budget.pdf differs from the manifest\nNot verified: 1 problem.\n")


def test_verify_fails_on_a_changed_manifest(flipped, corrected):
    public = corrected.site / "public"
    assert flipped["history/manifest.sha256"] == (
        1, checking(public) + "\n" + log_passed(public) + signature_valid(public) + every_seal(public) + "\n",
        "✗ history/manifest.sha256 is not the manifest seal 2 signed: the files of this copy "
        "are not the site as sealed on 2026-02-05\n"
        "✗ qingshan/finance/2025-03.html differs from the manifest\n"
        "Not verified: 2 problems.\n")


def test_verify_fails_on_a_changed_log(flipped, corrected):
    public = corrected.site / "public"
    assert flipped["history/log.jsonl"] == (
        1, checking(public) + "\n" + signature_valid(public),
        "✗ history/log.jsonl differs from the manifest\n"
        "✗ history/log.jsonl does not hash to the root of seal 2: the log was altered\n"
        "Not verified: 2 problems.\n")


def test_verify_fails_on_a_changed_checkpoint(flipped, corrected):
    public = corrected.site / "public"
    count = len((public / "history/manifest.sha256").read_text().splitlines())
    key = signing.parse_public_key((public / "history/seal.pub").read_text())
    assert flipped["history/checkpoint.txt"] == (
        1, checking(public) + f"\n✓ {count} files match the manifest\n",
        "✗ history/log.jsonl does not hash to the root of seal 2: the log was altered\n"
        "✗ the signature does not match the signed text (namespace “gongkai-seal”, key "
        f"{signing.fingerprint(key)})\n"
        "Not verified: 2 problems.\n")


def test_verify_fails_on_a_changed_signature(flipped, corrected):
    public = corrected.site / "public"
    count = len((public / "history/manifest.sha256").read_text().splitlines())
    key = signing.parse_public_key((public / "history/seal.pub").read_text())
    assert flipped["history/checkpoint.txt.sig"] == (
        1, checking(public) + f"\n✓ {count} files match the manifest\n" + log_passed(public) + every_seal(public)
        + "\n",
        "✗ the signature does not match the signed text (namespace “gongkai-seal”, key "
        f"{signing.fingerprint(key)})\nNot verified: 1 problem.\n")


def test_verify_names_a_file_added_or_removed(corrected, tmp_path):
    public = tmp_path / "public"
    shutil.copytree(corrected.site / "public", public)
    (public / "qingshan/extra.html").write_text("<p>不是公开的内容</p>", encoding="utf-8")
    (public / "qingshan/finance/2025-03.v1.html").unlink()
    assert cli("verify", public) == (
        1, checking(public) + "\n" + log_passed(public) + signature_valid(public) + every_seal(public) + "\n",
        "✗ qingshan/finance/2025-03.v1.html is missing\n"
        "✗ qingshan/extra.html is not in the manifest: it was added to this copy after the "
        "seal\n"
        "Not verified: 2 problems.\n")


def test_verify_with_another_key_fails(corrected, tmp_path):
    _other, other_pub = signing.generate_keypair(tmp_path / "other", "someone")
    public = corrected.site / "public"
    code, _out, err = cli("verify", public, "--key", other_pub)
    given = signing.fingerprint(signing.parse_public_key(other_pub.read_text()))
    county = signing.fingerprint(signing.parse_public_key(
        (public / "history/seal.pub").read_text()))
    assert code == 1
    wrong = f"the signature was made with key {county} but the expected key is {given}"
    assert err == (f"✗ {wrong}\n✗ history/checkpoints/0001.txt.sig: {wrong}\n"
                   f"✗ history/checkpoints/0002.txt.sig: {wrong}\nNot verified: 3 problems.\n")



def test_verify_with_the_county_key_given_as_a_line(corrected):
    public = corrected.site / "public"
    line = (public / "history/seal.pub").read_text().strip()
    key = signing.parse_public_key(line)
    code, out, err = cli("verify", public, "--key", line)
    assert (code, err) == (0, "")
    assert f"✓ the signature is valid, by the key you gave: {signing.fingerprint(key)}\n" in out


def test_verify_says_a_copy_that_was_never_sealed_is_not_verified(make_site: MakeSite):
    site = make_site()
    assert cli("build", "--site", site)[0] == 0
    assert cli("verify", site / "public") == (
        1, "", "✗ history/checkpoint.txt is missing: this copy of the site was never sealed, "
        "or it is incomplete\nNot verified: 1 problem.\n")


def test_a_copy_that_carries_the_key_but_lost_its_signature_is_not_verified(corrected,
                                                                            tmp_path):
    public = tmp_path / "public"
    shutil.copytree(corrected.site / "public", public)
    history = public / "history"
    replace_once(public / "qingshan/finance/2025-03.html", NEW_PAYEE + "<", "某某公司<")
    (history / "checkpoint.txt.sig").unlink()
    (history / "manifest.sha256").write_bytes(manifest(public))
    old = checkpoint_of(history / "checkpoint.txt")
    digest = hashlib.sha256((history / "manifest.sha256").read_bytes()).hexdigest()
    forged = Checkpoint(old.origin, old.size, old.root, old.seal, old.date, digest)
    (history / "checkpoint.txt").write_text(forged.text(), encoding="utf-8")
    code, _out, err = cli("verify", public)
    assert code == 1
    assert "✗ history/checkpoint.txt.sig is missing: the checkpoint is not signed\n" in err

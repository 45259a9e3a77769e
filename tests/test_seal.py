"""The seal log (issue 17): corrections, earlier versions, seals anyone can verify.

Every test runs the command line in-process on an English copy of the sample county
(or a small site), with pinned dates; the sealed site is made once and copied by the
tests that change it.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path

import feedparser
import pytest

from gongkai.cli.main import main
from gongkai.core.fingerprint import file_sha256
from gongkai.trust import signing
from gongkai.trust.log import Checkpoint, leaf_hash, parse_checkpoint, roots
from gongkai.trust.seal import manifest
from tests.conftest import CONFIG, REPO, MakeSite

SSH_KEYGEN = shutil.which("ssh-keygen") or "/usr/bin/ssh-keygen"
SHA256SUM = shutil.which("sha256sum") or "/usr/bin/sha256sum"
TODAY1, TODAY2 = "2026-01-20", "2026-02-05"
CORRECTED_ON = "2026-02-03"
LEDGER = "content/qingshan/finance/2025-03.yaml"
OLD_PAYEE, NEW_PAYEE = "县供电公司", "县电力公司"
CHANGED_LINE = "payee: 县供电公司, voucher: 记-005"
CORRECTION = ("corrections:\n  - {date: 2026-02-03, change: 第3笔支出收款人由“县供电公司”更正为"
              "“县电力公司”, reason: 抄录错误, approved_by: 村务监督委员会 李芳}\n")
FIX = ("if the change is right, add under “corrections:” an entry with its date, change (what "
       "changed), reason and approved_by (who approved it); otherwise undo the change")


# --- helpers ------------------------------------------------------------------------------

def cli(*args: str | Path) -> tuple[int, str, str]:
    """Run the CLI in-process; return (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def english_sample(target: Path) -> Path:
    """Copy the sample county's content and configuration, in English, to ``target``."""
    shutil.copytree(REPO / "content", target / "content")
    config = (REPO / "site_config.yaml").read_text(encoding="utf-8")
    assert "  language: zh-CN\n" in config
    (target / "site_config.yaml").write_text(
        config.replace("  language: zh-CN\n", "  language: en\n"), encoding="utf-8")
    return target


def copy_site(site: Path, target: Path) -> Path:
    """Copy a site folder (content, history/, public/ and the cache) for a test to change."""
    shutil.copytree(site, target, symlinks=True)
    return target


def text_of(fragment: str) -> str:
    """Return an HTML fragment's text, tags dropped and spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def element(html: str, pattern: str) -> str:
    """Return the one element of a page matching a regular expression (from its tag)."""
    found = re.findall(pattern, html, re.S)
    assert len(found) == 1, (pattern, found)
    return str(found[0])


def record_block(html: str) -> str:
    """Return a page's 更正记录 block as text."""
    return text_of(element(html, r'<section class="record".*?</section>'))


def seal_line(html: str) -> str:
    """Return the text of a page's seal line."""
    return text_of(element(html, r'<p class="seal meta">.*?</p>'))


def checkpoint_of(path: Path) -> Checkpoint:
    """Read a checkpoint file."""
    return parse_checkpoint(path.read_text(encoding="utf-8"), str(path))


def sealed_message(seal: int, day: str, versions: int, short: str) -> str:
    """What ``gongkai seal`` says when it sealed."""
    counted = f"{versions} new version" + ("" if versions == 1 else "s")
    return (f"Sealed: seal {seal} of {day}, {counted}, seal hash {short}. Commit "
            "history/ and publish the output as it is; the wall poster shows the seal hash.\n")


def verified(public: Path, lines: list[str]) -> str:
    """What ``gongkai verify`` prints for a good copy sealed with the key the copy carries."""
    key = signing.parse_public_key((public / "history/seal.pub").read_text(encoding="utf-8"))
    checkpoint = checkpoint_of(public / "history/checkpoint.txt")
    count = len((public / "history/manifest.sha256").read_text().splitlines())
    return "".join(line + "\n" for line in [
        checking(public),
        f"✓ {count} files match the manifest",
        f"✓ the log's {checkpoint.size} entries hash to the root of seal {checkpoint.seal} of "
        f"{checkpoint.date.isoformat()}: {checkpoint.short}",
        f"✓ the signature is valid, by the key this copy carries: {signing.fingerprint(key)}; "
        "compare it with the fingerprint the county posts on the wall, or pass that key "
        "with --key", every_seal(public), *lines,
        "Verified: this copy is the site as sealed."])


def checking(public: Path) -> str:
    """The first line verify prints: which copy, of which site and seal."""
    checkpoint = checkpoint_of(public / "history/checkpoint.txt")
    return (f"Checking a copy of the site {checkpoint.origin}, as sealed on "
            f"{checkpoint.date.isoformat()} (seal {checkpoint.seal})")


def every_seal(public: Path) -> str:
    """The line verify prints when every seal's checkpoint matches the log."""
    seals = [checkpoint_of(path) for path in sorted((public / "history/checkpoints").glob("*.txt"))]
    hashes = ", ".join(f"{c.seal}: {c.date.isoformat()} {c.short}" for c in seals)
    return f"✓ every seal's checkpoint ({len(seals)}) matches the start of the log: {hashes}"


def signature_valid(public: Path) -> str:
    """The line verify prints when the copy's signature is good."""
    key = signing.parse_public_key((public / "history/seal.pub").read_text(encoding="utf-8"))
    return (f"✓ the signature is valid, by the key this copy carries: {signing.fingerprint(key)}; "
            "compare it with the fingerprint the county posts on the wall, or pass that key "
            "with --key\n")


def log_passed(public: Path) -> str:
    """The line verify prints when the copy's log hashes to its checkpoint."""
    checkpoint = checkpoint_of(public / "history/checkpoint.txt")
    return (f"✓ the log's {checkpoint.size} entries hash to the root of seal {checkpoint.seal} "
            f"of {checkpoint.date.isoformat()}: {checkpoint.short}\n")


def replace_once(path: Path, old: str, new: str) -> None:
    """Replace a text that occurs exactly once in a file."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def flip(path: Path, offset: int) -> bytes:
    """Change the one byte at ``offset`` (a letter or digit) to another; return the original."""
    data = path.read_bytes()
    byte = data[offset]
    assert chr(byte).isalnum(), (path, offset, chr(byte))
    changed = b"7" if byte != ord("7") else b"8"
    path.write_bytes(data[:offset] + changed + data[offset + 1:])
    return data


def rewrite_entry(log: Path, number: int) -> None:
    """Change one hex digit of the content digest of a log entry (the line stays canonical)."""
    lines = log.read_text(encoding="utf-8").splitlines(keepends=True)
    line = lines[number - 1]
    at = line.index('"content":"') + len('"content":"')
    lines[number - 1] = line[:at] + ("0" if line[at] != "0" else "1") + line[at + 1:]
    log.write_text("".join(lines), encoding="utf-8")


# --- the sealed sample county, shared -----------------------------------------------------

@pytest.fixture(scope="module", autouse=True)
def english_cli() -> Iterator[None]:
    """Let keygen and verify (which have no site) speak English."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GONGKAI_LANG", "en")
        yield


@dataclass
class Sealed:
    """The sample county sealed once, signed: where everything is and what was said."""

    site: Path
    key: Path
    keygen: tuple[int, str, str]
    seal: tuple[int, str, str]
    kept: Path  # a resident's copy of seal 1's checkpoint.txt (and .sig beside it)


@dataclass
class Corrected:
    """The sealed county after an uncorrected edit, its correction, and seal 2."""

    site: Path
    uncorrected: tuple[int, str, str]
    corrected: tuple[int, str, str]
    pages: dict[str, str] = field(default_factory=dict)  # pages after the corrected build
    seal: tuple[int, str, str] = (0, "", "")


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder outside every site, for keys."""
    return tmp_path_factory.mktemp("keys")


@pytest.fixture(scope="module")
def sealed(tmp_path_factory: pytest.TempPathFactory, keys: Path) -> Sealed:
    """Make the county's key, then seal the sample county once (seal 1)."""
    key = keys / "county" / "seal_ed25519"
    made = cli("keygen", key, "--name", "sanwu.example.cn")
    site = english_sample(tmp_path_factory.mktemp("sealed") / "site")
    sealing = cli("seal", "--site", site, "--today", TODAY1, "--key", key)
    kept = tmp_path_factory.mktemp("resident") / "checkpoint.txt"
    if sealing[0] == 0:
        shutil.copy(site / "public/history/checkpoint.txt", kept)
        shutil.copy(site / "public/history/checkpoint.txt.sig", kept.with_name(kept.name + ".sig"))
    return Sealed(site, key, made, sealing, kept)


@pytest.fixture(scope="module")
def corrected(tmp_path_factory: pytest.TempPathFactory, sealed: Sealed) -> Corrected:
    """Change a sealed payee without a correction, then with one; then seal again."""
    site = copy_site(sealed.site, tmp_path_factory.mktemp("corrected") / "site")
    ledger = site / LEDGER
    replace_once(ledger, CHANGED_LINE, CHANGED_LINE.replace(OLD_PAYEE, NEW_PAYEE))
    uncorrected = cli("build", "--site", site, "--today", TODAY2)
    ledger.write_text(ledger.read_text(encoding="utf-8") + CORRECTION, encoding="utf-8")
    fixed = cli("build", "--site", site, "--today", TODAY2)
    state = Corrected(site, uncorrected, fixed)
    finance = site / "public/qingshan/finance"
    for name in ("2025-03.html", "2025-03.v1.html"):
        if (finance / name).is_file():
            state.pages[name] = (finance / name).read_text(encoding="utf-8")
    state.seal = cli("seal", "--site", site, "--today", TODAY2, "--key", sealed.key)
    return state


# --- 1. the "Done when", end to end -------------------------------------------------

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
        1, checking(public) + "\n" + log_passed(public) + signature_valid(public)
        + every_seal(public) + "\n",
        "✗ qingshan/finance/2025-03.html differs from the manifest\nNot verified: 1 problem.\n")


def test_verify_fails_on_a_changed_stylesheet(flipped, corrected):
    public = corrected.site / "public"
    css = next((public / "assets").glob("style.*.css")).relative_to(public).as_posix()
    assert flipped["css"] == (
        1, checking(public) + "\n" + log_passed(public) + signature_valid(public)
        + every_seal(public) + "\n",
        f"✗ {css} differs from the manifest\nNot verified: 1 problem.\n")


def test_verify_fails_on_a_changed_attachment(flipped, corrected):
    public = corrected.site / "public"
    assert flipped["qingshan/files/road-budget.pdf"] == (
        1, checking(public) + "\n" + log_passed(public) + signature_valid(public)
        + every_seal(public) + "\n",
        "✗ qingshan/files/road-budget.pdf differs from the manifest\nNot verified: 1 problem.\n")


def test_verify_fails_on_a_changed_manifest(flipped, corrected):
    public = corrected.site / "public"
    assert flipped["history/manifest.sha256"] == (
        1, checking(public) + "\n" + log_passed(public) + signature_valid(public)
        + every_seal(public) + "\n",
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
        1, checking(public) + "\n" + log_passed(public) + signature_valid(public)
        + every_seal(public) + "\n",
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

# --- 2. --since: the log only grows -------------------------------------------------------

def test_verify_since_an_old_checkpoint_says_the_log_only_grew(corrected, sealed):
    public = corrected.site / "public"
    assert cli("verify", public, "--since", sealed.kept) == (0, verified(public, [
        "✓ the log only grew since seal 1 of 2026-01-20: entries added since: 1; none changed"]),
        "")


def test_a_rewritten_log_in_the_site_stops_the_build(corrected, tmp_path):
    site = copy_site(corrected.site, tmp_path / "site")
    before = (site / "public/history/log.jsonl").read_bytes()
    rewrite_entry(site / "history/log.jsonl", 1)
    code, out, err = cli("build", "--site", site, "--today", TODAY2)
    size = checkpoint_of(site / "history/checkpoints/0001.txt").size
    assert (code, out) == (1, "")
    assert err == (
        "history/checkpoints/0001.txt: error: the seal log was altered: its first "
        f"{size} entries no longer match the checkpoint of seal 1 "
        "(history/checkpoints/0001.txt); restore history/ from the copy that was published "
        "(git checkout history/)\n"
        f"1 error, 0 warnings. Nothing was written; {site / 'public'} is unchanged.\n")
    assert (site / "public/history/log.jsonl").read_bytes() == before
    # Nor will it seal over the rewritten log.
    assert cli("seal", "--site", site, "--today", TODAY2, "--key", "/nonexistent")[0] == 2


def test_an_entry_of_the_last_seal_rewritten_names_that_seal(corrected, tmp_path):
    site = copy_site(corrected.site, tmp_path / "site")
    lines = (site / "history/log.jsonl").read_text().splitlines()
    rewrite_entry(site / "history/log.jsonl", len(lines))
    code, _out, err = cli("build", "--site", site, "--today", TODAY2)
    assert code == 1
    assert err.startswith(
        "history/checkpoints/0002.txt: error: the seal log was altered: its first "
        f"{len(lines)} entries no longer match the checkpoint of seal 2 "
        "(history/checkpoints/0002.txt)")


def test_log_lines_no_checkpoint_covers_are_an_unfinished_seal_written_over(corrected, sealed,
                                                                              tmp_path):
    # The checkpoint-to-be (0003.next) is written before the log's new lines and renamed
    # after them: a seal killed in between leaves lines no seal covers, never published.
    # The build leaves them out and the next seal writes over them.
    site = copy_site(corrected.site, tmp_path / "site")
    log = site / "history/log.jsonl"
    before = log.read_text(encoding="utf-8")
    last = before.splitlines(keepends=True)[-1]
    log.write_text(before + last.replace('"version":2', '"version":3') + '{"cut', encoding="utf-8")
    (site / "history/checkpoints/0003.next").write_text("sanwu.example.cn\n108\n",
                                                       encoding="utf-8")
    assert cli("build", "--site", site, "--today", TODAY2)[0] == 0
    assert cli("seal", "--site", site, "--today", TODAY2, "--key", sealed.key)[0] == 0
    assert log.read_text(encoding="utf-8") == before
    assert checkpoint_of(site / "history/checkpoints/0003.txt").size == len(before.splitlines())


def test_a_copy_with_a_rewritten_log_fails_verify(corrected, sealed, tmp_path):
    public = tmp_path / "public"
    shutil.copytree(corrected.site / "public", public)
    rewrite_entry(public / "history/log.jsonl", 1)
    code, _out, err = cli("verify", public, "--since", sealed.kept)
    assert code == 1
    assert err == (
        "✗ history/log.jsonl differs from the manifest\n"
        "✗ history/log.jsonl does not hash to the root of seal 2: the log was altered\n"
        "Not verified: 2 problems.\n")


def test_a_forger_holding_the_key_is_caught_by_an_old_checkpoint(corrected, sealed, tmp_path):
    """Rewrite seal 1's part of the log, then recompute the root, the manifest and the
    checkpoint and sign them with the county's own key: only the kept checkpoint tells."""
    public = tmp_path / "public"
    shutil.copytree(corrected.site / "public", public)
    history = public / "history"
    rewrite_entry(history / "log.jsonl", 1)
    lines = (history / "log.jsonl").read_text(encoding="utf-8").splitlines()
    old = checkpoint_of(history / "checkpoint.txt")
    root = roots((leaf_hash(line.encode()) for line in lines), [len(lines)])[len(lines)]
    (history / "manifest.sha256").write_bytes(manifest(public))
    digest = hashlib.sha256((history / "manifest.sha256").read_bytes()).hexdigest()
    forged = Checkpoint(old.origin, old.size, root, old.seal, old.date, digest)
    (history / "checkpoint.txt").write_text(forged.text(), encoding="utf-8")
    key = signing.load_private_key(sealed.key)
    (history / "checkpoint.txt.sig").write_text(signing.sign(key, forged.text().encode()),
                                               encoding="ascii")
    # The copy's own list of every seal's checkpoint gives the rewrite away: forged too.
    code, _out, err = cli("verify", public)
    assert code == 1
    assert err == "".join(
        f"✗ history/{name} does not match the start of the log: the log was rewritten since "
        f"seal {seal}\n" for seal, name in ((1, "checkpoints/0001.txt"),
                                            (2, "checkpoints/0002.txt"))) + (
        "✗ history/checkpoint.txt is not the newest seal's checkpoint\n"
        "Not verified: 3 problems.\n")
    previous = ""
    for path in sorted((history / "checkpoints").glob("*.txt")):
        seal = checkpoint_of(path)
        again = roots((leaf_hash(line.encode()) for line in lines), [seal.size])[seal.size]
        rebuilt = Checkpoint(seal.origin, seal.size, again, seal.seal, seal.date,
                             digest if seal.seal == forged.seal else seal.manifest, previous)
        path.write_text(rebuilt.text(), encoding="utf-8")
        path.with_name(path.name + ".sig").write_text(
            signing.sign(key, rebuilt.text().encode()), encoding="ascii")
        previous = rebuilt.digest
    shutil.copy(path, history / "checkpoint.txt")
    shutil.copy(path.with_name(path.name + ".sig"), history / "checkpoint.txt.sig")
    assert cli("verify", public)[0] == 0  # self-consistent: it takes an old checkpoint
    code, out, err = cli("verify", public, "--since", sealed.kept)
    assert code == 1
    assert "✓ the log only grew" not in out
    assert err == (
        f"✗ the log was rewritten since seal 1 of 2026-01-20 (the checkpoint in {sealed.kept}): "
        f"its first {checkpoint_of(sealed.kept).size} entries no longer hash to that "
        "checkpoint's root\nNot verified: 1 problem.\n")


def test_every_seal_s_checkpoint_is_published(corrected, tmp_path):
    # Each seal's checkpoint is published (history/checkpoints/): the hash on a wall sheet
    # printed after seal 1 can be looked up, and a rewritten log no longer matches it.
    public = tmp_path / "public"
    shutil.copytree(corrected.site / "public", public)
    assert sorted(p.name for p in (public / "history/checkpoints").iterdir()) == [
        "0001.txt", "0001.txt.sig", "0002.txt", "0002.txt.sig"]
    assert (public / "history/checkpoints/0002.txt").read_text() == \
        (public / "history/checkpoint.txt").read_text()


def test_an_old_checkpoint_with_a_forged_signature_fails(corrected, sealed, tmp_path):
    kept = tmp_path / "checkpoint.txt"
    shutil.copy(sealed.kept, kept)
    signature = sealed.kept.with_name("checkpoint.txt.sig").read_text()
    at = signature.index("\n-----END") - 20
    changed = "7" if signature[at] != "7" else "8"
    kept.with_name("checkpoint.txt.sig").write_text(signature[:at] + changed
                                                    + signature[at + 1:])
    code, _out, err = cli("verify", corrected.site / "public", "--since", kept)
    assert code == 1
    assert err.startswith("✗ the signature does not match the signed text")



def test_a_changed_copy_of_a_sealed_version_stops_the_build(corrected, tmp_path):
    site = copy_site(corrected.site, tmp_path / "site")
    entries = [json.loads(line) for line in
               (site / "history/log.jsonl").read_text(encoding="utf-8").splitlines()]
    digest = next(e["source"] for e in entries if e["path"] == LEDGER and e["version"] == 1)
    shown = f"history/objects/{digest[:2]}/{digest[2:]}"
    (site / shown).chmod(0o644)
    (site / shown).write_bytes((site / shown).read_bytes() + b"# \n")
    code, _out, err = cli("build", "--site", site, "--today", TODAY2)
    assert code == 1
    assert f"{shown}: error: {shown} was changed: its bytes no longer match its name\n" in err

# --- 3. what needs a correction, and what does not ----------------------------------------

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

# --- 4. balances moved by a correction of an earlier period -------------------------------

SMALL_CONFIG = CONFIG.replace("  today: 2025-04-08\n", "  language: en\n  today: 2025-05-10\n")
MARCH = """\
published: 2025-04-05
prepared_by: 王会计
reviewed_by: {names: [李芳, 赵强], date: 2025-04-03, opinion: 经审核，收支真实}
opening_balance: 152340.00
income:
  - {date: 2025-03-02, category: 经营收入, item: 鱼塘承包费, amount: 12000.00, voucher: 记-003}
expense:
  - {date: 2025-03-10, category: 公益支出, item: 路灯维修, amount: 3200.50, payee: 青山电器店, voucher: 记-011}
closing_balance: 161139.50
"""
APRIL = """\
published: 2025-05-06
prepared_by: 王会计
reviewed_by: {names: [李芳, 赵强], date: 2025-05-04, opinion: 经审核，收支真实}
opening_balance: 161139.50
income:
  - {date: 2025-04-02, category: 经营收入, item: 店面租金, amount: 2800.00, voucher: 记-001}
expense:
  - {date: 2025-04-10, category: 公益支出, item: 保洁工资, amount: 1900.00, payee: 保洁员, voucher: 记-002}
closing_balance: 162039.50
"""


def test_a_corrected_period_moves_the_next_periods_opening_balance(make_site: MakeSite):
    site = make_site({"site_config.yaml": SMALL_CONFIG,
                      "content/qingshan/finance/2025-03.yaml": MARCH,
                      "content/qingshan/finance/2025-04.yaml": APRIL})
    assert cli("seal", "--site", site, "--today", "2025-05-10")[0] == 0
    march, april = site / "content/qingshan/finance/2025-03.yaml", \
        site / "content/qingshan/finance/2025-04.yaml"
    replace_once(march, "amount: 3200.50", "amount: 3100.50")
    replace_once(march, "closing_balance: 161139.50", "closing_balance: 161239.50")
    march.write_text(march.read_text(encoding="utf-8") + (
        "corrections:\n  - {date: 2025-05-12, change: 路灯维修支出由3200.50元更正为3100.50元, "
        "reason: 发票金额抄错, approved_by: 村务监督委员会 李芳}\n"), encoding="utf-8")
    # April's balances follow, with no correction of its own.
    replace_once(april, "opening_balance: 161139.50", "opening_balance: 161239.50")
    replace_once(april, "closing_balance: 162039.50", "closing_balance: 162139.50")
    code, _out, err = cli("build", "--site", site, "--today", "2025-05-13")
    assert code == 0, err
    page = (site / "public/qingshan/finance/2025-04.html").read_text(encoding="utf-8")
    assert text_of(element(page, r'<p class="moved">.*?</p>')) == (
        "The opening balance of this period moved from 161,139.50 yuan, as sealed, to "
        "161,239.50 yuan, because an earlier period was corrected.")
    code, out, err = cli("seal", "--site", site, "--today", "2025-05-13")
    assert code == 0, err
    entries = (site / "history/log.jsonl").read_text(encoding="utf-8").splitlines()
    second = sorted((line for line in entries if '"seal":2' in line),
                    key=lambda line: str(json.loads(line)["path"]))
    assert len(second) == 2
    assert '"path":"content/qingshan/finance/2025-03.yaml"' in second[0]
    assert '"closing":"161239.50"' in second[0] and '"version":2' in second[0]
    assert '"path":"content/qingshan/finance/2025-04.yaml"' in second[1]
    assert '"opening":"161239.50"' in second[1] and '"version":2' in second[1]
    assert '"corrections":0' in second[1]
    old = (site / "public/qingshan/finance/2025-04.v1.html").read_text(encoding="utf-8")
    assert "161,139.50" in old  # the earlier version shows the balance it was sealed with
    # An unsigned seal verifies too, and says it is not signed.
    code, out, err = cli("verify", site / "public")
    assert (code, err) == (0, "")
    assert "✓ the seal is not signed (the county has no key)\n" in out


def test_the_moved_balance_note_stays_after_it_is_sealed(make_site: MakeSite):
    site = make_site({"site_config.yaml": SMALL_CONFIG,
                      "content/qingshan/finance/2025-03.yaml": MARCH,
                      "content/qingshan/finance/2025-04.yaml": APRIL})
    assert cli("seal", "--site", site, "--today", "2025-05-10")[0] == 0
    march, april = site / "content/qingshan/finance/2025-03.yaml", \
        site / "content/qingshan/finance/2025-04.yaml"
    replace_once(march, "amount: 3200.50", "amount: 3100.50")
    replace_once(march, "closing_balance: 161139.50", "closing_balance: 161239.50")
    march.write_text(march.read_text(encoding="utf-8") + (
        "corrections:\n  - {date: 2025-05-12, change: 路灯维修支出由3200.50元更正为3100.50元, "
        "reason: 发票金额抄错, approved_by: 李芳}\n"), encoding="utf-8")
    replace_once(april, "opening_balance: 161139.50", "opening_balance: 161239.50")
    replace_once(april, "closing_balance: 162039.50", "closing_balance: 162139.50")
    assert cli("seal", "--site", site, "--today", "2025-05-13")[0] == 0
    page = (site / "public/qingshan/finance/2025-04.html").read_text(encoding="utf-8")
    assert '<p class="moved">' in page


# --- 5. refusals --------------------------------------------------------------------------

def test_a_private_key_inside_the_site_folder_is_refused(make_site: MakeSite):
    site = make_site({"site_config.yaml": SMALL_CONFIG})
    private, _public = signing.generate_keypair(site / "keys" / "seal", "county")
    code, out, err = cli("seal", "--site", site, "--key", private)
    assert (code, out) == (2, "")
    assert err == (
        f"the private key {private} is inside the site folder, where it would be committed "
        "and published: move it out (for example to ~/.config/gongkai/) and keep a copy "
        "somewhere safe\n")
    assert not (site / "history").exists() and not (site / "public").exists()


def test_after_a_signed_seal_sealing_without_the_key_is_refused(sealed, tmp_path):
    site = copy_site(sealed.site, tmp_path / "site")
    log = (site / "history/log.jsonl").read_bytes()
    code, out, err = cli("seal", "--site", site, "--today", TODAY2)
    assert (code, out) == (2, "")
    assert err == ("this site's seals are signed (history/seal.pub holds the county's public "
                   "key): give the private key with --key\n")
    assert (site / "history/log.jsonl").read_bytes() == log
    assert not (site / "history/checkpoints/0002.txt").exists()


def test_sealing_with_another_key_is_refused(sealed, tmp_path):
    site = copy_site(sealed.site, tmp_path / "site")
    other, _public = signing.generate_keypair(tmp_path / "other" / "seal", "someone")
    expected = signing.fingerprint(signing.parse_public_key(
        (site / "history/seal.pub").read_text()))
    code, out, err = cli("seal", "--site", site, "--today", TODAY2, "--key", other)
    assert (code, out) == (2, "")
    assert err == (
        f"the key {other} is not the one this site's seals are signed with ({expected}, in "
        "history/seal.pub); sign with that key\n")
    assert not (site / "history/checkpoints/0002.txt").exists()


def test_keygen_refuses_a_path_inside_a_site_folder(make_site: MakeSite):
    site = make_site()
    code, out, err = cli("keygen", site / "content" / "keys" / "seal")
    assert (code, out) == (2, "")
    assert err == (
        f"refusing to write a private key inside the site folder {site.resolve()}: it would be "
        "committed and published; choose a path outside it\n")
    assert not (site / "content/keys").exists()


def test_keygen_never_overwrites(tmp_path):
    path = tmp_path / "seal"
    path.write_text("not a key, but somebody's file\n")
    code, out, err = cli("keygen", path)
    assert (code, out) == (2, "")
    assert err == (f"{path} already exists; a key is never overwritten (move it away first)\n")
    assert path.read_text() == "not a key, but somebody's file\n"
    assert not path.with_name("seal.pub").exists()


def test_keygen_never_overwrites_a_public_key_either(tmp_path):
    public = tmp_path / "seal.pub"
    public.write_text("ssh-ed25519 AAAA old\n")
    code, _out, err = cli("keygen", tmp_path / "seal")
    assert code == 2
    assert err == (f"{public} already exists; a key is never overwritten (move it away first)\n")
    assert public.read_text() == "ssh-ed25519 AAAA old\n"
    assert not (tmp_path / "seal").exists()


# --- 6. the feed --------------------------------------------------------------------------

def feed_entry(public: Path, page: str) -> feedparser.FeedParserDict:
    """Return the entry of a village's feed for one page, checking the feed is well formed."""
    feed = feedparser.parse((public / "qingshan/atom.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    found = [entry for entry in feed.entries if entry.link.endswith(page)]
    assert len(found) == 1
    return found[0]


def test_the_feed_entry_of_a_corrected_ledger_keeps_its_id_and_leads_with_the_note(
        sealed, corrected):
    before = feed_entry(sealed.site / "public", "/qingshan/finance/2025-03.html")
    after = feed_entry(corrected.site / "public", "/qingshan/finance/2025-03.html")
    assert after.id == before.id == (
        "tag:sanwu.example.cn,2025:qingshan/finance/2025-03.html")
    assert before.updated.startswith("2025-04-07")
    assert after.updated == f"{CORRECTED_ON}T00:00:00+08:00"
    assert after.published == before.published
    assert after.summary.startswith(
        "Corrected on 2026-02-03: 第3笔支出收款人由“县供电公司”更正为“县电力公司” (抄录错误). ")
    assert after.summary.endswith(before.summary)
    assert not any(entry.link.endswith(".v1.html") for entry in feedparser.parse(
        (corrected.site / "public/qingshan/atom.xml").read_bytes()).entries)


def lastmod(public: Path, page: str) -> str:
    """Return a page's lastmod as the sitemap gives it."""
    sitemap = (public / "sitemap.xml").read_text(encoding="utf-8")
    found = re.search(rf"<loc>[^<]*/{re.escape(page)}</loc>\s*<lastmod>([^<]+)</lastmod>",
                      sitemap)
    assert found is not None, page
    return found.group(1)


def test_the_sitemap_dates_a_corrected_page_and_its_village_by_the_correction(
        sealed, corrected):
    assert lastmod(sealed.site / "public", "qingshan/finance/2025-03.html") == "2025-04-07"
    assert lastmod(corrected.site / "public", "qingshan/finance/2025-03.html") == CORRECTED_ON
    assert lastmod(corrected.site / "public", "qingshan/") == CORRECTED_ON
    assert lastmod(corrected.site / "public", "qingshan/finance/2025-04.html") == (
        lastmod(sealed.site / "public", "qingshan/finance/2025-04.html"))



def test_a_build_of_a_sealed_site_lists_the_manifest_without_reading_its_files_again(
        sealed, tmp_path, monkeypatch):
    site = copy_site(sealed.site, tmp_path / "site")
    notice = site / "content/qingshan/affairs/2024-02-fishpond-lease.md"
    shutil.copy(notice, notice.with_name("2026-02-fishpond-lease-again.md"))
    read: list[Path] = []

    def counted(path: Path) -> str:
        read.append(path)
        return file_sha256(path)

    monkeypatch.setattr("gongkai.trust.seal.file_sha256", counted)
    assert cli("build", "--site", site, "--today", TODAY2)[0] == 0
    public = site / "public"
    assert (public / "qingshan/affairs/2026-02-fishpond-lease-again.html").is_file()
    assert read == []  # every digest came from what the build wrote or carried
    monkeypatch.undo()
    assert (public / "history/manifest.sha256").read_bytes() == manifest(public)


def test_counts_of_one_are_said_in_the_singular(corrected, sealed):
    assert "1 new version," in corrected.seal[1]
    out = cli("verify", corrected.site / "public", "--since", sealed.kept)[1]
    assert "entries added since: 1; none changed" in out

# --- 7. determinism -----------------------------------------------------------------------

def test_sealing_the_same_content_twice_gives_the_same_log_and_checkpoint(sealed, tmp_path):
    site = english_sample(tmp_path / "again")
    code, _out, err = cli("seal", "--site", site, "--today", TODAY1, "--key", sealed.key)
    assert code == 0, err
    for name in ("history/log.jsonl", "history/checkpoints/0001.txt",
                 "history/checkpoints/0001.txt.sig", "history/seal.pub"):
        assert (site / name).read_bytes() == (sealed.site / name).read_bytes(), name
    for name in ("history/checkpoint.txt", "history/manifest.sha256"):
        assert (site / "public" / name).read_bytes() == (sealed.site / "public" / name
                                                         ).read_bytes(), name

"""The seal tests' constants and readers: pages, checkpoints, what verify prints."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.trust import signing
from gongkai.trust.log import Checkpoint, parse_checkpoint
from tests.helpers.html import element, text_of
from tests.helpers.sites import CONFIG

SSH_KEYGEN = shutil.which("ssh-keygen") or "/usr/bin/ssh-keygen"
SHA256SUM = shutil.which("sha256sum") or "/usr/bin/sha256sum"
TODAY1, TODAY2 = "2026-01-20", "2026-02-05"
CORRECTED_ON = "2026-02-03"
LEDGER = "content/qingshan/finance/2025-03.yaml"
OLD_PAYEE, NEW_PAYEE = "县供电公司", "县电力公司"
CHANGED_LINE = "payee: 县供电公司, voucher: 记-005"
CORRECTION = ("corrections:\n  - {date: 2026-02-03, change: 第3笔支出收款人由“县供电公司”更正为"
              "“县电力公司”, reason: 抄录错误, approved_by: 村务监督委员会 李芳}\n")
SMALL_CONFIG = CONFIG.replace("  today: 2025-04-08\n", "  language: en\n  today: 2025-05-10\n")
FIX = ("if the change is right, add under “corrections:” an entry with its date, change (what "
       "changed), reason and approved_by (who approved it); otherwise undo the change")


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
    """The first line verify prints: which site, and which seal of it."""
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

"""``gongkai verify DIR``: check a downloaded copy of a sealed site, offline.

Four checks, each independent of the site's own build: every file against the manifest
(and no file outside it), the manifest against the checkpoint, the log against the
checkpoint's root hash, and the checkpoint's signature by the county's key. Given an
earlier checkpoint a resident kept, also that the log only grew since: its first entries
still hash to that checkpoint's root.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from gongkai.core.filehash import file_sha256
from gongkai.core.i18n import N_, Msg
from gongkai.model.addresses import (
    SEAL_CHECKPOINT,
    SEAL_CHECKPOINTS,
    SEAL_KEY,
    SEAL_LOG,
    SEAL_MANIFEST,
    SEAL_SIGNATURE,
)
from gongkai.trust import signing
from gongkai.trust.log import (
    Checkpoint,
    HistoryError,
    leaf_hash,
    parse_checkpoint,
    parse_entry,
    roots,
)
from gongkai.trust.seal import published

log = logging.getLogger(__name__)

LISTED_PROBLEMS = 20  # files named one by one before the rest are counted


@dataclass
class Verdict:
    """What a verification found: what failed, and what checked out."""

    problems: list[Msg] = field(default_factory=list)
    passed: list[Msg] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Tell whether every check passed."""
        return not self.problems


def verify_site(folder: Path, key_line: str | None = None,
                since: Path | None = None) -> Verdict:
    """Check a copy of a sealed site (``key_line``: the county's public key, when the
    resident has it from elsewhere; ``since``: an earlier checkpoint kept)."""
    verdict = Verdict()
    try:
        checkpoint_text = (folder / SEAL_CHECKPOINT).read_text(encoding="utf-8")
        checkpoint = parse_checkpoint(checkpoint_text, SEAL_CHECKPOINT)
    except FileNotFoundError:
        verdict.problems.append(Msg.of(N_(
            "{file} is missing: this copy of the site was never sealed, or it is incomplete"),
            file=SEAL_CHECKPOINT))
        return verdict
    except (HistoryError, OSError, UnicodeDecodeError) as exc:
        verdict.problems.append(_unreadable(SEAL_CHECKPOINT, exc))
        return verdict
    _check_files(folder, checkpoint, verdict)
    lines = _check_log(folder, checkpoint, verdict)
    _check_signature(folder, checkpoint_text, key_line, verdict)
    if lines is not None:
        _check_every_seal(folder, checkpoint, lines, verdict)
    if since is not None and lines is not None:
        _check_growth(since, checkpoint, lines, key_line or _copy_key(folder), verdict)
    return verdict


def _unreadable(file: str | Path, exc: BaseException) -> Msg:
    """Say a file could not be read or is not what it should be."""
    if isinstance(exc, HistoryError):
        return exc.message
    return Msg.of(N_("{file} cannot be read: {error}"), file=str(file), error=exc)


def _check_files(folder: Path, checkpoint: Checkpoint, verdict: Verdict) -> None:
    """Check the manifest against the checkpoint, then every file against the manifest."""
    try:
        listed = (folder / SEAL_MANIFEST).read_bytes()
    except OSError as exc:
        verdict.problems.append(_unreadable(SEAL_MANIFEST, exc))
        return
    if hashlib.sha256(listed).hexdigest() != checkpoint.manifest:
        verdict.problems.append(Msg.of(N_(
            "{file} is not the manifest seal {seal} signed: the files of this copy are not "
            "the site as sealed on {date}"), file=SEAL_MANIFEST, seal=checkpoint.seal,
            date=checkpoint.date.isoformat()))
    expected: dict[str, str] = {}
    for line in listed.decode("utf-8", "replace").splitlines():
        digest, _, path = line.partition("  ")
        expected[path] = digest
    wrong: list[Msg] = []
    for path, digest in sorted(expected.items()):
        wrong += _check_listed(folder, path, digest)
    wrong += [Msg.of(N_("{file} is not in the manifest"), file=path)
              for path in sorted(set(published(folder)) - set(expected))]
    verdict.problems += wrong[:LISTED_PROBLEMS]
    if len(wrong) > LISTED_PROBLEMS:
        verdict.problems.append(Msg.of(N_("… and {count} more files"),
                                       count=len(wrong) - LISTED_PROBLEMS))
    if not wrong:
        verdict.passed.append(Msg.of(N_("{count} files match the manifest"),
                                     count=len(expected)))


def _check_listed(folder: Path, path: str, digest: str) -> list[Msg]:
    """Check one file the manifest lists; a path leading outside the copy is a problem."""
    parts = PurePosixPath(path).parts
    if not parts or PurePosixPath(path).is_absolute() or ".." in parts or "\\" in path:
        return [Msg.of(N_("{file} is listed in the manifest but is not a path inside the "
                          "copy"), file=path[:200])]
    target = folder / path
    try:
        if not target.is_file():
            return [Msg.of(N_("{file} is missing"), file=path[:200])]
        if file_sha256(target) != digest:
            return [Msg.of(N_("{file} differs from the manifest"), file=path)]
    except OSError as exc:  # a name too long for the file system, say: say why, once
        return [Msg.of(N_("{file} cannot be read: {error}"), file=path[:200],
                       error=exc.strerror)]
    return []


def _check_log(folder: Path, checkpoint: Checkpoint, verdict: Verdict) -> list[str] | None:
    """Check the log against the checkpoint's size and root; return its lines."""
    try:
        lines = (folder / SEAL_LOG).read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, start=1):
            parse_entry(line, number)
    except (HistoryError, OSError, UnicodeDecodeError) as exc:
        verdict.problems.append(_unreadable(SEAL_LOG, exc))
        return None
    root = roots((leaf_hash(line.encode()) for line in lines), [len(lines)])[len(lines)]
    if len(lines) != checkpoint.size or root != checkpoint.root:
        verdict.problems.append(Msg.of(N_(
            "{file} does not hash to the root of seal {seal}: the log was altered"),
            file=SEAL_LOG, seal=checkpoint.seal))
        return None
    verdict.passed.append(Msg.of(N_(
        "the log's {size} entries hash to the root of seal {seal} of {date}: {short}"),
        size=checkpoint.size, seal=checkpoint.seal, date=checkpoint.date.isoformat(),
        short=checkpoint.short))
    return lines


def _copy_key(folder: Path) -> str | None:
    """Return the public key the copy itself carries, if any."""
    try:
        return (folder / SEAL_KEY).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None


def _check_signature(folder: Path, text: str, key_line: str | None, verdict: Verdict) -> None:
    """Check the checkpoint's signature by the county's key."""
    try:
        armored = (folder / SEAL_SIGNATURE).read_text(encoding="ascii")
    except FileNotFoundError:
        if key_line or _copy_key(folder):
            # A county that signs always signs: a copy with its key and no signature was
            # tampered with (or is incomplete).
            verdict.problems.append(Msg.of(N_(
                "{file} is missing: the checkpoint is not signed"), file=SEAL_SIGNATURE))
        else:
            verdict.passed.append(Msg(N_("the seal is not signed (the county has no key)")))
        return
    except (OSError, UnicodeDecodeError) as exc:
        verdict.problems.append(_unreadable(SEAL_SIGNATURE, exc))
        return
    line = key_line or _copy_key(folder)
    if not line:
        verdict.problems.append(Msg.of(N_(
            "{file} is missing: give the county's public key with --key"), file=SEAL_KEY))
        return
    try:
        public = signing.parse_public_key(line)
        signing.verify(public, text.encode(), armored)
    except signing.SigningError as exc:
        verdict.problems.append(exc.message)
        return
    if key_line:
        verdict.passed.append(Msg.of(N_("the signature is valid, by the key you gave: {key}"),
                                     key=signing.fingerprint(public)))
    else:
        verdict.passed.append(Msg.of(N_(
            "the signature is valid, by the key this copy carries: {key}; compare it with "
            "the fingerprint the county posts on the wall, or pass that key with --key"),
            key=signing.fingerprint(public)))


def _check_every_seal(folder: Path, latest: Checkpoint, lines: list[str],
                      verdict: Verdict) -> None:
    """Check every seal's checkpoint the copy carries against the start of the log: the
    hash a wall sheet printed is one of them. (The newest one's signature covers the
    whole log, so the earlier roots, each a hash of its start, need no signature.)"""
    found = sorted((folder / SEAL_CHECKPOINTS).glob("*.txt"))
    checkpoints = []
    for path in found:
        shown = f"{SEAL_CHECKPOINTS}{path.name}"
        try:
            checkpoints.append((shown, parse_checkpoint(path.read_text(encoding="utf-8"),
                                                        shown)))
        except (HistoryError, OSError, UnicodeDecodeError) as exc:
            verdict.problems.append(_unreadable(shown, exc))
    hashed = roots((leaf_hash(line.encode()) for line in lines), (c.size for _, c in checkpoints))
    wrong = False
    for shown, checkpoint in checkpoints:
        if hashed.get(checkpoint.size) != checkpoint.root or checkpoint.origin != latest.origin:
            verdict.problems.append(Msg.of(N_(
                "{file} does not match the start of the log: the log was rewritten since "
                "seal {seal}"), file=shown, seal=checkpoint.seal))
            wrong = True
    if checkpoints and checkpoints[-1][1].text() != latest.text():
        verdict.problems.append(Msg.of(N_("{file} is not the newest seal's checkpoint"),
                                       file=SEAL_CHECKPOINT))
        wrong = True
    if checkpoints and not wrong:
        verdict.passed.append(Msg.of(N_(
            "every seal's checkpoint ({count}) matches the start of the log: {hashes}"),
            count=len(checkpoints),
            hashes=tuple(f"{c.seal}: {c.date.isoformat()} {c.short}" for _, c in checkpoints)))


def _check_growth(since: Path, checkpoint: Checkpoint, lines: list[str], key_line: str | None,
                  verdict: Verdict) -> None:
    """Check that the log only grew since an earlier checkpoint a resident kept."""
    try:
        text = since.read_text(encoding="utf-8")
        old = parse_checkpoint(text, str(since))
    except (HistoryError, OSError, UnicodeDecodeError) as exc:
        verdict.problems.append(_unreadable(since, exc))
        return
    signature = since.with_name(since.name + ".sig")
    if signature.is_file() and key_line:
        try:
            signing.verify(signing.parse_public_key(key_line), text.encode(),
                           signature.read_text(encoding="ascii"))
        except signing.SigningError as exc:
            verdict.problems.append(exc.message)
    kept = roots((leaf_hash(line.encode()) for line in lines), [old.size]).get(old.size)
    if old.origin != checkpoint.origin or kept != old.root:
        verdict.problems.append(Msg.of(N_(
            "the log was rewritten since seal {seal} of {date} (the checkpoint in {file}): "
            "its first {size} entries no longer hash to that checkpoint's root"),
            seal=old.seal, date=old.date.isoformat(), file=str(since), size=old.size))
        return
    verdict.passed.append(Msg.of(N_(
        "the log only grew since seal {seal} of {date}: entries added since: {added}; none "
        "changed"), seal=old.seal, date=old.date.isoformat(), added=checkpoint.size - old.size))

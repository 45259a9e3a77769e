"""``gongkai seal``: record what the build writes as published, and what the output
carries so anyone can check it (the log, the signed checkpoint, the manifest).

A seal is a build with one more step before the new site is swapped in: the versions
that are new since the last seal are appended to ``history/`` (the copies of their files
first, then the log's lines, then the checkpoint), the manifest of every published file
is written, and the checkpoint naming the log's root and the manifest's digest is signed
with the county's key. Every later build carries the same log and checkpoint; its
manifest matches the signed one only while the site is still what was sealed.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from gongkai.core.filehash import file_sha256
from gongkai.core.fingerprint import digest_parts
from gongkai.core.i18n import N_, Msg, MsgError
from gongkai.load.site import Site
from gongkai.model.addresses import (
    LOG_FILE,
    PUBLIC_KEY_FILE,
    SEAL_CHECKPOINT,
    SEAL_CHECKPOINTS,
    SEAL_DIR,
    SEAL_KEY,
    SEAL_LOG,
    SEAL_MANIFEST,
    SEAL_SIGNATURE,
    checkpoint_name,
    signature_name,
)
from gongkai.model.canonical import notes_digest
from gongkai.model.outputs import Output
from gongkai.read.sitefolder import HISTORY_DIR
from gongkai.trust.context import context_of, disclosures
from gongkai.trust.log import (
    Checkpoint,
    Entry,
    History,
    append,
    root_of,
)
from gongkai.trust.records import balances, corrections_of

if TYPE_CHECKING:  # cryptography is imported only when a seal signs or checks a key
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

log = logging.getLogger(__name__)

UNLISTED = frozenset({SEAL_MANIFEST, SEAL_CHECKPOINT, SEAL_SIGNATURE})  # they vouch for the rest


class SealRefused(MsgError):
    """A seal that cannot go ahead, with the reason for the clerk."""


@dataclass
class Sealing:
    """A seal under way: its number and date, and the key it is signed with."""

    seal: int
    date: date
    origin: str
    key: Ed25519PrivateKey | None
    entries: list[Entry]
    sources: dict[str, bytes]


def load_key(site: Path, key: Path | None, history: History | None) -> Ed25519PrivateKey | None:
    """Load the county's private key, refusing one inside the site folder or one that is
    not the key the earlier seals were signed with."""
    from gongkai.trust import signing

    known = history.public_key if history is not None else ""
    if key is None:
        if known:
            raise SealRefused(Msg.of(N_(
                "this site's seals are signed ({file} holds the county's public key): give "
                "the private key with --key"), file=f"{HISTORY_DIR}/{PUBLIC_KEY_FILE}"))
        return None
    if _inside(key, site):
        raise SealRefused(Msg.of(N_(
            "the private key {path} is inside the site folder, where it would be committed and "
            "published: move it out (for example to ~/.config/gongkai/) and keep a copy "
            "somewhere safe"), path=key))
    private = signing.load_private_key(key)
    if known and signing.public_key_line(private).split()[:2] != known.split()[:2]:
        raise SealRefused(Msg.of(N_(
            "the key {path} is not the one this site's seals are signed with ({expected}, in "
            "{file}); sign with that key"), path=key,
            expected=signing.fingerprint(signing.parse_public_key(known)),
            file=f"{HISTORY_DIR}/{PUBLIC_KEY_FILE}"))
    if history is not None:
        _check_signatures(history)
    return private


def _check_signatures(history: History) -> None:
    """Refuse to seal after a checkpoint whose signature is not the county key's."""
    from gongkai.trust import signing

    public = signing.parse_public_key(history.public_key) if history.public_key else None
    for checkpoint in history.checkpoints:
        armored = history.signature(checkpoint.seal)
        if armored is None or public is None:
            continue
        try:
            signing.verify(public, checkpoint.text().encode(), armored)
        except signing.SigningError as exc:
            shown = f"{SEAL_CHECKPOINTS}{signature_name(checkpoint.seal)}"
            raise SealRefused(Msg.of(N_(
                "{file}: {problem}; restore history/ from the copy that was published (git "
                "checkout history/)"), file=shown, problem=exc.message)) from None


def _inside(path: Path, folder: Path) -> bool:
    """Tell whether a path lies inside a folder (after resolving links)."""
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def origin(site: Site) -> str:
    """Name the log in its checkpoints: the site's address without its scheme, else its title."""
    base = site.config.site.base_url
    if base:
        return base.split("://", 1)[-1].rstrip("/")
    return site.config.site.title


def start(site: Site, history: History, key: Ed25519PrivateKey | None, today: date) -> Sealing:
    """Work out the versions a seal records: every disclosure new or changed since the
    last seal (changed text, a new correction, balances moved, or what it shows from
    other files: attachments, the village profile, the rules)."""
    latest = history.latest
    seal = (latest.seal if latest else 0) + 1
    sealed = history.versions()
    entries: list[Entry] = []
    sources: dict[str, bytes] = {}
    for disclosure in disclosures(site):
        versions = sealed.get(disclosure.source, [])
        last = versions[-1] if versions else None
        notes = corrections_of(disclosure)
        opening, closing = balances(disclosure)
        context = context_of(site, disclosure)
        if last is not None and (last.content, last.corrections, last.opening,
                                 last.closing) == (disclosure.content, len(notes), opening,
                                                   closing) and last.context in (
                                                       "", context.digest):
            continue  # a version sealed before contexts were recorded keeps its entry
        data = (site.root / disclosure.source).read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        sources[digest] = data
        sources[context.digest] = context.data()
        sources.update(context.attachments)
        entries.append(Entry(seal, today, disclosure.source,
                             last.version + 1 if last else 1, disclosure.content, digest,
                             notes_digest(notes), len(notes), opening, closing,
                             context.digest))
    return Sealing(seal, today, origin(site), key, entries, sources)


def with_entries(history: History, sealing: Sealing) -> History:
    """Return the history as it will be once the seal is written (for the pages)."""
    lines = [*history.lines, *(entry.line() for entry in sealing.entries)]
    previous = history.latest.digest if history.latest else ""
    return History(history.folder, [*history.entries, *sealing.entries], lines,
                   [*history.checkpoints, Checkpoint(sealing.origin, len(lines), root_of(lines),
                                                     sealing.seal, sealing.date,
                                                     previous=previous)],
                   history.public_key, dict(history.signatures))


def manifest(folder: Path, known: Mapping[str, str] | None = None) -> bytes:
    """List every published file of a built site with its SHA-256, as ``sha256sum`` does
    (so ``sha256sum -c`` checks it too), in path order.

    ``known`` holds the digests the build took of what it wrote or carried, so that a
    build reads again only the few files written after it (a county's 30,000 pages would
    otherwise be read and hashed on every build, as git would without its index)."""
    known = known or {}
    lines = []
    for path in sorted(published(folder)):
        digest = known.get(path) or file_sha256(folder / path)
        lines.append(f"{digest}  {path}\n")
    return "".join(lines).encode()


def published(folder: Path) -> Iterator[str]:
    """Yield the path of every file a host would serve (hidden ones are Gongkai's own)."""
    for here, dirs, files in os.walk(folder):
        dirs[:] = [name for name in dirs if not name.startswith(".")]
        relative = Path(here).relative_to(folder)
        for name in files:
            path = (relative / name).as_posix()
            if (not name.startswith(".") and path not in UNLISTED
                    and not path.startswith(SEAL_CHECKPOINTS)):
                yield path


def finish(staging: Path, known: Mapping[str, str], history: History,
           sealing: Sealing | None) -> None:
    """Write the manifest, then the checkpoint: the new seal's (signed, and recorded in
    history/), or the last seal's as it was."""
    from gongkai.trust import signing

    (staging / SEAL_DIR).mkdir(exist_ok=True)
    if sealing is not None and sealing.key is not None and not history.public_key:
        # The first signed seal publishes the county's public key, listed in the manifest.
        history.public_key = signing.public_key_line(sealing.key, sealing.origin)
        history.folder.mkdir(parents=True, exist_ok=True)
        (history.folder / PUBLIC_KEY_FILE).write_text(history.public_key + "\n",
                                                     encoding="utf-8")
        (staging / SEAL_KEY).write_text(history.public_key + "\n", encoding="utf-8")
        known = {path: digest for path, digest in known.items() if path != SEAL_KEY}
    listed = manifest(staging, known)
    (staging / SEAL_MANIFEST).write_bytes(listed)
    if sealing is None:
        latest = history.latest
        if latest is not None:
            (staging / SEAL_CHECKPOINT).write_text(latest.text(), encoding="utf-8")
            signature = history.signature(latest.seal)
            if signature is not None:
                (staging / SEAL_SIGNATURE).write_text(signature, encoding="ascii")
        _every_checkpoint(staging, history)
        return
    sealed = with_entries(history, sealing).latest
    assert sealed is not None
    checkpoint = Checkpoint(sealed.origin, sealed.size, sealed.root, sealed.seal, sealed.date,
                            hashlib.sha256(listed).hexdigest(), sealed.previous)
    signature = None
    if sealing.key is not None:
        signature = signing.sign(sealing.key, checkpoint.text().encode())
        (staging / SEAL_SIGNATURE).write_text(signature, encoding="ascii")
    (staging / SEAL_CHECKPOINT).write_text(checkpoint.text(), encoding="utf-8")
    append(history, sealing.entries, sealing.sources, checkpoint, signature)
    _every_checkpoint(staging, history)


def _every_checkpoint(staging: Path, history: History) -> None:
    """Publish every seal's checkpoint (and signature) as history/checkpoints/NNNN.txt."""
    folder = staging / SEAL_CHECKPOINTS
    folder.mkdir(parents=True, exist_ok=True)
    for checkpoint in history.checkpoints:
        name = checkpoint_name(checkpoint.seal)
        (folder / name).write_text(checkpoint.text(), encoding="utf-8")
        signature = history.signature(checkpoint.seal)
        if signature is not None:
            (folder / f"{name}.sig").write_text(signature, encoding="ascii")


def outputs(shown: History | None) -> Iterator[Output]:
    """Yield what every build of a sealed site carries: the log and the county's key (the
    manifest and the checkpoint are written last, by ``finish``)."""
    if shown is None:
        return
    data = "".join(line + "\n" for line in shown.lines).encode()
    latest = shown.latest.text().encode() if shown.latest else b""
    # Keyed by the checkpoint too: a new seal must reach the output even with no new entry.
    yield Output(SEAL_LOG, digest_parts("history-log", data, latest),
                 f"{HISTORY_DIR}/{LOG_FILE}", data=data)
    if shown.public_key:
        key = (shown.public_key + "\n").encode()
        yield Output(SEAL_KEY, digest_parts("history-key", key),
                     f"{HISTORY_DIR}/{PUBLIC_KEY_FILE}", data=key)

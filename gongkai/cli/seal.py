"""The commands of the seal log: ``gongkai seal``, ``gongkai keygen``, ``gongkai verify``.

Kept apart from ``cli`` so that building never imports the cryptography these need.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from gongkai.cli.say import say
from gongkai.core.i18n import N_, Msg, translations
from gongkai.read.sitefolder import CONFIG_FILE

if TYPE_CHECKING:  # building never loads cryptography
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from gongkai.trust.verifyseals import Kept

DEFAULT_KEY = Path("~/.config/gongkai/seal_ed25519")
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
FETCH_SECONDS = 20  # a kept checkpoint fetched from an address: a small file, or nothing
FETCH_LIMIT = 64 * 1024


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser],
                 common: argparse.ArgumentParser, _: Callable[[str], str],
                 help_options: Callable[[argparse.ArgumentParser, Callable[[str], str]], None]
                 ) -> None:
    """Describe ``seal``, ``keygen`` and ``verify``."""
    text = N_("record the site as published (history/) and build it, signed with --key")
    sub = commands.add_parser("seal", parents=[common], help=_(text), description=_(text),
                              add_help=False)
    help_options(sub, _)
    sub.add_argument("--key", type=Path, default=None,
                     help=_(N_("the county's private key, from “gongkai keygen” (never kept "
                               "in the site folder)")))
    text = N_("make the county's key pair for signing seals")
    sub = commands.add_parser("keygen", help=_(text), description=_(text), add_help=False)
    help_options(sub, _)
    sub.add_argument("path", metavar="PATH", type=Path, nargs="?", default=DEFAULT_KEY,
                     help=_(N_("where to write the private key; the public key goes beside "
                               "it with .pub added (default: ~/.config/gongkai/seal_ed25519)")))
    sub.add_argument("--name", default="",
                     help=_(N_("a name for the key, such as the county's site address")))
    sub.add_argument("-v", "--verbose", action="store_true", help=argparse.SUPPRESS)
    text = N_("check a copy of a sealed site: every file, the log and the signature")
    sub = commands.add_parser("verify", help=_(text), description=_(text), add_help=False)
    help_options(sub, _)
    sub.add_argument("folder", metavar="DIR", type=Path,
                     help=_(N_("the copy of the site, such as public/")))
    sub.add_argument("--key", default=None,
                     help=_(N_("the county's public key: a .pub file or the “ssh-ed25519 …” "
                               "line (default: the one the copy carries)")))
    sub.add_argument("--since", default=None, metavar="FILE|URL",
                     help=_(N_("an earlier checkpoint.txt you kept (a file, or the address "
                               "where a witness keeps it): check that the log only grew "
                               "since")))
    sub.add_argument("-v", "--verbose", action="store_true", help=argparse.SUPPRESS)


def load_seal_key(site: Path, key: Path | None,
                  language: str) -> tuple[bool, Ed25519PrivateKey | None]:
    """Load the key a seal signs with; False (with the reason printed) when it cannot go on."""
    from gongkai.trust import signing
    from gongkai.trust.log import HistoryError, read_history
    from gongkai.trust.seal import SealRefused, load_key

    tr = translations(language)
    try:
        return True, load_key(site, key.expanduser() if key else None, read_history(site))
    except HistoryError as exc:
        say(f"{exc.where}: {exc.message.render(tr)}", error=True)
    except (SealRefused, signing.SigningError) as exc:
        say(exc.message.render(tr), error=True)
    return False, None


def say_sealed(sealed: tuple[int, int, str, str], language: str) -> None:
    """Tell the clerk what the seal recorded and what to keep."""
    tr = translations(language)
    seal, versions, short, day = sealed
    counted = tr.ngettext("{n} new version", "{n} new versions", versions).format(n=versions)
    say(Msg.of(N_("Sealed: seal {seal} of {date}, {versions}, seal hash {short}. "
                  "Commit history/ and publish the output as it is; the wall poster shows "
                  "the seal hash."), seal=seal, date=day, versions=counted,
               short=short).render(tr))


def run_keygen(path: Path, name: str, language: str) -> int:
    """Write the county's key pair, never inside a site folder."""
    from gongkai.trust import signing

    tr = translations(language)
    target = path.expanduser()
    if not target.name or target.name == "..":  # "" or "." or a folder's "..": no file name
        say(Msg.of(N_("cannot write the private key to {path}: give a file name, such as "
                      "~/.config/gongkai/seal_ed25519"), path=path).render(tr), error=True)
        return EXIT_USAGE
    for folder in (target.parent.resolve(), *target.parent.resolve().parents):
        if (folder / CONFIG_FILE).is_file():
            say(Msg.of(N_("refusing to write a private key inside the site folder {folder}: "
                          "it would be committed and published; choose a path outside it"),
                       folder=folder).render(tr), error=True)
            return EXIT_USAGE
    try:
        private_path, public_path = signing.generate_keypair(target, name or "gongkai-seal")
        public = signing.parse_public_key(public_path.read_text(encoding="utf-8"))
    except signing.SigningError as exc:
        say(exc.message.render(tr), error=True)
        return EXIT_USAGE
    except OSError as exc:  # its folder cannot be made (a file is in the way, say)
        say(Msg.of(N_("cannot write the private key to {path}: {reason}"), path=target,
                   reason=exc.strerror or exc).render(tr), error=True)
        return EXIT_USAGE
    say(Msg.of(N_("Wrote the private key {private} (keep it secret, keep a copy somewhere "
                  "safe) and the public key {public}. Its fingerprint: {fingerprint}; post it "
                  "where residents can see it. Seal with “gongkai seal --key {private}”."),
               private=private_path, public=public_path,
               fingerprint=signing.fingerprint(public)).render(tr))
    return EXIT_OK


def _kept(since: str) -> Kept:
    """Read a kept checkpoint from a file, or fetch it (and its .sig) from an address."""
    from gongkai.trust.verifyseals import Kept, read_kept

    if not since.startswith(("http://", "https://")):
        return read_kept(Path(since).expanduser())
    text = _fetch(since)
    if text is None:
        raise OSError(f"{since}: not found")
    return Kept(since, text, _fetch(since + ".sig"))


def _fetch(address: str) -> str | None:
    """Fetch a small text file (a checkpoint, a signature); None when it is not there."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(address, timeout=FETCH_SECONDS) as response:
            data: bytes = response.read(FETCH_LIMIT + 1)
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return None
        raise OSError(f"HTTP {exc.code}") from None
    except (urllib.error.URLError, TimeoutError, ValueError) as exc:
        raise OSError(str(getattr(exc, "reason", exc))) from None
    if len(data) > FETCH_LIMIT:
        raise OSError(f"more than {FETCH_LIMIT} bytes: not a checkpoint")
    return data.decode("utf-8")


def run_verify(folder: Path, key: str | None, since: str | None, language: str) -> int:
    """Check a copy of a sealed site and print what passed and what failed."""
    from gongkai.trust.verify import verify_site

    tr = translations(language)
    if not folder.is_dir():
        say(Msg.of(N_("the folder {path} does not exist"), path=folder).render(tr), error=True)
        return EXIT_USAGE
    kept = None
    if since is not None:
        try:
            kept = _kept(since)
        except (OSError, UnicodeDecodeError) as exc:
            say(Msg.of(N_("cannot read the kept checkpoint {path}: {error}"), path=since,
                       error=exc.strerror if isinstance(exc, OSError) and exc.strerror
                       else exc).render(tr), error=True)
            return EXIT_USAGE
    key_line = None
    if key is not None:
        candidate = Path(key).expanduser()
        try:
            key_line = (candidate.read_text(encoding="utf-8").strip() if candidate.is_file()
                        else key.strip())
        except (OSError, UnicodeDecodeError):
            key_line = key.strip()
    verdict = verify_site(folder, key_line, kept)
    if verdict.site is not None:
        say(verdict.site.render(tr))
    for message in verdict.passed:
        say("✓ " + message.render(tr))
    for message in verdict.problems:
        say("✗ " + message.render(tr), error=True)
    if verdict.ok:
        say(tr.gettext(N_("Verified: this copy is the site as sealed.")))
        return EXIT_OK
    count = len(verdict.problems)
    say(tr.ngettext("Not verified: {n} problem.", "Not verified: {n} problems.", count)
        .format(n=count), error=True)
    return EXIT_FAILED

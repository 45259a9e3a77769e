"""Ed25519 seals as OpenSSH signatures (SSHSIG), checkable with stock ``ssh-keygen -Y verify``.

The cryptography is the ``cryptography`` package's; only the SSH wire framing (uint32 and
length-prefixed strings, see PROTOCOL.sshsig of openssh-portable) and the armor are here.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from gongkai.core.i18n import N_, Msg, MsgError

NAMESPACE = "gongkai-seal"
KEY_TYPE = "ssh-ed25519"
MAGIC = b"SSHSIG"
VERSION = 1
HASH = "sha512"  # what ssh-keygen -Y sign uses by default, so our output equals its output
HASHES = ("sha256", "sha512")  # the two PROTOCOL.sshsig allows
BEGIN = "-----BEGIN SSH SIGNATURE-----"
END = "-----END SSH SIGNATURE-----"
WIDTH = 70  # ssh-keygen wraps the armor's base64 at 70 columns


class SigningError(MsgError):
    """A key or signature that cannot be used: the message says what was expected and found."""


# --- SSH wire encoding -----------------------------------------------------------------

def _string(data: bytes) -> bytes:
    """Frame bytes as an SSH ``string``: a big-endian uint32 length, then the bytes."""
    return len(data).to_bytes(4, "big") + data


class _Reader:
    """Read SSH wire fields one after the other, failing on a short or overlong blob."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.at = 0

    def uint32(self) -> int:
        """Read a big-endian uint32."""
        if self.at + 4 > len(self.data):
            raise _Truncated
        value = int.from_bytes(self.data[self.at:self.at + 4], "big")
        self.at += 4
        return value

    def string(self) -> bytes:
        """Read a length-prefixed string."""
        size = self.uint32()
        if self.at + size > len(self.data):
            raise _Truncated
        value = self.data[self.at:self.at + size]
        self.at += size
        return value

    def done(self) -> bool:
        """Tell whether every byte was read."""
        return self.at == len(self.data)


class _Truncated(Exception):
    """A wire field runs past the end of its blob."""


# --- keys ------------------------------------------------------------------------------

def _key_blob(public: Ed25519PublicKey) -> bytes:
    """Return the SSH public key blob: string "ssh-ed25519" || string(32 raw bytes)."""
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return _string(KEY_TYPE.encode()) + _string(raw)


def _blob_fingerprint(blob: bytes) -> str:
    """Fingerprint any SSH key blob as ssh-keygen does: SHA256 and unpadded base64."""
    digest = base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")
    return f"SHA256:{digest}"


def fingerprint(public: Ed25519PublicKey) -> str:
    """Return the key's fingerprint exactly as ``ssh-keygen -l`` prints it."""
    return _blob_fingerprint(_key_blob(public))


def public_key_line(private: Ed25519PrivateKey, comment: str = "") -> str:
    """Return the ``ssh-ed25519 AAAA… comment`` line of a private key's public half."""
    line = f"{KEY_TYPE} {base64.b64encode(_key_blob(private.public_key())).decode()}"
    comment = " ".join(comment.split())  # a line break would end the .pub line early
    return f"{line} {comment}" if comment else line


def parse_public_key(line: str) -> Ed25519PublicKey:
    """Read an ``ssh-ed25519 AAAA… [comment]`` line."""
    fields = line.strip().split(None, 2)
    if len(fields) < 2:
        raise SigningError(Msg.of(
            N_("not an SSH public key: expected “ssh-ed25519 AAAA…”, found “{found}”"),
            found=_shorten(line.strip())))
    if fields[0] != KEY_TYPE:
        raise SigningError(Msg.of(
            N_("not an Ed25519 key: expected the key type “ssh-ed25519”, found “{found}”"),
            found=_shorten(fields[0])))
    invalid = Msg.of(N_("not an SSH public key: the text after “ssh-ed25519” is not a valid "
                        "Ed25519 key"))
    try:
        key = serialization.load_ssh_public_key(f"{fields[0]} {fields[1]}".encode())
    except (ValueError, UnsupportedAlgorithm):  # also when the data is another type's key
        raise SigningError(invalid) from None
    if not isinstance(key, Ed25519PublicKey):
        raise SigningError(invalid)
    return key


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """Read an unencrypted OpenSSH-format Ed25519 private key file."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SigningError(Msg.of(N_("no private key at {path}"), path=str(path))) from None
    except OSError as exc:
        raise SigningError(Msg.of(N_("cannot read the private key {path}: {reason}"),
                                  path=str(path), reason=exc.strerror or str(exc))) from None
    try:
        key = serialization.load_ssh_private_key(data, password=None)
    except TypeError:  # cryptography's way of saying a password is needed
        raise SigningError(Msg.of(
            N_("the private key {path} is encrypted with a passphrase: use an unencrypted "
               "key, or remove the passphrase with “ssh-keygen -p -f {path}”"),
            path=str(path))) from None
    except (ValueError, UnsupportedAlgorithm):
        raise SigningError(Msg.of(
            N_("not an OpenSSH private key: {path} (expected a file beginning with "
               "“-----BEGIN OPENSSH PRIVATE KEY-----”)"), path=str(path))) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningError(Msg.of(
            N_("not an Ed25519 key: {path} holds a key of another type ({found}); make one "
               "with “ssh-keygen -t ed25519”"), path=str(path), found=_key_type(key)))
    return key


def _key_type(key: serialization.SSHPrivateKeyTypes) -> str:
    """Name a private key's type as SSH does (``ssh-rsa``, ``ecdsa-sha2-nistp256``…)."""
    line = key.public_key().public_bytes(serialization.Encoding.OpenSSH,
                                         serialization.PublicFormat.OpenSSH)
    return line.split(b" ", 1)[0].decode("ascii", "replace")


def generate_keypair(private_path: Path, comment: str) -> tuple[Path, Path]:
    """Write a new Ed25519 private key (mode 0600) and its ``.pub`` line; never overwrite."""
    public_path = private_path.with_name(private_path.name + ".pub")
    for path in (private_path, public_path):
        if path.exists() or path.is_symlink():
            raise SigningError(Msg.of(
                N_("{path} already exists; a key is never overwritten (move it away first)"),
                path=str(path)))
    private_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH,
                            serialization.NoEncryption())
    try:
        # Created 0600 from the start: the key is never readable by others, even briefly.
        fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise SigningError(Msg.of(
            N_("{path} already exists; a key is never overwritten (move it away first)"),
            path=str(private_path))) from None
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    os.chmod(private_path, 0o600)  # a umask may only narrow the mode; make it exact
    with public_path.open("x", encoding="utf-8") as fh:
        fh.write(public_key_line(key, comment) + "\n")
    return private_path, public_path


def allowed_signers_line(principal: str, public: Ed25519PublicKey) -> str:
    """Return a line of ssh-keygen's allowed_signers file for this key and namespace."""
    key = base64.b64encode(_key_blob(public)).decode()
    return f'{principal} namespaces="{NAMESPACE}" {KEY_TYPE} {key}'


# --- signatures ------------------------------------------------------------------------

def _signed_data(namespace: str, hash_name: str, message: bytes) -> bytes:
    """Return the blob the key signs: the magic, namespace, reserved, hash name and digest."""
    digest = hashlib.new(hash_name, message).digest()
    return (MAGIC + _string(namespace.encode()) + _string(b"") + _string(hash_name.encode())
            + _string(digest))


def _armor(blob: bytes) -> str:
    """Wrap a signature blob in ssh-keygen's armor, base64 at 70 columns."""
    text = base64.b64encode(blob).decode()
    lines = [text[i:i + WIDTH] for i in range(0, len(text), WIDTH)]
    return "\n".join([BEGIN, *lines, END]) + "\n"


def sign(private: Ed25519PrivateKey, message: bytes, namespace: str = NAMESPACE) -> str:
    """Sign a message as ``ssh-keygen -Y sign`` does; return the armored signature."""
    raw = private.sign(_signed_data(namespace, HASH, message))
    signature = _string(KEY_TYPE.encode()) + _string(raw)
    blob = (MAGIC + VERSION.to_bytes(4, "big") + _string(_key_blob(private.public_key()))
            + _string(namespace.encode()) + _string(b"") + _string(HASH.encode())
            + _string(signature))
    return _armor(blob)


def _unarmor(armored: str) -> bytes:
    """Return the blob inside the armor."""
    lines = [line.strip() for line in armored.strip().splitlines()]
    if not lines or lines[0] != BEGIN:
        raise SigningError(Msg.of(N_("not an SSH signature: expected the first line “{begin}”, "
                                     "found “{found}”"),
                                  begin=BEGIN, found=_shorten(lines[0] if lines else "")))
    if lines[-1] != END:
        raise SigningError(Msg.of(N_("not an SSH signature: expected the last line “{end}”, "
                                     "found “{found}”"), end=END, found=_shorten(lines[-1])))
    try:
        return base64.b64decode("".join(lines[1:-1]), validate=True)
    except (binascii.Error, ValueError):
        raise SigningError(Msg.of(
            N_("not an SSH signature: the text between its first and last line is not "
               "base64"))) from None


def verify(public: Ed25519PublicKey, message: bytes, armored: str,
           namespace: str = NAMESPACE) -> None:
    """Raise SigningError unless the armored text is this key's SSHSIG of the message."""
    blob = _unarmor(armored)
    if not blob.startswith(MAGIC):
        raise SigningError(Msg.of(N_("not an SSH signature: it does not begin with “SSHSIG”")))
    reader = _Reader(blob[len(MAGIC):])
    try:
        version = reader.uint32()
        if version != VERSION:
            raise SigningError(Msg.of(
                N_("unsupported SSH signature version: expected {expected}, found {found}"),
                expected=VERSION, found=version))
        key_blob = reader.string()
        signed_namespace = reader.string()
        reader.string()  # reserved, ignored as PROTOCOL.sshsig says
        hash_name = reader.string()
        signature = reader.string()
    except _Truncated:
        raise SigningError(Msg.of(N_("not an SSH signature: it is cut short"))) from None
    if not reader.done():
        raise SigningError(Msg.of(N_("not an SSH signature: extra bytes after its end")))
    expected_blob = _key_blob(public)
    if key_blob != expected_blob:
        raise SigningError(Msg.of(
            N_("the signature was made with key {found} but the expected key is {expected}"),
            found=_blob_fingerprint(key_blob), expected=_blob_fingerprint(expected_blob)))
    found_namespace = signed_namespace.decode("utf-8", "replace")
    if found_namespace != namespace:
        raise SigningError(Msg.of(
            N_("the signature is for namespace “{found}” but the expected namespace is "
               "“{expected}”"), found=_shorten(found_namespace), expected=namespace))
    found_hash = hash_name.decode("ascii", "replace")
    if found_hash not in HASHES:
        raise SigningError(Msg.of(
            N_("unsupported hash algorithm in the SSH signature: expected {expected}, "
               "found “{found}”"), expected=list(HASHES), found=_shorten(found_hash)))
    raw = _raw_signature(signature)
    try:
        public.verify(raw, _signed_data(namespace, found_hash, message))
    except InvalidSignature:
        raise SigningError(Msg.of(
            N_("the signature does not match the signed text (namespace “{namespace}”, "
               "key {key})"), namespace=namespace, key=fingerprint(public))) from None


def _raw_signature(signature: bytes) -> bytes:
    """Return the 64 raw bytes of an ``ssh-ed25519`` signature blob."""
    reader = _Reader(signature)
    try:
        algorithm = reader.string()
        raw = reader.string()
    except _Truncated:
        raise SigningError(Msg.of(N_("not an SSH signature: it is cut short"))) from None
    if algorithm != KEY_TYPE.encode():
        raise SigningError(Msg.of(
            N_("not an Ed25519 signature: expected the algorithm “ssh-ed25519”, found "
               "“{found}”"), found=_shorten(algorithm.decode("ascii", "replace"))))
    if not reader.done():
        raise SigningError(Msg.of(N_("not an SSH signature: extra bytes after its end")))
    if len(raw) != 64:
        raise SigningError(Msg.of(
            N_("not an Ed25519 signature: expected 64 signature bytes, found {found}"),
            found=len(raw)))
    return raw


def _shorten(text: str, limit: int = 40) -> str:
    """Cut a quoted value so a message never dumps a whole file."""
    return text if len(text) <= limit else text[:limit] + "…"

"""Seals' signatures: OpenSSH SSHSIG, identical to and checkable by stock ssh-keygen."""

from __future__ import annotations

import base64
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gongkai.core.i18n import translations
from gongkai.trust import signing
from gongkai.trust.signing import SigningError

SSH_KEYGEN = shutil.which("ssh-keygen") or "/usr/bin/ssh-keygen"
MESSAGE = "青山村 2025年4月 财务公开 seal\nsha256 0123abcd\n".encode()
PRINCIPAL = "county@qingshan.example"


def english(exc: pytest.ExceptionInfo[SigningError]) -> str:
    """Render a SigningError's message as the CLI prints it on an English site."""
    return exc.value.message.render(translations("en"))


def keygen(*args: str, stdin: bytes | None = None, cwd: Path | None = None
           ) -> subprocess.CompletedProcess[bytes]:
    """Run ssh-keygen, capturing its output."""
    return subprocess.run([SSH_KEYGEN, *args], input=stdin, capture_output=True, cwd=cwd,
                          check=False)


@pytest.fixture
def key_path(tmp_path: Path) -> Path:
    """A key pair written by generate_keypair."""
    private, _public = signing.generate_keypair(tmp_path / "keys" / "seal", "county")
    return private


def test_round_trip(key_path: Path) -> None:
    key = signing.load_private_key(key_path)
    armored = signing.sign(key, MESSAGE)
    public = signing.parse_public_key(key_path.with_name("seal.pub").read_text())
    signing.verify(public, MESSAGE, armored)  # no exception
    lines = armored.splitlines()
    assert lines[0] == "-----BEGIN SSH SIGNATURE-----"
    assert lines[-1] == "-----END SSH SIGNATURE-----"
    assert all(len(line) <= 70 for line in lines[1:-1]) and len(lines[1]) == 70
    assert armored.endswith("-----\n")


def test_flipped_message_byte_fails(key_path: Path) -> None:
    key = signing.load_private_key(key_path)
    armored = signing.sign(key, MESSAGE)
    tampered = bytearray(MESSAGE)
    tampered[3] ^= 0x01
    with pytest.raises(SigningError) as exc:
        signing.verify(key.public_key(), bytes(tampered), armored)
    assert english(exc) == (
        "the signature does not match the signed text (namespace “gongkai-seal”, key "
        f"{signing.fingerprint(key.public_key())})")


def test_flipped_signature_byte_fails(key_path: Path) -> None:
    key = signing.load_private_key(key_path)
    lines = signing.sign(key, MESSAGE).splitlines()
    blob = bytearray(base64.b64decode("".join(lines[1:-1])))
    blob[-5] ^= 0x01  # inside the 64 raw signature bytes, which end the blob
    body = base64.b64encode(bytes(blob)).decode()
    armored = "\n".join([lines[0], body, lines[-1]]) + "\n"
    with pytest.raises(SigningError) as exc:
        signing.verify(key.public_key(), MESSAGE, armored)
    assert english(exc) == (
        "the signature does not match the signed text (namespace “gongkai-seal”, key "
        f"{signing.fingerprint(key.public_key())})")


def test_wrong_namespace_fails(key_path: Path) -> None:
    key = signing.load_private_key(key_path)
    armored = signing.sign(key, MESSAGE, namespace="file")
    with pytest.raises(SigningError) as exc:
        signing.verify(key.public_key(), MESSAGE, armored)
    assert english(exc) == (
        "the signature is for namespace “file” but the expected namespace is “gongkai-seal”")


def test_different_key_fails(key_path: Path) -> None:
    key = signing.load_private_key(key_path)
    other = Ed25519PrivateKey.generate().public_key()
    armored = signing.sign(key, MESSAGE)
    with pytest.raises(SigningError) as exc:
        signing.verify(other, MESSAGE, armored)
    assert english(exc) == (
        f"the signature was made with key {signing.fingerprint(key.public_key())} but the "
        f"expected key is {signing.fingerprint(other)}")


@pytest.mark.parametrize(("armored", "expected"), [
    ("hello", "not an SSH signature: expected the first line "
              "“-----BEGIN SSH SIGNATURE-----”, found “hello”"),
    ("-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n",
     "not an SSH signature: expected the last line “-----END SSH SIGNATURE-----”, "
     "found “U1NIU0lH”"),
    ("-----BEGIN SSH SIGNATURE-----\n*not base64*\n-----END SSH SIGNATURE-----\n",
     "not an SSH signature: the text between its first and last line is not base64"),
    ("-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----\n",
     "not an SSH signature: it is cut short"),
    ("-----BEGIN SSH SIGNATURE-----\nU1NIU0lHAAAAAg==\n-----END SSH SIGNATURE-----\n",
     "unsupported SSH signature version: expected 1, found 2"),
    ("-----BEGIN SSH SIGNATURE-----\nQUJD\n-----END SSH SIGNATURE-----\n",
     "not an SSH signature: it does not begin with “SSHSIG”"),
])
def test_malformed_signature_is_named(key_path: Path, armored: str, expected: str) -> None:
    key = signing.load_private_key(key_path)
    with pytest.raises(SigningError) as exc:
        signing.verify(key.public_key(), MESSAGE, armored)
    assert english(exc) == expected


def test_zh_cn_message(key_path: Path) -> None:
    key = signing.load_private_key(key_path)
    armored = signing.sign(key, MESSAGE, namespace="file")
    with pytest.raises(SigningError) as exc:
        signing.verify(key.public_key(), MESSAGE, armored)
    text = exc.value.message.render(translations("zh-CN"))
    assert "“file”" in text and "“gongkai-seal”" in text and "命名空间" in text


def test_ssh_keygen_key_loads_and_signs_identically(tmp_path: Path) -> None:
    key_file = tmp_path / "id_ed25519"
    made = keygen("-q", "-t", "ed25519", "-N", "", "-C", PRINCIPAL, "-f", str(key_file))
    assert made.returncode == 0, made.stderr
    key = signing.load_private_key(key_file)
    (tmp_path / "seal.txt").write_bytes(MESSAGE)
    signed = keygen("-Y", "sign", "-n", "gongkai-seal", "-f", str(key_file), "seal.txt",
                    cwd=tmp_path)
    assert signed.returncode == 0, signed.stderr
    theirs = (tmp_path / "seal.txt.sig").read_text()
    assert signing.sign(key, MESSAGE) == theirs  # Ed25519 is deterministic
    public = signing.parse_public_key(key_file.with_name("id_ed25519.pub").read_text())
    signing.verify(public, MESSAGE, theirs)


def test_ssh_keygen_sha256_signature_verifies(tmp_path: Path, key_path: Path) -> None:
    (tmp_path / "seal.txt").write_bytes(MESSAGE)
    signed = keygen("-Y", "sign", "-n", "gongkai-seal", "-O", "hashalg=sha256", "-f",
                    str(key_path), "seal.txt", cwd=tmp_path)
    assert signed.returncode == 0, signed.stderr
    theirs = (tmp_path / "seal.txt.sig").read_text()
    key = signing.load_private_key(key_path)
    assert theirs != signing.sign(key, MESSAGE)  # another hash, so another signature
    signing.verify(key.public_key(), MESSAGE, theirs)
    with pytest.raises(SigningError) as exc:
        signing.verify(key.public_key(), MESSAGE + b"!", theirs)
    assert english(exc).startswith("the signature does not match the signed text")


def test_unsupported_hash_is_named(key_path: Path) -> None:
    key = signing.load_private_key(key_path)
    lines = signing.sign(key, MESSAGE).splitlines()
    blob = base64.b64decode("".join(lines[1:-1])).replace(b"\x00\x00\x00\x06sha512",
                                                         b"\x00\x00\x00\x04sha1")
    armored = "\n".join([lines[0], base64.b64encode(blob).decode(), lines[-1]])
    with pytest.raises(SigningError) as exc:
        signing.verify(key.public_key(), MESSAGE, armored)
    assert english(exc) == (
        "unsupported hash algorithm in the SSH signature: expected sha256, sha512, "
        "found “sha1”")


def test_ssh_keygen_verifies_our_signature(tmp_path: Path, key_path: Path) -> None:
    key = signing.load_private_key(key_path)
    sig = tmp_path / "seal.txt.sig"
    sig.write_text(signing.sign(key, MESSAGE))
    allowed = tmp_path / "allowed_signers"
    allowed.write_text(signing.allowed_signers_line(PRINCIPAL, key.public_key()) + "\n")
    args = ("-Y", "verify", "-f", str(allowed), "-I", PRINCIPAL, "-n", "gongkai-seal",
            "-s", str(sig))
    good = keygen(*args, stdin=MESSAGE)
    assert good.returncode == 0, good.stderr
    assert f"Good \"gongkai-seal\" signature for {PRINCIPAL}".encode() in good.stdout
    bad = keygen(*args, stdin=MESSAGE + b" ")
    assert bad.returncode != 0
    # The allowed_signers line confines the key to our namespace.
    other_namespace = keygen("-Y", "verify", "-f", str(allowed), "-I", PRINCIPAL, "-n",
                             "file", "-s", str(sig), stdin=MESSAGE)
    assert other_namespace.returncode != 0


def test_fingerprint_matches_ssh_keygen(key_path: Path) -> None:
    listed = keygen("-lf", str(key_path.with_name("seal.pub")))
    assert listed.returncode == 0, listed.stderr
    key = signing.load_private_key(key_path)
    assert listed.stdout.decode().split()[1] == signing.fingerprint(key.public_key())


def test_generate_keypair_mode_and_public_line(tmp_path: Path) -> None:
    private, public = signing.generate_keypair(tmp_path / "new" / "seal", "青山镇 county")
    assert public == tmp_path / "new" / "seal.pub"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert stat.S_IMODE(private.parent.stat().st_mode) == 0o700
    assert private.read_text().startswith("-----BEGIN OPENSSH PRIVATE KEY-----\n")
    key = signing.load_private_key(private)
    assert public.read_text() == signing.public_key_line(key, "青山镇 county") + "\n"
    assert public.read_text().startswith("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI")
    # ssh-keygen derives the same public key from our private file.
    derived = keygen("-y", "-f", str(private))
    assert derived.returncode == 0, derived.stderr
    assert derived.stdout.decode().split()[:2] == public.read_text().split()[:2]


def test_generate_keypair_refuses_to_overwrite(tmp_path: Path, key_path: Path) -> None:
    before = key_path.read_bytes()
    with pytest.raises(SigningError) as exc:
        signing.generate_keypair(key_path, "again")
    assert english(exc) == (
        f"{key_path} already exists; a key is never overwritten (move it away first)")
    assert key_path.read_bytes() == before
    lonely = tmp_path / "lonely"
    lonely.with_name("lonely.pub").write_text("keep me\n")
    with pytest.raises(SigningError) as exc:
        signing.generate_keypair(lonely, "again")
    assert english(exc) == (
        f"{tmp_path / 'lonely.pub'} already exists; a key is never overwritten "
        "(move it away first)")
    assert not lonely.exists()


def test_encrypted_key_gives_clear_error(tmp_path: Path) -> None:
    key_file = tmp_path / "locked"
    assert keygen("-q", "-t", "ed25519", "-N", "secret", "-f", str(key_file)).returncode == 0
    with pytest.raises(SigningError) as exc:
        signing.load_private_key(key_file)
    assert english(exc) == (
        f"the private key {key_file} is encrypted with a passphrase: use an unencrypted key, "
        f"or remove the passphrase with “ssh-keygen -p -f {key_file}”")


def test_unusable_private_keys(tmp_path: Path) -> None:
    missing = tmp_path / "nothing"
    with pytest.raises(SigningError) as exc:
        signing.load_private_key(missing)
    assert english(exc) == f"no private key at {missing}"
    garbage = tmp_path / "garbage"
    garbage.write_text("not a key\n")
    with pytest.raises(SigningError) as exc:
        signing.load_private_key(garbage)
    assert english(exc) == (
        f"not an OpenSSH private key: {garbage} (expected a file beginning with "
        "“-----BEGIN OPENSSH PRIVATE KEY-----”)")
    ecdsa = tmp_path / "ecdsa"
    assert keygen("-q", "-t", "ecdsa", "-N", "", "-f", str(ecdsa)).returncode == 0
    with pytest.raises(SigningError) as exc:
        signing.load_private_key(ecdsa)
    assert english(exc) == (
        f"not an Ed25519 key: {ecdsa} holds a key of another type (ecdsa-sha2-nistp256); "
        "make one with “ssh-keygen -t ed25519”")


def test_parse_public_key_rejects_others(tmp_path: Path) -> None:
    ecdsa = tmp_path / "ecdsa"
    assert keygen("-q", "-t", "ecdsa", "-N", "", "-f", str(ecdsa)).returncode == 0
    with pytest.raises(SigningError) as exc:
        signing.parse_public_key(ecdsa.with_name("ecdsa.pub").read_text())
    assert english(exc) == (
        "not an Ed25519 key: expected the key type “ssh-ed25519”, found "
        "“ecdsa-sha2-nistp256”")
    with pytest.raises(SigningError) as exc:
        signing.parse_public_key("ssh-ed25519 AAAA")
    assert english(exc) == (
        "not an SSH public key: the text after “ssh-ed25519” is not a valid Ed25519 key")
    with pytest.raises(SigningError) as exc:
        signing.parse_public_key("")
    assert english(exc) == "not an SSH public key: expected “ssh-ed25519 AAAA…”, found “”"
    # A line claiming ssh-ed25519 but carrying another key's data.
    body = ecdsa.with_name("ecdsa.pub").read_text().split()[1]
    with pytest.raises(SigningError) as exc:
        signing.parse_public_key(f"ssh-ed25519 {body}")
    assert english(exc) == (
        "not an SSH public key: the text after “ssh-ed25519” is not a valid Ed25519 key")


def test_comment_stays_on_one_line() -> None:
    key = Ed25519PrivateKey.generate()
    line = signing.public_key_line(key, "county\nseal  2025")
    assert line.endswith(" county seal 2025") and "\n" not in line


def test_allowed_signers_line(key_path: Path) -> None:
    key = signing.load_private_key(key_path)
    line = signing.allowed_signers_line(PRINCIPAL, key.public_key())
    assert line == (f'{PRINCIPAL} namespaces="gongkai-seal" '
                    f"{signing.public_key_line(key)}")

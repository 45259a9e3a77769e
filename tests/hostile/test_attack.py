"""Hostile and careless input to the newest commands: a message, never a traceback."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.cli import cli
from tests.helpers.sites import english_sample

TODAY = "2026-01-20"


@pytest.fixture(scope="module", autouse=True)
def english_cli() -> Iterator[None]:
    """Let verify (which has no site) speak English."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GONGKAI_LANG", "en")
        yield


@pytest.fixture(scope="module")
def sealed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample county in English, sealed once with a new key."""
    key = tmp_path_factory.mktemp("keys") / "seal_ed25519"
    assert cli("keygen", key)[0] == 0
    site = english_sample(tmp_path_factory.mktemp("attack") / "site")
    code, _, err = cli("seal", "--site", site, "--today", TODAY, "--key", key)
    assert code == 0, err
    return site


def copy_of(site: Path, target: Path) -> Path:
    """Copy the sealed site for one test to damage."""
    shutil.copytree(site, target)
    return target


# --- gongkai verify on a damaged copy --------------------------------------------------------

def test_verify_names_a_manifest_path_outside_the_copy_and_one_too_long(sealed_site, tmp_path):
    public = copy_of(sealed_site, tmp_path / "site") / "public"
    (tmp_path / "outside.txt").write_text("x", encoding="utf-8")
    long_name = "a" * 300
    with (public / "history/manifest.sha256").open("a", encoding="utf-8") as manifest:
        manifest.write("0" * 64 + "  ../../outside.txt\n" + "0" * 64 + "  /etc/passwd\n"
                       + "0" * 64 + f"  {long_name}\n")
    code, _, err = cli("verify", public)
    assert code == 1
    assert "Traceback" not in err
    assert ("✗ ../../outside.txt is listed in the manifest but is not a path inside the copy\n"
            in err)
    assert "✗ /etc/passwd is listed in the manifest but is not a path inside the copy\n" in err
    assert f"✗ {'a' * 200} cannot be read: File name too long\n" in err


def test_verify_a_copy_whose_public_key_is_not_text(sealed_site, tmp_path):
    public = copy_of(sealed_site, tmp_path / "site") / "public"
    (public / "history/seal.pub").write_bytes(b"\xff\xfe\x00binary")
    code, _, err = cli("verify", public)
    assert code == 1
    assert "✗ history/seal.pub differs from the manifest\n" in err
    assert "✗ history/seal.pub is missing: give the county's public key with --key\n" in err


def test_verify_a_log_line_nested_too_deep(sealed_site, tmp_path):
    public = copy_of(sealed_site, tmp_path / "site") / "public"
    (public / "history/log.jsonl").write_text("[" * 100_000 + "\n", encoding="utf-8")
    code, _, err = cli("verify", public)
    assert code == 1
    assert ("✗ line 1 is not an entry of the seal log: maximum recursion depth exceeded while "
            "decoding a JSON array from a unicode string\n") in err


# --- build and seal on a site whose history/ is damaged --------------------------------------

@pytest.mark.parametrize("damaged", ["history/seal.pub", "history/checkpoints/0001.txt"])
def test_a_site_history_file_that_is_not_utf8_is_an_error(sealed_site, tmp_path, damaged):
    site = copy_of(sealed_site, tmp_path / "site")
    (site / damaged).write_bytes("封存".encode("gbk"))
    code, _, err = cli("build", "--site", site, "--today", TODAY)
    assert code == 1
    assert (f"{damaged}: error: {damaged} cannot be read: 'utf-8' codec can't decode byte "
            "0xb7 in position 0: invalid start byte\n") in err


def test_a_site_checkpoint_that_is_a_folder_is_an_error(sealed_site, tmp_path):
    site = copy_of(sealed_site, tmp_path / "site")
    checkpoint = site / "history/checkpoints/0001.txt"
    checkpoint.unlink()
    checkpoint.mkdir()
    code, _, err = cli("build", "--site", site, "--today", TODAY)
    assert code == 1
    assert ("history/checkpoints/0001.txt: error: history/checkpoints/0001.txt cannot be read: "
            "[Errno 21] Is a directory: ") in err


# --- gongkai keygen to a path it cannot use ---------------------------------------------------

def test_keygen_where_a_file_is_in_the_way_of_the_folder(tmp_path):
    (tmp_path / "keys").write_text("not a folder", encoding="utf-8")
    code, out, err = cli("keygen", tmp_path / "keys/seal_ed25519")
    assert (code, out) == (2, "")
    assert err == (f"cannot write the private key to {tmp_path / 'keys/seal_ed25519'}: "
                   "File exists\n")


def test_keygen_with_an_empty_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = cli("keygen", "")
    assert (code, out) == (2, "")
    assert err == ("cannot write the private key to .: give a file name, such as "
                   "~/.config/gongkai/seal_ed25519\n")
    assert list(tmp_path.iterdir()) == []

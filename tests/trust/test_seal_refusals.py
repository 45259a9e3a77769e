"""The seal log, 5. refusals."""

from __future__ import annotations

from gongkai.trust import signing
from tests.helpers.cli import cli
from tests.helpers.seal import (
    SMALL_CONFIG,
    TODAY2,
)
from tests.helpers.sites import MakeSite, copy_site


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

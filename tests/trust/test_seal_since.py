"""The seal log, 2. --since: the log only grows."""

from __future__ import annotations

import hashlib
import json
import shutil

from gongkai.trust import signing
from gongkai.trust.log import Checkpoint, leaf_hash, roots
from gongkai.trust.seal import manifest
from tests.helpers.cli import cli
from tests.helpers.seal import (
    LEDGER,
    TODAY2,
    checkpoint_of,
    rewrite_entry,
    verified,
)
from tests.helpers.sites import copy_site


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

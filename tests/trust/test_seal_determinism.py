"""The seal log, 7. determinism."""

from __future__ import annotations

from tests.helpers.cli import cli
from tests.helpers.seal import (
    TODAY1,
)
from tests.helpers.sites import english_sample


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

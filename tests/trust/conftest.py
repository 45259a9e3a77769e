"""The sealed sample county, shared by the seal tests of this folder (built once a package)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.cli import cli
from tests.helpers.seal import (
    CHANGED_LINE,
    CORRECTION,
    LEDGER,
    NEW_PAYEE,
    OLD_PAYEE,
    TODAY1,
    TODAY2,
    Corrected,
    Sealed,
    replace_once,
)
from tests.helpers.sites import copy_site, english_sample


@pytest.fixture(scope="package", autouse=True)
def english_cli() -> Iterator[None]:
    """Let keygen and verify (which have no site) speak English."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GONGKAI_LANG", "en")
        yield


@pytest.fixture(scope="package")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder outside every site, for keys."""
    return tmp_path_factory.mktemp("keys")


@pytest.fixture(scope="package")
def sealed(tmp_path_factory: pytest.TempPathFactory, keys: Path) -> Sealed:
    """Make the county's key, then seal the sample county once (seal 1)."""
    key = keys / "county" / "seal_ed25519"
    made = cli("keygen", key, "--name", "sanwu.example.cn")
    site = english_sample(tmp_path_factory.mktemp("sealed") / "site")
    sealing = cli("seal", "--site", site, "--today", TODAY1, "--key", key)
    kept = tmp_path_factory.mktemp("resident") / "checkpoint.txt"
    if sealing[0] == 0:
        shutil.copy(site / "public/history/checkpoint.txt", kept)
        shutil.copy(site / "public/history/checkpoint.txt.sig", kept.with_name(kept.name + ".sig"))
    return Sealed(site, key, made, sealing, kept)


@pytest.fixture(scope="package")
def corrected(tmp_path_factory: pytest.TempPathFactory, sealed: Sealed) -> Corrected:
    """Change a sealed payee without a correction, then with one; then seal again."""
    site = copy_site(sealed.site, tmp_path_factory.mktemp("corrected") / "site")
    ledger = site / LEDGER
    replace_once(ledger, CHANGED_LINE, CHANGED_LINE.replace(OLD_PAYEE, NEW_PAYEE))
    uncorrected = cli("build", "--site", site, "--today", TODAY2)
    ledger.write_text(ledger.read_text(encoding="utf-8") + CORRECTION, encoding="utf-8")
    fixed = cli("build", "--site", site, "--today", TODAY2)
    state = Corrected(site, uncorrected, fixed)
    finance = site / "public/qingshan/finance"
    for name in ("2025-03.html", "2025-03.v1.html"):
        if (finance / name).is_file():
            state.pages[name] = (finance / name).read_text(encoding="utf-8")
    state.seal = cli("seal", "--site", site, "--today", TODAY2, "--key", sealed.key)
    return state

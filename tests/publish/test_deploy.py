"""``gongkai deploy`` against a real S3 server: moto's server mode, on loopback.

The server is started by these tests (``ThreadedMotoServer``), the sample site is built
and deployed, and what reaches the bucket is read back over HTTP as a CDN would.
"""

from __future__ import annotations

import logging
import re
import shutil
import socket
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from gongkai.cli import main as cli
from gongkai.publish import deploy as deploy_run
from gongkai.publish.deployplan import MANIFEST, list_build, read_manifest

REPO = Path(__file__).resolve().parent.parent.parent
TODAY = "2026-02-10"
BUCKET = "sanwu"
PREFIX = "qingshan-xian"
TARGET = f"s3://{BUCKET}/{PREFIX}"
LEDGER = "content/qingshan/finance/2025-03.yaml"


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """Start an S3-compatible server on a free loopback port; yield its address."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # The server logs each request; a handler an earlier CLI run left on the root logger
    # may write to a stream that is closed by now.
    logging.getLogger("werkzeug").disabled = True
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    moto.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        moto.stop()


@pytest.fixture()
def s3(server: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The environment every S3 tool reads, pointing at the local server; a fresh bucket."""
    for name, value in (("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing"),
                        ("AWS_DEFAULT_REGION", "us-east-1"), ("AWS_ENDPOINT_URL", server)):
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    client = boto3.client("s3", endpoint_url=server, region_name="us-east-1")
    for found in client.list_buckets().get("Buckets", []):
        objects = client.list_objects_v2(Bucket=found["Name"]).get("Contents", [])
        for item in objects:
            client.delete_object(Bucket=found["Name"], Key=item["Key"])
        client.delete_bucket(Bucket=found["Name"])
    client.create_bucket(Bucket=BUCKET)
    return client


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site in English, built on a pinned day once for the module."""
    root = tmp_path_factory.mktemp("deploy") / "site"
    shutil.copytree(REPO / "content", root / "content")
    config = (REPO / "site_config.yaml").read_text(encoding="utf-8")
    (root / "site_config.yaml").write_text(
        config.replace("  language: zh-CN\n", "  language: en\n"), encoding="utf-8")
    assert build(root) == 0
    return root


@pytest.fixture()
def site(built: Path, tmp_path: Path) -> Path:
    """A test's own copy of the built site (its output and cache too), to change at will."""
    return Path(shutil.copytree(built, tmp_path / "site", symlinks=True))


def build(root: Path) -> int:
    """Build a site into its public/ folder."""
    return cli.main(["build", "--site", str(root), "--today", TODAY])


def deploy(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str, str]:
    """Run ``gongkai deploy`` on a site; return its exit code, stdout and stderr."""
    capsys.readouterr()
    code = cli.main(["deploy", TARGET, "--site", str(root), *extra])
    out, err = capsys.readouterr()
    return code, out, err


def keys(client: Any) -> dict[str, str]:
    """Return every object of the bucket with its ETag."""
    found = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        for item in page.get("Contents", []):
            found[item["Key"]] = item["ETag"]
    return found


def fetch(server: str, path: str) -> tuple[bytes, dict[str, str]]:
    """GET an object over HTTP, as a CDN in front of the bucket would (the bucket is
    private here, so through a presigned address)."""
    client = boto3.client("s3", endpoint_url=server, region_name="us-east-1")
    url = client.generate_presigned_url("get_object",
                                        Params={"Bucket": BUCKET, "Key": f"{PREFIX}/{path}"})
    with urllib.request.urlopen(url) as response:
        return response.read(), {k.lower(): v for k, v in response.headers.items()}


def summary(uploaded: int, size: str, deleted: int, unchanged: int) -> str:
    """What a deploy prints when it is done."""
    files = f"{uploaded} file" + ("" if uploaded == 1 else "s")
    return (f"Uploaded {files} ({size}), deleted {deleted}, unchanged {unchanged}: "
            f"{TARGET} is up to date.\n")


def test_a_first_deploy_uploads_every_file_and_pages_are_served_as_html(site, s3, server,
                                                                        capsys):
    files = list_build(site / "public")
    code, out, err = deploy(site, capsys)
    assert (code, err) == (0, "")
    size = sum(f.size for f in files.values())
    assert out == summary(len(files), f"{size / 1024:.1f} KB", 0, 0)
    assert set(keys(s3)) == {f"{PREFIX}/{path}" for path in files} | {f"{PREFIX}/{MANIFEST}"}
    body, headers = fetch(server, "index.html")
    assert body == (site / "public/index.html").read_bytes()
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert headers["cache-control"] == "no-cache"
    css = next(path for path in files if path.startswith("assets/style."))
    assert fetch(server, css)[1]["content-type"] == "text/css; charset=utf-8"
    assert fetch(server, css)[1]["cache-control"] == "public, max-age=31536000, immutable"
    assert fetch(server, "atom.xml")[1]["content-type"] == "application/atom+xml; charset=utf-8"
    assert fetch(server, "qingshan/index.qr.png")[1]["content-type"] == "image/png"


def test_a_second_deploy_with_no_change_uploads_nothing(site, s3, capsys):
    assert deploy(site, capsys)[0] == 0
    before = keys(s3)
    count = len(list_build(site / "public"))
    assert deploy(site, capsys) == (0, summary(0, "0.0 KB", 0, count), "")
    assert keys(s3) == before


def test_one_edited_ledger_uploads_only_the_files_that_changed(site, s3, capsys):
    assert deploy(site, capsys)[0] == 0
    old = list_build(site / "public")
    ledger = site / LEDGER
    text = ledger.read_text(encoding="utf-8")
    ledger.write_text(text.replace("item: 存款利息,", "item: 存款利息（一季度）,"), encoding="utf-8")
    assert build(site) == 0
    new = list_build(site / "public")
    changed = sorted(path for path in new if path not in old or old[path] != new[path])
    code, out, _err = deploy(site, capsys)
    print(f"one ledger edit: {len(changed)} of {len(new)} files uploaded: {changed}")
    assert code == 0
    size = sum(new[path].size for path in changed)
    assert out == summary(len(changed), f"{size / 1024:.1f} KB", 0, len(new) - len(changed))
    # The period's page and data, and what lists or indexes it; nothing of other villages.
    assert {"qingshan/finance/2025-03.html", "qingshan/finance/2025-03.csv",
            "qingshan/finance/2025-03.json", "qingshan/search.json"} <= set(changed)
    assert len(changed) < 25
    assert not [path for path in changed if path.startswith(("xikou/", "baishi/", "zhuyuan/"))]


def test_a_dry_run_says_what_would_change_and_changes_nothing(site, s3, capsys):
    count = len(list_build(site / "public"))
    code, out, _err = deploy(site, capsys, "--dry-run")
    assert code == 0
    assert out.startswith(f"Dry run, nothing changed: would upload {count} files (")
    assert out.splitlines()[1].startswith("  + assets/")  # hashed assets go first
    assert keys(s3) == {}


@pytest.mark.parametrize("breakage", ["empty", "no marker", "missing"])
def test_an_empty_or_broken_build_is_never_deployed(site, s3, capsys, breakage):
    assert deploy(site, capsys)[0] == 0
    before = keys(s3)
    out = site / "public"
    if breakage == "empty":
        shutil.rmtree(out)
        out.mkdir()
    elif breakage == "no marker":
        (out / ".gongkai-build").unlink()
    else:
        shutil.rmtree(out)
    code, _out, err = deploy(site, capsys)
    assert code == 2
    assert err == (f"{out} is not a complete site built by Gongkai (no .gongkai-build or no "
                   "index.html): build it first; nothing was deployed\n")
    assert keys(s3) == before


def test_more_deletes_than_allowed_are_refused_before_anything_changes(site, s3, capsys):
    assert deploy(site, capsys)[0] == 0
    before, old = keys(s3), list_build(site / "public")
    shutil.rmtree(site / "content/xikou/affairs")  # four disclosures withdrawn
    assert build(site) == 0
    gone = len(set(old) - set(list_build(site / "public")))
    code, _out, err = deploy(site, capsys, "--max-deletes", "5")
    assert code == 2
    assert err == (f"this deploy would delete {gone} files at {TARGET}, more than --max-deletes "
                   f"(5): is the build complete? If these files really are gone, run again with "
                   f"--max-deletes {gone}; nothing was changed\n")
    assert keys(s3) == before
    code, out, _err = deploy(site, capsys, "--max-deletes", str(gone))
    assert code == 0
    assert f", deleted {gone}, " in out
    assert not [key for key in keys(s3) if "/xikou/affairs/2024-" in key]


def test_an_interrupted_deploy_leaves_the_old_site_readable_and_a_rerun_finishes(
        site, s3, server, capsys, monkeypatch):
    assert deploy(site, capsys)[0] == 0
    old_index = fetch(server, "index.html")[0]
    old_manifest = fetch(server, MANIFEST)[0]
    # A new stylesheet and every page change: rename the site.
    config = site / "site_config.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("title: 青山县", "title: 青山县（新）"),
                      encoding="utf-8")
    assert build(site) == 0
    real_put = deploy_run._put
    calls = []

    def failing_put(*args: Any, **kwargs: Any) -> None:
        calls.append(args[2])
        if len(calls) > 10:
            raise KeyboardInterrupt
        real_put(*args, **kwargs)

    monkeypatch.setattr(deploy_run, "_put", failing_put)
    code, _out, err = deploy(site, capsys)
    assert code == 1
    assert err == ("stopped; what was uploaded is kept, and running the same command again "
                   "finishes the deploy\n")
    # Readers still get the old site: its index and its manifest are the old ones.
    assert fetch(server, "index.html")[0] == old_index
    assert fetch(server, MANIFEST)[0] == old_manifest
    monkeypatch.setattr(deploy_run, "_put", real_put)
    code, out, _err = deploy(site, capsys)
    assert code == 0
    # Uploads run in parallel: of the ten that reached the server, those confirmed before
    # the failure was seen are in the journal; the rest go up again.
    resumed = re.match(r"Resumed a stopped deploy: (\d+) files were already uploaded\.\n", out)
    assert resumed is not None and 1 <= int(resumed.group(1)) <= 10
    assert fetch(server, "index.html")[0] == (site / "public/index.html").read_bytes()
    assert deploy(site, capsys)[1].startswith("Uploaded 0 files (0.0 KB)")


def test_a_target_that_is_not_s3_is_refused(site, capsys):
    code = cli.main(["deploy", "oss://bucket", "--site", str(site)])
    assert code == 2
    assert capsys.readouterr().err == (
        "expected a target such as s3://bucket/prefix; found oss://bucket\n")


@pytest.mark.parametrize("target", ["s3://B_ad!/x", "s3://b/../..", "s3://" + "a" * 256])
def test_a_bucket_s3_refuses_or_a_prefix_leaving_it_is_refused_before_anything(
        target, tmp_path, capsys):
    code = cli.main(["deploy", target, "--site", str(tmp_path), "--dry-run"])
    assert code == 2
    assert capsys.readouterr().err == f"应为 s3://存储桶/前缀 这样的上传位置，实际为 {target}\n"


def test_an_endpoint_that_is_not_an_address_is_refused(site, capsys, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    for endpoint in ("https://[oss.example.cn/", "notaurl", "http://:99999"):
        code, out, err = deploy(site, capsys, "--dry-run", "--endpoint-url", endpoint,
                                "--region", "us-east-1")
        assert (code, out) == (2, "")
        assert err == ("expected the storage's address such as "
                       "https://oss-cn-hangzhou.aliyuncs.com (--endpoint-url or "
                       f"AWS_ENDPOINT_URL); found {endpoint}\n")


def test_a_damaged_journal_or_remote_manifest_counts_as_nothing_done(tmp_path):
    journal = deploy_run._Journal(tmp_path, deploy_run.parse_target(TARGET), b"")
    journal.path.parent.mkdir(parents=True)
    journal.path.write_text(journal.base + '\n["index.html", "ab"]\n5\nnull\n' + "[" * 100_000
                            + "\n", encoding="utf-8")
    assert journal.read() == {"index.html": "ab"}
    assert read_manifest(b"[" * 100_000) == {}
    assert read_manifest(b'{"format": 1, "files": 5}') == {}

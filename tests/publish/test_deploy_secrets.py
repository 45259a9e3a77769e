"""Deploy against hostile or careless settings (issue 26): no secret in any output at any
verbosity, and every storage error in words that say what to do."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest
from botocore.exceptions import ClientError

from gongkai.cli import main as cli
from gongkai.cli.deploy import storage_problem
from gongkai.core.i18n import translations
from tests.conftest import REPO
from tests.publish.test_deploy import (  # noqa: F401  (the fixtures, shared)
    TARGET,
    built,
    s3,
    server,
    site,
)

SECRET_TOKEN = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN"
KEY_ID = "AKIAIOSFODNN7EXAMPLE"


def test_deploy_verbose_never_prints_the_token_or_the_key_id(site, s3, server):  # noqa: F811
    env = {**os.environ, "PYTHONPATH": str(REPO), "AWS_ACCESS_KEY_ID": KEY_ID,
           "AWS_SESSION_TOKEN": SECRET_TOKEN, "AWS_ENDPOINT_URL": server}
    done = subprocess.run([sys.executable, "-m", "gongkai", "deploy", TARGET, "--site", str(site),
                           "-v"], env=env, capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    for secret in (SECRET_TOKEN, KEY_ID, "testing"):
        assert secret not in done.stdout + done.stderr


def test_a_missing_bucket_says_to_create_it(site, s3, capsys):  # noqa: F811
    capsys.readouterr()
    code = cli.main(["deploy", "s3://nosuch-bucket/", "--site", str(site)])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err.endswith(
        "the bucket nosuch-bucket does not exist at this storage: create it in the storage's "
        "console (same name and region), or check the bucket in TARGET and the --region; "
        "nothing was deployed\n")


def test_a_wrong_port_says_to_check_the_address_and_never_echoes_a_password(site, s3,  # noqa: F811
                                                                             capsys):
    capsys.readouterr()
    code = cli.main(["deploy", TARGET, "--site", str(site), "--endpoint-url",
                     "http://bob:s3cret@127.0.0.1:1"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "s3cret" not in out + err
    assert err.endswith(
        "the storage could not be reached at http://…@127.0.0.1:1: check the address and "
        "its port (--endpoint-url or AWS_ENDPOINT_URL) and the network; then run the same "
        "command again\n")


@pytest.mark.parametrize("code", ["InvalidAccessKeyId", "SignatureDoesNotMatch"])
def test_a_refused_key_says_to_check_the_key_in_chinese(code: str) -> None:
    error: Any = ClientError({"Error": {"Code": code, "Message": "..."}}, "PutObject")
    message, status = storage_problem(error, "sanwu")
    assert status == 2
    assert message.render(translations("zh-CN")) == (
        f"存储服务拒绝了访问密钥（{code}）：请检查 AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY"
        "（或 AWS_PROFILE 指定的那一节）、该密钥能否写入存储桶 sanwu，以及 --region；没有再部署任何文件")


def test_a_missing_bucket_in_chinese() -> None:
    error: Any = ClientError({"Error": {"Code": "NoSuchBucket", "Message": "..."}}, "GetObject")
    message, _status = storage_problem(error, "sanwu")
    assert message.render(translations("zh-CN")) == (
        "存储桶 sanwu 在这个存储服务上不存在：请在存储服务的控制台创建它（名称和地域都要一致），或检查 "
        "TARGET 中的存储桶名和 --region；没有部署任何文件")


def test_a_remote_manifest_s_entries_outside_the_site_are_left_out() -> None:
    from gongkai.publish.deployplan import read_manifest

    digest = "0" * 64
    files = {"": [digest, 1], "../etc/passwd": [digest, 1], "/abs": [digest, 1],
             "a//b": [digest, 1], "a\\b": [digest, 1], "x" * 1025: [digest, 1],
             "ok/index.html": [digest, 1]}
    data = json.dumps({"format": 1, "files": files}).encode()
    assert read_manifest(data) == {"ok/index.html": digest}

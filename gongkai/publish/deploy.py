"""Uploading a built site to S3-compatible object storage (boto3), resumably.

Each uploaded file is noted in a journal in the site's ``.gongkai-cache/`` as soon as the
server has it, so a deploy stopped by a failure or Ctrl-C is finished by running it again
without uploading anything twice. Files that are gone are deleted after every upload, and
only up to ``max_deletes``; the target's manifest is written last.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from gongkai.build.write import MARKER
from gongkai.core.i18n import N_, Msg, MsgError
from gongkai.model.addresses import HOME, SEAL_DIR
from gongkai.model.outputs import media_type, output_kind
from gongkai.publish.deployplan import (
    MANIFEST,
    File,
    Plan,
    list_build,
    make_plan,
    manifest_bytes,
    read_manifest,
)
from gongkai.render.budgets import kilobytes

log = logging.getLogger(__name__)

DEFAULT_MAX_DELETES = 100
DEFAULT_JOBS = 8  # uploads at once: each waits mostly on the network
JOURNALS = "deploy"  # under .gongkai-cache/


class DeployRefused(MsgError):
    """A deploy that cannot start or go on: the message says why and what to do."""


_USERINFO = re.compile(r"(://)[^/@\s\"'<>]+@")


@dataclass(frozen=True)
class Target:
    """Where a site goes: a bucket and a key prefix (without slashes at either end)."""

    bucket: str
    prefix: str

    def key(self, path: str) -> str:
        """Return the object key of a site's file."""
        return f"{self.prefix}/{path}" if self.prefix else path

    def __str__(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}" if self.prefix else f"s3://{self.bucket}"


_BUCKET = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-_]{0,254}")  # what botocore accepts


def parse_target(text: str) -> Target:
    """Read ``s3://bucket/prefix``."""
    scheme, _, rest = text.partition("://")
    bucket, _, prefix = rest.partition("/")
    if (scheme != "s3" or not _BUCKET.fullmatch(bucket)
            or ".." in prefix.split("/")):  # a bucket S3 refuses, or a prefix leaving it
        raise DeployRefused(Msg.of(N_(
            "expected a target such as s3://bucket/prefix; found {found}"), found=text))
    return Target(bucket, prefix.strip("/"))


@dataclass(frozen=True)
class Request:
    """What ``gongkai deploy`` was asked to do."""

    site: Path
    out: Path
    target: Target
    endpoint_url: str | None = None
    region: str | None = None
    addressing_style: str = "auto"
    max_deletes: int = DEFAULT_MAX_DELETES
    dry_run: bool = False
    jobs: int = DEFAULT_JOBS


@dataclass
class Outcome:
    """What a deploy did (or, dry, would do)."""

    plan: Plan
    uploaded: int = 0
    uploaded_bytes: int = 0
    deleted: int = 0
    resumed: int = 0  # uploads a stopped deploy had done already


def check_build(out: Path) -> None:
    """Refuse a folder that is not a whole Gongkai build (missing, empty, half-made)."""
    if not (out / MARKER).is_file() or not (out / HOME).is_file():
        raise DeployRefused(Msg.of(N_(
            "{path} is not a complete site built by Gongkai (no {marker} or no index.html): "
            "build it first; nothing was deployed"), path=out, marker=MARKER))


def client(request: Request) -> Any:
    """Make an S3 client: endpoint and region from the options, else the environment that
    every S3 tool reads; credentials only from the environment or the credential files."""
    import boto3
    from botocore.config import Config

    endpoint = (request.endpoint_url or os.environ.get("AWS_ENDPOINT_URL_S3")
                or os.environ.get("AWS_ENDPOINT_URL"))
    region = (request.region or os.environ.get("AWS_REGION")
              or os.environ.get("AWS_DEFAULT_REGION"))
    # Checksums only where S3 requires them: the trailing checksums of newer botocore are
    # refused by several S3-compatible services (Aliyun OSS among them).
    config = Config(retries={"max_attempts": 5, "mode": "standard"},
                    s3={"addressing_style": request.addressing_style},
                    request_checksum_calculation="when_required",
                    response_checksum_validation="when_required")
    try:
        return boto3.session.Session().client("s3", endpoint_url=endpoint, region_name=region,
                                              config=config)
    except ValueError:  # "notaurl", "https://[x/", a port past 65535: before any request
        raise DeployRefused(Msg.of(N_(
            "expected the storage's address such as https://oss-cn-hangzhou.aliyuncs.com "
            "(--endpoint-url or AWS_ENDPOINT_URL); found {found}"),
            found=without_password(endpoint or ""))) from None


def without_password(text: str) -> str:
    """Drop the ``user:password@`` of every address in a text, so that it is never echoed."""
    return _USERINFO.sub(r"\1…@", text)


def deploy(request: Request, progress: Callable[[int, int, int, int], None] | None = None,
           s3: Any = None) -> Outcome:
    """Deploy a built site: upload what changed in order, then the manifest, then delete
    what is gone (or, dry, only plan it)."""
    check_build(request.out)
    s3 = s3 if s3 is not None else client(request)
    remote_bytes = _get(s3, request.target, MANIFEST)
    remote = read_manifest(remote_bytes)
    build = list_build(request.out)
    journal = _Journal(request.site, request.target, remote_bytes or b"")
    done = journal.read()
    plan = make_plan(build, {**remote, **done})
    if len(plan.deletes) > request.max_deletes:
        raise DeployRefused(Msg.of(N_(
            "this deploy would delete {count} files at {target}, more than --max-deletes "
            "({limit}): is the build complete? If these files really are gone, run again with "
            "--max-deletes {count}; nothing was changed"), count=len(plan.deletes),
            target=str(request.target), limit=request.max_deletes))
    outcome = Outcome(plan, resumed=sum(1 for path in done if path in build))
    if request.dry_run:
        return outcome
    total = plan.upload_bytes
    for group in _steps(plan.uploads):
        for file in _upload(s3, request, group):
            journal.note(file)
            outcome.uploaded += 1
            outcome.uploaded_bytes += file.size
            if progress is not None:
                progress(outcome.uploaded, len(plan.uploads), outcome.uploaded_bytes, total)
    # Deleted before the manifest is replaced: a deploy stopped among its deletes still
    # has the old manifest at the target, so a rerun finds what is left to delete.
    for path in plan.deletes:
        s3.delete_object(Bucket=request.target.bucket, Key=request.target.key(path))
        outcome.deleted += 1
    _put(s3, request.target, MANIFEST, manifest_bytes(build), "")
    journal.clear()
    return outcome


def _steps(uploads: list[File]) -> Iterator[list[File]]:
    """Split the ordered uploads into their steps, and the seal's files one by one (each
    vouches for the one before): a step waits for the one before it to finish."""
    group: list[File] = []
    for file in uploads:
        if group and (output_kind(file.path).step != output_kind(group[-1].path).step
                      or file.path.startswith(f"{SEAL_DIR}/")):
            yield group
            group = []
        group.append(file)
    if group:
        yield group


def _upload(s3: Any, request: Request, files: list[File]) -> Iterator[File]:
    """Upload one step's files in parallel (object stores are far from here, not busy);
    yield each as the server confirms it. A failure stops the rest of the step."""
    with ThreadPoolExecutor(max_workers=min(request.jobs, len(files))) as pool:
        futures = {pool.submit(_put, s3, request.target, file.path,
                               (request.out / file.path).read_bytes(), file.sha256): file
                   for file in files}
        try:
            for future in as_completed(futures):
                future.result()
                yield futures[future]
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise


def _get(s3: Any, target: Target, path: str) -> bytes | None:
    """Return an object's bytes, or None when there is none."""
    from botocore.exceptions import ClientError

    try:
        data: bytes = s3.get_object(Bucket=target.bucket, Key=target.key(path))["Body"].read()
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "NotFound"):
            return None
        raise
    return data


def _put(s3: Any, target: Target, path: str, data: bytes, sha256: str) -> None:
    """Upload one file with its Content-Type and Cache-Control (and its SHA-256 noted)."""
    s3.put_object(Bucket=target.bucket, Key=target.key(path), Body=data,
                  ContentType=media_type(path), CacheControl=output_kind(path).cache,
                  Metadata={"sha256": sha256} if sha256 else {})


class _Journal:
    """The uploads of a deploy under way, so a rerun after a failure skips them."""

    def __init__(self, site: Path, target: Target, remote_manifest: bytes) -> None:
        name = hashlib.sha256(str(target).encode()).hexdigest()[:16]
        self.path = site / ".gongkai-cache" / JOURNALS / f"{name}.jsonl"
        # A journal belongs to the target as its manifest was: another deploy since
        # (from elsewhere) makes it worthless.
        self.base = hashlib.sha256(remote_manifest).hexdigest()
        self.started = False

    def read(self) -> dict[str, str]:
        """Return what a stopped deploy to the same target had uploaded (path → SHA-256)."""
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return {}
        if not lines or lines[0] != self.base:
            return {}
        done = {}
        for line in lines[1:]:
            try:
                path, sha256 = json.loads(line)
            except (ValueError, TypeError, RecursionError):  # a line cut short or damaged
                break  # the last line of a killed deploy may be cut short
            done[str(path)] = str(sha256)
        return done

    def note(self, file: File) -> None:
        """Note one upload the server confirmed (one line, flushed at once)."""
        if not self.started:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if not self.read():
                self.path.write_text(self.base + "\n", encoding="utf-8")
            self.started = True
        with open(self.path, "a", encoding="utf-8") as stream:
            stream.write(json.dumps([file.path, file.sha256], ensure_ascii=False) + "\n")

    def clear(self) -> None:
        """Forget the journal once the deploy is complete."""
        self.path.unlink(missing_ok=True)


def progress_line(stream: TextIO = sys.stderr) -> Callable[[int, int, int, int], None]:
    """Return a progress callback that rewrites one terminal line: counts and bytes."""

    def show(done: int, count: int, sent: int, total: int) -> None:
        if stream.isatty():
            end = "\n" if done == count else ""
            stream.write(f"\r{done}/{count} · {kilobytes(sent)} / {kilobytes(total)}{end}")
            stream.flush()

    return show

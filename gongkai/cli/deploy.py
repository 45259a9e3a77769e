"""The ``gongkai deploy`` command: options, and what it prints."""

from __future__ import annotations

import argparse
import gettext
from collections.abc import Callable
from pathlib import Path

from gongkai.cli.say import say
from gongkai.core.i18n import N_, Msg, translations
from gongkai.render.budgets import kilobytes

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
SHOWN = 20  # paths listed by --dry-run before the rest are counted


def add_command(commands: argparse._SubParsersAction[argparse.ArgumentParser],
                _: Callable[[str], str],
                help_options: Callable[[argparse.ArgumentParser, Callable[[str], str]], None]
                ) -> None:
    """Describe ``gongkai deploy TARGET``."""
    from gongkai.publish.deploy import DEFAULT_JOBS, DEFAULT_MAX_DELETES

    text = N_("upload the built site to S3-compatible object storage: only what changed")
    sub = commands.add_parser("deploy", help=_(text), description=_(text), add_help=False)
    help_options(sub, _)
    sub.add_argument("target", metavar="TARGET",
                     help=_(N_("where to: s3://bucket/prefix")))
    sub.add_argument("--site", type=Path, default=Path("."),
                     help=_(N_("the site folder (default: the current folder)")))
    sub.add_argument("--out", type=Path, default=None,
                     help=_(N_("the built site to upload (default: public/ in the site folder)")))
    sub.add_argument("--endpoint-url", default=None,
                     help=_(N_("the storage's address (default: AWS_ENDPOINT_URL)")))
    sub.add_argument("--region", default=None,
                     help=_(N_("the storage's region (default: AWS_REGION or "
                               "AWS_DEFAULT_REGION)")))
    sub.add_argument("--addressing-style", choices=("auto", "path", "virtual"), default="auto",
                     help=_(N_("bucket in the path or in the host name (default: auto)")))
    sub.add_argument("--max-deletes", type=int, default=DEFAULT_MAX_DELETES,
                     help=_(N_("refuse to delete more files than this (default: 100)")))
    sub.add_argument("--jobs", type=int, default=DEFAULT_JOBS,
                     help=_(N_("files uploaded at once (default: 8)")))
    sub.add_argument("--dry-run", action="store_true",
                     help=_(N_("say what would be uploaded and deleted, change nothing")))
    sub.add_argument("-v", "--verbose", action="store_true", help=argparse.SUPPRESS)


def _files(tr: gettext.NullTranslations, count: int) -> str:
    """Say a number of files."""
    return tr.ngettext("{n} file", "{n} files", count).format(n=count)


def run(parsed: argparse.Namespace, language: str) -> int:
    """Deploy, printing the plan (dry) or what was done; refusals and failures say why."""
    from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

    from gongkai.build.write import output_lock
    from gongkai.publish.deploy import DeployRefused, Request, deploy, parse_target, progress_line

    tr = translations(language)
    site: Path = parsed.site
    out: Path = parsed.out if parsed.out is not None else site / "public"
    try:
        request = Request(site, out, parse_target(parsed.target), parsed.endpoint_url,
                          parsed.region, parsed.addressing_style, parsed.max_deletes,
                          parsed.dry_run, max(1, parsed.jobs))
        with output_lock(out):  # no build swaps the folder while it is being uploaded
            outcome = deploy(request, progress_line())
    except DeployRefused as exc:
        say(exc.message.render(tr), error=True)
        return EXIT_USAGE
    except NoCredentialsError:
        say(Msg(N_("no credentials for the storage: set AWS_ACCESS_KEY_ID and "
                   "AWS_SECRET_ACCESS_KEY, or AWS_PROFILE with ~/.aws/credentials")).render(tr),
            error=True)
        return EXIT_USAGE
    except (ClientError, BotoCoreError) as exc:
        message, code = storage_problem(exc, parse_target(parsed.target).bucket)
        say(message.render(tr), error=True)
        return code
    except KeyboardInterrupt:
        say(Msg(N_("stopped; what was uploaded is kept, and running the same command again "
                   "finishes the deploy")).render(tr), error=True)
        return EXIT_FAILED
    plan = outcome.plan
    if parsed.dry_run:
        say(Msg.of(N_("Dry run, nothing changed: would upload {files} ({size}), delete "
                      "{deleted}, leave {unchanged} unchanged."),
                   files=_files(tr, len(plan.uploads)), size=kilobytes(plan.upload_bytes),
                   deleted=len(plan.deletes), unchanged=plan.unchanged).render(tr))
        for file in plan.uploads[:SHOWN]:
            say(f"  + {file.path}")
        for path in plan.deletes[:SHOWN]:
            say(f"  - {path}")
        rest = max(0, len(plan.uploads) - SHOWN) + max(0, len(plan.deletes) - SHOWN)
        if rest:
            say("  " + Msg.of(N_("… and {count} more"), count=rest).render(tr))
        return EXIT_OK
    if outcome.resumed:
        say(Msg.of(N_("Resumed a stopped deploy: {count} files were already uploaded."),
                   count=outcome.resumed).render(tr))
    say(Msg.of(N_("Uploaded {files} ({size}), deleted {deleted}, unchanged {unchanged}: "
                  "{target} is up to date."),
               files=_files(tr, outcome.uploaded), size=kilobytes(outcome.uploaded_bytes),
               deleted=outcome.deleted, unchanged=plan.unchanged,
               target=str(request.target)).render(tr))
    return EXIT_OK


# Errors the storage gives that running again cannot mend, and what to do instead.
_BUCKET_MISSING = ("NoSuchBucket",)
_KEY_WRONG = ("InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied",
              "InvalidClientTokenId", "ExpiredToken", "InvalidToken",
              "AuthorizationHeaderMalformed")


def storage_problem(exc: Exception, bucket: str) -> tuple[Msg, int]:
    """Say what a storage error means for the county's IT staff, and what to do: create
    the bucket, check the address, check the key, or (a passing failure) run again."""
    from botocore.exceptions import ClientError, EndpointConnectionError

    from gongkai.publish.deploy import without_password

    detail = without_password(str(exc))
    if isinstance(exc, ClientError):
        code = str(exc.response.get("Error", {}).get("Code", ""))
        if code in _BUCKET_MISSING:
            return Msg.of(N_(
                "the bucket {bucket} does not exist at this storage: create it in the "
                "storage's console (same name and region), or check the bucket in TARGET and "
                "the --region; nothing was deployed"), bucket=bucket), EXIT_USAGE
        if code in _KEY_WRONG:
            return Msg.of(N_(
                "the storage refused the access key ({code}): check AWS_ACCESS_KEY_ID and "
                "AWS_SECRET_ACCESS_KEY (or the AWS_PROFILE section), that the key may write "
                "the bucket {bucket}, and the --region; nothing more was deployed"),
                code=code, bucket=bucket), EXIT_USAGE
    if isinstance(exc, EndpointConnectionError):
        return Msg.of(N_(
            "the storage could not be reached at {address}: check the address and its port "
            "(--endpoint-url or AWS_ENDPOINT_URL) and the network; then run the same command "
            "again"), address=without_password(_host(str(exc.kwargs.get("endpoint_url", ""))))
            ), EXIT_FAILED
    return Msg.of(N_("the storage refused or could not be reached: {error}; what was "
                     "uploaded is kept, and running the same command again finishes the "
                     "deploy"), error=detail), EXIT_FAILED


def _host(address: str) -> str:
    """Cut an address to its scheme and host: the request's path says nothing to fix."""
    scheme, sep, rest = address.partition("://")
    return f"{scheme}{sep}{rest.split('/', 1)[0]}" if sep else address

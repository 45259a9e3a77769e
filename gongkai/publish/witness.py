"""The province as a witness the counties do not control: ``gongkai province`` keeps each
county's newest checkpoint (``witness/<county>.txt`` in the province folder, published at
the same path) and refuses a county whose published seal log no longer extends it.

A county that holds its own key can rebuild and re-sign its whole log; it cannot change
the checkpoint the province kept. A resident checks a county's copy against it with
``gongkai verify COPY --since https://province.example.cn/witness/<county>.txt``.
"""

from __future__ import annotations

import logging
from pathlib import Path

from gongkai.core.errors import Location, Report
from gongkai.core.i18n import N_, Msg
from gongkai.model.addresses import SEAL_CHECKPOINT, SEAL_LOG, SEAL_SIGNATURE, witness_path
from gongkai.trust.checkpoint import (
    Checkpoint,
    HistoryError,
    leaf_hash,
    parse_checkpoint,
    root_of,
    roots,
)

log = logging.getLogger(__name__)


def witness(root: Path, county: str, name: str, summary: str, where: Location,
            report: Report) -> list[tuple[str, bytes]]:
    """Check a county's published log against the checkpoint the province kept; return
    the county's newest checkpoint (and its signature) to keep, as paths and bytes.

    ``summary`` is the path of the county's summary.json: its history/ is beside it."""
    published = (root / summary).parent
    kept_path = root / witness_path(county)
    who = {"name": name, "id": county, "kept": witness_path(county)}
    try:
        text = (published / SEAL_CHECKPOINT).read_text(encoding="utf-8")
        newest = parse_checkpoint(text, SEAL_CHECKPOINT)
        lines = (published / SEAL_LOG).read_text(encoding="utf-8").splitlines()
        kept = (parse_checkpoint(kept_path.read_text(encoding="utf-8"), witness_path(county))
                if kept_path.is_file() else None)
    except FileNotFoundError:
        if kept_path.is_file():
            report.error(where, Msg.of(N_(
                "county {name} ({id}): its site no longer carries a seal log, though the "
                "province kept its checkpoint ({kept}): a published seal is never taken "
                "back; ask the county to publish its history/ again"), **who))
        return []
    except (OSError, UnicodeDecodeError, HistoryError) as exc:
        report.error(where, Msg.of(N_(
            "county {name} ({id}): its seal log cannot be read: {error}"),
            error=exc.message if isinstance(exc, HistoryError) else exc, **who))
        return []
    if len(lines) != newest.size or root_of(lines) != newest.root:
        report.error(where, Msg.of(N_(
            "county {name} ({id}): its seal log does not hash to its own newest checkpoint "
            "(seal {seal}): its published history/ is damaged or was altered"),
            seal=newest.seal, **who))
        return []
    if kept is not None and not _extends(kept, newest, lines):
        report.error(where, Msg.of(N_(
            "county {name} ({id}): its seal log no longer extends the checkpoint the province "
            "kept, seal {seal} of {date} ({kept}): the county rewrote or took back what it "
            "had published; the province keeps that checkpoint: ask the county why, and "
            "publish nothing of it until its log extends the kept one again"),
            seal=kept.seal, date=kept.date.isoformat(), **who))
        return []
    found = [(witness_path(county), text.encode("utf-8"))]
    signature = published / SEAL_SIGNATURE
    if signature.is_file():
        found.append((witness_path(county) + ".sig", signature.read_bytes()))
    return found


def _extends(kept: Checkpoint, newest: Checkpoint, lines: list[str]) -> bool:
    """Tell whether a log with ``newest`` as its checkpoint still begins with ``kept``."""
    if kept.origin != newest.origin or kept.seal > newest.seal or kept.size > newest.size:
        return False
    if kept.seal == newest.seal:
        return kept.text() == newest.text()
    found = roots((leaf_hash(line.encode()) for line in lines), [kept.size])
    return found.get(kept.size) == kept.root


def keep(root: Path, files: list[tuple[str, bytes]]) -> None:
    """Write the checkpoints the province now keeps into its folder."""
    for path, data in files:
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)

"""The build, top to bottom: replay the last build when none of its inputs changed, else
load and validate everything, plan every output, make what changed and swap it in.

Nothing is written unless the whole site loaded and rendered without errors (and,
with ``strict``, without warnings). The build proper is in ``assemble``; it is imported
only when needed, so that a build with nothing to do does not pay for importing the
validation models, Markdown and Jinja.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from gongkai.build import replay
from gongkai.build.write import WaitCallback, output_lock, recover
from gongkai.core.cache import Cache, NoCache, open_cache, still
from gongkai.core.errors import Report
from gongkai.render.budgets import Weight

if TYPE_CHECKING:  # cryptography is loaded only by a seal
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SealRequest:
    """``gongkai seal``: record the site as published, signed with a key when given."""

    key: Ed25519PrivateKey | None = None  # the county's key, loaded (history/seal.py)


@dataclass(frozen=True)
class Options:
    """What one run was asked to do."""

    site: Path
    out: Path
    today: date | None = None
    strict: bool = False
    write: bool = True
    jobs: int = 0          # worker processes for rendering; 0: one per core
    cache: bool = True     # False: ignore and leave .gongkai-cache/ alone (a cold build)
    on_wait: WaitCallback | None = None  # told when another build holds the output
    seal: SealRequest | None = None  # seal what this build writes (see history/seal.py)


@dataclass
class Result:
    """What one run did: counts, problems, what changed and time taken."""

    report: Report = field(default_factory=Report)
    pages: int = 0
    files: int = 0
    seconds: float = 0.0
    weights: list[Weight] = field(default_factory=list)
    made: list[str] = field(default_factory=list)     # outputs made anew, not carried over
    removed: list[str] = field(default_factory=list)  # outputs of the last build now gone
    replayed: bool = False  # nothing had changed: the last build's report was shown again
    sealed: tuple[int, int, str, str] | None = None  # a seal: number, versions, hash, date

    @property
    def failed(self) -> bool:
        """Tell whether the run found errors."""
        return bool(self.report.errors)


def build(options: Options) -> Result:
    """Load, validate, render and (unless checking) write a site."""
    started = time.perf_counter()
    result = Result()
    cache = open_cache(options.site) if options.cache else NoCache()
    try:
        signature = None
        if options.cache and options.write and options.seal is None:
            signature = replay.take(options.site, options.out, options.today, options.strict)
        if signature is None or not _replayed(signature, options, cache, result):
            from gongkai.build.assemble import assemble  # heavy: see the module's docstring

            assemble(options, result, cache, signature)
    finally:
        cache.close()
    result.seconds = time.perf_counter() - started
    return result


def _replayed(signature: replay.Signature, options: Options, cache: Cache,
              result: Result) -> bool:
    """Repeat the last build's report when nothing it was made from has changed since."""
    done = replay.recorded(cache, options.out, signature, options.today)
    if done is None:  # the usual case after an edit: no need to take the lock twice
        return False
    with output_lock(options.out, options.on_wait):
        recover(options.out)
        previous = replay.recorded_outputs(cache, options.out)
        if not previous or not all(still(options.out / path, record)
                                   for path, record in previous.items()):
            return False
    result.report.extend(done.problems)
    result.pages, result.files = done.pages, done.files
    result.replayed = True
    return True

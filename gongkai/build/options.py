"""What a build is asked to do and what it tells back: options, the seal requested, the result.

Kept apart from ``pipeline`` so that ``assemble`` reads them without importing the
module that imports it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from gongkai.build.write import WaitCallback
from gongkai.core.errors import Report
from gongkai.render.budgets import Weight

if TYPE_CHECKING:  # cryptography is loaded only by a seal
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


@dataclass(frozen=True)
class SealRequest:
    """``gongkai seal``: record the site as published, signed with a key when given."""

    key: Ed25519PrivateKey | None = None  # the county's key, loaded (trust/seal.py)


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

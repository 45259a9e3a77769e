"""The build cache: parsed files, QR codes and what each output was made from.

It lives in ``.gongkai-cache/`` in the site folder (git-ignored) as one SQLite file.
Every entry is keyed by content, never by time stamps: a parsed file by the digest of its
bytes, the site configuration and the generator's own code; an output by the fingerprint
of everything it was rendered from. Nothing read back is trusted: each value carries an
HMAC made with a key kept outside the site (a cache copied from elsewhere, damaged or
edited fails the check and is recomputed), a file SQLite cannot read is deleted and the
cache starts empty, and an entry of another generator version never matches its key.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import logging
import os
import pickle
import secrets
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

# A cache that cannot be used costs time, never correctness: it is rebuilt without a word
# to the clerk (``-v`` shows why).
log = logging.getLogger(__name__)

CACHE_DIR = ".gongkai-cache"
_FILE = "cache.sqlite"
_SCHEMA = 2  # 2: outputs carry their SHA-256
_TABLES = (
    "CREATE TABLE IF NOT EXISTS parsed (key TEXT PRIMARY KEY, blob BLOB, mac BLOB)",
    "CREATE TABLE IF NOT EXISTS outputs (folder TEXT, path TEXT, key BLOB, size INTEGER, "
    "zipped INTEGER, mtime INTEGER, inode INTEGER, sha256 TEXT, PRIMARY KEY (folder, path))",
)


@cache
def code_digest() -> str:
    """Digest the generator itself (code, catalogs, charts): a new version misses every key."""
    hasher = hashlib.sha256()
    package = resources.files("gongkai")
    for path in sorted(_package_files(Path(str(package)))):
        hasher.update(path.relative_to(Path(str(package))).as_posix().encode())
        hasher.update(path.read_bytes())
    return hasher.hexdigest()


def _package_files(root: Path) -> Iterable[Path]:
    """List the files whose change can change what a build makes."""
    for path in root.rglob("*"):
        if path.suffix in (".py", ".po", ".yaml") and "__pycache__" not in path.parts:
            yield path


def _secret() -> bytes:
    """Return this user's cache key, kept outside every site folder (made on first use)."""
    home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "gongkai"
    path = home / "cache-key"
    with contextlib.suppress(FileNotFoundError):
        return path.read_bytes()
    home.mkdir(parents=True, exist_ok=True)
    # Written whole under a name of its own, then linked into place: two builds starting
    # together (test workers, a preview and a build) agree on one key, and neither reads
    # a key file another has created but not yet written.
    written = home / f".cache-key.{os.getpid()}.{secrets.token_hex(4)}"
    fd = os.open(written, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(secrets.token_bytes(32))
        with contextlib.suppress(FileExistsError):  # another build's key came first
            os.link(written, path)
    finally:
        written.unlink()
    return path.read_bytes()


@dataclass(frozen=True)
class OutputRecord:
    """What an output file was made from, and how to tell it is still that file."""

    key: bytes
    size: int
    zipped: int  # its gzipped size, for the budget report without reading it
    mtime: int
    inode: int
    sha256: str  # of its bytes, hex: a seal's manifest lists it without reading the file


def still(path: Path, record: OutputRecord) -> bool:
    """Tell whether a file is still the one recorded (not replaced or edited since)."""
    try:
        stat = path.stat()
    except OSError:
        return False
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino) == \
        (record.size, record.mtime, record.inode)


class Cache:
    """One site's cache; open it with :func:`open_cache`, or use :class:`NoCache`."""

    def __init__(self, db: sqlite3.Connection | None, secret: bytes) -> None:
        self._db = db
        self._secret = secret
        self._parsed: list[tuple[str, bytes, bytes]] = []
        self._queued: set[str] = set()  # the keys of _parsed

    def get_parsed(self, key: str) -> Any | None:
        """Return a cached parse result, or None when absent or not to be trusted."""
        if self._db is None:
            return None
        row = self._db.execute("SELECT blob, mac FROM parsed WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        blob, mac = row
        if not hmac.compare_digest(mac, self._mac(blob)):
            log.info("a cache entry failed its check and is recomputed")
            return None
        try:
            return pickle.loads(blob)
        except Exception:  # any damage at all means: recompute
            log.info("a cache entry could not be read and is recomputed")
            return None

    def has_parsed(self, key: str) -> bool:
        """Tell whether an entry is stored under ``key`` (without reading or checking it)."""
        if self._db is None:
            return False
        return key in self._queued or self._db.execute(
            "SELECT 1 FROM parsed WHERE key = ?", (key,)).fetchone() is not None

    def put_parsed(self, key: str, value: Any) -> None:
        """Remember a parse result (written when the build saves the cache)."""
        if self._db is not None:
            blob = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            self._parsed.append((key, blob, self._mac(blob)))
            self._queued.add(key)

    def outputs(self, folder: Path) -> dict[str, OutputRecord]:
        """Return what each file of an output folder was made from, as last recorded."""
        if self._db is None:
            return {}
        rows = self._db.execute(
            "SELECT path, key, size, zipped, mtime, inode, sha256 FROM outputs "
            "WHERE folder = ?", (_folder_key(folder),))
        return {path: OutputRecord(key, size, zipped, mtime, inode, sha256)
                for path, key, size, zipped, mtime, inode, sha256 in rows}

    def save(self, folder: Path | None, records: dict[str, OutputRecord] | None) -> None:
        """Write new parse results and, after a build was swapped in, its output records."""
        if self._db is None:
            return
        try:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO parsed VALUES (?, ?, ?)",
                                     self._parsed)
                if folder is not None and records is not None:
                    name = _folder_key(folder)
                    self._db.execute("DELETE FROM outputs WHERE folder = ?", (name,))
                    self._db.executemany(
                        "INSERT INTO outputs VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        ((name, path, r.key, r.size, r.zipped, r.mtime, r.inode, r.sha256)
                         for path, r in records.items()))
        except sqlite3.Error as exc:  # a full disk or a locked file: the site is fine
            log.info("the build cache could not be saved: %s", exc)
        self._parsed.clear()
        self._queued.clear()

    def forget_outputs(self, folder: Path) -> None:
        """Drop the records of an output folder before it changes, so none can be stale."""
        if self._db is not None:
            try:
                with self._db:
                    self._db.execute("DELETE FROM outputs WHERE folder = ?",
                                     (_folder_key(folder),))
            except sqlite3.Error as exc:
                log.info("the build cache could not be updated: %s", exc)

    def close(self) -> None:
        """Close the database."""
        if self._db is not None:
            self._db.close()
            self._db = None

    def _mac(self, blob: bytes) -> bytes:
        """Sign a value with this user's key and the generator's version."""
        return hmac.new(self._secret, code_digest().encode() + blob, hashlib.sha256).digest()


class NoCache(Cache):
    """A cache that remembers nothing: every build is a cold build."""

    def __init__(self) -> None:
        super().__init__(None, b"")


def _folder_key(folder: Path) -> str:
    """Name an output folder by its absolute path."""
    return str(folder.resolve())


def open_cache(site_root: Path) -> Cache:
    """Open the site's cache, starting afresh when it is missing, damaged or of another kind."""
    folder = site_root / CACHE_DIR
    try:
        folder.mkdir(exist_ok=True)
        secret = _secret()
    except OSError as exc:
        log.info("no build cache (%s); building everything", exc)
        return NoCache()
    path = folder / _FILE
    for _attempt in range(2):
        try:
            return Cache(_connect(path), secret)
        except sqlite3.Error as exc:
            log.info("the build cache is damaged (%s); starting a new one", exc)
            path.unlink(missing_ok=True)
    return NoCache()


def _connect(path: Path) -> sqlite3.Connection:
    """Connect and check the schema version, recreating the tables of an older one."""
    db = sqlite3.connect(path, timeout=30)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version != _SCHEMA:
            with db:
                db.execute("DROP TABLE IF EXISTS parsed")
                db.execute("DROP TABLE IF EXISTS outputs")
                db.execute(f"PRAGMA user_version = {_SCHEMA}")
        with db:
            for statement in _TABLES:
                db.execute(statement)
        db.execute("PRAGMA quick_check").fetchone()
    except sqlite3.Error:
        db.close()
        raise
    return db

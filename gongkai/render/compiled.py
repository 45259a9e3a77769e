"""The compiled theme: Jinja's code for each template, made once and kept, and which
layouts folders are the trusted default theme.

Compiling a template costs far more than rendering a small page with it (0.06 s each),
and every build makes a new environment with its own globals. Compiled code is kept for
the life of the process (the preview's rebuilds, the test suite's builds) and in the
site's cache (the next ``gongkai build``), always keyed by the environment's kind, the
site's language (Jinja evaluates filters of constants while compiling, and the filters
speak the site's language), the template's file and, inside the code, the digest of its
source and Jinja's and Python's versions, which Jinja checks before using it.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
import jinja2.bccache

from gongkai.core.cache import Cache
from gongkai.read.sitefolder import default_layouts

# Code compiled in this process, by bucket key (environment kind and template file).
_IN_PROCESS: dict[str, bytes] = {}


class CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's bytecode cache over this process's memory and the site's cache.

    Code read from the site's cache is trusted only as that cache is: its entries carry
    an HMAC made with this user's key (core/cache.py), so a planted file cannot run.
    """

    def __init__(self, store: Cache | None, language: str) -> None:
        self.store, self.language = store, language

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None,
                   source: str) -> jinja2.bccache.Bucket:
        """Key a template by the environment's kind (the sandbox compiles its own) and the
        language its filters speak."""
        kind = f"{type(environment).__module__}.{type(environment).__qualname__}"
        return super().get_bucket(environment, name, f"{kind}:{self.language}:{filename}",
                                  source)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Fill a bucket with code compiled earlier, if there is any."""
        code = _IN_PROCESS.get(bucket.key)
        if code is not None and self.store is not None \
                and not self.store.has_parsed(_store_key(bucket.key)):
            self.store.put_parsed(_store_key(bucket.key), code)  # for this site's next build
        if code is None and self.store is not None:
            stored = self.store.get_parsed(_store_key(bucket.key))
            code = stored if isinstance(stored, bytes) else None
        if code is not None:
            bucket.bytecode_from_string(code)  # resets itself if the source changed
            if bucket.code is not None:
                _IN_PROCESS[bucket.key] = code

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep a freshly compiled template's code, here and in the site's cache."""
        code = bucket.bytecode_to_string()
        _IN_PROCESS[bucket.key] = code
        if self.store is not None:
            self.store.put_parsed(_store_key(bucket.key), code)


def _store_key(bucket_key: str) -> str:
    """Name a template's code among the site cache's entries."""
    return f"jinja:{bucket_key}"


def is_default_theme(folder: Path) -> bool:
    """Tell whether a layouts folder is the default theme, or a copy of some of its files
    byte for byte (as a county that copied the theme to start from has): only the
    shipped bytes are trusted outside the sandbox, never a file of the site's own."""
    default = default_layouts()
    if folder.resolve() == default.resolve():
        return True
    try:
        files = [p for p in folder.rglob("*") if not p.is_dir()]
        return all(not p.is_symlink() and (default / p.relative_to(folder)).is_file()
                   and p.read_bytes() == (default / p.relative_to(folder)).read_bytes()
                   for p in files)
    except OSError:
        return False

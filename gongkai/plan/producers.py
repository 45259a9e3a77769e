"""What a build publishes, as a stream of outputs from one producer per kind.

Each producer yields ``Output`` values: where the file goes, a key that covers everything
its bytes depend on, the source file it comes from, and how to make it (render a page,
write bytes, copy a file, draw a QR code). Making is left to ``production``, which skips
an output whose key has not changed since the last build. Keys are digests of content:
page contexts (``fingerprint``), templates, configuration and the generator's own code.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from gongkai.core.cache import code_digest
from gongkai.core.fingerprint import Fingerprinter
from gongkai.core.fingerprint import digest_parts as _digest
from gongkai.load.site import Site
from gongkai.model.addresses import absolute_url, qr_png_path
from gongkai.model.outputs import Output, Page
from gongkai.plan.opendata import DataFile
from gongkai.plan.search import Shard
from gongkai.read.sitefolder import display_path
from gongkai.render.budgets import CSS_BUDGET, HTML_BUDGET
from gongkai.render.jinja import SEARCH_SCRIPT, STYLESHEET, Asset


def templates_digest(dirs: Sequence[Path]) -> bytes:
    """Digest every file of the template folders: a changed layout re-renders its pages."""
    hasher = hashlib.sha256()
    for folder in dirs:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            hasher.update(_digest(path.relative_to(folder).as_posix(), path.read_bytes()))
    return hasher.digest()


def stylesheet(css: Asset) -> Iterator[Output]:
    """Yield the theme's stylesheet (its name is already its content hash)."""
    yield Output(css.path, _digest("css", css.data), f"layouts/assets/{STYLESHEET}",
                 CSS_BUDGET, data=css.data)


def search_script(js: Asset) -> Iterator[Output]:
    """Yield the search script (its name is already its content hash)."""
    yield Output(js.path, _digest("js", js.data), f"layouts/assets/{SEARCH_SCRIPT}", data=js.data)


def search_shards(shards: Iterable[Shard]) -> Iterator[Output]:
    """Yield the search index shards, made only when their key changed."""
    for shard in shards:
        yield Output(shard.path, shard.key, shard.source, make=shard.make)


def data_files(downloads: Sequence[DataFile]) -> Iterator[Output]:
    """Yield the open-data files (CSV, JSON, the data package)."""
    for file in downloads:
        yield Output(file.path, file.key, file.path, data=file.data, make=file.make)


def attachments(site: Site) -> Iterator[Output]:
    """Yield the villages' files/ attachments, copied as they are.

    Keyed by the file's identity and change time (as git and rsync do) rather than by
    hashing megabytes of scans on every build: the change time moves on any write and
    cannot be set back by hand.
    """
    for path, source in site.files:
        stat = source.stat()
        key = _digest("file", str(source), str(stat.st_size), str(stat.st_mtime_ns),
                      str(stat.st_ctime_ns), str(stat.st_ino))
        yield Output(path, key, display_path(site.root, source), copy=source)


def pages(planned: Sequence[Page], salt: bytes, base_url: str | None,
          fingerprint: Fingerprinter) -> Iterator[Output]:
    """Yield every page, keyed by its template set, its context and its QR address."""
    for page in planned:
        url = absolute_url(base_url, page.qr) if base_url is not None and page.qr else ""
        key = _digest(salt, page.path, page.template, fingerprint.digest(page.context), url)
        yield Output(page.path, key, page.source or page.path, HTML_BUDGET, page=page,
                     qr_url=url)


def qr_images(planned: Sequence[Page], base_url: str | None) -> Iterator[Output]:
    """Yield the QR image of each page that carries its own address."""
    if base_url is None:
        return
    for page in planned:
        if page.qr and page.qr == page.path:  # each image is written once, by its own page
            url = absolute_url(base_url, page.qr)
            yield Output(qr_png_path(page.path), _digest("qr", code_digest(), url),
                         page.source or page.path, qr_url=url, qr_page=page.path)


def render_salt(templates: bytes, language: str, title: str, stylesheet_path: str,
                script_path: str = "") -> bytes:
    """Digest what every page's bytes depend on besides its own context."""
    return _digest(code_digest(), templates, language, title, stylesheet_path, script_path)


def search_salt(language: str) -> bytes:
    """Digest what every search shard depends on besides its villages: code and language."""
    return _digest("search", code_digest(), language)

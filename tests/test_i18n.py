"""Catalogs: every user-facing string of the code and the theme is translated."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

REPO = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
METHODS = [("gongkai/**.py", "python"), ("layouts/**.html", "jinja2")]


def extracted() -> set[str]:
    """Extract the msgids of the code and the default layouts, as pybabel does."""
    ids = set()
    for _file, _line, message, _comments, _ctx in extract_from_dir(
            str(REPO), METHODS, keywords=KEYWORDS):
        ids.add(message[0] if isinstance(message, tuple) else message)
    return ids


def test_zh_cn_catalog_translates_every_string():
    with (REPO / "gongkai/locales/zh_CN/LC_MESSAGES/messages.po").open("rb") as fh:
        catalog = read_po(fh)
    translated = {(m.id[0] if isinstance(m.id, tuple) else m.id) for m in catalog
                  if m.id and (all(m.string) if isinstance(m.string, tuple) else m.string)}
    missing = extracted() - translated
    assert not missing, f"untranslated: {sorted(missing)}; see docs/translating.md"


def test_every_format_string_parses():
    import string

    with (REPO / "gongkai/locales/zh_CN/LC_MESSAGES/messages.po").open("rb") as fh:
        catalog = read_po(fh)
    for m in catalog:
        if not m.id or "python-format" in m.flags:
            continue  # %(name)s messages of the templates
        for text in (*(m.id if isinstance(m.id, tuple) else (m.id,)),
                     *(m.string if isinstance(m.string, tuple) else (m.string,))):
            # A stray { or } raises here, and "{ }" shows up as a field that is no name.
            fields = [f for _, f, _, _ in string.Formatter().parse(text) if f is not None]
            assert all(f.isidentifier() for f in fields), (text, fields)


def test_catalog_placeholders_match():
    import re

    with (REPO / "gongkai/locales/zh_CN/LC_MESSAGES/messages.po").open("rb") as fh:
        catalog = read_po(fh)
    pattern = re.compile(r"\{[a-z_]+[^}]*\}|%\([a-z_]+\)s")
    for m in catalog:
        if not m.id:
            continue
        source = m.id[0] if isinstance(m.id, tuple) else m.id
        target = m.string[0] if isinstance(m.string, tuple) else m.string
        assert sorted(pattern.findall(source)) == sorted(pattern.findall(target)), source

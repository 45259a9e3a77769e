"""Message catalogs: every user-facing string is an English msgid translated here.

Catalogs are the ``.po`` files under ``gongkai/locales``; they are compiled in memory
when first used, so the repository holds no generated ``.mo`` files.
"""

from __future__ import annotations

import gettext
import io
import os
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGUAGES = ("zh-CN", "en")
DEFAULT_LANGUAGE = "zh-CN"


def N_(message: str) -> str:
    """Mark a msgid for extraction without translating it yet."""
    return message


@dataclass(frozen=True)
class Msg:
    """A message not yet translated: a msgid and the values for its placeholders."""

    msgid: str
    params: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, msgid: str, **params: Any) -> Msg:
        """Build a message from a msgid and keyword placeholders."""
        return cls(msgid, tuple(params.items()))

    def render(self, tr: gettext.NullTranslations) -> str:
        """Translate and fill in the placeholders (nested messages are translated too)."""
        values = {k: _render_value(v, tr) for k, v in self.params}
        return tr.gettext(self.msgid).format(**values)


class MsgError(Exception):
    """A refusal told to the user: ``message`` says why, in any language."""

    def __init__(self, message: Msg) -> None:
        super().__init__(message.msgid)
        self.message = message


def _render_value(value: Any, tr: gettext.NullTranslations) -> Any:
    """Translate a placeholder value: messages are rendered, lists joined per language."""
    if isinstance(value, Msg):
        return value.render(tr)
    if isinstance(value, list | tuple):
        return tr.gettext(N_(", ")).join(str(_render_value(v, tr)) for v in value)
    return value


def babel_locale(language: str) -> Locale:
    """Return the Babel locale of a site language (``zh-CN`` -> ``zh_Hans_CN``)."""
    return Locale.parse(language.replace("-", "_"))


@cache
def translations(language: str) -> gettext.NullTranslations:
    """Return the compiled catalog of a site language; English msgids need none."""
    if language == "en":
        return _load_catalog("en")
    return _load_catalog(language.replace("-", "_"))


def _load_catalog(folder: str) -> gettext.NullTranslations:
    """Compile ``locales/<folder>/LC_MESSAGES/messages.po`` in memory."""
    po = resources.files("gongkai.locales") / folder / "LC_MESSAGES" / "messages.po"
    if not po.is_file():
        return gettext.NullTranslations()
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=folder)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def cli_language() -> str:
    """Pick the language of CLI help from the environment (zh-CN unless it says English)."""
    for name in ("GONGKAI_LANG", "LANGUAGE", "LC_ALL", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "en" if value.lower().startswith("en") else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE

"""Reading built pages in the tests: an element found by pattern, a fragment's text."""

from __future__ import annotations

import re


def text_of(fragment: str) -> str:
    """Return an HTML fragment's text, tags dropped and spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def element(html: str, pattern: str) -> str:
    """Return the one element of a page matching a regular expression (from its tag)."""
    found = re.findall(pattern, html, re.S)
    assert len(found) == 1, (pattern, found)
    return str(found[0])

"""Gongkai: a static site generator for village three-affairs disclosure boards."""

from __future__ import annotations

__version__ = "0.1.0"

"""``serve --open`` opens the browser, or says why it could not."""

from __future__ import annotations

import sys
import webbrowser

import pytest

from gongkai.cli.serve import open_browser
from gongkai.core.i18n import translations

URL = "http://127.0.0.1:8000/"
ZH = translations("zh-CN")


def test_it_says_it_opened_the_browser(monkeypatch):
    opened = []
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(webbrowser, "open", lambda url: opened.append(url) or True)
    assert open_browser(URL).render(ZH) == f"已在浏览器中打开 {URL}。"
    assert opened == [URL]


def test_without_a_browser_it_says_so(monkeypatch):
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(webbrowser, "open", lambda url: False)
    assert open_browser(URL).render(ZH) == (
        f"无法打开浏览器：没有找到浏览器（可用 BROWSER 环境变量指定）；请自己在浏览器中打开 {URL}。")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="displays are Linux's")
def test_without_a_display_it_says_so_and_tries_nothing(monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(webbrowser, "open", lambda url: pytest.fail("tried a browser"))
    assert open_browser(URL).render(ZH).startswith(
        "无法打开浏览器：当前会话没有图形界面（DISPLAY 和 WAYLAND_DISPLAY 都没有设置")

"""The compiled theme is shared by every build of a process and kept in the site's cache:
it must never carry one site's language, or one version of a template, into another."""

from __future__ import annotations

from gongkai.build.options import Options
from gongkai.build.pipeline import build
from gongkai.render import compiled

PROFILE = "{{ 'party-day'|type_name }} {{ village.name }}\n"
ENGLISH = "  today: 2025-04-08\n  language: en\n"


def test_a_constant_translated_by_a_filter_follows_each_sites_language(make_site, tmp_path):
    root = make_site({"layouts/profile.html": PROFILE})
    assert not build(Options(root, tmp_path / "zh")).failed
    assert (tmp_path / "zh/qingshan/profile.html").read_text("utf-8") == "主题党日 青山村\n"
    config = root / "site_config.yaml"
    config.write_text(config.read_text("utf-8").replace("  today: 2025-04-08\n", ENGLISH),
                      encoding="utf-8")
    assert compiled._IN_PROCESS  # the zh-CN build's code is there to be reused
    assert not build(Options(root, tmp_path / "en")).failed
    assert (tmp_path / "en/qingshan/profile.html").read_text("utf-8") == "Party day 青山村\n"


def test_an_edited_layout_is_compiled_again(make_site, tmp_path):
    root = make_site({"layouts/profile.html": PROFILE})
    assert not build(Options(root, tmp_path / "one")).failed
    (root / "layouts/profile.html").write_text("{{ village.name }}！\n", encoding="utf-8")
    assert not build(Options(root, tmp_path / "two")).failed
    assert (tmp_path / "two/qingshan/profile.html").read_text("utf-8") == "青山村！\n"

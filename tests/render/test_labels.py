"""Labels reach templates in the site's language, whichever site compiled the template first."""

from __future__ import annotations

from gongkai.render.jinja import Renderer


def test_a_label_of_a_constant_key_follows_each_sites_language(tmp_path):
    (tmp_path / "labels.html").write_text(
        '{{ "party"|kind_label }} {{ "approved"|approval_label }}', encoding="utf-8")
    chinese = Renderer([tmp_path], "zh-CN").render("x.html", "labels.html", {})
    english = Renderer([tmp_path], "en").render("x.html", "labels.html", {})
    assert chinese.decode() == "党务 已批准"
    assert english.decode() == "Party affairs Approved"

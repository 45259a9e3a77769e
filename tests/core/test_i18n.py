"""Catalogs: every user-facing string of the code and the theme is translated."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

REPO = Path(__file__).resolve().parent.parent.parent
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


CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
ENGLISH_SITE = {
    "site_config.yaml": """\
        site: {title: Green Hill County disclosures, language: en, today: 2025-04-08,
               base_url: "https://green-hill.example/"}
        towns: [{id: qingshan, name: Green Hill Town, supervision_phone: 0579-86000000}]
        rules: {decision_steps: [Proposal, Discussion, Resolution]}
        """,
    "content/qingshan/village.yaml": """\
        name: Green Hill
        town: qingshan
        contacts: {office_phone: 0579-86000001, supervision_phone: 0579-86000002}
        profile: {households: 412, population: 1380, groups: 6, area_km2: 8.6, intro: Hills.}
        committee: [{name: Wang Li, role: Secretary}]
        office_hours: Weekdays 8:30-17:00
        duty_roster: [{day: Monday, name: Wang Li}]
        services: [{name: Petition day, when: the 10th, where: Office}]
        """,
    "content/qingshan/finance/2025-03.yaml": """\
        published: 2025-04-05
        prepared_by: Wang
        reviewed_by: {names: [Li, Zhao], date: 2025-04-03, opinion: Checked}
        opening_balance: 100.00
        income: [{date: 2025-03-02, category: 经营收入, item: Pond lease, amount: 50.00}]
        expense: []
        """,
    "content/qingshan/affairs/budget.md": """\
        ---
        title: Road budget
        date: 2025-04-06
        type: decision
        notice: {from: 2025-04-06}
        steps: [{step: Proposal, date: 2025-03-01}]
        attachments: [files/plan.pdf]
        ---
        The road costs **12,000 yuan**.
        """,
    "content/qingshan/files/plan.pdf": b"%PDF-1.4\n",
    "content/qingshan/party/day.md": "---\ntitle: Party day\ndate: 2025-03-15\ntype: party-day\n---\nAll came.\n",
}


def test_english_site_has_no_chinese_from_the_theme_or_the_code(make_site, run):
    # With English content, any Chinese left in the output came from an untranslated
    # string or a Chinese default in the theme.
    root = make_site(ENGLISH_SITE, base=False)
    code, _out, err = run("build", "--site", root)
    assert (code, err) == (0, "")
    pages = sorted((root / "public").rglob("*.html"))
    assert len(pages) == 19
    for page in pages:
        # Account names are the chart's own (Chinese) names: content, not theme.
        leaks = CJK.findall(page.read_text().replace("经营收入", ""))
        assert not leaks, f"{page.name}: {''.join(leaks)}"


def test_english_site_formats_dates_and_money_the_english_way(make_site, run):
    root = make_site(ENGLISH_SITE, base=False)
    assert run("build", "--site", root)[0] == 0
    board = (root / "public/qingshan/index.html").read_text()
    assert "Income 50.00 yuan, expenses 0.00 yuan, balance 150.00 yuan." in board
    assert "Party day · March 15, 2025" in board
    assert "Status as of April 8, 2025." in board

"""``gongkai new site`` and ``new village``: a site folder and a village's commented files."""

from __future__ import annotations

import gettext
import re
from collections.abc import Sequence
from pathlib import Path

from gongkai.clerk.ledgerfile import scalar
from gongkai.clerk.scaffold import (
    ScaffoldError,
    Written,
    commented,
    refuse_existing,
    unknown_id,
    write_new,
)
from gongkai.core.errors import quoted
from gongkai.core.i18n import N_, Msg
from gongkai.model.config import SLUG, SiteConfig
from gongkai.read.sitefolder import CONFIG_FILE, CONTENT_DIR


def parse_town(text: str) -> tuple[str, str]:
    """Read a ``--town`` of ``new site``: ``id=name``, such as ``qingshan=青山镇``."""
    town, _, name = text.replace("＝", "=").partition("=")
    return town.strip(), name.strip()


def new_site(root: Path, title: str, towns: Sequence[str], language: str,
             tr: gettext.NullTranslations) -> Written:
    """Write ``site_config.yaml`` (title and towns, the rules commented) and ``content/``."""
    title = title.strip()
    if not title:
        raise ScaffoldError(Msg(N_("give the site's title, e.g. “青山县村级三务公开”")))
    pairs = [parse_town(text) for text in towns]
    for (town, name), text in zip(pairs, towns, strict=True):
        if not SLUG.match(town) or not name:
            raise ScaffoldError(Msg.of(
                N_("expected a town as id=name, the id in lowercase letters, digits and "
                   "hyphens, such as qingshan=青山镇; found {found}"), found=quoted(text)))
    ids = [town for town, _ in pairs]
    repeated = next((town for town in ids if ids.count(town) > 1), None)
    if repeated:
        raise ScaffoldError(Msg.of(N_("the town id {id} is given twice"), id=repeated))
    path = root / CONFIG_FILE
    refuse_existing(root, path)
    write_new(path, site_text(title, pairs, language, tr))
    (root / CONTENT_DIR).mkdir(exist_ok=True)
    return Written(path)


def site_text(title: str, towns: Sequence[tuple[str, str]], language: str,
              tr: gettext.NullTranslations) -> str:
    """Return a commented site_config.yaml: the title and towns, the usual rules as examples."""
    def note(msgid: str) -> str:
        return "  # " + Msg(msgid).render(tr)

    out = ["# " + line for line in commented(
        tr, Msg(N_("The site's settings (site_config.yaml). Delete the “# ” at the start of "
                   "an example line to use it.")),
        Msg(N_("Leave one space after each colon; indent with spaces, never with Tab.")))]
    out += ["", "site:", note(N_("The site's title, shown at the top of every page.")),
            f"  title: {scalar(title)}",
            note(N_("The site's public address, ending in /: QR codes, feeds and sitemaps "
                    "need it.")),
            "  # base_url: https://sanwu.example.cn/",
            note(N_("zh-CN (Simplified Chinese, the default) or en.")),
            f"  language: {language}",
            note(N_("The “as of” date; left out, the day of the build.")),
            "  # today: 2026-01-20", "",
            "# " + Msg(N_("The towns: each village's village.yaml names its town by id; "
                          "supervision_phone is the town's 监督电话.")).render(tr),
            "towns:"]
    out += [f"  - {{id: {town}, name: {scalar(name)}}}" for town, name in towns]
    out += ["", "# " + Msg(N_("The county's rules; the values shown are the defaults.")).render(tr),
            "# rules:",
            "#   cadence: {finance: monthly, affairs: quarterly, party: quarterly}",
            "#   notice_days: 7", "#   finance_due_days: 10"]
    return "\n".join(out) + "\n"




def town_id(config: SiteConfig, town: str) -> str:
    """Return the town id a clerk gave, or refuse: a town's name gets its id suggested."""
    if config.town(town) is not None:
        return town
    for known in config.towns:
        if town in (known.name, re.sub(r"(镇|乡|街道)$", "", known.name)):
            raise ScaffoldError(Msg.of(
                N_("{found} is the name of a town; write its id from site_config.yaml: did "
                   "you mean {id} ({name})?"), found=quoted(town), id=known.id, name=known.name))
    choices = tuple(f"{t.id}（{t.name}）" for t in config.towns)
    raise ScaffoldError(unknown_id(Msg(N_("the id of a town in site_config.yaml")), town, choices,
                                   [t.id for t in config.towns]))


def new_village(root: Path, config: SiteConfig, village: str, town: str, name: str,
                tr: gettext.NullTranslations) -> Written:
    """Write ``content/<village>/village.yaml``: name and town, the rest as examples."""
    if not SLUG.match(village):
        raise ScaffoldError(Msg.of(
            N_("a village folder name must be lowercase letters, digits and hyphens "
               "(it becomes the web address), found {found}; rename it, e.g. qingshan"),
            found=quoted(village)))
    town = town_id(config, town)
    name = name.strip()
    if not name:
        raise ScaffoldError(Msg(N_("give the village's name, e.g. --name 东山村")))
    path = root / CONTENT_DIR / village / "village.yaml"
    refuse_existing(root, path)
    write_new(path, village_text(config, village, town, name, tr))
    return Written(path)


def village_text(config: SiteConfig, village: str, town: str, name: str,
                 tr: gettext.NullTranslations) -> str:
    """Return a commented village.yaml: the two required keys, then the optional ones."""
    known = config.town(town)
    town_name = known.name if known is not None else town
    lines = commented(
        tr,
        Msg.of(N_("{name}: the village's profile (village.yaml). The folder name, {id}, is "
                  "the village's id and part of every web address: do not rename it once "
                  "published."), name=name, id=village),
        Msg(N_("Only name and town are required. For the other keys, delete the “# ” at "
               "the start of the example lines and write your own values.")),
        Msg(N_("Leave one space after each colon; indent with spaces, never with Tab.")),
    )
    out = [f"# {line}" for line in lines] + [""]
    out.append("# " + Msg(N_("The village's name (required).")).render(tr))
    out.append(f"name: {scalar(name)}")
    out.append("# " + Msg.of(N_("The id of its town in site_config.yaml (required): {id} is "
                                "{name}."), id=town, name=town_name).render(tr))
    out.append(f"town: {town}")
    out.append("")
    examples: Sequence[tuple[Msg, Sequence[str]]] = (
        (Msg(N_("Households, population, villager groups, area in km² and an introduction.")),
         [f"profile: {{households: 412, population: 1380, groups: 8, area_km2: 3.2, "
          f"intro: {name}位于{town_name}东部，……}}"]),
        (Msg(N_("The village committees (村两委), one person a line: name is required, role "
                "is optional.")),
         ["committee:", "  - {name: 张伟, role: 党支部书记、村委会主任}",
          "  - {name: 王丽, role: 村委会委员、文书}"]),
        (Msg(N_("The village affairs supervisory committee (村务监督委员会); they review "
                "every finance disclosure.")),
         ["supervisors:", "  - {name: 李芳, role: 主任}", "  - {name: 赵强, role: 委员}"]),
        (Msg(N_("The office's and the supervision phone numbers (only these two; no "
                "personal mobile numbers).")),
         ["contacts: {office_phone: 0579-86000001, supervision_phone: 0579-86000002}"]),
        (Msg(N_("Office hours.")), ["office_hours: 工作日 8:30-17:00"]),
        (Msg(N_("Who is on duty which day (干部值班).")),
         ["duty_roster:", "  - {day: 周一, name: 张伟}"]),
        (Msg(N_("Services for villagers (便民服务): name is required.")),
         ["services:", "  - {name: 联合接访日, when: 每月10日, where: 说事室}"]),
        (Msg(N_("Only where this village discloses on another rhythm than the county: "
                "monthly, quarterly or yearly.")),
         ["cadence: {finance: quarterly}"]),
    )
    for help_text, sample in examples:
        out.append("# " + help_text.render(tr))
        out.extend(f"# {line}" for line in sample)
    return "\n".join(out) + "\n"

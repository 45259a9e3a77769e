"""``gongkai new``: start a village, a finance period or a disclosure from a commented file.

Each command writes one new file that already passes ``gongkai check`` (it may warn about
what is still to fill in, such as the review), and never overwrites one. The comments
written into the files are help for the clerk, so they go through the catalogs in the
site's language; the commented-out examples are sample content (names, items, accounts),
which is Chinese on every site, as content is whatever the interface language.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from gongkai.clerk.ledgerfile import (
    carried_balance,
    earlier_periods,
    ledger_heading,
    ledger_text,
    read_mapping,
    scalar,
    village_name,
)
from gongkai.core.dates import Period, parse_period, working_days
from gongkai.core.errors import quoted, suggestion
from gongkai.core.i18n import N_, Msg, MsgError
from gongkai.model.coa import chart, chart_id_for
from gongkai.model.config import SLUG, SiteConfig
from gongkai.model.labels import AFFAIRS_TYPES, PARTY_TYPES, RECRUITMENT_STAGES
from gongkai.read.sitefolder import CONFIG_FILE, CONTENT_DIR

KINDS = ("site", "village", "finance", "affairs", "party")
# How many characters of a title go into a disclosure's file name: enough to tell notices
# apart in a folder listing, well under the 255 bytes a file name may take.
SLUG_CHARS = 30
# Characters no file name on Windows or in a web address may hold become hyphens.
_NAME_UNSAFE = set(' \t?#%&"\'<>\\/|^`{}[]:*：？＊＂＜＞｜')
# Types whose disclosure is a 公示 and therefore carries a notice period.
_NOTICE_TYPES = ("notice", "decision", "project", "subsidy", "recruitment")


class ScaffoldError(MsgError):
    """A ``new`` command that cannot write its file: the message says why."""


@dataclass(frozen=True)
class Written:
    """A file a ``new`` command wrote, and what the clerk should know about it."""

    path: Path
    notes: tuple[Msg, ...] = ()


# --- checks shared by the commands ---------------------------------------------------

def village_ids(root: Path) -> tuple[str, ...]:
    """List the village folders of ``content/`` (towns' and the county's are not villages)."""
    content = root / CONTENT_DIR
    if not content.is_dir():
        return ()
    return tuple(sorted(p.name for p in content.iterdir() if p.is_dir() and SLUG.match(p.name)))


def find_village(root: Path, village: str) -> Path:
    """Return a village's folder, or refuse with the closest id (or the id of a name)."""
    ids = village_ids(root)
    folder = root / CONTENT_DIR / village
    if village in ids and (folder / "village.yaml").is_file():
        return folder
    if village in ids:
        raise ScaffoldError(Msg.of(
            N_("{path} is missing; start the village with “gongkai new village {id} --town … "
               "--name …”"), path=_shown(root, folder / "village.yaml"), id=village))
    names = {village_name(root / CONTENT_DIR / other): other for other in ids}
    named = names.get(village)
    if named:
        raise ScaffoldError(Msg.of(
            N_("{found} is the name of a village; write its id: did you mean {id} ({name})?"),
            found=quoted(village), id=named, name=village))
    raise ScaffoldError(_unknown(
        Msg(N_("the id of a village, the name of its folder in content/")), village, ids, ids))


def refuse_existing(root: Path, path: Path) -> None:
    """Refuse to overwrite a file that is already there."""
    if path.exists():
        raise ScaffoldError(Msg.of(
            N_("{path} already exists; Gongkai never overwrites a file: edit it, or move it "
               "away first"), path=_shown(root, path)))


def _shown(root: Path, path: Path) -> str:
    """Name a file as the build's messages do: relative to the site folder (``content/…``)."""
    return path.relative_to(root).as_posix()


def _write(path: Path, text: str) -> None:
    """Write a new file (and its folders); fail rather than replace one made meanwhile."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


def _comments(tr: gettext.NullTranslations, *messages: Msg | str) -> list[str]:
    """Translate comment lines; a plain string is written as it is (a sample line)."""
    return [m.render(tr) if isinstance(m, Msg) else m for m in messages]


# --- new site ---------------------------------------------------------------------

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
    _write(path, site_text(title, pairs, language, tr))
    (root / CONTENT_DIR).mkdir(exist_ok=True)
    return Written(path)


def site_text(title: str, towns: Sequence[tuple[str, str]], language: str,
              tr: gettext.NullTranslations) -> str:
    """Return a commented site_config.yaml: the title and towns, the usual rules as examples."""
    def note(msgid: str) -> str:
        return "  # " + Msg(msgid).render(tr)

    out = ["# " + line for line in _comments(
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


# --- new village ------------------------------------------------------------------

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
    raise ScaffoldError(_unknown(Msg(N_("the id of a town in site_config.yaml")), town, choices,
                                 [t.id for t in config.towns]))


def _unknown(expected: Msg, word: str, listed: Sequence[str], ids: Sequence[str]) -> Msg:
    """Describe a name that is none of ``ids``, listing ``listed``, with the closest id."""
    close = suggestion(word, ids)
    if close:
        return Msg.of(N_("expected {expected} ({choices}), found {found}; did you mean "
                         "“{close}”?"), expected=expected, choices=tuple(listed) or ("—",),
                      found=quoted(word), close=close)
    return Msg.of(N_("expected {expected} ({choices}), found {found}"), expected=expected,
                  choices=tuple(listed) or ("—",), found=quoted(word))


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
    _write(path, village_text(config, village, town, name, tr))
    return Written(path)


def village_text(config: SiteConfig, village: str, town: str, name: str,
                 tr: gettext.NullTranslations) -> str:
    """Return a commented village.yaml: the two required keys, then the optional ones."""
    known = config.town(town)
    town_name = known.name if known is not None else town
    lines = _comments(
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


# --- new finance ------------------------------------------------------------------

def published_day(period: Period, due_days: int, today: date) -> date:
    """Pick the posting date to write: today once the period is over, else its due day.

    Writing the due day for a period already over would backdate a late posting, so the
    clerk starting it late gets today; one started early gets the deadline.
    """
    if today > period.end:
        return today
    return period.end + timedelta(days=due_days)


def new_finance(root: Path, config: SiteConfig, village: str, period_name: str, today: date,
                tr: gettext.NullTranslations) -> Written:
    """Write ``finance/<period>.yaml``: the carried opening balance and no lines yet."""
    folder = find_village(root, village)
    period = parse_period(unicodedata.normalize("NFKC", period_name.strip()))
    if period is None:
        raise ScaffoldError(Msg.of(
            N_("expected a period: 2026-01 (a month), 2026-Q1 (a quarter) or 2026 (a year); "
               "found {found}"), found=quoted(period_name)))
    finance = folder / "finance"
    path = finance / f"{period.name}.yaml"
    refuse_existing(root, path)
    _refuse_overlap(root, finance, period)
    text, notes = finance_text(root, config, folder, period, today, tr)
    _write(path, text)
    return Written(path, notes)


def _refuse_overlap(root: Path, finance: Path, period: Period) -> None:
    """Refuse a period that another ledger already covers, in part or whole."""
    if not finance.is_dir():
        return
    for other in sorted(finance.iterdir()):
        found = parse_period(unicodedata.normalize("NFKC", other.stem))
        if found is None or other.suffix.lower() not in (".yaml", ".yml"):
            continue
        if found.start <= period.end and period.start <= found.end:
            raise ScaffoldError(Msg.of(
                N_("{path} already covers {period} (in whole or in part); Gongkai never "
                   "overwrites a file: edit that one"),
                path=_shown(root, other), period=period.name))


def finance_text(root: Path, config: SiteConfig, folder: Path, period: Period, today: date,
                 tr: gettext.NullTranslations) -> tuple[str, tuple[Msg, ...]]:
    """Return a commented empty ledger for a period, and notes for the terminal."""
    rules = config.rules
    published = published_day(period, rules.finance_due_days, today)
    accounts = chart(chart_id_for(period.start, rules.chart_of_accounts))
    notes: list[Msg] = []
    opening, opening_text, opening_help = _opening(root, folder / "finance", period, notes)
    heading = ledger_heading(folder, period, config.site.language)
    sample_day = min(period.start + timedelta(days=4), period.end).isoformat()
    review_day = max(published - timedelta(days=2), period.end).isoformat()
    supervisors = _supervisors(folder) or ["李芳", "赵强", "孙秀英"]
    text = ledger_text(
        heading=heading, published=published, opening_balance=opening,
        income=(), expense=(), closing_balance=opening,
        comments=_comments(
            tr,
            Msg.of(N_("This period runs from {start} to {end}: every line's date must fall "
                      "inside it."), start=period.start.isoformat(), end=period.end.isoformat()),
            Msg(N_("Leave one space after each colon; indent with spaces, never with Tab."))),
        above=_finance_help(tr, period, rules.finance_due_days, today > period.end,
                            accounts.income, accounts.expense, opening_help),
        under={
            "reviewed_by": [f"names: [{', '.join(scalar(s) for s in supervisors)}]",
                            f"date: {review_day}",
                            "opinion: 经审核，收支真实、凭证齐全，同意公开。"],
            "income": [f"- {{date: {sample_day}, category: {accounts.income[0]}, "
                       "item: 集体鱼塘承包费, amount: 12000.00, payer: 承包户陈某, "
                       "voucher: 记-001, source: 集体收入}"],
            "expense": [f"- {{date: {sample_day}, category: {_expense_sample(accounts.expense)}, "
                        "item: 村道坑洼修补, amount: 6260.00, payee: 青山县路桥养护队, "
                        "voucher: 记-002, source: 集体收入}"],
        },
        opening_text=opening_text)
    return text, tuple(notes)


def _finance_help(tr: gettext.NullTranslations, period: Period, due_days: int, over: bool,
                  income: Sequence[str], expense: Sequence[str],
                  opening_help: Msg) -> dict[str, list[str]]:
    """Return the help comments written above each key of a new ledger."""
    why = (Msg(N_("written here as today, since the period is over.")) if over
           else Msg(N_("written here as that day.")))
    return {
        "published": _comments(tr, Msg.of(
            N_("The day it is posted (required). It is due by {due} ({days} days after the "
               "period ends: rules.finance_due_days in site_config.yaml); {why} Change it "
               "to the day you post it."),
            due=(period.end + timedelta(days=due_days)).isoformat(), days=due_days, why=why)),
        "prepared_by": _comments(tr, Msg(N_("Who prepared it (制表人)."))),
        "reviewed_by": _comments(tr, Msg(N_(
            "The review by the village affairs supervisory committee: once reviewed, delete "
            "the “# ” before the three lines below and write who reviewed it, when, and "
            "their opinion."))),
        "opening_balance": _comments(tr, opening_help),
        "income": _comments(tr, Msg.of(
            N_("Income, one line each: delete the “# ” before the example and write your "
               "own. category is one of the income accounts ({accounts}); amount in yuan, "
               "above zero; payer: who paid; voucher: the voucher number."),
            accounts=tuple(income))),
        "expense": _comments(tr, Msg.of(
            N_("Expenses, one line each, the same way. category is one of the expense "
               "accounts ({accounts}); payee: whom the village paid."),
            accounts=tuple(expense))),
        "closing_balance": _comments(tr, Msg(N_(
            "The closing balance = opening balance + income − expenses. After adding lines, "
            "write the new balance, or delete this line and Gongkai works it out."))),
    }


def _expense_sample(accounts: Sequence[str]) -> str:
    """Pick the account of the sample expense line: 公益支出 where the chart has it."""
    return "公益支出" if "公益支出" in accounts else accounts[-1]


def _supervisors(folder: Path) -> list[str]:
    """Read the names of the village's supervisory committee from village.yaml."""
    people = read_mapping(folder / "village.yaml").get("supervisors")
    if not isinstance(people, list):
        return []
    names = [p.get("name") for p in people if isinstance(p, dict)]
    return [n for n in names if isinstance(n, str) and n]


def _opening(root: Path, finance: Path, period: Period,
             notes: list[Msg]) -> tuple[Decimal | None, str | None, Msg]:
    """Work out the opening balance to write: (amount, word instead of it, its comment)."""
    earlier = earlier_periods(finance, period)
    if not earlier:
        return None, "unknown", Msg(N_(
            "The opening balance (上期结余): this is the village's first period, with none "
            "before it to carry from. Replace unknown with the balance at the start of the "
            "period, in yuan; keep unknown only if it is not known (the page then says so)."))
    last, last_path = earlier[0]
    missing = None
    if last.end + timedelta(days=1) != period.start:
        missing = Msg.of(N_("there is no ledger yet for {start} to {end}"),
                         start=(last.end + timedelta(days=1)).isoformat(),
                         end=(period.start - timedelta(days=1)).isoformat())
        notes.append(Msg.of(N_("{missing}: the opening balance was carried from {path}; "
                               "check it once the missing period is written"),
                            missing=missing, path=_shown(root, last_path)))
    carried = carried_balance(finance, period)
    if carried is None:
        notes.append(Msg.of(N_("the closing balance of {path} cannot be worked out (it has "
                               "errors, or its balance is not known); write the opening "
                               "balance yourself"), path=_shown(root, last_path)))
        return None, None, Msg.of(N_(
            "The opening balance (上期结余): left out, it is the closing balance of {path}, "
            "which cannot be worked out now; write it here if you know it."),
            path=_shown(root, last_path))
    if missing is not None:
        return carried.amount, None, Msg.of(N_(
            "The opening balance (上期结余), taken for now from the closing balance of {path}: "
            "{missing}; check it once that period is written."),
            path=_shown(root, carried.source), missing=missing)
    return carried.amount, None, Msg.of(N_(
        "The opening balance (上期结余), carried from the closing balance of {path}; it must "
        "equal that figure."), path=_shown(root, carried.source))


# --- new affairs / new party --------------------------------------------------------

def type_choices(kind: str) -> dict[str, str]:
    """Return the types a disclosure of a kind may have: id → Chinese label."""
    return AFFAIRS_TYPES if kind == "affairs" else PARTY_TYPES


def pick_type(kind: str, given: str | None, title: str) -> str:
    """Return the type id: the one given (id or label), else guessed from the title."""
    choices = type_choices(kind)
    if given is not None:
        for type_id, label in choices.items():
            if given in (type_id, label):
                return type_id
        labels = tuple(choices.values())
        raise ScaffoldError(_unknown(Msg(N_("one of")), given, labels, labels))
    # A Chinese title ends with what it is (关于……的公示); 发展党员 needs a stage, so it is
    # never guessed. The label found last in the title wins.
    found = [(title.rfind(label), type_id) for type_id, label in choices.items()
             if type_id not in ("recruitment", "other") and label in title]
    return max(found)[1] if found else "other"


def file_stem(day: date, title: str, slug: str | None) -> str:
    """Name a disclosure as the sample does: ``2026-01-<title or slug>``."""
    text = unicodedata.normalize("NFC", slug if slug else title).strip()
    cleaned = "".join("-" if ch in _NAME_UNSAFE or ch < " " else ch for ch in text)
    cleaned = re.sub(r"-{2,}", "-", cleaned)[:SLUG_CHARS].strip("-.~# ")
    return f"{day:%Y-%m}-{cleaned}" if cleaned else f"{day:%Y-%m-%d}"


def new_disclosure(root: Path, config: SiteConfig, kind: str, village: str, title: str,
                   today: date, tr: gettext.NullTranslations, *, type_given: str | None = None,
                   slug: str | None = None, stage: str | None = None) -> Written:
    """Write ``affairs/`` or ``party/<month>-<title>.md`` with its front matter filled in."""
    folder = find_village(root, village)
    title = title.strip()
    if not title:
        raise ScaffoldError(Msg(N_("give the disclosure's title, e.g. \"关于村道修补的公示\"")))
    type_id = pick_type(kind, type_given, title)
    stage_id = None
    if type_id == "recruitment":
        stage_id = next((k for k, v in RECRUITMENT_STAGES.items() if stage in (k, v)), None)
        if stage_id is None:
            raise ScaffoldError(Msg.of(
                N_("a 发展党员 notice names its stage: add --stage with one of {choices}"),
                choices=tuple(RECRUITMENT_STAGES.values())))
    path = folder / kind / f"{file_stem(today, title, slug)}.md"
    refuse_existing(root, path)
    _write(path, disclosure_text(config, kind, title, today, type_id, stage_id, tr))
    return Written(path)


def disclosure_text(config: SiteConfig, kind: str, title: str, day: date, type_id: str,
                    stage_id: str | None, tr: gettext.NullTranslations) -> str:
    """Return a disclosure's front matter, commented, and a body to replace."""
    labels = type_choices(kind)
    days = config.rules.notice_days
    out = ["---", "# " + Msg(N_("The title (required).")).render(tr), f"title: {scalar(title)}",
           "# " + Msg(N_("The day it is posted (required).")).render(tr),
           f"date: {day.isoformat()}",
           "# " + Msg.of(N_("The type (required), one of: {choices}."),
                         choices=tuple(labels.values())).render(tr),
           f"type: {labels[type_id]}"]
    if stage_id is not None:
        out += ["# " + Msg.of(N_("The stage (required for 发展党员), one of: {choices}."),
                              choices=tuple(RECRUITMENT_STAGES.values())).render(tr),
                f"stage: {RECRUITMENT_STAGES[stage_id]}"]
    out += ["# " + Msg(N_("One sentence shown under the title (optional).")).render(tr),
            "# summary: ……"]
    notice_help = Msg.of(N_("The notice period (公示期): from its first day to its last; "
                            "without “to” it ends {days} days after “from” "
                            "(rules.notice_days)."), days=days).render(tr)
    if stage_id is not None:  # at least rules.recruitment_notice_working_days working days
        end = day + timedelta(days=days)
        while working_days(day, end) < config.rules.recruitment_notice_working_days:
            end += timedelta(days=1)
        out += ["# " + notice_help, f"notice: {{from: {day.isoformat()}, to: {end.isoformat()}}}"]
    elif type_id in _NOTICE_TYPES:
        out += ["# " + notice_help, f"notice: {{from: {day.isoformat()}}}"]
    else:
        out += ["# " + notice_help, f"# notice: {{from: {day.isoformat()}}}"]
    out += ["# " + Msg(N_("Attachments: put the file in the village's files/ folder first "
                          "(optional).")).render(tr),
            "# attachments: [files/plan.pdf]", "---", "",
            Msg(N_("(Write the text of the disclosure here, in place of this line. Leave a blank "
                   "line between paragraphs; a line starting with “- ” is a list item; a table "
                   "is written | item | amount | with a line |---|---:| under its heading.)"))
            .render(tr), ""]
    return "\n".join(out)

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
from pathlib import Path

from gongkai.clerk.ledgerfile import read_mapping, scalar, village_name
from gongkai.clerk.typefields import own_steps, type_fields
from gongkai.core.dates import working_days
from gongkai.core.errors import quoted, suggestion
from gongkai.core.i18n import N_, Msg, MsgError
from gongkai.model.config import SLUG, SiteConfig
from gongkai.model.labels import AFFAIRS_TYPES, PARTY_TYPES, RECRUITMENT_STAGES
from gongkai.read.sitefolder import CONTENT_DIR, display_path

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
               "--name …”"), path=display_path(root, folder / "village.yaml"), id=village))
    names = {village_name(root / CONTENT_DIR / other): other for other in ids}
    named = names.get(village)
    if named:
        raise ScaffoldError(Msg.of(
            N_("{found} is the name of a village; write its id: did you mean {id} ({name})?"),
            found=quoted(village), id=named, name=village))
    raise ScaffoldError(unknown_id(
        Msg(N_("the id of a village, the name of its folder in content/")), village, ids, ids))


def refuse_existing(root: Path, path: Path) -> None:
    """Refuse to overwrite a file that is already there."""
    if path.exists():
        raise ScaffoldError(Msg.of(
            N_("{path} already exists; Gongkai never overwrites a file: edit it, or move it "
               "away first"), path=display_path(root, path)))


def write_new(path: Path, text: str) -> None:
    """Write a new file (and its folders); fail rather than replace one made meanwhile."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


def commented(tr: gettext.NullTranslations, *messages: Msg | str) -> list[str]:
    """Translate comment lines; a plain string is written as it is (a sample line)."""
    return [m.render(tr) if isinstance(m, Msg) else m for m in messages]


def unknown_id(expected: Msg, word: str, listed: Sequence[str], ids: Sequence[str]) -> Msg:
    """Describe a name that is none of ``ids``, listing ``listed``, with the closest id."""
    close = suggestion(word, ids)
    if close:
        return Msg.of(N_("expected {expected} ({choices}), found {found}; did you mean "
                         "“{close}”?"), expected=expected, choices=tuple(listed) or ("—",),
                      found=quoted(word), close=close)
    return Msg.of(N_("expected {expected} ({choices}), found {found}"), expected=expected,
                  choices=tuple(listed) or ("—",), found=quoted(word))


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
        raise ScaffoldError(unknown_id(Msg(N_("one of")), given, labels, labels))
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
    name = village_name(folder) or village
    town = read_mapping(folder / "village.yaml").get("town")
    office = config.town(town) if isinstance(town, str) else None
    fields = type_fields(type_id, own_steps(config, folder), name,
                         office.name if office else "", today, tr)
    write_new(path, disclosure_text(config, kind, title, today, type_id, stage_id, tr, fields))
    return Written(path)


def disclosure_text(config: SiteConfig, kind: str, title: str, day: date, type_id: str,
                    stage_id: str | None, tr: gettext.NullTranslations,
                    fields: Sequence[str] = ()) -> str:
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
    out += fields
    out += ["# " + Msg(N_("Attachments: put the file in the village's files/ folder first "
                          "(optional).")).render(tr),
            "# attachments: [files/plan.pdf]", "---", "",
            Msg(N_("(Write the text of the disclosure here, in place of this line. Leave a blank "
                   "line between paragraphs; a line starting with “- ” is a list item; a table "
                   "is written | item | amount | with a line |---|---:| under its heading.)"))
            .render(tr), ""]
    return "\n".join(out)

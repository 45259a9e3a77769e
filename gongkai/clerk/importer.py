"""``gongkai import VILLAGE PERIOD FILE``: a spreadsheet in, a period's ledger YAML out.

Every problem of the spreadsheet is collected and told together; the ledger is written
only when there is none. The written file is then checked like any other (the CLI runs
the site's check), so the chart of accounts, the personal-data guard and the chain of
balances apply to imported ledgers too.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from gongkai.clerk.cells import Table, UnreadableFile, read_tables
from gongkai.clerk.cellvalues import SheetProblem
from gongkai.clerk.columns import column_mapping
from gongkai.clerk.header import SPELLINGS, Header, find_header
from gongkai.clerk.ledgerfile import amount_text, carried_balance, ledger_heading, ledger_text
from gongkai.clerk.rows import Imported, read_ledger
from gongkai.clerk.scaffold import ScaffoldError, find_village
from gongkai.core.dates import Period, parse_period
from gongkai.core.errors import quoted
from gongkai.core.i18n import N_, Msg, MsgError, translations
from gongkai.core.pii import mask_personal
from gongkai.read.sitefolder import display_path


@dataclass(frozen=True)
class Request:
    """What the clerk asked for."""

    site: Path
    village: str
    period: str
    file: Path
    force: bool = False
    published: date | None = None   # default: today
    sheet: str | None = None        # default: the first sheet with a ledger's header


class Refused(MsgError):
    """The import cannot start (no such village, a bad period, the ledger exists)."""


@dataclass
class Outcome:
    """What the import did: the problems (nothing written) or the file and its figures."""

    path: Path
    problems: list[str] = field(default_factory=list)
    said: list[Msg] = field(default_factory=list)

    @property
    def written(self) -> bool:
        """Tell whether the ledger was written."""
        return not self.problems


def run_import(request: Request, language: str) -> Outcome:
    """Read the spreadsheet, and write the ledger if it has no problem."""
    period = parse_period(request.period)
    if period is None:
        raise Refused(Msg.of(N_("expected a period such as 2026-01, 2026-Q1 or 2026, "
                                "found {found}"), found=quoted(request.period)))
    try:
        # The same lookup as "gongkai new": a plain folder of content/ (never "../x"), with
        # the closest id, or the id of a village's name, suggested.
        folder = find_village(request.site, request.village)
    except ScaffoldError as exc:
        raise Refused(exc.message) from None
    target = _target(folder / "finance", period)
    if target.exists() and not request.force:
        raise Refused(Msg.of(N_("{path} already exists; nothing was written (add --force to "
                                "replace it)"), path=display_path(request.site, target)))
    if not request.file.is_file():
        # Said with the folder it was looked for in: after "cd" into the site folder, a
        # clerk's spreadsheet is usually somewhere else (the desktop, the downloads).
        raise Refused(Msg.of(N_("the spreadsheet {path} is not in {folder}; give its full "
                                "path (or drag the file into this window), or copy it here"),
                             path=request.file, folder=request.file.absolute().parent))
    tr = translations(language)
    outcome = Outcome(target)
    name = request.file.name
    try:
        tables = read_tables(request.file)
    except UnreadableFile as exc:
        outcome.problems.append(_render(tr, name, None, SheetProblem(None, None, exc.message)))
        return outcome
    if request.sheet is not None:
        chosen = [table for table in tables if table.name == request.sheet]
        if not chosen:
            raise Refused(Msg.of(N_("{file} has no sheet “{sheet}”; its sheets are: {sheets}"),
                                 file=name, sheet=request.sheet,
                                 sheets=[table.name or "—" for table in tables]))
        tables = chosen
    found = _first_ledger_table(tables)
    if found is None:
        outcome.problems.append(_render(tr, name, None, SheetProblem(None, None, Msg.of(
            N_("no header row found in the first 30 rows: expected a row naming at least a "
               "date ({date}), a description ({item}) and an amount ({amounts}) column"),
            date=SPELLINGS["date"][0], item=SPELLINGS["item"][0],
            amounts="、".join(f"{SPELLINGS['income'][i]}/{SPELLINGS['expense'][i]}"
                              for i in (0, 2))))))
        return outcome
    table, header = found
    imported = read_ledger(table, header, period)
    if "account" not in header.columns:
        imported.problems.insert(0, SheetProblem(header.row + 1, None, Msg.of(
            N_("the header has no account column: expected one of {choices}"),
            choices=SPELLINGS["account"])))
    carried = carried_balance(folder / "finance", period)
    _check_opening(imported, header, carried.amount if carried else None,
                   display_path(request.site, carried.source) if carried else "")
    outcome.problems.extend(_render(tr, name, table.name, p) for p in imported.problems)
    if outcome.problems:
        return outcome
    opening = imported.opening if imported.opening is not None else (
        carried.amount if carried else None)
    income, expense = imported.totals()
    closing = None if opening is None else opening + income - expense
    text = ledger_text(
        heading=ledger_heading(folder, period, language),
        published=request.published or date.today(),
        opening_balance=imported.opening, income=imported.income, expense=imported.expense,
        closing_balance=closing,
        comments=[tr.gettext(N_("Imported from {file} by “gongkai import”: check it, and fill "
                                "in reviewed_by once the committee has reviewed it."))
                  .format(file=name)])
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    outcome.said = [*_summary(request, table, imported, opening, closing, target),
                    column_mapping(header)]
    return outcome


def _target(finance: Path, period: Period) -> Path:
    """The period's ledger: an existing file for it (any spelling), else PERIOD.yaml."""
    if finance.is_dir():
        for path in sorted(finance.iterdir()):
            if path.suffix.lower() in (".yaml", ".yml") and parse_period(path.stem) == period:
                return path
    return finance / f"{period.name}.yaml"


def _first_ledger_table(tables: list[Table]) -> tuple[Table, Header] | None:
    """The first sheet with a recognisable header (a workbook may have notes sheets)."""
    for table in tables:
        header = find_header(table.rows)
        if header is not None:
            return table, header
    return None


def _check_opening(imported: Imported, header: Header, carried: Decimal | None,
                   source: str) -> None:
    """An opening balance on the sheet must equal the balance the last ledger closed with."""
    if imported.opening is None or carried is None or imported.opening == carried:
        return
    role = "balance" if "balance" in header.columns else "income"
    column = header.names.get(header.columns[role]) if role in header.columns else None
    imported.problems.append(SheetProblem(imported.opening_row, column, Msg.of(
        N_("the opening balance {found} does not equal the closing balance {expected} of "
           "{path} (difference {difference})"), found=amount_text(imported.opening),
        expected=amount_text(carried), path=source,
        difference=amount_text(abs(imported.opening - carried)))))


def _render(tr: gettext.NullTranslations, file: str, sheet: str | None,
            problem: SheetProblem) -> str:
    """Say where in the spreadsheet a problem is: file, sheet, row and column."""
    parts = [file]
    if sheet is not None:
        parts.append(tr.gettext(N_("sheet “{sheet}”")).format(sheet=sheet))
    if problem.row is not None:
        parts.append(tr.gettext(N_("row {row}")).format(row=problem.row))
    if problem.column:
        parts.append(tr.gettext(N_("column “{column}”")).format(column=problem.column))
    text = tr.gettext(N_("{field}: {text}")).format(field=" ".join(parts),
                                                     text=problem.message.render(tr))
    return mask_personal(text)


def _summary(request: Request, table: Table, imported: Imported, opening: Decimal | None,
             closing: Decimal | None, target: Path) -> list[Msg]:
    """What was written: the path, the counts and the figures."""
    income, expense = imported.totals()
    source = request.file.name if table.name is None else Msg.of(
        N_("{file}, sheet “{sheet}”"), file=request.file.name, sheet=table.name)
    said = [Msg.of(N_("Wrote {path} from {source}: {lines} lines ({income_lines} income, "
                      "{expense_lines} expense)."), path=display_path(request.site, target),
                   source=source, lines=len(imported.income) + len(imported.expense),
                   income_lines=len(imported.income), expense_lines=len(imported.expense)),
            Msg.of(N_("Income {income}, expense {expense}; opening balance {opening}, "
                      "closing balance {closing}."), income=amount_text(income),
                   expense=amount_text(expense),
                   opening=amount_text(opening) if opening is not None else Msg(N_("unknown")),
                   closing=amount_text(closing) if closing is not None else Msg(N_("unknown")))]
    return said

"""Finding a ledger sheet's header row: the spellings of each column, in Chinese and English."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from gongkai.clerk.cells import Cell
from gongkai.clerk.cellvalues import cell_text

# The header spellings of village accounting exports and cash journals, best first
# (documented in docs/import.md). Headers are compared without spaces, in NFKC (so
# full-width brackets are plain), with a trailing unit such as （元） removed.
SPELLINGS: dict[str, tuple[str, ...]] = {
    "date": ("日期", "凭证日期", "记账日期", "业务日期", "制单日期"),
    "year": ("年",),
    "month": ("月",),
    "day": ("日",),
    "voucher": ("凭证号", "凭证字号", "凭证编号", "记账凭证号", "凭证号码", "凭证"),
    "item": ("摘要", "内容", "事由", "项目"),
    "account": ("科目", "会计科目", "科目名称", "总账科目", "对方科目", "一级科目"),
    "subaccount": ("明细科目", "二级科目", "明细科目名称"),
    "income": ("收入", "收入金额", "借方", "借方金额"),
    "expense": ("支出", "支出金额", "贷方", "贷方金额"),
    "party": ("对方单位", "收款单位", "付款单位", "往来单位", "收付款单位", "收(付)款单位",
              "对方", "收款方", "付款方"),
    "handled_by": ("经手人", "经办人"),
    "balance": ("余额", "结余", "余额金额"),
}
# Under a 凭证 heading, a journal splits the voucher into its word (记) and number (001).
VOUCHER_PARTS = {"字": "voucher_word", "号": "voucher_number"}
_ROLE_OF = {spelling: role for role, names in SPELLINGS.items() for spelling in names}
_UNIT = re.compile(r"\((?:元|人民币元|单位:元|金额单位:元)\)$|/元$")


HEADER_SEARCH = 30  # rows searched for the header (title rows come first)


@dataclass
class Header:
    """Where the header is and which column holds what."""

    row: int                          # 0-based index of its last row
    columns: dict[str, int]           # role -> 0-based column
    names: dict[int, str]             # column -> its header text, for messages


def normal(text: str) -> str:
    """Normalise a header or label for comparison: NFKC, no spaces, no unit."""
    plain = "".join(unicodedata.normalize("NFKC", text).split())
    return _UNIT.sub("", plain)


def find_header(rows: Sequence[Sequence[Cell]]) -> Header | None:
    """Find the header among the first rows: one row, or two where a heading is split."""
    for index in range(min(len(rows), HEADER_SEARCH)):
        single = _header_of([rows[index]], index)
        double = (_header_of([rows[index], rows[index + 1]], index + 1)
                  if index + 1 < len(rows) else None)
        if double is not None and (single is None or len(double.columns) > len(single.columns)):
            return double
        if single is not None:
            return single
    return None


def _header_of(lines: list[Sequence[Cell]], last: int) -> Header | None:
    """Recognise a header made of one row, or of a heading row and the row under it."""
    columns: dict[str, int] = {}
    ranks: dict[str, int] = {}
    names: dict[int, str] = {}
    width = max(len(line) for line in lines)
    group = ""
    for column in range(width):
        texts = [cell_text(line[column]) if column < len(line) else "" for line in lines]
        if texts[0]:
            group = normal(texts[0])   # a merged heading covers the empty cells after it
        role, text = None, ""
        for raw in reversed(texts):   # the lower row names the column more precisely
            name = normal(raw)
            if not name:
                continue
            role = VOUCHER_PARTS.get(name) if group == "凭证" and len(lines) > 1 else None
            role = role or _ROLE_OF.get(name)
            text = raw.strip()
            if role:
                break
        if text:
            names[column] = text
        if role is None:
            continue
        rank = SPELLINGS.get(role, (text,)).index(normal(text)) if role in SPELLINGS else 0
        if role not in columns or rank < ranks[role]:
            columns[role], ranks[role] = column, rank
    dated = "date" in columns or ("month" in columns and "day" in columns)
    if not (dated and "item" in columns and ("income" in columns or "expense" in columns)):
        return None
    return Header(last, columns, names)


def is_blank(cell: Cell) -> bool:
    """Tell whether a cell is empty or holds only spaces."""
    return cell is None or (isinstance(cell, str) and not cell.strip())

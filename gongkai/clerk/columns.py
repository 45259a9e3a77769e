"""What an import made of each column of the sheet: the field it went into, or none."""

from __future__ import annotations

from gongkai.clerk.header import Header
from gongkai.core.i18n import N_, Msg

# The ledger field each column's role fills (payer on an income line, payee on an expense).
FIELD_OF = {
    "date": "date", "year": "date", "month": "date", "day": "date",
    "voucher": "voucher", "voucher_word": "voucher", "voucher_number": "voucher",
    "item": "item", "account": "category", "subaccount": "subaccount",
    "income": "income[].amount", "expense": "expense[].amount", "party": "payer / payee",
    "handled_by": "handled_by",
}


def column_mapping(header: Header) -> Msg:
    """Say which columns were read into which fields, which only checked, which ignored."""
    role_of = {column: role for role, column in header.columns.items()}
    read: list[Msg | str] = []
    ignored: list[str] = []
    for column in sorted(header.names):
        name = header.names[column]
        role = role_of.get(column)
        if role is None:
            ignored.append(name)
        elif role == "balance":
            read.append(Msg.of(N_("{column} → checked against the lines, not written"),
                               column=name))
        else:
            read.append(f"{name} → {FIELD_OF.get(role, role)}")
    return Msg.of(N_("Columns read: {read}; columns ignored: {ignored}."),
                  read=tuple(read), ignored=tuple(ignored) or Msg(N_("none")))

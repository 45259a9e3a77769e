"""Open data: every finance line as CSV and JSON, and the site as a Fiscal Data Package.

CSV files start with a UTF-8 byte order mark so that Excel on Chinese Windows reads them
as UTF-8. Amounts are written as exact decimal text (12000.00), never binary floats; in
JSON too, since many JSON readers turn numbers into floats.

Files are described before they are made: each carries a key (a digest of what its bytes
depend on) and a way to make them, so a build whose ledgers did not change makes none.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from gongkai.core.dates import Period
from gongkai.core.fingerprint import Fingerprinter
from gongkai.load.site import Site
from gongkai.model.addresses import (
    DATA_DIR,
    PACKAGE,
    SITE_CSV,
    csv_path,
    json_path,
    plan_csv_path,
    village_csv_path,
)
from gongkai.model.budget import Plan
from gongkai.model.coa import Chart, chart
from gongkai.model.content import Ledger, Village
from gongkai.plan.books import plan_view

BOM = "\ufeff"
_NUMBER = re.compile(r"-?[0-9.]+$")

# (name, Table Schema type, title): the columns of every finance CSV.
COLUMNS = (
    ("village", "string", "村代码"), ("village_name", "string", "村"), ("town", "string", "镇"),
    ("period", "string", "期间"), ("date", "date", "日期"), ("account", "string", "科目"),
    ("item", "string", "摘要"), ("revenue", "number", "收入金额（元）"),
    ("expenditure", "number", "支出金额（元）"), ("source", "string", "资金来源"),
    ("counterparty", "string", "付款方或收款方"), ("voucher", "string", "凭证号"),
    ("subaccount", "string", "明细科目"), ("account_code", "string", "科目编号"),
    # asset, liability, equity, cost, income or expense: the last two are the 收益.
    ("account_class", "string", "科目类别"),
)


# Made while sizing, files are kept for writing up to this many bytes in all; past it they
# are made again when written, so no build holds every data file in memory.
_KEEP_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class DataFile:
    """One published data file: where it goes, what it depends on, how to make it."""

    path: str
    kind: str          # "period-csv", "period-json", "village-csv", "package", "site-csv"
    updated: date      # the newest posting date of the disclosures it holds
    key: bytes         # a digest of everything its bytes depend on
    make: Callable[[], bytes] = field(compare=False, repr=False)
    village: str = ""  # the village id, empty for site-wide files
    period: Period | None = None
    size: int = -1     # its length in bytes, once known (``sized``)
    data: bytes | None = field(default=None, compare=False, repr=False)


def data_files(site: Site, salt: str, fingerprint: Fingerprinter) -> list[DataFile]:
    """Describe every open-data file of a site, in a fixed order, without making them."""
    files: list[DataFile] = []
    towns = {t.id: t.name for t in site.config.towns}
    digests: list[bytes] = []
    for village in site.villages:
        town = towns.get(village.info.town, "")
        name = village.info.name
        ledgers = sorted(village.ledgers, key=lambda led: led.period)
        keys = [fingerprint.digest(ledger) for ledger in ledgers]
        for ledger, key in zip(ledgers, keys, strict=True):
            posted = ledger.data.published
            files.append(DataFile(csv_path(ledger), "period-csv", posted,
                                  _key(salt, "period-csv", key, name, town),
                                  partial(_csv, [(ledger, name, town)]), village.id,
                                  ledger.period))
            files.append(DataFile(json_path(ledger), "period-json", posted,
                                  _key(salt, "period-json", key, name),
                                  partial(_json, ledger, name), village.id, ledger.period))
        if ledgers:
            newest = max(led.data.published for led in ledgers)
            files.append(DataFile(village_csv_path(village.id), "village-csv", newest,
                                  _key(salt, "village-csv", *keys, name, town),
                                  partial(_csv, [(led, name, town) for led in ledgers]),
                                  village.id))
        files += _plan_files(village, ledgers, keys, salt, fingerprint)
        digests += [_key(salt, key, name, town) for key in keys]
    ledgers = [led for v in site.villages for led in v.ledgers]
    if ledgers:
        newest = max(led.data.published for led in ledgers)
        files.append(DataFile(SITE_CSV, "site-csv", newest, _key(salt, "site-csv", *digests),
                              partial(_site_csv, site)))
        start = min(led.period.start for led in ledgers)
        end = max(led.period.end for led in ledgers)
        # Periods are kept under the chart in force when they began, or the one named.
        title, chart = site.config.site.title, ", ".join(sorted({led.chart for led in ledgers}))
        files.append(DataFile(PACKAGE, "package", newest,
                              _key(salt, "package", title, chart, str(start), str(end)),
                              partial(_package, title, chart, start, end)))
    return files


PLAN_COLUMNS = (("side", "收支"), ("account", "科目"), ("account_code", "科目编号"),
                ("planned", "计划金额（元）"), ("actual", "实际金额（元）"), ("share", "执行比例"),
                ("over_plan", "超计划"), ("note", "说明"))


def _plan_files(village: Village, ledgers: Sequence[Ledger], keys: Sequence[bytes], salt: str,
                fingerprint: Fingerprinter) -> list[DataFile]:
    """Describe the CSV of each year plan: plan, actual and share used by account."""
    files = []
    for plan in village.plans:
        year = [key for ledger, key in zip(ledgers, keys, strict=True)
                if ledger.period.start.year == plan.year]
        files.append(DataFile(plan_csv_path(village.id, plan.year), "plan-csv",
                              plan.data.published,
                              _key(salt, "plan-csv", fingerprint.digest(plan), *year),
                              partial(_plan_csv, plan, tuple(ledgers)), village.id))
    return files


def _plan_csv(plan: Plan, ledgers: Sequence[Ledger]) -> bytes:
    """Write a year plan beside every loaded period of its year, as CSV for Excel."""
    view = plan_view(plan, ledgers, date.max)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([title for _name, title in PLAN_COLUMNS])
    for side in (view.income, view.expense):
        for row in side.rows:
            writer.writerow([side.side, _cell(row.account), row.code, str(row.planned),
                             str(row.actual), "" if row.share is None else
                             str(row.share.quantize(Decimal("0.0001"))),
                             "yes" if row.over else "", _cell(row.note)])
    return (BOM + buffer.getvalue()).encode("utf-8")


def sized(files: Iterable[DataFile], known: Mapping[str, tuple[bytes, int]]) -> list[DataFile]:
    """Fill in each file's size: from ``known`` (path: key, size) when its key matches,
    else by making it (kept for writing while the kept bytes stay small)."""
    done, kept = [], 0
    for file in files:
        key, size = known.get(file.path, (b"", -1))
        if key == file.key:
            done.append(dataclasses.replace(file, size=size))
            continue
        data = file.make()
        keep = kept + len(data) <= _KEEP_BYTES
        kept += len(data) if keep else 0
        done.append(dataclasses.replace(file, size=len(data), data=data if keep else None))
    return done


def _key(salt: str, *parts: bytes | str) -> bytes:
    """Digest the parts a file depends on, each told apart from its neighbours."""
    hasher = hashlib.sha256(salt.encode())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big"))
        hasher.update(data)
    return hasher.digest()


def _site_csv(site: Site) -> bytes:
    """Write every village's lines as one CSV."""
    towns = {t.id: t.name for t in site.config.towns}
    return _csv([(ledger, village.info.name, towns.get(village.info.town, ""))
                 for village in site.villages
                 for ledger in sorted(village.ledgers, key=lambda led: led.period)])


def _rows(ledger: Ledger, village_name: str, town: str) -> Iterator[dict[str, str]]:
    """Yield the CSV rows of one period: income lines, then expense lines."""
    common = {"village": ledger.village, "village_name": village_name, "town": town,
              "period": ledger.period.name}
    book = chart(ledger.chart)
    for line in ledger.data.income:
        yield {**common, "date": line.date.isoformat(), "account": line.category,
               "item": line.item, "revenue": str(line.amount), "expenditure": "",
               "source": line.source or "", "counterparty": line.payer or "",
               "voucher": line.voucher or "", "subaccount": line.subaccount or "",
               **_account_fields(book, line.category)}
    for spent in ledger.data.expense:
        yield {**common, "date": spent.date.isoformat(), "account": spent.category,
               "item": spent.item, "revenue": "", "expenditure": str(spent.amount),
               "source": spent.source or "", "counterparty": spent.payee or "",
               "voucher": spent.voucher or "", "subaccount": spent.subaccount or "",
               **_account_fields(book, spent.category)}


def _account_fields(book: Chart, name: str) -> dict[str, str]:
    """Return an account's code and class in its period's chart, for the open data."""
    account = book.by_name(name)
    return {"account_code": account.code if account else "",
            "account_class": account.cls if account else ""}


def _csv(ledgers: Iterable[tuple[Ledger, str, str]]) -> bytes:
    """Write the lines of (ledger, village name, town name) as CSV with a header, a BOM and
    CRLF line ends (what Excel expects)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[name for name, _type, _title in COLUMNS],
                            lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({key: _cell(value) for key, value in row.items()}
                     for ledger, village_name, town in ledgers
                     for row in _rows(ledger, village_name, town))
    return (BOM + buffer.getvalue()).encode("utf-8")


def _cell(text: str) -> str:
    """Keep a text cell from running as an Excel formula (=HYPERLINK(...) in an item)."""
    if text[:1] in ("=", "+", "@", "\t", "\r") or (text[:1] == "-" and not _NUMBER.match(text)):
        return "'" + text
    return text


def _json(ledger: Ledger, village_name: str) -> bytes:
    """Write one period as JSON: its balances, review and lines, amounts as text."""
    data = ledger.data
    book = chart(ledger.chart)

    def lines(side: Iterable[Any], party: str) -> list[dict[str, Any]]:
        return [{"date": line.date.isoformat(), "account": line.category,
                 **_account_fields(book, line.category), "item": line.item,
                 "amount": str(line.amount), "source": line.source,
                 "counterparty": getattr(line, party), "voucher": line.voucher,
                 "attachments": list(line.attachments), "subaccount": line.subaccount,
                 "signoff": dict(line.signoff) or None} for line in side]

    review = data.reviewed_by
    document = {
        "village": ledger.village, "village_name": village_name, "period": ledger.period.name,
        "period_start": ledger.period.start.isoformat(),
        "period_end": ledger.period.end.isoformat(), "published": data.published.isoformat(),
        "notice": {"from": ledger.notice.start.isoformat(), "to": ledger.notice.end.isoformat()},
        "currency": "CNY", "opening_balance": _amount(ledger.opening),
        "total_income": str(data.total_income), "total_expense": str(data.total_expense),
        "closing_balance": _amount(ledger.closing), "prepared_by": data.prepared_by,
        "chart_of_accounts": ledger.chart,
        "reviewed_by": None if review is None else {
            "names": list(review.names), "opinion": review.opinion or None,
            "date": review.date.isoformat() if review.date else None},
        "income": lines(data.income, "payer"), "expense": lines(data.expense, "payee"),
    }
    return _dump(document)


def _amount(amount: Decimal | None) -> str | None:
    """Write an amount as exact text; a balance that is not known as null."""
    return None if amount is None else str(amount)


def _package(site_title: str, chart_id: str, start: date, end: date) -> bytes:
    """Describe the site CSV as a Fiscal Data Package (0.3): executed revenue and spending."""
    fields = [{"name": name, "type": kind, "title": title,
               **({"format": "default"} if kind == "date" else {})}
              for name, kind, title in COLUMNS]
    measure = {"currency": "CNY", "factor": 1, "resource": "finance", "phase": "executed"}
    descriptor = {
        "name": "village-finance",
        "title": site_title,
        # The fiscal profile builds on the tabular one; validators read "profile" as the
        # tabular profile and "profiles" as the set the package conforms to (FDP 0.3).
        "profile": "tabular-data-package",
        "profiles": {"fiscal": "*", "tabular": "*"},
        "countryCode": "CN",
        "granularity": "transactional",
        "fiscalPeriod": {"start": start.isoformat(), "end": end.isoformat()},
        "resources": [{
            "name": "finance", "path": SITE_CSV.removeprefix(f"{DATA_DIR}/"),
            "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8",  # with a byte order mark, which readers skip
            "schema": {"fields": fields, "missingValues": [""]},
        }],
        "model": {
            "measures": {
                "revenue": {"source": "revenue", "direction": "revenue", **measure},
                "expenditure": {"source": "expenditure", "direction": "expenditure", **measure},
            },
            "dimensions": {
                "date": {"dimensionType": "datetime", "primaryKey": "date",
                         "attributes": {"date": {"source": "date"}}},
                "period": {"dimensionType": "datetime", "primaryKey": "period",
                           "attributes": {"period": {"source": "period"}}},
                "village": {"dimensionType": "entity", "primaryKey": "code",
                            "attributes": {"code": {"source": "village"},
                                           "title": {"source": "village_name",
                                                     "labelfor": "code"},
                                           "town": {"source": "town"}}},
                "account": {"dimensionType": "classification", "classificationType": "economic",
                            "primaryKey": "code",
                            "description": f"chart of accounts {chart_id}",
                            "attributes": {"code": {"source": "account"},
                                           "subaccount": {"source": "subaccount"},
                                           "number": {"source": "account_code"},
                                           "class": {"source": "account_class"}}},
                "transaction": {"dimensionType": "fact", "primaryKey": "voucher",
                                "attributes": {"voucher": {"source": "voucher"},
                                               "item": {"source": "item"},
                                               "counterparty": {"source": "counterparty"},
                                               "source": {"source": "source"}}},
            },
        },
    }
    return _dump(descriptor)


def _dump(document: dict[str, Any]) -> bytes:
    """Write JSON the same way every time: UTF-8, indented, keys in the given order."""
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")

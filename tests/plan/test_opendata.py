"""Open data: CSV and JSON beside every period, per village, and a Fiscal Data Package."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest

from tests.helpers.sites import LEDGER

APRIL = (LEDGER.replace("2025-03-", "2025-04-").replace("2025-04-05", "2025-05-05")
         .replace("2025-04-03", "2025-05-03").replace("opening_balance: 152340.00\n", "")
         .replace("closing_balance: 161139.50\n", ""))


@pytest.fixture
def built(make_site, run):
    root = make_site({"content/qingshan/finance/2025-04.yaml": APRIL})
    code, _out, err = run("build", "--site", root)
    assert code == 0, err
    return root / "public"


def read_csv(path):
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "Excel on Chinese Windows needs the BOM"
    assert b"\r\n" in data
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_each_period_has_its_lines_as_csv(built):
    rows = read_csv(built / "qingshan/finance/2025-03.csv")
    assert rows == [
        {"village": "qingshan", "village_name": "青山村", "town": "青山镇", "period": "2025-03",
         "date": "2025-03-02", "account": "经营收入", "item": "鱼塘承包费", "revenue": "12000.00",
         "expenditure": "", "source": "", "counterparty": "", "voucher": "记-003",
         "subaccount": "", "account_code": "501", "account_class": "income"},
        {"village": "qingshan", "village_name": "青山村", "town": "青山镇", "period": "2025-03",
         "date": "2025-03-10", "account": "公益支出", "item": "路灯维修", "revenue": "",
         "expenditure": "3200.50", "source": "", "counterparty": "青山电器店", "voucher": "记-011",
         "subaccount": "", "account_code": "514", "account_class": "expense"},
    ]


def test_each_period_has_json_with_exact_amounts_as_text(built):
    document = json.loads((built / "qingshan/finance/2025-04.json").read_text())
    assert document["opening_balance"] == "161139.50"   # carried over from March
    assert document["closing_balance"] == "169939.00"
    assert document["total_income"] == "12000.00" and document["currency"] == "CNY"
    assert document["income"][0]["amount"] == "12000.00"
    assert document["reviewed_by"] == {"names": ["李芳", "赵强"], "opinion": "经审核，收支真实",
                                       "date": "2025-05-03"}


def test_a_village_csv_holds_every_period_in_order(built):
    rows = read_csv(built / "qingshan/finance/qingshan-finance.csv")
    assert [r["period"] for r in rows] == ["2025-03", "2025-03", "2025-04", "2025-04"]


def test_the_site_csv_and_package_agree(built):
    rows = read_csv(built / "data/finance.csv")
    package = json.loads((built / "data/datapackage.json").read_text())
    assert package["profiles"] == {"fiscal": "*", "tabular": "*"} and package["countryCode"] == "CN"
    assert package["fiscalPeriod"] == {"start": "2025-03-01", "end": "2025-04-30"}
    resource = package["resources"][0]
    assert resource["path"] == "finance.csv" and resource["encoding"] == "utf-8"
    names = [field["name"] for field in resource["schema"]["fields"]]
    assert names == list(rows[0])
    measures = package["model"]["measures"]
    assert {k: (m["direction"], m["currency"], m["phase"]) for k, m in measures.items()} == {
        "revenue": ("revenue", "CNY", "executed"), "expenditure": ("expenditure", "CNY", "executed")}
    for measure in measures.values():
        assert measure["source"] in names
    for dimension in package["model"]["dimensions"].values():
        for attribute in dimension["attributes"].values():
            assert attribute.get("source", names[0]) in names
    revenue = sum(Decimal(r["revenue"]) for r in rows if r["revenue"])
    assert revenue == Decimal("24000.00")


def test_the_package_validates_against_the_fiscal_data_package_schema(built):
    # datapackage-py ships the Fiscal Data Package and Tabular Data Package JSON Schemas,
    # so this runs offline; reading the rows checks every value against its field type.
    import datapackage

    descriptor = json.loads((built / "data/datapackage.json").read_text())
    datapackage.Profile("fiscal-data-package").validate(descriptor)
    package = datapackage.Package(str(built / "data/datapackage.json"))
    assert package.valid, package.errors
    rows = package.resources[0].read(keyed=True)
    assert len(rows) == 4
    assert rows[0]["revenue"] == Decimal("12000.00") and rows[1]["revenue"] is None


def test_the_data_pages_list_every_download_with_size_and_date(built):
    # The site's own files on the data page, each village's on its town's.
    page = (built / "data.html").read_text()
    for path in ("data/datapackage.json", "data/finance.csv"):
        size = (built / path).stat().st_size
        assert f'href="{path}"' in page
        assert f"{size / 1024:.1f} KB" in page
    assert "更新于 2025年5月5日" in page
    assert 'href="towns/qingshan-data.html"' in page
    town = (built / "towns/qingshan-data.html").read_text()
    for path in ("qingshan/finance/2025-03.csv", "qingshan/finance/2025-04.json",
                 "qingshan/finance/qingshan-finance.csv"):
        size = (built / path).stat().st_size
        assert f'href="../{path}"' in town
        assert f"{size / 1024:.1f} KB" in town
    assert "更新于 2025年5月5日" in town


def test_the_period_page_links_its_downloads(built):
    page = (built / "qingshan/finance/2025-03.html").read_text()
    assert 'href="2025-03.csv"' in page and 'href="2025-03.json"' in page


def test_text_cells_cannot_run_as_excel_formulas(make_site, run):
    ledger = LEDGER.replace("item: 鱼塘承包费", 'item: "=HYPERLINK(\\"http://x.example\\",\\"利息\\")"').replace(
        "payee: 青山电器店", "payee: \"-2+3\"")
    root = make_site({"content/qingshan/finance/2025-03.yaml": ledger})
    assert run("build", "--site", root)[0] == 0
    rows = read_csv(root / "public/qingshan/finance/2025-03.csv")
    assert rows[0]["item"] == "'=HYPERLINK(\"http://x.example\",\"利息\")"
    assert rows[1]["counterparty"] == "'-2+3"
    assert rows[1]["expenditure"] == "3200.50"


def test_sub_accounts_sign_off_and_unknown_balances_reach_the_open_data(make_site, run):
    march = (LEDGER.replace("opening_balance: 152340.00", "opening_balance: unknown")
             .replace("closing_balance: 161139.50\n", "")
             .replace("category: 公益支出,", "category: 公益支出—路灯电费, handled_by: 王会计,"))
    root = make_site({"content/qingshan/finance/2025-03.yaml": march})
    code, _out, err = run("build", "--site", root)
    assert code == 0, err
    rows = read_csv(root / "public/qingshan/finance/2025-03.csv")
    assert [(r["account"], r["subaccount"]) for r in rows] == [("经营收入", ""), ("公益支出", "路灯电费")]
    document = json.loads((root / "public/qingshan/finance/2025-03.json").read_text())
    assert document["opening_balance"] is None and document["closing_balance"] is None
    assert document["chart_of_accounts"] == "coa-2024"
    assert document["expense"][0]["subaccount"] == "路灯电费"
    assert document["expense"][0]["signoff"] == {"handled_by": "王会计"}
    assert document["income"][0]["signoff"] is None

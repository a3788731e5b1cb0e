"""v3 reports: list by module, get (the fields the seed SDK reads back), and reportDataCsv."""

from __future__ import annotations

import csv
import io
from typing import Any

from .conftest import Ion, assert_error

BILLING_HEADER = [
    "SAP ID (customer)",
    "Cloud Account Number",
    "Billing Start Date",
    "Product Name",
    "Seller Cost (EUR)",
    "Customer Cost (EUR)",
    "Margin (EUR)",
    "Assigned Customer Company",
    "Account Number",
]


def csv_rows(ion: Ion, body: dict[str, Any], report_id: str = "12345") -> list[list[str]]:
    response = ion.v3_post(f"/reports/{report_id}/reportDataCsv", json=body)
    assert response.status_code == 200, response.text
    return list(csv.reader(io.StringIO(response.json()["results"])))


def test_list_and_get_reports(ion: Ion) -> None:
    everything = ion.v3_get("/reports", params={"module": "REPORTS_MODULE_UNSPECIFIED"}).json()["reports"]
    assert [r["reportId"] for r in everything] == ["12345", "12346"]
    only = ion.v3_get("/reports", params={"module": "DASHBOARDS_REPORTS_MODULE"}).json()["reports"]
    assert [r["reportId"] for r in only] == ["12346"]
    assert_error(ion.v3_get("/reports", params={"module": "EVERYTHING"}), 400, 3)
    report = ion.v3_get("/reports/12345").json()
    assert report["displayName"] == "AWS Billing Report" and report["category"] == "BILLING_REPORTS"
    assert report["reportModule"] == "REPORTS_REPORTS_MODULE"
    assert [c["displayName"] for c in report["specs"]["allColumns"]] == BILLING_HEADER
    assert_error(ion.v3_get("/reports/404404"), 404, 5)


def test_csv_for_a_fixed_range_in_snake_case_and_camel_case(ion: Ion) -> None:
    snake = {
        "report_id": "12345",
        "report_module": "REPORTS_REPORTS_MODULE",
        "category": "BILLING_REPORTS",
        "specs": {
            "date_range_option": {
                "selected_range": {
                    "fixed_date_range": {
                        "start_date": "2025-01-01T00:00:00Z",
                        "end_date": "2025-01-31T23:59:59Z",
                    }
                }
            }
        },
    }
    rows = csv_rows(ion, snake)
    assert rows[0] == BILLING_HEADER
    assert rows[1:] == [
        [
            "SAP-12345",
            "123456789012",
            "2025-01-01",
            "AWS Marketplace",
            "100.00",
            "120.00",
            "20.00",
            "Doe Industries",
            "123",
        ],
        [
            "SAP-12345",
            "123456789012",
            "2025-01-01",
            "AWS Support Business",
            "90.00",
            "100.00",
            "10.00",
            "Doe Industries",
            "123",
        ],
        [
            "SAP-4567",
            "M365-4567",
            "2025-01-01",
            "Google Workspace Business",
            "200.00",
            "240.00",
            "40.00",
            "Smith & Co",
            "123",
        ],
    ]
    camel = {
        "reportId": "12345",
        "specs": {
            "dateRangeOption": {
                "selectedRange": {"fixedDateRange": {"startDate": "2025-01-01", "endDate": "2025-01-31"}}
            }
        },
    }
    assert csv_rows(ion, camel) == rows


def test_csv_month_to_date_selected_columns_and_other_categories(ion: Ion) -> None:
    month = {
        "specs": {
            "date_range_option": {"selected_range": {"relative_date_range": "MONTH_TO_DATE"}},
            "selectedColumns": [
                {"columnId": "productName", "displayName": "Product Name"},
                {"columnId": "margin"},
            ],
        }
    }
    assert csv_rows(ion, month) == [
        ["Product Name", "Margin (EUR)"],
        ["AWS Marketplace", "20.00"],
        ["AWS Support Business", "10.00"],
    ]  # the seed's invoice of this month
    subscriptions = csv_rows(
        ion, {"specs": {"selectedColumns": ["subscriptionId", "subscriptionStatus"]}}, "12346"
    )
    assert subscriptions[0] == ["Subscription ID", "Status"] and len(subscriptions) == 10


def test_bad_csv_requests_are_400(ion: Ion) -> None:
    for body in (
        {"category": "INVOICE_REPORTS"},
        {"report_module": "DASHBOARDS_REPORTS_MODULE"},
        {"reportId": "999"},
        {"specs": "all"},
        {"specs": {"selectedColumns": ["shoeSize"]}},
        {"specs": {"selectedColumns": "productName"}},
        {"specs": {"date_range_option": {"selected_range": {"relative_date_range": "NEXT_YEAR"}}}},
        {"specs": {"date_range_option": {"selected_range": {"fixed_date_range": {"start_date": "someday"}}}}},
        {"specs": {"date_range_option": {"selected_range": "today"}}},
        {"specs": {"date_range_option": ["today"]}},
        {"specs": {"selectedColumns": [{"columnId": ["productName"]}]}},
    ):
        assert_error(ion.v3_post("/reports/12345/reportDataCsv", json=body), 400, 3)
    assert_error(ion.v3_post("/reports/404/reportDataCsv", json={}), 404)

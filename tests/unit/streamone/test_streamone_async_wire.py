"""Every StreamOne method that talks to Ion and its ``_async`` form send the same requests.

Each test runs twice (``mode``: sync over ``responses``, async over ``respx``) against one list of
declared requests: method, path, the exact encoded query, the body and the Authorization header.
"""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
import responses
import respx
from conftest import Mode
from streamone_fakes import BASIC, V3, AsyncFakeIon, bearer

from contacthub_like.errors import BadRequest, InvalidValue, NotFound
from contacthub_like.streamone import (
    Customer,
    Invoice,
    Order,
    Product,
    Report,
    StreamOne,
    Subscription,
    V1Customer,
)

INV = "/api/v1/invoices"
AUTH = bearer()


def _invoice(i: int, **extra: object) -> dict[str, object]:
    return {"id": i, "billingStartDate": "2024-01-01", "total": "144.60", "status": "open", **extra}


def _customer(cid: str, **extra: object) -> dict[str, object]:
    return {"name": f"accounts/123/customers/{cid}", "customerEmail": f"{cid}@x.example", **extra}


# ------------------------------------------------------------------------------------------------ v1
def test_a_v1_query_pages_by_offset_with_relations(ion: StreamOne, mode: Mode) -> None:
    base = "filter%5BbillingStartDate%3Agte%5D=2024-01-01&sort%5Bid%5D=desc&relations=lines"
    mode.ion_mock.expect(
        "GET",
        f"{INV}/myinvoices",
        base + "&offset=0&limit=2",
        reply={"data": {"invoice": [_invoice(3, lines=[{"id": 1, "amount": "10.00"}]), _invoice(2)]}},
    )
    mode.ion_mock.expect(
        "GET", f"{INV}/myinvoices", base + "&offset=2&limit=2", reply={"data": {"invoice": [_invoice(1)]}}
    )
    query = (
        ion.query(Invoice)
        .filter(Invoice.billingStartDate >= date(2024, 1, 1))
        .order_by(Invoice.id.desc())
        .relations("lines")  # type: ignore[attr-defined]
        .limit_page_size(2)
    )
    invoices = mode.items(query, "all")
    assert [i.id for i in invoices] == [3, 2, 1]
    assert invoices[0].lines[0].amount == Decimal("10.00")


def test_customer_invoices_and_v1_gets_unwrap_their_envelopes(ion: StreamOne, mode: Mode) -> None:
    mode.ion_mock.expect(
        "GET",
        INV,
        "relations=&customerId=12345&offset=0&limit=100",
        reply={"data": {"invoice": [_invoice(201, customerId=12345)]}},
    )
    mode.ion_mock.expect("GET", f"{INV}/123", reply={"data": {"invoice": _invoice(123)}})
    mode.ion_mock.expect("GET", "/api/v1/customers/4567", reply={"data": {"customer": {"id": 4567}}})
    query = ion.customer_invoices("12345").relations()
    assert [i.customerId for i in mode.items(query, "all")] == [12345]
    assert mode.run(ion, "get", Invoice, 123).total == Decimal("144.60")
    assert mode.run(ion.v1, "get", V1Customer, "4567").id == 4567


def test_invoice_file_urls(ion: StreamOne, mode: Mode) -> None:
    urls = ["https://files.ion.test/a.csv?signature=sig-1234"]
    mode.ion_mock.expect(
        "GET", f"{INV}/7/detailed", reply={"data": {"invoice": {"detailedInvoiceFilesUrls": urls}}}
    )
    assert mode.run(ion.v1, "invoice_file_urls", 7) == urls


def test_detailed_invoice_files_download_atomically_without_credentials(
    ion: StreamOne, mode: Mode, tmp_path
) -> None:
    urls = [
        "https://files.ion.test/inv/123/invoice-123-detail.csv?expires=1&signature=sig-abcdef",
        "https://files.ion.test/inv/123/invoice-123-summary.json?expires=1&signature=sig-ghijkl",
    ]
    for _ in range(2):  # once through the facade, once through the entity
        mode.ion_mock.expect(
            "GET",
            f"{INV}/123/detailed",
            reply={"data": {"invoice": {"id": 123, "detailedInvoiceFilesUrls": urls}}},
        )
        for url, content in zip(urls, (b"a,b\n1,2\n", b"{}"), strict=True):
            path, _, query = url.partition("?")
            mode.ion_mock.expect("GET", path, query, auth=None, body=content)
    (tmp_path / "invoice-123-detail.csv").write_bytes(b"old")
    written = mode.run(ion, "download_invoice_files", 123, tmp_path)
    assert [p.name for p in written] == ["invoice-123-detail.csv", "invoice-123-summary.json"]
    assert (tmp_path / "invoice-123-detail.csv").read_bytes() == b"a,b\n1,2\n"
    again = mode.run(Invoice.from_dict(ion.v1, {"id": 123}), "download_details", tmp_path)
    assert again == written and not list(tmp_path.glob(".*.part"))


def test_a_refused_download_keeps_the_old_file_and_hides_the_signature(
    ion: StreamOne, mode: Mode, tmp_path
) -> None:
    url = "https://files.ion.test/inv/5/f.csv?expires=1&signature=sig-secret-value"
    mode.ion_mock.expect(
        "GET", f"{INV}/5/detailed", reply={"data": {"invoice": {"detailedInvoiceFilesUrls": [url]}}}
    )
    mode.ion_mock.expect(
        "GET",
        "https://files.ion.test/inv/5/f.csv",
        "expires=1&signature=sig-secret-value",
        auth=None,
        status=403,
        reply={"message": "bad signature sig-secret-value"},
    )
    (tmp_path / "f.csv").write_bytes(b"old")
    with pytest.raises(Exception) as failed:
        mode.run(ion.v1, "download_invoice_files", 5, tmp_path)
    assert "sig-secret-value" not in str(failed.value) and "403" in str(failed.value)
    assert (tmp_path / "f.csv").read_bytes() == b"old" and not list(tmp_path.glob(".*.part"))


def test_a_file_url_without_a_name_is_refused_before_any_transfer(
    ion: StreamOne, mode: Mode, tmp_path
) -> None:
    urls = ["https://files.ion.test/a.csv?s=1234", "https://files.ion.test/?s=5678"]
    mode.ion_mock.expect(
        "GET", f"{INV}/6/detailed", reply={"data": {"invoice": {"detailedInvoiceFilesUrls": urls}}}
    )
    with pytest.raises(InvalidValue, match="must end in a file name"):
        mode.run(ion.v1, "download_invoice_files", 6, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_generate_invoices_sends_a_form(ion: StreamOne, mode: Mode) -> None:
    mode.ion_mock.expect(
        "POST",
        f"{INV}/generate",
        form="source=aws&period=m-01-2025&status=open&sendEmails=true&customers=12345%2C4567",
        reply={"data": {"generated": 2}},
    )
    answer = mode.run(
        ion, "generate_invoices", "aws", date(2025, 1, 17), customers=[12345, 4567], send_emails=True
    )
    assert answer == {"data": {"generated": 2}}
    with pytest.raises(InvalidValue, match="source"):
        mode.run(ion.v1, "generate_invoices", " ")


def test_v1_errors_are_typed(ion: StreamOne, mode: Mode) -> None:
    mode.ion_mock.expect(
        "GET", f"{INV}/999", status=404, reply={"code": 5, "message": "invoice 999 not found", "details": []}
    )
    with pytest.raises(NotFound, match="invoice 999 not found"):
        mode.run(ion, "get", Invoice, 999)


# ------------------------------------------------------------------------------------------------ v3
def test_customers_by_page_token_and_create_take_ids_from_names(ion: StreamOne, mode: Mode) -> None:
    mode.ion_mock.token()
    mode.ion_mock.expect(
        "GET",
        f"{V3}/customers",
        "filter.customerEmail=a%40b.example&pageSize=2",
        auth=AUTH,
        reply={"customers": [_customer("1"), _customer("2")], "nextPageToken": "t/2+"},
    )
    mode.ion_mock.expect(
        "GET",
        f"{V3}/customers",
        "filter.customerEmail=a%40b.example&pageSize=2&pageToken=t%2F2%2B",
        auth=AUTH,
        reply={"customers": [_customer("3")], "nextPageToken": ""},
    )
    mode.ion_mock.expect(
        "POST",
        f"{V3}/customers",
        auth=AUTH,
        json_body={"customerName": "New Co", "customerEmail": "new@co.example"},
        reply=_customer("77", customerName="New Co"),
    )
    query = ion.query(Customer).filter(Customer.customerEmail == "a@b.example").limit_page_size(2)
    assert [c.id for c in mode.items(query, "all")] == ["1", "2", "3"]
    created = mode.run(Customer(ion.v3, customerName="New Co", customerEmail="new@co.example"), "post")
    assert created.id == "77"


def test_subscriptions_by_page_token_by_offset_and_one_of_a_customer(ion: StreamOne, mode: Mode) -> None:
    mode.ion_mock.token()
    mode.ion_mock.expect(
        "GET",
        f"{V3}/subscriptions",
        "customerId=12345&pageSize=5",
        auth=AUTH,
        reply={"items": [{"id": "5555"}]},
    )
    for offset, items in ((0, [{"id": "1"}, {"id": "2"}]), (2, [])):
        mode.ion_mock.expect(
            "GET",
            f"{V3}/subscriptions",
            f"startDateRange.relativeDateRange=MONTH_TO_DATE&pagination.offset={offset}&pagination.limit=2",
            auth=AUTH,
            reply={"items": items},
        )
    mode.ion_mock.expect(
        "GET",
        f"{V3}/customers/9072/subscriptions/59a53ae5-9abf",
        "refresh=true",
        auth=AUTH,
        reply={"id": "7001", "price": "10.00"},
    )
    by_token = mode.items(ion, "subscriptions", size=5, customerId="12345")
    by_offset = mode.items(
        ion,
        "subscriptions",
        offset_paging=True,
        size=2,
        **{"startDateRange.relativeDateRange": "MONTH_TO_DATE"},
    )
    assert [s.id for s in by_token] == ["5555"] and [s.id for s in by_offset] == ["1", "2"]
    found = mode.run(ion, "customer_subscription", 9072, "59a53ae5-9abf", refresh=True)
    assert isinstance(found, Subscription) and found.id == "7001" and found.price == Decimal("10.00")


def test_orders_of_a_customer_and_cancel(ion: StreamOne, mode: Mode) -> None:
    order = {"name": "accounts/123/customers/4567/orders/891011", "status": "ON_HOLD"}
    mode.ion_mock.token()
    mode.ion_mock.expect(
        "GET",
        f"{V3}/customers/4567/orders",
        "status=ON_HOLD&pageSize=1",
        auth=AUTH,
        reply={"orders": [order]},
    )
    mode.ion_mock.expect(
        "POST",
        f"{V3}/customers/4567/orders/891011:cancel",
        auth=AUTH,
        json_body={},
        reply={**order, "status": "CANCELLED"},
    )
    (found,) = mode.items(ion, "customer_orders", 4567, status="ON_HOLD", size=1)
    assert found.id == "891011"
    assert mode.run(found, "cancel") is found and found.status == "CANCELLED"
    with pytest.raises(InvalidValue, match="read from the API"):
        mode.run(Order.from_dict(ion.v3, {"id": "1"}), "cancel")


def test_product_sends_the_exclude_flags(ion: StreamOne, mode: Mode) -> None:
    mode.ion_mock.token()
    mode.ion_mock.expect(
        "GET",
        f"{V3}/products/FAKE-ID-12345",
        "language=es&excludeFilter.excludePricing=false&excludeFilter.excludeMarketing=true"
        "&excludeFilter.excludeDefinition=true&excludeFilter.excludeVersionHistory=true"
        "&excludeFilter.excludeDeployment=false",
        auth=AUTH,
        reply={"id": "FAKE-ID-12345", "legacyProductId": "L-1"},
    )
    found = mode.run(
        ion, "product", "FAKE-ID-12345", language="es", exclude_pricing=False, exclude_deployment=False
    )
    assert isinstance(found, Product) and found.legacyProductId == "L-1"


REPORT = {
    "reportId": "12345",
    "displayName": "AWS Billing",
    "category": "BILLING_REPORTS",
    "reportModule": "REPORTS_REPORTS_MODULE",
}
CSV = 'Customer Cost (EUR),Product Name\n12.50,"Azure, Plan"\n'


def _report_data(mode: Mode, selected: dict[str, object], columns: list[str] | None = None) -> None:
    body: dict[str, object] = {
        "reportId": "12345",
        "reportModule": "REPORTS_REPORTS_MODULE",
        "category": "BILLING_REPORTS",
        "specs": {"dateRangeOption": {"selectedRange": selected}},
    }
    if columns is not None:
        body["selectedColumns"] = columns
    mode.ion_mock.expect(
        "POST", f"{V3}/reports/12345/reportDataCsv", auth=AUTH, json_body=body, reply={"results": CSV}
    )


def test_reports_and_their_data_as_text_file_or_rows(ion: StreamOne, mode: Mode, tmp_path) -> None:
    mode.ion_mock.token()
    mode.ion_mock.expect(
        "GET", f"{V3}/reports", "module=REPORTS_REPORTS_MODULE", auth=AUTH, reply={"reports": [REPORT]}
    )
    fixed = {"startDate": "2024-01-01T00:00:00Z", "endDate": "2024-01-31T23:59:59Z"}
    _report_data(mode, {"relativeDateRange": "MONTH_TO_DATE"}, ["A"])
    _report_data(mode, {"relativeDateRange": "LAST_MONTH"})
    _report_data(mode, {"fixedDateRange": fixed})
    (report,) = mode.items(ion, "reports", "REPORTS_REPORTS_MODULE")
    assert isinstance(report, Report) and report.id == "12345"
    assert mode.run(ion.v3, "report_data", report, columns=["A"]) == CSV
    target = tmp_path / "billing.csv"
    assert mode.run(report, "csv", target, relative="LAST_MONTH") == target
    assert list(csv.reader(io.StringIO(target.read_text(), newline="")))[1] == ["12.50", "Azure, Plan"]
    end = datetime(2024, 1, 31, 23, 59, 59, tzinfo=timezone.utc)
    rows = list(mode.run(report, "rows", start=date(2024, 1, 1), end=end))
    assert rows == [{"Customer Cost (EUR)": "12.50", "Product Name": "Azure, Plan"}]
    with pytest.raises(InvalidValue, match="not both"):
        mode.run(report, "rows", relative="LAST_MONTH", start=date(2024, 1, 1), end=date(2024, 1, 2))


def test_v3_errors_are_typed(ion: StreamOne, mode: Mode) -> None:
    mode.ion_mock.token()
    mode.ion_mock.expect(
        "GET",
        f"{V3}/customers/404",
        auth=AUTH,
        status=404,
        reply={"code": 5, "message": "customer 404 not found"},
    )
    mode.ion_mock.expect(
        "POST",
        f"{V3}/customers",
        auth=AUTH,
        json_body={},
        status=400,
        reply={"code": 3, "message": "customerEmail is required", "details": [{"field": "customerEmail"}]},
    )
    with pytest.raises(NotFound, match="customer 404 not found"):
        mode.run(ion, "get", Customer, "404")
    with pytest.raises(BadRequest, match="customerEmail is required"):
        mode.run(Customer(ion.v3), "post")


# ------------------------------------------------------------------------------- inside a running loop
def test_awaited_calls_run_concurrently_inside_one_loop(ion: StreamOne) -> None:
    """The async forms from code already on a loop: v1 and v3 at once, the token call off the loop."""
    with (
        responses.RequestsMock(assert_all_requests_are_fired=True) as mock,
        respx.mock(assert_all_called=True, assert_all_mocked=True) as router,
    ):
        fake = AsyncFakeIon(router, mock)
        fake.token()
        fake.expect("GET", f"{INV}/1", auth=BASIC, reply={"data": {"invoice": _invoice(1)}})
        fake.expect("GET", f"{V3}/customers/4567", auth=AUTH, reply=_customer("4567"))
        fake.expect("GET", f"{V3}/reports", auth=AUTH, reply={"reports": [REPORT]})

        async def main() -> tuple[Invoice, Customer, list[Report]]:
            async with ion:
                reports = [r async for r in ion.reports_async()]
                invoice, customer = await asyncio.gather(
                    ion.get_async(Invoice, 1), ion.get_async(Customer, "4567")
                )
                return invoice, customer, reports

        invoice, customer, reports = asyncio.run(main())
        fake.verify()
    assert invoice.id == 1 and customer.id == "4567" and reports[0].id == "12345"

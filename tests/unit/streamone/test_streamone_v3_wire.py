"""v3 on the wire: customers, subscriptions (both pagings), orders and cancel, products, reports, errors."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timezone

import pytest
from streamone_fakes import V3, FakeIon, bearer

from contacthub_like.errors import BadRequest, NotFound, UnsupportedQuery
from contacthub_like.streamone import Customer, Order, Product, Report, StreamOne, Subscription

AUTH = bearer()


def _customer(cid: str, **extra: object) -> dict[str, object]:
    return {"name": f"accounts/123/customers/{cid}", "customerEmail": f"{cid}@x.example", **extra}


def test_customers_filter_and_page_tokens_give_ids_from_names(ion: StreamOne, ion_mock: FakeIon) -> None:
    ion_mock.token()
    ion_mock.expect(
        "GET",
        f"{V3}/customers",
        "filter.customerEmail=a%40b.example&filter.customerStatus=ACTIVE&pageSize=2",
        auth=AUTH,
        reply={"customers": [_customer("1"), _customer("2")], "nextPageToken": "t/2+"},
    )
    ion_mock.expect(
        "GET",
        f"{V3}/customers",
        "filter.customerEmail=a%40b.example&filter.customerStatus=ACTIVE&pageSize=2&pageToken=t%2F2%2B",
        auth=AUTH,
        reply={"customers": [_customer("3")], "nextPageToken": ""},
    )
    query = ion.query(Customer).filter(
        Customer.customerEmail == "a@b.example", Customer.customerStatus == "ACTIVE"
    )
    assert [c.id for c in query.limit_page_size(2)] == ["1", "2", "3"]


def test_v3_cannot_sort_or_filter_other_fields_unless_client_side(ion: StreamOne, ion_mock: FakeIon) -> None:
    with pytest.raises(UnsupportedQuery, match="sort"):
        ion.query(Customer).order_by(Customer.customerName).explain()
    with pytest.raises(UnsupportedQuery, match="customerEmail, customerName"):
        ion.query(Customer).filter(Customer.customerPhone == "1").explain()
    ion_mock.token()
    ion_mock.expect(
        "GET",
        f"{V3}/customers",
        auth=AUTH,
        reply={"customers": [_customer("1", customerPhone="1"), _customer("2", customerPhone="2")]},
    )
    assert [c.id for c in ion.query(Customer).filter(Customer.customerPhone == "2").client_side()] == ["2"]


def test_get_and_create_customer(ion: StreamOne, ion_mock: FakeIon) -> None:
    ion_mock.token()
    ion_mock.expect(
        "GET", f"{V3}/customers/4567", auth=AUTH, reply=_customer("4567", createTime="2024-06-01T00:00:00Z")
    )
    ion_mock.expect(
        "POST",
        f"{V3}/customers",
        auth=AUTH,
        json_body={"customerName": "New Co", "customerEmail": "new@co.example"},
        reply=_customer("77", customerName="New Co", userName="new@co.example", password="pw"),
    )
    found = ion.get(Customer, "4567")
    assert found.id == "4567" and found.createTime == datetime(2024, 6, 1, tzinfo=timezone.utc)
    created = Customer(ion.v3, customerName="New Co", customerEmail="new@co.example").post()
    assert created.id == "77" and created["userName"] == "new@co.example"


def test_subscriptions_by_page_token_and_by_offset(ion: StreamOne, ion_mock: FakeIon) -> None:
    ion_mock.token()
    ion_mock.expect(
        "GET",
        f"{V3}/subscriptions",
        "customerId=12345&pageSize=5",
        auth=AUTH,
        reply={"items": [{"id": "5555"}], "nextPageToken": "n1"},
    )
    ion_mock.expect(
        "GET",
        f"{V3}/subscriptions",
        "customerId=12345&pageSize=5&pageToken=n1",
        auth=AUTH,
        reply={"items": [{"id": "5556"}]},
    )
    assert [
        s.id for s in ion.query(Subscription).filter(Subscription.customerId == "12345").limit_page_size(5)
    ] == ["5555", "5556"]
    ion_mock.expect(
        "GET",
        f"{V3}/subscriptions",
        "startDateRange.relativeDateRange=MONTH_TO_DATE&pagination.offset=0&pagination.limit=2",
        auth=AUTH,
        reply={"items": [{"id": "1"}, {"id": "2"}]},
    )
    ion_mock.expect(
        "GET",
        f"{V3}/subscriptions",
        "startDateRange.relativeDateRange=MONTH_TO_DATE&pagination.offset=2&pagination.limit=2",
        auth=AUTH,
        reply={"items": []},
    )
    subs = ion.subscriptions(
        offset_paging=True, size=2, **{"startDateRange.relativeDateRange": "MONTH_TO_DATE"}
    )
    assert [s.id for s in subs] == ["1", "2"]


def test_a_customers_subscription_with_refresh(ion: StreamOne, ion_mock: FakeIon) -> None:
    ion_mock.token()
    ion_mock.expect(
        "GET",
        f"{V3}/customers/9072/subscriptions/59a53ae5-9abf",
        "refresh=true",
        auth=AUTH,
        reply={"id": "7001", "price": "10.00"},
    )
    found = ion.customer_subscription(9072, "59a53ae5-9abf", refresh=True)
    assert found.id == "7001" and str(found.price) == "10.00"


def test_orders_of_account_and_customer_and_cancel(ion: StreamOne, ion_mock: FakeIon) -> None:
    order = {"name": "accounts/123/customers/4567/orders/891011", "status": "ON_HOLD"}
    ion_mock.token()
    ion_mock.expect("GET", f"{V3}/orders", "status=ON_HOLD&pageSize=1", auth=AUTH, reply={"orders": [order]})
    ion_mock.expect("GET", f"{V3}/customers/4567/orders", "status=COMPLETED", auth=AUTH, reply={"orders": []})
    ion_mock.expect(
        "POST",
        f"{V3}/customers/4567/orders/891011:cancel",
        auth=AUTH,
        json_body={},
        reply={**order, "status": "CANCELLED"},
    )
    found = ion.query(Order).filter(Order.status == "ON_HOLD").first()
    assert found is not None and found.id == "891011" and found.customer_id == "4567"
    assert list(ion.customer_orders(4567, status="COMPLETED")) == []
    assert found.cancel().status == "CANCELLED"


def test_product_get_sends_the_exclude_flags(ion: StreamOne, ion_mock: FakeIon) -> None:
    ion_mock.token()
    ion_mock.expect(
        "GET",
        f"{V3}/products/FAKE-ID-12345",
        "clientRole=OWNER&excludeFilter.excludePricing=false&excludeFilter.excludeMarketing=true"
        "&excludeFilter.excludeDefinition=true&excludeFilter.excludeVersionHistory=true"
        "&excludeFilter.excludeDeployment=true",
        auth=AUTH,
        reply={"id": "FAKE-ID-12345", "legacyProductId": "L-1"},
    )
    ion_mock.expect(
        "GET",
        f"{V3}/products",
        "filter.name=Azure&pageSize=3",
        auth=AUTH,
        reply={"products": [{"name": "accounts/123/products/FakeProduct-es"}]},
    )
    assert ion.product("FAKE-ID-12345", exclude_pricing=False, client_role="OWNER").legacyProductId == "L-1"
    assert [
        p.id for p in ion.query(Product).filter(Product.marketing.displayName == "Azure").limit_page_size(3)
    ] == ["FakeProduct-es"]


REPORT = {
    "reportId": "12345",
    "displayName": "AWS Billing",
    "category": "BILLING_REPORTS",
    "reportModule": "REPORTS_REPORTS_MODULE",
    "specs": {"allColumns": ["A", "B"]},
}
REPORT_KEYS = {"reportId": "12345", "reportModule": "REPORTS_REPORTS_MODULE", "category": "BILLING_REPORTS"}
CSV = 'Customer Cost (EUR),Product Name\n12.50,"Azure, Plan"\n'


def test_reports_list_get_and_csv_to_a_file_or_rows(ion: StreamOne, ion_mock: FakeIon, tmp_path) -> None:
    ion_mock.token()
    ion_mock.expect(
        "GET", f"{V3}/reports", "module=REPORTS_REPORTS_MODULE", auth=AUTH, reply={"reports": [REPORT]}
    )
    ion_mock.expect("GET", f"{V3}/reports/12345", auth=AUTH, reply=REPORT)
    fixed = {"startDate": "2024-01-01T00:00:00Z", "endDate": "2024-01-31T23:59:59Z"}
    for selected in ({"relativeDateRange": "LAST_MONTH"}, {"fixedDateRange": fixed}):
        body = {**REPORT_KEYS, "specs": {"dateRangeOption": {"selectedRange": selected}}}
        ion_mock.expect(
            "POST", f"{V3}/reports/12345/reportDataCsv", auth=AUTH, reply={"results": CSV}, json_body=body
        )
    assert [r.id for r in ion.reports("REPORTS_REPORTS_MODULE")] == ["12345"]
    report = ion.get(Report, "12345")
    target = tmp_path / "billing.csv"
    assert report.csv(target, relative="LAST_MONTH") == target
    assert list(csv.reader(io.StringIO(target.read_text(), newline=""))) == [
        ["Customer Cost (EUR)", "Product Name"],
        ["12.50", "Azure, Plan"],
    ]
    rows = list(
        report.rows(start=date(2024, 1, 1), end=datetime(2024, 1, 31, 23, 59, 59, tzinfo=timezone.utc))
    )
    assert rows == [{"Customer Cost (EUR)": "12.50", "Product Name": "Azure, Plan"}]
    with pytest.raises(ValueError, match="not both"):
        report.rows(relative="LAST_MONTH", start=date(2024, 1, 1), end=date(2024, 1, 2))


def test_v3_errors_are_typed_and_404_is_not_found(ion: StreamOne, ion_mock: FakeIon) -> None:
    ion_mock.token()
    ion_mock.expect(
        "GET",
        f"{V3}/customers/404",
        auth=AUTH,
        status=404,
        reply={"code": 5, "message": "customer 404 not found", "details": []},
    )
    ion_mock.expect(
        "POST",
        f"{V3}/customers",
        auth=AUTH,
        json_body={},
        status=400,
        reply={"code": 3, "message": "customerEmail is required", "details": [{"field": "customerEmail"}]},
    )
    with pytest.raises(NotFound, match="customer 404 not found"):
        ion.get(Customer, "404")
    with pytest.raises(BadRequest, match="customerEmail is required"):
        Customer(ion.v3).post()


def test_429_is_retried_after_the_time_ion_asks_for(ion_mock: FakeIon) -> None:
    from streamone_fakes import ACCOUNT, API_KEY, API_SECRET, HOST, REFRESH

    client = StreamOne(
        host=HOST, api_key=API_KEY, api_secret=API_SECRET, account_id=ACCOUNT, refresh_token=REFRESH
    )
    ion_mock.token()
    ion_mock.expect(
        "GET",
        f"{V3}/customers/1",
        auth=AUTH,
        status=429,
        headers={"Retry-After": "0"},
        reply={"code": 8, "message": "slow down", "details": []},
    )
    ion_mock.expect("GET", f"{V3}/customers/1", auth=AUTH, reply=_customer("1"))
    assert client.get(Customer, "1").id == "1"
    client.close()


def test_an_error_echoing_the_access_token_does_not_show_it(ion: StreamOne, ion_mock: FakeIon) -> None:
    ion_mock.token()
    ion_mock.expect(
        "GET", f"{V3}/customers/1", auth=AUTH, status=403, reply={"code": 7, "message": "token at-1 may not"}
    )
    with pytest.raises(Exception) as refused:
        ion.get(Customer, "1")
    assert "at-1" not in str(refused.value) and "may not" in str(refused.value)

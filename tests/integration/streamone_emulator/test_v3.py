"""v3: customers, subscriptions (both paging styles), orders, products, with resource names and errors."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Ion, assert_error


def all_pages(ion: Ion, path: str, key: str, params: dict[str, Any]) -> tuple[list[dict[str, Any]], int]:
    """Follow nextPageToken to the end: the items and the number of requests it took."""
    items, token, calls = [], "", 0
    while True:
        response = ion.v3_get(path, params={**params, **({"pageToken": token} if token else {})})
        assert response.status_code == 200, response.text
        calls += 1
        body = response.json()
        items.extend(body[key])
        token = body["nextPageToken"]
        if not token:
            return items, calls


def ids(items: list[dict[str, Any]]) -> list[str]:
    return [item["name"].rsplit("/", 1)[1] for item in items]


def test_customers_list_with_filters_and_page_tokens(ion: Ion) -> None:
    everyone, calls = all_pages(ion, "/customers", "customers", {"pageSize": 2})
    assert ids(everyone) == ["1", "10", "4567", "9072", "12345"] and calls == 3
    single, calls = all_pages(ion, "/customers", "customers", {"pageSize": 1})
    assert len(single) == 5 and calls == 5
    by_email, _ = all_pages(ion, "/customers", "customers", {"filter.customerEmail": "EXAMPLE@example.com"})
    assert ids(by_email) == ["4567"]
    en_active, _ = all_pages(
        ion, "/customers", "customers", {"filter.languageCode": "en", "filter.customerStatus": "ACTIVE"}
    )
    assert ids(en_active) == ["1", "4567", "12345"]
    customer = ion.v3_get("/customers/12345").json()
    assert customer["name"] == "accounts/123/customers/12345" and customer["customerName"] == "John Doe"
    assert customer["customerAddress"]["country"] == "US" and customer["createTime"].endswith("Z")


def test_page_tokens_are_tied_to_their_query(ion: Ion) -> None:
    token = ion.v3_get("/customers", params={"pageSize": 2}).json()["nextPageToken"]
    assert token
    other = ion.v3_get("/customers", params={"pageSize": 2, "pageToken": token, "filter.languageCode": "EN"})
    assert "other parameters" in assert_error(other, 400, 3)["message"]
    for junk in ("garbage!", "eyJ4IjoxfQ", "W10"):
        assert_error(ion.v3_get("/customers", params={"pageToken": junk}), 400, 3)


@pytest.mark.parametrize(
    "params",
    [{"filter.nope": "x"}, {"pageSize": "ten"}, {"pageSize": "1000"}, {"pageSize": "-1"}],
)
def test_bad_customer_list_parameters_are_400(ion: Ion, params: dict[str, str]) -> None:
    assert_error(ion.v3_get("/customers", params=params), 400, 3)


def test_create_customer_returns_it_with_its_default_user(ion: Ion) -> None:
    body = {
        "customerName": "Eve Stone",
        "customerEmail": "eve@stone.example",
        "customerOrganization": "Stone",
    }
    response = ion.v3_post("/customers", json=body)
    assert response.status_code == 200, response.text
    created = response.json()
    assert (
        created["name"].startswith("accounts/123/customers/") and created["customerOrganization"] == "Stone"
    )
    assert created["userName"] == created["email"] == "eve@stone.example" and created["password"]
    fetched = ion.v3_get(f"/customers/{ids([created])[0]}").json()
    assert fetched["customerEmail"] == "eve@stone.example" and "password" not in fetched
    for bad, field in [
        ({"customerEmail": "a@b.example"}, "customerName"),
        ({"customerName": "A", "customerEmail": "not-an-email"}, "customerEmail"),
        ({"customerName": "A", "customerEmail": "a@b.example", "languageCode": "English"}, "languageCode"),
        ({"customerName": "A", "customerEmail": "a@b.example", "shoeSize": "9"}, "shoeSize"),
        ({"customerName": 5, "customerEmail": "a@b.example"}, "customerName"),
        ({"customerName": "A", "customerEmail": "a@b.example", "customerAddress": "x"}, "customerAddress"),
    ]:
        error = assert_error(ion.v3_post("/customers", json=bad), 400, 3)
        assert error["details"][0]["fieldViolations"][0]["field"] == field
    assert_error(ion.v3_post("/customers", data="[1]", headers={"Content-Type": "application/json"}), 400)


def test_subscriptions_offset_paging_ends_with_an_empty_items_page(ion: Ion) -> None:
    pages = []
    for offset in range(0, 20, 5):
        params = {"pagination.limit": 5, "pagination.offset": offset, "customerId": "12345"}
        page = ion.v3_get("/subscriptions", params=params).json()["items"]
        pages.append([s["id"] for s in page])
        if not page:
            break
    assert pages == [["5555", "5556", "5557", "5558", "5559"], ["5560"], []]


def test_subscriptions_page_tokens_and_filters(ion: Ion) -> None:
    items, calls = all_pages(ion, "/subscriptions", "items", {"pageSize": 4})
    assert len(items) == 9 and calls == 3
    active, _ = all_pages(ion, "/subscriptions", "items", {"subscriptionStatus": "active"})
    assert {s["id"] for s in active} == {"5555", "5556", "5558", "7001", "7002", "9999"}
    aws, _ = all_pages(ion, "/subscriptions", "items", {"cloudProviderName": "aws", "pagination.filter": ""})
    assert {s["id"] for s in aws} == {"5555", "5558", "7001"}
    fixed = {
        "startDateRange.fixedDateRange.startDate": "2024-06-01T00:00:00Z",
        "startDateRange.fixedDateRange.endDate": "2024-07-01T00:00:00Z",
    }
    assert {s["id"] for s in all_pages(ion, "/subscriptions", "items", fixed)[0]} == {"5555", "5556"}
    custom = {"customField.field": "domainName", "customField.value": "doe.example"}
    assert [s["id"] for s in all_pages(ion, "/subscriptions", "items", custom)[0]] == ["5555"]
    by_filter = {"pagination.filter": "subscriptionStatus:SUSPENDED"}
    assert [s["id"] for s in all_pages(ion, "/subscriptions", "items", by_filter)[0]] == ["5557"]
    recent = {"startDateRange.relativeDateRange": "YEAR_TO_DATE"}
    assert all_pages(ion, "/subscriptions", "items", recent)[0] == []  # the demo subscriptions started before
    sorted_desc = {
        "pagination.limit": 3,
        "pagination.offset": 0,
        "pagination.sortBy": "total",
        "pagination.sortOrder": "desc",
    }
    top = ion.v3_get("/subscriptions", params=sorted_desc).json()["items"]
    assert [s["id"] for s in top] == ["5556", "7001", "7002"]
    mine = ion.v3_get("/customers/9072/subscriptions").json()["items"]
    assert [s["subscriptionId"] for s in mine] == ["59a53ae5-9abf-4002-dbbc-714dee01dffd"]


@pytest.mark.parametrize(
    "params",
    [
        {"startDateRange.relativeDateRange": "FOREVER"},
        {"startDateRange.relativeDateRange": "CUSTOM"},
        {"endDateRange.fixedDateRange.startDate": "yesterday"},
        {
            "endDateRange.fixedDateRange.startDate": "2025-02-01",
            "endDateRange.fixedDateRange.endDate": "2025-01-01",
        },
        {"pagination.sortOrder": "sideways"},
        {"pagination.sortBy": "shoeSize"},
        {"pagination.filter": "no-colon"},
        {"pagination.limit": "x"},
        {"pagination.userId": "me"},
        {"endDate": "soon"},
    ],
)
def test_bad_subscription_parameters_are_400(ion: Ion, params: dict[str, str]) -> None:
    assert_error(ion.v3_get("/subscriptions", params=params), 400, 3)


def test_customer_subscription_with_refresh(ion: Ion) -> None:
    before = ion.v3_get("/customers/1/subscriptions/9999", params={"refresh": "false"}).json()
    assert before["mfgPartNumber"] == "FAKEPRODID:FAKESKUID:P1M:M" and before["lastUpdatedDate"].startswith(
        "2024"
    )
    after = ion.v3_get("/customers/1/subscriptions/9999", params={"refresh": "True"}).json()
    assert after["lastUpdatedDate"] > before["lastUpdatedDate"]
    by_uuid = ion.v3_get("/customers/9072/subscriptions/59a53ae5-9abf-4002-dbbc-714dee01dffd")
    assert by_uuid.json()["id"] == "7001"
    assert_error(ion.v3_get("/customers/1/subscriptions/9999", params={"refresh": "perhaps"}), 400)
    assert_error(ion.v3_get("/customers/12345/subscriptions/9999"), 404, 5)  # not that customer's


def test_orders_list_status_and_cancel(ion: Ion) -> None:
    on_hold = ion.v3_get("/orders", params={"status": "ON_HOLD"}).json()
    assert [o["name"] for o in on_hold["orders"]] == ["accounts/123/customers/4567/orders/891011"]
    assert on_hold["orders"][0]["scheduledAt"] == "2023-01-15T09:35:10Z" and on_hold["nextPageToken"] == ""
    completed, calls = all_pages(
        ion, "/customers/10/orders", "orders", {"pageSize": 1, "status": "completed"}
    )
    assert ids(completed) == ["891012", "891013"] and calls == 2
    assert_error(ion.v3_get("/orders", params={"status": "SHIPPED"}), 400, 3)
    assert_error(ion.v3_get("/customers/424242/orders"), 404, 5)
    assert_error(ion.v3_get("/customers/99999999999999999999999/orders"), 404, 5)
    cancelled = ion.v3_post("/customers/12345/orders/891014:cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "CANCELLED"
    assert ion.v3_get("/customers/12345/orders/891014").json()["status"] == "CANCELLED"
    assert_error(ion.v3_post("/customers/12345/orders/891014:cancel"), 400, 9)  # FAILED_PRECONDITION
    assert_error(ion.v3_post("/customers/12345/orders/891015:cancel"), 400, 9)
    assert_error(ion.v3_post("/customers/4567/orders/891014:cancel"), 404, 5)


def test_products_list_get_and_exclude_flags(ion: Ion) -> None:
    products, calls = all_pages(ion, "/products", "products", {"pageSize": 3})
    assert ids(products)[:2] == ["FakeProduct-es", "FAKE-ID-12345"] and len(products) == 5 and calls == 2
    assert "pricing" not in products[0] and products[0]["marketing"] == {"displayName": "Fake Product (ES)"}
    assert ids(all_pages(ion, "/products", "products", {"filter.name": "workspace"})[0]) == ["GCP-WORKSPACE"]
    skus = all_pages(ion, "/products", "products", {"filter.skuExternalId": "EXT-MS-365-E3"})[0]
    assert ids(skus) == ["MS-365-E3"]
    flags = {
        f"excludeFilter.{flag}": "True"
        for flag in (
            "excludePricing",
            "excludeMarketing",
            "excludeDefinition",
            "excludeVersionHistory",
            "excludeDeployment",
        )
    }
    bare = ion.v3_get("/products/FAKE-ID-12345", params={**flags, "clientRole": "CUSTOMER"}).json()
    assert bare["legacyProductId"] == "FAKE-LEGACY-ID-12345"
    assert not {"pricing", "marketing", "definition", "versionHistory", "deployment"} & set(bare)
    owner = ion.v3_get(
        "/products/FAKE-ID-12345",
        params={**flags, "excludeFilter.excludePricing": "False", "clientRole": "OWNER"},
    ).json()
    assert owner["pricing"]["prices"][0] == {
        "skuId": "FAKE-ID-12345-SKU",
        "planId": "P1M",
        "price": "20.00",
        "cost": "15.00",
    }
    customer = ion.v3_get("/products/FAKE-ID-12345", params={"excludeFilter.excludePricing": "false"}).json()
    assert "cost" not in customer["pricing"]["prices"][0] and "definition" in customer
    for params in (
        {"excludeFilter.excludePricing": "sometimes"},
        {"clientRole": "GOD"},
        {"language": "english!"},
        {"priceBookCustomerId": "x"},
    ):
        assert_error(ion.v3_get("/products/FAKE-ID-12345", params=params), 400, 3)
    assert_error(ion.v3_get("/products/FAKE-ID-12345", params={"productVersion": "9"}), 404)
    assert_error(ion.v3_get("/products/NOPE"), 404, 5)
    assert_error(ion.v3_get("/products", params={"filter.colour": "red"}), 400)

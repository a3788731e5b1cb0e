"""v1 listings: every filter modifier, sorts in order, relations, limit/offset, and 400 for bad input."""

from __future__ import annotations

import pytest

from .conftest import Ion, assert_error


def invoice_ids(ion: Ion, path: str, query: str) -> list[int]:
    response = ion.v1_get(path, query)
    assert response.status_code == 200, response.text
    return [invoice["id"] for invoice in response.json()["data"]["invoice"]]


def customer_names(ion: Ion, query: str) -> list[str]:
    response = ion.v1_get("/customers", query)
    assert response.status_code == 200, response.text
    return [customer["name"] for customer in response.json()["data"]["customer"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("filter[billingStartDate]=2025-01-01", [123, 124]),
        ("filter[billingStartDate:exact]=2025-01-01", [123, 124]),
        ("filter[billingStartDate:gt]=2025-01-01", [125]),
        ("filter[billingStartDate:gte]=2025-01-01", [123, 124, 125]),
        ("filter[billingStartDate:lt]=2025-01-01", [126]),
        ("filter[billingStartDate:lte]=2025-01-01", [123, 124, 126]),
        ("filter[billingStartDate:min]=2025-02-01", [125]),
        ("filter[billingStartDate:max]=2024-12-01", [126]),
        ("filter[billingStartDate:gte]=2025-01-01&filter[billingEndDate:lt]=2025-02-01", [123, 124]),
        ("filter[cloudUsed:gt]=300", [123, 124]),  # 360.00 and 1120.00 compare as amounts, not as text
        ("filter[cloudUsed]=120", [126]),  # "120" equals "120.00"
        ("filter[source:partial]=micro%", [124]),
        ("filter[source:partial]=cros", [124]),  # no % at all: contains
        ("filter[status]=CLOSED", [126]),  # text equality ignores case
        ("filter[id:gte]=124&filter[id:lte]=125", [124, 125]),
    ],
)
def test_each_filter_modifier(ion: Ion, query: str, expected: list[int]) -> None:
    assert invoice_ids(ion, "/invoices/myinvoices", query) == expected


def test_partial_filter_with_the_percent_wildcard_as_the_seed_sdk_sends_it(ion: Ion) -> None:
    assert customer_names(ion, "filter[name:partial]=Jo%") == ["Joanna Smith", "Jo Brown", "John Doe"]
    assert customer_names(ion, "filter[name:partial]=%25Doe") == ["John Doe"]  # encoded % works too
    assert customer_names(ion, "filter[name]=John Doe&filter[groupId]=23") == ["John Doe"]
    assert customer_names(ion, "filter[email]=xyz@abc.com") == ["Jo Brown"]


def test_sorts_apply_in_the_order_sent(ion: Ion) -> None:
    assert invoice_ids(ion, "/invoices/myinvoices", "sort[cloudUsed]=desc") == [124, 123, 125, 126]
    by_source_then_id = invoice_ids(ion, "/invoices/myinvoices", "sort[source]=asc&sort[id]=desc")
    assert by_source_then_id == [126, 125, 123, 124]
    by_id_then_source = invoice_ids(ion, "/invoices/myinvoices", "sort[id]=desc&sort[source]=asc")
    assert by_id_then_source == [126, 125, 124, 123]
    names = customer_names(ion, "sort[groupId]=asc&sort[name]=desc")
    assert names[:2] == ["Mark Green", "Jo Brown"]  # groupId NULL first, then group 7 by name descending


def test_limit_and_offset_page_through(ion: Ion) -> None:
    pages = [invoice_ids(ion, "/invoices/myinvoices", f"limit=2&offset={o}&sort[id]=asc") for o in (0, 2, 4)]
    assert pages == [[123, 124], [125, 126], []]
    assert invoice_ids(ion, "/invoices/myinvoices", "limit=0") == []


def test_customer_invoices_and_relations(ion: Ion) -> None:
    ids = invoice_ids(ion, "/invoices", "customerId=12345&filter[billingStartDate:gt]=2024-12-01&limit=100")
    assert ids[:2] == [202, 203] and 201 not in ids
    plain = ion.v1_get("/invoices/myinvoices", "filter[id]=123").json()["data"]["invoice"][0]
    assert "lines" not in plain and plain["cloudUsed"] == "360.00" and plain["total"] == "432.00"
    related = ion.v1_get("/invoices", "filter[id]=202&relations=lines,customer").json()["data"]["invoice"][0]
    assert [line["productName"] for line in related["lines"]] == ["AWS Marketplace", "AWS Support Business"]
    assert related["lines"][0]["amount"] == "120.00" and related["customer"]["id"] == 12345
    none = ion.v1_get("/invoices", "filter[id]=202&relations=").json()["data"]["invoice"][0]
    assert "lines" not in none
    customer = ion.v1_get("/customers/12345", "relations=invoices,group,customFieldsValues").json()["data"]
    assert customer["customer"]["group"] == {"id": 23, "name": "Enterprise"}
    assert {i["id"] for i in customer["customer"]["invoices"]} >= {201, 202, 203}
    assert customer["customer"]["customFieldsValues"] == [{"field": "domainName", "value": "doe.example"}]
    assert customer["customer"]["cloudAccounts"][0]["provider"]["name"] == "AWS"


@pytest.mark.parametrize(
    ("path", "query", "names"),
    [
        ("/invoices/myinvoices", "filter[nope]=1", "nope"),
        ("/invoices/myinvoices", "filter[id:like]=1", "like"),
        ("/invoices/myinvoices", "filter[id]=abc", "integer"),
        ("/invoices/myinvoices", "filter[cloudUsed:gt]=lots", "decimal"),
        ("/invoices/myinvoices", "filter[billingStartDate]=01/02/2025", "YYYY-MM-DD"),
        ("/invoices/myinvoices", "sort[id]=up", "asc or desc"),
        ("/invoices/myinvoices", "sort[nope]=asc", "nope"),
        ("/invoices/myinvoices", "limit=-1", "limit"),
        ("/invoices/myinvoices", "limit=100000", "1000"),
        ("/invoices/myinvoices", "offset=x", "offset"),
        ("/invoices/myinvoices", "relations=lines,nope", "nope"),
        ("/invoices/myinvoices", "filter=x", "filter[field]"),
        ("/invoices", "customerId=abc", "customerId"),
        ("/customers", "filter[groupId:gt]=many", "integer"),
        ("/invoices/myinvoices", "filter[id]=99999999999999999999", "out of range"),
        ("/invoices/myinvoices", "offset=99999999999999999999", "out of range"),
        ("/invoices", "customerId=99999999999999999999", "out of range"),
    ],
)
def test_bad_list_parameters_are_400_saying_what_is_wrong(
    ion: Ion, path: str, query: str, names: str
) -> None:
    body = assert_error(ion.v1_get(path, query), 400, 3)
    assert names in body["message"]
    assert body["details"][0]["fieldViolations"][0]["field"]


def test_unknown_ids_are_404(ion: Ion) -> None:
    assert_error(ion.v1_get("/customers/999999"), 404, 5)
    assert_error(ion.v1_get("/customers/abc"), 404, 5)
    assert_error(ion.v1_get("/customers/99999999999999999999999"), 404, 5)
    assert_error(ion.v1_get("/invoices/999999/detailed"), 404, 5)
    assert_error(ion.v1_get("/nothing-here"), 404, 5)
    assert_error(ion.v1.delete(f"{ion.base}/api/v1/customers", timeout=10), 405)


def test_xml_on_request(ion: Ion) -> None:
    import xml.etree.ElementTree as ET

    response = ion.v1_get(
        "/invoices/myinvoices", "filter[id]=123&relations=lines", headers={"Accept": "text/xml"}
    )
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/xml")
    root = ET.fromstring(response.content)
    invoice = root.find("data/invoice/item")
    assert (
        invoice is not None and invoice.findtext("id") == "123" and invoice.findtext("cloudUsed") == "360.00"
    )
    assert invoice.find("customerId").get("nil") == "true"  # type: ignore[union-attr]
    assert invoice.findtext("lines/item/productName") == "AWS Marketplace"
    customer = ion.v1_get("/customers/4567", headers={"Accept": "application/json, text/xml;q=0.5"})
    assert customer.json()["data"]["customer"]["company"] == "Smith & Co"
    escaped = ion.v1_get("/customers/4567", headers={"Accept": "application/xml"})
    assert b"Smith &amp; Co" in escaped.content

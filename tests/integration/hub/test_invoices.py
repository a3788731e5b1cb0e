"""Invoices on the hub: computed amounts and totals, validation, unique numbers, exact decimal queries."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from .conftest import Api, NodeApi, assert_envelope, atomic


@pytest.fixture
def customer(node: NodeApi) -> dict[str, Any]:
    return node.create(externalId="inv-customer")


def post_invoice(api: Api, node: NodeApi, customer: dict[str, Any], expect: int = 201, **fields: Any) -> Any:
    body = {"nodeId": node.node, "customerId": customer["id"], "currency": "EUR", **fields}
    r = api.post("/invoices", json=body)
    assert r.status_code == expect, r.text
    return r.json()


def list_invoices(
    api: Api, node: NodeApi, condition: dict[str, Any] | None = None, **params: Any
) -> list[str]:
    if condition is not None:
        params["query"] = json.dumps(
            {"name": "query", "query": {"type": "simple", "name": "query", "are": {"condition": condition}}}
        )
    r = api.get("/invoices", params={"nodeId": node.node, "size": 50, **params})
    assert r.status_code == 200, r.text
    return [i["number"] for i in r.json()["elements"]]


def test_amounts_and_total_are_computed_per_currency(api: Api, node: NodeApi, customer) -> None:
    lines = [
        {"sku": "A", "quantity": 3, "unitPrice": "0.335"},  # 1.005 -> 1.01 (half up)
        {"sku": "B", "quantity": "1.5", "unitPrice": "10", "amount": "999.99"},  # a sent amount is ignored
        {"sku": "C", "quantity": "1", "unitPrice": "-2.5"},  # discount line
    ]
    inv = post_invoice(api, node, customer, number="E-1", lines=lines, total="0.01")
    assert [line["amount"] for line in inv["lines"]] == ["1.01", "15.00", "-2.50"]
    assert inv["total"] == "13.51" and inv["status"] == "DRAFT"
    assert all(line["id"] for line in inv["lines"])
    jpy = post_invoice(
        api, node, customer, number="J-1", currency="JPY", lines=[{"quantity": 3, "unitPrice": "33.5"}]
    )
    assert jpy["lines"][0]["amount"] == "101" and jpy["total"] == "101"
    bhd = post_invoice(
        api, node, customer, number="B-1", currency="BHD", lines=[{"quantity": 1, "unitPrice": "0.0005"}]
    )
    assert bhd["total"] == "0.001"
    assert api.get(f"/invoices/{inv['id']}").json() == inv


def test_bad_money_is_a_400_naming_every_field(api: Api, node: NodeApi, customer) -> None:
    r = api.post(
        "/invoices",
        json={
            "nodeId": node.node,
            "customerId": customer["id"],
            "number": "X-1",
            "currency": "EUROS",
            "billingStartDate": "2024-02-01",
            "billingEndDate": "2024-01-01",
            "lines": [
                {"quantity": -2, "unitPrice": "1"},
                {"quantity": 1, "unitPrice": 0.1},
                {"unitPrice": "1e3"},
            ],
        },
    )
    body = assert_envelope(r, 400, "invoice is not valid")
    paths = {e["path"]: e["message"] for e in body["errors"]}
    assert "ISO 4217" in paths["/currency"]
    assert "negative" in paths["/lines/0/quantity"]
    assert "numbers lose cents" in paths["/lines/1/unitPrice"]
    assert "'quantity' is required" in paths["/lines/2/quantity"]
    assert "not a decimal amount" in paths["/lines/2/unitPrice"]
    assert "before billingStartDate" in paths["/billingEndDate"]


def test_amounts_too_large_for_the_total_are_a_400(api: Api, node: NodeApi, customer) -> None:
    huge = {"quantity": "999999999999", "unitPrice": "999999999999"}
    body = assert_envelope(
        api.post(
            "/invoices",
            json={
                "nodeId": node.node,
                "customerId": customer["id"],
                "number": "H-1",
                "currency": "EUR",
                "lines": [huge],
            },
        ),
        400,
    )
    assert body["errors"][0]["path"] == "/lines/0" and body["errors"][-1]["code"] == "TOO_LARGE"


def test_customer_must_exist_in_the_node(api: Api, node: NodeApi) -> None:
    r = api.post(
        "/invoices", json={"nodeId": node.node, "customerId": "nobody", "number": "N", "currency": "EUR"}
    )
    body = assert_envelope(r, 400)
    assert body["errors"][0]["path"] == "/customerId"


def test_number_is_unique_per_node(api: Api, node: NodeApi, customer, hub, creds) -> None:
    from contacthub_like.sandbox import admin

    first = post_invoice(api, node, customer, number="2024-0001")
    duplicate = {"nodeId": node.node, "customerId": customer["id"], "number": "2024-0001", "currency": "EUR"}
    body = assert_envelope(api.post("/invoices", json=duplicate), 409)
    assert body["data"]["invoice"]["id"] == first["id"] and "2024-0001" in body["message"]
    second = post_invoice(api, node, customer, number="2024-0002")
    r = api.patch(f"/invoices/{second['id']}", json={"number": "2024-0001"})
    assert_envelope(r, 409)
    other = NodeApi(api, admin.create_node(hub.store, creds.workspace_id, "other"))
    other_customer = other.create(externalId="x")
    post_invoice(api, other, other_customer, number="2024-0001")  # another node: fine


def test_status_transitions_and_frozen_content(api: Api, node: NodeApi, customer) -> None:
    inv = post_invoice(api, node, customer, number="S-1", lines=[{"quantity": 1, "unitPrice": "5"}])
    assert_envelope(api.patch(f"/invoices/{inv['id']}", json={"status": "PAID"}), 409)
    issued = api.patch(
        f"/invoices/{inv['id']}", json={"status": "ISSUED", "issuedAt": "2024-03-01T09:00:00+01:00"}
    )
    assert issued.status_code == 200 and issued.json()["issuedAt"] == "2024-03-01T08:00:00.000+0000"
    body = assert_envelope(api.patch(f"/invoices/{inv['id']}", json={"lines": []}), 409)
    assert "only change while it is DRAFT" in body["message"]
    assert_envelope(api.delete(f"/invoices/{inv['id']}"), 409)
    assert api.patch(f"/invoices/{inv['id']}", json={"status": "PAID"}).json()["status"] == "PAID"
    draft = post_invoice(api, node, customer, number="S-2")
    assert api.delete(f"/invoices/{draft['id']}").status_code == 200
    assert_envelope(api.get(f"/invoices/{draft['id']}"), 404)


def test_put_replaces_and_recomputes(api: Api, node: NodeApi, customer) -> None:
    inv = post_invoice(api, node, customer, number="P-1", lines=[{"quantity": 1, "unitPrice": "5"}])
    r = api.put(
        f"/invoices/{inv['id']}",
        json={
            "customerId": customer["id"],
            "number": "P-1",
            "currency": "USD",
            "lines": [{"quantity": 2, "unitPrice": "2.25"}],
        },
    )
    assert r.status_code == 200, r.text
    assert r.json()["currency"] == "USD" and r.json()["total"] == "4.50"


def test_queries_compare_money_exactly_and_sort_numerically(api: Api, node: NodeApi, customer) -> None:
    for number, price in (("Q-1", "9.5"), ("Q-2", "10"), ("Q-3", "100.00"), ("Q-4", "100.01")):
        post_invoice(api, node, customer, number=number, lines=[{"quantity": 1, "unitPrice": price}])
    assert list_invoices(api, node, atomic("total", "GT", "10")) == ["Q-3", "Q-4"]
    assert list_invoices(api, node, atomic("total", "EQUALS", "100")) == ["Q-3"]
    assert list_invoices(api, node, atomic("total", "BETWEEN", ["9.50", "100"])) == ["Q-1", "Q-2", "Q-3"]
    assert list_invoices(api, node, atomic("lines.unitPrice", "LT", "10")) == ["Q-1"]
    assert list_invoices(api, node, sort="total,desc") == ["Q-4", "Q-3", "Q-2", "Q-1"]
    assert list_invoices(api, node, sort="lines.unitPrice") == ["Q-1", "Q-2", "Q-3", "Q-4"]
    r = api.get(
        "/invoices",
        params={
            "nodeId": node.node,
            "query": json.dumps(
                {
                    "name": "query",
                    "query": {
                        "type": "simple",
                        "name": "query",
                        "are": {"condition": atomic("total", "GT", "1e3")},
                    },
                }
            ),
        },
    )
    assert assert_envelope(r, 400)["errors"][0]["path"] == "/query/are/condition/value"


def test_filter_by_customer_dates_and_paging(api: Api, node: NodeApi, customer) -> None:
    other = node.create(externalId="other")
    for i in range(1, 6):
        post_invoice(api, node, customer, number=f"D-{i}", issuedAt=f"2024-0{i}-15T12:00:00Z")
    post_invoice(api, node, other, number="D-other", issuedAt="2024-03-01T00:00:00Z")
    assert list_invoices(api, node, customerId=customer["id"], sort="issuedAt,desc")[:2] == ["D-5", "D-4"]
    between = atomic("issuedAt", "BETWEEN", ["2024-02-01T00:00:00Z", "2024-04-01T00:00:00Z"])
    assert list_invoices(api, node, between) == ["D-2", "D-3", "D-other"]
    assert list_invoices(api, node, atomic("customerId", "EQUALS", other["id"])) == ["D-other"]
    page = api.get(
        "/invoices", params={"nodeId": node.node, "customerId": customer["id"], "size": 2, "page": 2}
    ).json()
    assert [i["number"] for i in page["elements"]] == ["D-5"]
    assert page["page"]["totalElements"] == 5 and page["page"]["totalUnfilteredElements"] == 6


def test_lines_csv(api: Api, node: NodeApi, customer) -> None:
    inv = post_invoice(
        api,
        node,
        customer,
        number="C-1",
        lines=[{"sku": "A", "description": 'Widget, "large"', "quantity": 2, "unitPrice": "1.10"}],
    )
    r = api.get(f"/invoices/{inv['id']}/lines.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0] == ["id", "sku", "description", "quantity", "unitPrice", "amount", "currency"]
    assert rows[1][1:] == ["A", 'Widget, "large"', "2", "1.10", "2.20", "EUR"]
    assert_envelope(api.get("/invoices/nope/lines.csv"), 404)


def test_out_of_range_amounts_in_queries_are_a_400(api: Api, node: NodeApi) -> None:
    for value in (10**30, "abc", 1.5e300):
        query = {
            "name": "query",
            "query": {"type": "simple", "are": {"condition": atomic("total", "GT", value)}},
        }
        r = api.get("/invoices", params={"nodeId": node.node, "query": json.dumps(query)})
        assert assert_envelope(r, 400)["errors"][0]["path"] == "/query/are/condition/value"

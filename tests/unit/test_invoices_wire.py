"""Invoices on the wire: Decimal money as strings, server totals read back, queries, CSV download."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import (  # noqa: F401
    NODE_ID,
    FakeHub,
    customer_doc,
    envelope,
    hub_fixture,
    node_fixture,
    workspace_fixture,
)

from contacthub_like import (
    Conflict,
    Customer,
    InvalidType,
    InvalidValue,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    NotFound,
    between_,
)
from contacthub_like.http.files import atomic_write
from contacthub_like.services.contacthub.workspace import Node


def invoice_doc(**overrides):
    doc = {
        "id": "inv-1",
        "nodeId": NODE_ID,
        "customerId": "c-1",
        "number": "2024-0001",
        "status": "DRAFT",
        "currency": "EUR",
        "issuedAt": "2024-01-05T10:00:00.000+0000",
        "dueAt": None,
        "billingStartDate": "2024-01-01",
        "billingEndDate": "2024-01-31",
        "lines": [
            {
                "id": "l-1",
                "sku": "A",
                "description": None,
                "quantity": "3",
                "unitPrice": "0.335",
                "amount": "1.01",
            },
        ],
        "total": "1.01",
    }
    doc.update(overrides)
    return doc


def query_param(condition):
    return json.dumps(
        {"name": "query", "query": {"type": "simple", "name": "query", "are": {"condition": condition}}}
    )


def test_post_sends_decimal_strings_and_reads_back_the_server_total(node: Node, hub: FakeHub) -> None:
    hub.expect(
        "POST",
        "/invoices",
        body={
            "customerId": "c-1",
            "number": "2024-0001",
            "currency": "EUR",
            "issuedAt": "2024-01-05T10:00:00Z",
            "billingStartDate": "2024-01-01",
            "billingEndDate": "2024-01-31",
            "lines": [{"sku": "A", "quantity": "3", "unitPrice": "0.335"}],
            "nodeId": NODE_ID,
        },
        status=201,
        reply=invoice_doc(),
    )
    invoice = Invoice(
        node,
        customerId="c-1",
        number="2024-0001",
        currency="EUR",
        issuedAt=dt.datetime(2024, 1, 5, 11, 0, tzinfo=dt.timezone(dt.timedelta(hours=1))),
        billingStartDate=dt.date(2024, 1, 1),
        billingEndDate="2024-01-31",
    )
    invoice.add_line(sku="A", quantity=3, unitPrice=Decimal("0.335"))
    assert invoice.post() is invoice
    assert invoice.id == "inv-1"
    assert invoice.total == Decimal("1.01") and isinstance(invoice.total, Decimal)
    assert invoice.lines[0].amount == Decimal("1.01")
    assert invoice.status == InvoiceStatus.DRAFT
    assert invoice.billingEndDate == dt.date(2024, 1, 31)


def test_patch_resends_the_whole_lines_array_and_adopts_the_new_total(node: Node, hub: FakeHub) -> None:
    invoice = Invoice.from_dict(node, invoice_doc())
    invoice.lines[0].quantity = Decimal("4")
    invoice.status = "ISSUED"
    hub.expect(
        "PATCH",
        "/invoices/inv-1",
        body={
            "status": "ISSUED",
            "lines": [
                {
                    "id": "l-1",
                    "sku": "A",
                    "description": None,
                    "quantity": "4",
                    "unitPrice": "0.335",
                    "amount": "1.01",
                }
            ],
        },
        reply=invoice_doc(
            status="ISSUED",
            lines=[{**invoice_doc()["lines"][0], "quantity": "4", "amount": "1.34"}],
            total="1.34",
        ),
    )
    invoice.patch()
    assert invoice.total == Decimal("1.34") and invoice.lines[0].amount == Decimal("1.34")
    invoice.patch()  # nothing changed: no request


def test_money_refuses_floats_nan_and_negative_quantities() -> None:
    with pytest.raises(InvalidType, match="floats lose cents"):
        InvoiceLine(unitPrice=0.1)
    with pytest.raises(InvalidValue, match="must not be negative"):
        InvoiceLine(quantity=-1)
    with pytest.raises(InvalidValue, match="finite"):
        InvoiceLine(unitPrice=Decimal("NaN"))
    with pytest.raises(InvalidValue, match="decimal amount"):
        InvoiceLine(unitPrice="12,50")
    with pytest.raises(InvalidType, match="not a float"):
        Invoice.total > 100.0  # noqa: B015
    assert InvoiceLine(unitPrice=Decimal("1E+2")).to_dict() == {"unitPrice": "100"}


def test_unknown_currency_is_refused_before_sending() -> None:
    with pytest.raises(InvalidValue, match="ISO 4217"):
        Invoice(currency="XYZ")
    with pytest.raises(InvalidValue, match="upper case"):
        Invoice(currency="eur")
    assert Invoice(currency="JPY").currency == "JPY"


def test_duplicate_number_is_a_conflict_naming_the_existing_invoice(node: Node, hub: FakeHub) -> None:
    hub.expect(
        "POST",
        "/invoices",
        body={"customerId": "c-1", "number": "2024-0001", "currency": "EUR", "nodeId": NODE_ID},
        status=409,
        reply={
            "message": "invoice number 2024-0001 is already used by invoice inv-1 in this node",
            "logref": "x",
            "data": {"invoice": {"id": "inv-1"}},
            "errors": [],
        },
    )
    with pytest.raises(Conflict, match="already used by invoice inv-1"):
        Invoice(node, customerId="c-1", number="2024-0001", currency="EUR").post()


def test_query_compares_money_as_decimal_strings_and_sorts(node: Node, hub: FakeHub) -> None:
    start, end = (
        dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc),
        dt.datetime(2024, 2, 1, tzinfo=dt.timezone.utc),
    )
    condition = {
        "type": "composite",
        "conditions": [
            {"type": "atomic", "attribute": "total", "operator": "GT", "value": "100.50"},
            {
                "type": "atomic",
                "attribute": "issuedAt",
                "operator": "BETWEEN",
                "value": ["2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z"],
            },
            {"type": "atomic", "attribute": "customerId", "operator": "EQUALS", "value": "c-1"},
        ],
        "conjunction": "and",
    }
    hub.expect(
        "GET",
        "/invoices",
        params={"nodeId": NODE_ID, "query": query_param(condition), "sort": "total,desc", "size": "2"},
        reply=envelope([invoice_doc(total="120.00")], size=2),
    )
    query = (
        node.query(Invoice)
        .filter(Invoice.total > Decimal("100.50"), between_(Invoice.issuedAt, start, end))
        .filter(Invoice.customerId == "c-1")
        .order_by(-Invoice.total)
        .limit_page_size(2)
    )
    results = query.all()
    assert hub.count == 0  # lazy until read
    assert [i.total for i in results] == [Decimal("120.00")]


def test_customer_invoices_is_a_lazy_query_on_its_id(node: Node, hub: FakeHub) -> None:
    customer = Customer.from_dict(node, customer_doc())
    invoices = customer.invoices()
    assert hub.count == 0
    hub.expect(
        "GET",
        "/invoices",
        params={
            "nodeId": NODE_ID,
            "query": query_param(
                {"type": "atomic", "attribute": "customerId", "operator": "EQUALS", "value": "c-1"}
            ),
        },
        reply=envelope([invoice_doc()]),
    )
    assert [i.number for i in invoices] == ["2024-0001"]


def test_download_lines_writes_the_csv(node: Node, hub: FakeHub, tmp_path: Path) -> None:
    csv_text = "id,sku,description,quantity,unitPrice,amount,currency\r\nl-1,A,,3,0.335,1.01,EUR\r\n"
    hub.expect("GET", "/invoices/inv-1/lines.csv", raw=csv_text)
    target = tmp_path / "lines.csv"
    assert Invoice.from_dict(node, invoice_doc()).download_lines(target) == target
    assert target.read_bytes() == csv_text.encode()
    assert hub.request().headers["Accept"] == "text/csv"
    assert [p.name for p in tmp_path.iterdir()] == ["lines.csv"]


def test_failed_download_leaves_the_previous_file(node: Node, hub: FakeHub, tmp_path: Path) -> None:
    target = tmp_path / "lines.csv"
    target.write_text("good old content")
    hub.expect(
        "GET",
        "/invoices/inv-1/lines.csv",
        status=404,
        reply={"message": "invoice not found inv-1", "logref": "x", "data": None, "errors": []},
    )
    with pytest.raises(NotFound):
        Invoice.from_dict(node, invoice_doc()).download_lines(target)
    assert target.read_text() == "good old content"
    assert [p.name for p in tmp_path.iterdir()] == ["lines.csv"]


def test_atomic_write_interrupted_midway_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old")

    def chunks():
        yield b"new, half"
        raise ConnectionError("connection dropped")

    with pytest.raises(ConnectionError):
        atomic_write(target, chunks())
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]
    atomic_write(target, [b"a", b"b"])
    assert target.read_text() == "ab"


def test_verbs_need_a_node_an_id_and_a_file_path(node: Node, tmp_path: Path) -> None:
    from contacthub_like import OperationNotPermitted

    with pytest.raises(OperationNotPermitted, match="no node"):
        Invoice(currency="EUR").post()
    with pytest.raises(OperationNotPermitted, match="no id"):
        Invoice(node, currency="EUR").download_lines(tmp_path / "x.csv")
    with pytest.raises(InvalidValue, match="is a directory"):
        Invoice.from_dict(node, invoice_doc()).download_lines(tmp_path)

"""Audience and Invoice through the client, against the embedded hub over loopback."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from contacthub_like import (
    Audience,
    BadRequest,
    Conflict,
    Customer,
    InvalidValue,
    Invoice,
    InvoiceLine,
    Node,
    between_,
)
from contacthub_like.sandbox.resources import customers as hub_customers
from contacthub_like.sandbox.schema import check_customer_body
from contacthub_like.sandbox.server import LocalHub

UTC = dt.timezone.utc


def seed_customers(hub: LocalHub, workspace_id: str, node_id: str, count: int) -> None:
    """Many customers at once, straight into the hub's store (the upload is what is under test)."""
    with hub.store.transaction() as conn:
        for i in range(count):
            fields = check_customer_body({"nodeId": node_id, "externalId": f"ext-{i:05d}"}, [])
            hub_customers.insert(conn, workspace_id, fields)


def test_ten_thousand_row_upload_accounts_for_every_row(
    node: Node, client_hub: LocalHub, tmp_path: Path
) -> None:
    seed_customers(client_hub, node.workspace.workspace_id, node.node_id, 6000)
    path = tmp_path / "members.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["email", "externalId"])
        writer.writerows([f"{i}@x.test", f"ext-{i:05d}"] for i in range(6000))  # known
        writer.writerows([f"u{i}@x.test", f"unknown-{i}"] for i in range(3000))  # unknown
        writer.writerows([f"d{i}@x.test", f"ext-{i:05d}"] for i in range(500))  # duplicates
        writer.writerows([f"e{i}@x.test", ""] for i in range(500))  # no key
    audience = Audience.for_uploads(node, "big")
    upload = audience.upload(path, key="externalId")
    assert upload.status == "PENDING" and upload.received == 10_000
    upload.wait(timeout=60)
    assert upload.status == "COMPLETED"
    assert upload.matched + upload.rejected == upload.received == 10_000
    assert (upload.matched, upload.rejected) == (6000, 4000)
    reasons = [r.reason for r in upload.rejects]
    assert len(reasons) == 4000
    assert sum("no customer with externalId" in r for r in reasons) == 3000
    assert sum(r.startswith("duplicate of row") for r in reasons) == 500
    assert sum(r == "the row has no externalId value" for r in reasons) == 500
    assert audience.refresh().size == 6000
    members = audience.customers(size=50)
    assert members.total_elements == 6000 and isinstance(members[0], Customer)
    assert [u.id for u in audience.uploads()] == [upload.id]


def test_query_audience_follows_its_customers(node: Node) -> None:
    node.add_customer(externalId="a", base={"firstName": "Ann"})
    query = node.query(Customer).filter(Customer.base.firstName == "Ann")
    audience = Audience.from_query(node, "anns", query, description="every Ann")
    assert audience.size == 1 and audience.description == "every Ann"
    node.add_customer(externalId="b", base={"firstName": "Ann"})
    assert [c.externalId for c in audience.customers()] == ["a", "b"]
    audience.status = "INACTIVE"
    audience.patch()
    assert audience.status == "INACTIVE" and audience.size == 2
    audience.name = "all anns"
    audience.put()
    assert (audience.name, audience.status, audience.source) == ("all anns", "INACTIVE", "QUERY")
    audience.name = "anns"
    audience.patch()
    found = node.query(Audience).filter(Audience.name == "anns", Audience.status == "INACTIVE").all()
    assert [a.id for a in found] == [audience.id]
    audience.delete()
    assert node.query(Audience).count() == 0


def test_upload_modes_and_keys(node: Node) -> None:
    one = node.add_customer(externalId="one", base={"contacts": {"email": "one@x.test"}})
    two = node.add_customer(externalId="two")
    audience = Audience.for_uploads(node, "modes")
    audience.upload([one.id, two.id], key="id").wait()
    assert audience.refresh().size == 2
    replaced = audience.upload([{"email": "one@x.test"}], key="email", mode="REPLACE").wait()
    assert (replaced.matched, replaced.rejected) == (1, 0)
    assert [c.id for c in audience.customers()] == [one.id]


def test_invoice_round_trip_with_decimal_money(node: Node, tmp_path: Path) -> None:
    customer = node.add_customer(externalId="payer")
    invoice = Invoice(
        node,
        customerId=customer.id,
        number="2024-0001",
        currency="EUR",
        issuedAt=dt.datetime(2024, 1, 15, tzinfo=UTC),
        billingStartDate=dt.date(2024, 1, 1),
        billingEndDate=dt.date(2024, 1, 31),
        lines=[InvoiceLine(sku="A", quantity=3, unitPrice=Decimal("0.335"))],
    )
    invoice.add_line(sku="B", description="hours", quantity=Decimal("1.5"), unitPrice="10")
    invoice.post()
    assert invoice.total == Decimal("16.01") and [line.amount for line in invoice.lines] == [
        Decimal("1.01"),
        Decimal("15.00"),
    ]
    invoice.lines[1].quantity = 2
    invoice.patch()
    assert invoice.total == Decimal("21.01")
    invoice.currency = "USD"
    invoice.put()  # the whole document, computed amounts included: the hub recomputes them
    assert (invoice.currency, invoice.total, invoice.refresh().total) == (
        "USD",
        Decimal("21.01"),
        Decimal("21.01"),
    )
    invoice.status = Invoice.STATUSES.ISSUED
    invoice.patch()
    invoice.lines[0].unitPrice = Decimal("1")
    with pytest.raises(Conflict, match="only change while it is DRAFT"):
        invoice.patch()

    target = tmp_path / "lines.csv"
    target.write_text("previous")
    invoice.download_lines(target)
    with target.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["sku"], r["amount"], r["currency"]) for r in rows] == [
        ("A", "1.01", "USD"),
        ("B", "20.00", "USD"),
    ]

    with pytest.raises(Conflict, match="already used"):
        Invoice(node, customerId=customer.id, number="2024-0001", currency="EUR").post()
    with pytest.raises(InvalidValue, match="negative"):
        InvoiceLine(quantity="-1")
    with pytest.raises(BadRequest, match="does not exist in node"):
        Invoice(node, customerId="nobody", number="2024-0002", currency="EUR").post()


def test_invoice_queries(node: Node) -> None:
    ann = node.add_customer(externalId="ann")
    bob = node.add_customer(externalId="bob")
    for number, who, price, day in (
        ("Q-1", ann, "50", 5),
        ("Q-2", ann, "150", 10),
        ("Q-3", bob, "100.01", 20),
        ("Q-4", ann, "99.99", 25),
    ):
        Invoice(
            node,
            customerId=who.id,
            number=number,
            currency="EUR",
            issuedAt=dt.datetime(2024, 3, day, tzinfo=UTC),
            lines=[InvoiceLine(quantity=1, unitPrice=price)],
        ).post()
    big = node.query(Invoice).filter(Invoice.total > Decimal("100")).order_by(-Invoice.total)
    assert [i.number for i in big] == ["Q-2", "Q-3"]
    march = node.query(Invoice).filter(
        between_(Invoice.issuedAt, dt.datetime(2024, 3, 8, tzinfo=UTC), dt.datetime(2024, 3, 22, tzinfo=UTC)),
        Invoice.customerId == ann.id,
    )
    assert [i.number for i in march] == ["Q-2"]
    assert [i.number for i in ann.invoices()] == ["Q-1", "Q-2", "Q-4"]
    paged = node.query(Invoice).order_by(Invoice.issuedAt).limit_page_size(3).all()
    assert [i.number for i in paged] == ["Q-1", "Q-2", "Q-3", "Q-4"]
    assert all(isinstance(i.total, Decimal) for i in paged)

"""StreamOne.local() against the embedded emulator: the README's calls, end to end (skipped until the
emulator, contacthub_like.sandbox.streamone, is part of the installation)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

pytest.importorskip("contacthub_like.sandbox.streamone")

from contacthub_like.errors import NotFound  # noqa: E402
from contacthub_like.sandbox.server import stop_all_local_hubs  # noqa: E402
from contacthub_like.streamone import Customer, Invoice, Order, Report, StreamOne, Subscription  # noqa: E402


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("so") / "hub.sqlite3"


@pytest.fixture(scope="module")
def ion(db: Path):
    client = StreamOne.local(db)
    yield client
    client.close()
    stop_all_local_hubs()


def test_v1_invoices_query_files_and_generation(ion: StreamOne, tmp_path: Path) -> None:
    query = (
        ion.query(Invoice)
        .filter((Invoice.billingStartDate >= date(2025, 1, 1)) & (Invoice.billingEndDate < date(2025, 2, 1)))
        .order_by(Invoice.id.desc(), Invoice.cloudUsed)
        .relations("lines")
        .limit_page_size(1)
    )
    invoices = list(query)
    assert invoices and [i.id for i in invoices] == sorted((i.id for i in invoices), reverse=True)
    assert all(isinstance(i.total, Decimal) and i.billingStartDate >= date(2025, 1, 1) for i in invoices)
    assert invoices[0].lines
    mine = [i.id for i in ion.customer_invoices("12345").filter(Invoice.billingStartDate > date(2024, 12, 1))]
    assert mine
    written = ion.download_invoice_files(invoices[0].id, tmp_path)
    assert written and all(p.stat().st_size > 0 for p in written)
    assert ion.generate_invoices("aws", date(2025, 3, 1)) is not None


def test_v3_resources(ion: StreamOne, tmp_path: Path) -> None:
    john = ion.get(Customer, "12345")
    assert john.id == "12345"
    assert [c.id for c in ion.query(Customer).filter(Customer.customerEmail == john.customerEmail)] == [
        "12345"
    ]
    assert [
        s.id for s in ion.query(Subscription).filter(Subscription.customerId == "12345").limit_page_size(2)
    ]
    assert [s.id for s in ion.subscriptions(offset_paging=True, size=2, customerId="12345")]
    orders = list(ion.query(Order).filter(Order.status == "ON_HOLD"))
    assert orders and orders[0].customer_id
    report = ion.get(Report, "12345")
    assert report.csv(tmp_path / "r.csv").stat().st_size > 0
    assert isinstance(list(report.rows(relative="LAST_MONTH")), list)
    with pytest.raises(NotFound):
        ion.get(Customer, "999999")


def test_cli_export_of_a_streamone_entity(ion: StreamOne, db: Path, tmp_path: Path) -> None:
    from contacthub_like.cli import main

    out = tmp_path / "customers.jsonl"
    where = 'customerEmail == "xyz@abc.com"'
    args = ["export", "--service", "streamone", "--entity", "Customer", "--config", f"local:{db}"]
    assert main([*args, "--where", where, "-o", str(out), "--quiet"]) == 0
    assert '"accounts/123/customers/9072"' in out.read_text()

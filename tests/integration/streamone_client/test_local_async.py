"""The async forms of StreamOne.local() against the embedded emulator, end to end: each test is one
``asyncio.run`` doing what the sync README calls do, awaited (and some of it concurrently)."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import pytest

from contacthub_like.query.apaginated import AsyncPaginatedList

T = TypeVar("T")

pytest.importorskip("contacthub_like.sandbox.streamone")

from contacthub_like.errors import NotFound  # noqa: E402
from contacthub_like.sandbox.server import stop_all_local_hubs  # noqa: E402
from contacthub_like.streamone import (  # noqa: E402
    Customer,
    Invoice,
    Order,
    Product,
    StreamOne,
    Subscription,
)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory):
    yield tmp_path_factory.mktemp("so-async") / "hub.sqlite3"
    stop_all_local_hubs()


@pytest.fixture
def ion(db: Path) -> StreamOne:
    """A client of its own per test: ``async with ion`` closes it (aclose() is for good)."""
    return StreamOne.local(db)


def test_v1_invoices_files_and_generation_awaited(ion: StreamOne, tmp_path: Path) -> None:
    async def main() -> None:
        query = (
            ion.query(Invoice)
            .filter(Invoice.billingStartDate >= date(2025, 1, 1))
            .order_by(Invoice.id.desc())
            .relations("lines")  # type: ignore[attr-defined]
            .limit_page_size(1)
        )
        invoices = [i async for i in query.all_async()]
        assert len(invoices) > 1 and [i.id for i in invoices] == sorted(
            (i.id for i in invoices), reverse=True
        )
        assert invoices[0].lines and isinstance(invoices[0].total, Decimal)
        assert [i.customerId async for i in ion.customer_invoices("12345").all_async()]
        urls = await ion.v1.invoice_file_urls_async(invoices[0].id)
        written, again = await asyncio.gather(
            ion.download_invoice_files_async(invoices[0].id, tmp_path / "a"),
            invoices[0].download_details_async(tmp_path / "b"),  # type: ignore[attr-defined]
        )
        assert len(written) == len(urls) > 0 and [p.name for p in written] == [p.name for p in again]
        for mine, theirs in zip(written, again, strict=True):
            assert mine.read_bytes() == theirs.read_bytes() and mine.stat().st_size > 0
        assert await ion.generate_invoices_async("aws", date(2025, 3, 1)) is not None

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    asyncio.run(_closing(ion, main()))


def test_v3_resources_awaited(ion: StreamOne, tmp_path: Path) -> None:
    async def main() -> None:
        john, products, reports = await asyncio.gather(
            ion.get_async(Customer, "12345"),
            ion.query(Product).limit_page_size(2).first_async(),
            asyncio.ensure_future(_collect(ion.reports_async())),
        )
        assert john.id == "12345"
        assert products is not None and (await ion.product_async(products.id, exclude_pricing=False)).id
        by_email = [
            c.id
            async for c in ion.query(Customer)
            .filter(Customer.customerEmail == john.customerEmail)
            .all_async()
        ]
        assert by_email == ["12345"]
        subs = await _collect(ion.subscriptions_async(offset_paging=True, size=2, customerId="12345"))
        tokens = [
            s
            async for s in ion.query(Subscription)
            .filter(Subscription.customerId == "12345")
            .limit_page_size(2)
            .all_async()
        ]
        assert subs and [s.id for s in subs] == [s.id for s in tokens]
        one = await ion.customer_subscription_async("12345", subs[0].id)
        assert one.id == subs[0].id
        held = [o async for o in ion.query(Order).filter(Order.status == "ON_HOLD").all_async()]
        assert held and held[0].customer_id
        of_customer = await _collect(ion.customer_orders_async(held[0].customer_id))
        assert held[0].id in [o.id for o in of_customer]
        assert (await held[0].cancel_async()).status != "ON_HOLD"  # type: ignore[attr-defined]
        created = await Customer(
            ion.v3, customerName="Async Co", customerEmail="async@co.example", customerOrganization="Async Co"
        ).post_async()
        assert created.id and (await ion.get_async(Customer, created.id)).customerEmail == "async@co.example"
        report = next(r for r in reports if r.id == "12345")
        path = await report.csv_async(tmp_path / "r.csv")  # type: ignore[attr-defined]
        rows = list(await report.rows_async(relative="LAST_MONTH"))  # type: ignore[attr-defined]
        assert path.stat().st_size > 0 and all(isinstance(row, dict) for row in rows)
        with pytest.raises(NotFound):
            await ion.get_async(Customer, "999999")

    asyncio.run(_closing(ion, main()))


async def _closing(ion: StreamOne, work: Coroutine[Any, Any, None]) -> None:
    """``work`` inside ``async with ion``, so the client's pools close on the test's loop."""
    async with ion:
        await work


async def _collect(items: AsyncPaginatedList[T]) -> list[T]:
    return [item async for item in items]

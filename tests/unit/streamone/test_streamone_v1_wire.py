"""v1 on the wire: invoices, customer invoices, v1 customers, detailed-invoice files, generation, errors."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from streamone_fakes import BASIC, FakeIon

from contacthub_like.errors import BadRequest, NotFound, UnsupportedQuery
from contacthub_like.streamone import Invoice, StreamOne, V1Customer

INV = "/api/v1/invoices"


def _invoice(i: int, **extra: object) -> dict[str, object]:
    return {
        "id": i,
        "billingStartDate": "2024-01-01",
        "billingEndDate": "2024-01-31",
        "cloudUsed": "120.50",
        "total": "144.60",
        "status": "open",
        **extra,
    }


def test_the_readme_query_pages_lazily_with_every_part_encoded(ion: StreamOne, ion_mock: FakeIon) -> None:
    base = (
        "filter%5BbillingStartDate%3Agte%5D=2024-01-01&filter%5BbillingEndDate%3Alt%5D=2024-02-01"
        "&sort%5Bid%5D=desc&sort%5BcloudUsed%5D=asc&relations=lines"
    )
    ion_mock.expect(
        "GET",
        f"{INV}/myinvoices",
        base + "&offset=0&limit=2",
        reply={"data": {"invoice": [_invoice(3, lines=[{"id": 1, "amount": "10.00"}]), _invoice(2)]}},
    )
    ion_mock.expect(
        "GET", f"{INV}/myinvoices", base + "&offset=2&limit=2", reply={"data": {"invoice": [_invoice(1)]}}
    )
    query = (
        ion.query(Invoice)
        .filter((Invoice.billingStartDate >= date(2024, 1, 1)) & (Invoice.billingEndDate < date(2024, 2, 1)))
        .order_by(Invoice.id.desc(), Invoice.cloudUsed)
        .relations("lines")
        .limit_page_size(2)
    )
    invoices = iter(query)
    first = next(invoices)
    assert len(ion_mock.mock.calls) == 1  # lazily: the second page only when needed
    assert (
        first.id == 3 and first.cloudUsed == Decimal("120.50") and first.billingStartDate == date(2024, 1, 1)
    )
    assert first.lines[0].amount == Decimal("10.00")
    assert [i.id for i in invoices] == [2, 1]


def test_values_with_reserved_characters_are_percent_encoded(ion: StreamOne, ion_mock: FakeIon) -> None:
    ion_mock.expect(
        "GET",
        f"{INV}/myinvoices",
        "filter%5Bnumber%3Apartial%5D=A%26B+%23%25&offset=0&limit=100",
        reply={"data": {"invoice": []}},
    )
    assert list(ion.query(Invoice).filter(Invoice.number.like("A&B #%"))) == []


def test_customer_invoices_and_relations_none(ion: StreamOne, ion_mock: FakeIon) -> None:
    ion_mock.expect(
        "GET",
        INV,
        "filter%5BbillingStartDate%3Agt%5D=2024-12-01&relations=&customerId=12345&offset=0&limit=100",
        reply={"data": {"invoice": [_invoice(201, customerId=12345)]}},
    )
    query = ion.customer_invoices("12345").filter(Invoice.billingStartDate > date(2024, 12, 1)).relations()
    assert [i.customerId for i in query] == [12345]


def test_or_runs_client_side_only_when_asked_and_the_server_gets_the_and_part(
    ion: StreamOne, ion_mock: FakeIon
) -> None:
    either = (Invoice.status == "open") | (Invoice.status == "draft")
    with pytest.raises(UnsupportedQuery, match="status"):
        list(ion.query(Invoice).filter(either, Invoice.total > 100))
    ion_mock.expect(
        "GET",
        f"{INV}/myinvoices",
        "filter%5Btotal%3Agt%5D=100&offset=0&limit=100",
        reply={"data": {"invoice": [_invoice(1), _invoice(2, status="closed"), _invoice(3, status="draft")]}},
    )
    query = ion.query(Invoice).filter(either, Invoice.total > 100).client_side()
    assert query.explain()["client_side"] is not None
    assert [i.id for i in query] == [1, 3]


def test_get_invoice_and_v1_customer_unwrap_their_envelopes(ion: StreamOne, ion_mock: FakeIon) -> None:
    ion_mock.expect("GET", f"{INV}/123", reply={"data": {"invoice": _invoice(123)}})
    ion_mock.expect(
        "GET", "/api/v1/customers/4567", reply={"data": {"customer": {"id": 4567, "email": "x@y.example"}}}
    )
    ion_mock.expect(
        "GET",
        "/api/v1/customers",
        "filter%5Bemail%5D=xyz%40abc.com&relations=customFieldsValues&offset=0&limit=100",
        reply={"data": {"customer": [{"id": 9072, "email": "xyz@abc.com"}]}},
    )
    assert ion.get(Invoice, 123).total == Decimal("144.60")
    assert ion.get(V1Customer, "4567").email == "x@y.example"
    found = ion.query(V1Customer).filter(V1Customer.email == "xyz@abc.com").relations("customFieldsValues")
    assert [c.id for c in found] == [9072]


def test_detailed_invoice_files_download_without_credentials(
    ion: StreamOne, ion_mock: FakeIon, tmp_path
) -> None:
    urls = [
        "https://files.ion.test/inv/123/invoice-123-detail.csv?expires=1&signature=sig-abcdef",
        "https://files.ion.test/inv/123/invoice-123-summary.json?expires=1&signature=sig-ghijkl",
    ]
    ion_mock.expect(
        "GET",
        f"{INV}/123/detailed",
        reply={"data": {"invoice": {"id": 123, "detailedInvoiceFilesUrls": urls}}},
    )
    for url, content in zip(urls, (b"a,b\n1,2\n", b"{}"), strict=True):
        path, _, query = url.partition("?")
        ion_mock.expect("GET", path, query, auth=None, body=content)
    (tmp_path / "invoice-123-detail.csv").write_bytes(b"old")
    written = Invoice.from_dict(ion.v1, {"id": 123}).download_details(tmp_path)  # type: ignore[attr-defined]
    assert [p.name for p in written] == ["invoice-123-detail.csv", "invoice-123-summary.json"]
    assert (tmp_path / "invoice-123-detail.csv").read_bytes() == b"a,b\n1,2\n"
    assert not list(tmp_path.glob(".*.part"))


def test_a_failed_file_download_keeps_the_old_file_and_hides_the_signature(
    ion: StreamOne, ion_mock: FakeIon, tmp_path
) -> None:
    url = "https://files.ion.test/inv/5/f.csv?expires=1&signature=sig-secret-value"
    ion_mock.expect(
        "GET", f"{INV}/5/detailed", reply={"data": {"invoice": {"detailedInvoiceFilesUrls": [url]}}}
    )
    ion_mock.expect(
        "GET",
        "https://files.ion.test/inv/5/f.csv",
        "expires=1&signature=sig-secret-value",
        auth=None,
        status=403,
        reply={"message": "bad signature sig-secret-value"},
    )
    (tmp_path / "f.csv").write_bytes(b"old")
    with pytest.raises(Exception) as failed:
        ion.download_invoice_files(5, tmp_path)
    assert "sig-secret-value" not in str(failed.value)
    assert (tmp_path / "f.csv").read_bytes() == b"old"


def test_generate_invoices_sends_a_form_with_the_period_of_a_date(ion: StreamOne, ion_mock: FakeIon) -> None:
    ion_mock.expect(
        "POST",
        f"{INV}/generate",
        form="source=aws&period=m-01-2025&status=open&sendEmails=false&customers=12345%2C4567",
        reply={"data": {"generated": 2}},
    )
    answer = ion.generate_invoices("aws", date(2025, 1, 17), customers=[12345, 4567])
    assert answer == {"data": {"generated": 2}}


def test_errors_are_typed_and_404_is_not_found(ion: StreamOne, ion_mock: FakeIon) -> None:
    ion_mock.expect(
        "GET", f"{INV}/999", status=404, reply={"code": 5, "message": "invoice 999 not found", "details": []}
    )
    ion_mock.expect(
        "GET",
        f"{INV}/myinvoices",
        "filter%5Bstatus%5D=bogus&offset=0&limit=100",
        status=400,
        reply={"code": 3, "message": "unknown status bogus", "details": [{"field": "status"}]},
    )
    with pytest.raises(NotFound, match="invoice 999 not found"):
        ion.get(Invoice, 999)
    with pytest.raises(BadRequest, match="unknown status") as bad:
        list(ion.query(Invoice).filter(Invoice.status == "bogus"))
    assert bad.value.errors == [{"field": "status"}] and bad.value.logref == "3"


def test_basic_credentials_never_show(ion: StreamOne) -> None:
    assert BASIC.split()[1] not in repr(ion.v1.transport) and "s3cret" not in repr(ion)

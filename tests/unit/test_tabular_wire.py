"""``to_records()`` and ``to_pandas()`` on the wire: one request per page, each with its exact query.

The strict fake hub answers only the page requests declared here (method, path and exact
query string), so the tests also prove that rows are read page by page, that a misspelt
column or a missing pandas stops before any request, and what each row holds.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pandas as pd
import pytest
import respx
from async_helpers import AsyncFakeHub
from helpers import (  # noqa: F401
    BASE,
    NODE_ID,
    TOKEN,
    WS_ID,
    FakeHub,
    customer_doc,
    envelope,
    hub_fixture,
    node_fixture,
    workspace_fixture,
)

from contacthub_like import Customer, InvalidValue, Workspace
from contacthub_like.errors import MissingDependency
from contacthub_like.migrate import export_customers, project
from contacthub_like.query import tabular
from contacthub_like.services.contacthub.workspace import Node

COLUMNS = ["externalId", "base.firstName", "base.contacts.email", "base.dob", "tags.manual", "registeredAt"]


def _pages(hub: FakeHub, docs: list[dict[str, Any]], size: int) -> None:
    """The customer list in pages of ``size``: page 0 without ``page``, the next ones with it.

    Declared last page first: respx matches a route whose query *contains* the given
    parameters, so page 0's route must come after the routes that name a page.
    """
    chunks = [docs[i : i + size] for i in range(0, len(docs), size)] or [[]]
    for number, chunk in reversed(list(enumerate(chunks))):
        params = {"nodeId": NODE_ID, "size": str(size)}
        if number:
            params["page"] = str(number)
        hub.expect(
            "GET",
            "/customers",
            params=params,
            reply=envelope(chunk, number=number, size=size, total=len(docs)),
        )


def _customers() -> list[dict[str, Any]]:
    return [
        customer_doc(),
        customer_doc(id="c-2", externalId="ext-2", base={"firstName": "Alfred"}, tags=None),
        customer_doc(id="c-3", externalId="ext-3", base={"dob": "1950-01-02", "contacts": None}),
    ]


def test_records_are_flat_dicts_read_one_page_request_at_a_time(hub: FakeHub, node: Node) -> None:
    _pages(hub, _customers(), size=2)
    records = node.query(Customer).all(size=2).to_records(COLUMNS)
    assert [(c.request.method, c.request.path_url) for c in hub.mock.calls] == [
        ("GET", f"/hub/v1/workspaces/ws-1/customers?nodeId={NODE_ID}&size=2"),
        ("GET", f"/hub/v1/workspaces/ws-1/customers?nodeId={NODE_ID}&size=2&page=1"),
    ]
    assert records == [
        {
            "externalId": "ext-1",
            "base.firstName": "Bruce",
            "base.contacts.email": "bruce@wayne.test",
            "base.dob": "1980-04-17",
            "tags.manual": ["vip"],
            "registeredAt": "2017-03-09T11:31:31.842+0000",
        },
        # missing sections (no contacts, no tags) read as None, never as a missing key
        {
            "externalId": "ext-2",
            "base.firstName": "Alfred",
            "base.contacts.email": None,
            "base.dob": None,
            "tags.manual": None,
            "registeredAt": "2017-03-09T11:31:31.842+0000",
        },
        {
            "externalId": "ext-3",
            "base.firstName": None,
            "base.contacts.email": None,
            "base.dob": "1950-01-02",
            "tags.manual": ["vip"],
            "registeredAt": "2017-03-09T11:31:31.842+0000",
        },
    ]


def test_records_hold_what_the_export_writes_for_the_same_fields(hub: FakeHub, node: Node) -> None:
    _pages(hub, _customers(), size=50)
    _pages(hub, _customers(), size=50)
    assert node.query(Customer).all(size=50).to_records(COLUMNS) == list(
        export_customers(node, fields=COLUMNS)
    )


def test_without_fields_every_leaf_of_the_schema_is_a_column(hub: FakeHub, node: Node) -> None:
    _pages(hub, [customer_doc()], size=10)
    (record,) = node.query(Customer).all(size=10).to_records()
    doc = customer_doc()
    assert list(record)[:7] == ["id", "nodeId", "externalId", "extra", "enabled", "registeredAt", "updatedAt"]
    assert record["base.address.geo.lat"] == 40 and record["base.contacts.phone"] == "+39 02 1234"
    assert (
        record["base.contacts.otherContacts"] == doc["base"]["contacts"]["otherContacts"]
    )  # lists stay whole
    assert record["extended"] == doc["extended"]  # a free-form section stays whole
    assert record["consents.disclaimer.date"] is None and record["tags.auto"] == ["auto-1"]
    assert record == project(doc, [name.split(".") for name in record])


def test_an_empty_result_is_one_request_and_no_records(hub: FakeHub, node: Node) -> None:
    _pages(hub, [], size=5)
    assert node.query(Customer).all(size=5).to_records(["externalId"]) == []
    assert hub.count == 1


def test_a_misspelt_column_fails_before_any_request(hub: FakeHub, node: Node) -> None:
    lst = node.query(Customer).all(size=5)
    with pytest.raises(InvalidValue, match=r"base has no attribute 'firstNaem'; known: .*firstName"):
        lst.to_records(["base.firstNaem"])
    with pytest.raises(InvalidValue, match="Customer has no attribute 'emial'"):
        lst.to_pandas(["emial"])
    with pytest.raises(InvalidValue, match=r"base.dob has no attribute 'year' \(it is a single value\)"):
        lst.to_records(["base.dob.year"])
    with pytest.raises(TypeError, match="list of dotted paths"):
        lst.to_records("externalId")  # type: ignore[arg-type]
    assert hub.count == 0


def test_to_pandas_types_columns_by_field(hub: FakeHub, node: Node) -> None:
    _pages(hub, _customers(), size=2)
    frame = (
        node.query(Customer).all(size=2).to_pandas([*COLUMNS, "enabled", "base.address.geo.lat", "extended"])
    )
    assert len(hub.mock.calls) == 2
    assert list(frame.columns) == [*COLUMNS, "enabled", "base.address.geo.lat", "extended"]
    assert {name: str(dtype) for name, dtype in frame.dtypes.items()} == {
        "externalId": "string",
        "base.firstName": "string",
        "base.contacts.email": "string",
        "base.dob": "datetime64[us]",
        "tags.manual": "object",
        "registeredAt": "datetime64[us, UTC]",
        "enabled": "boolean",
        "base.address.geo.lat": "float64",
        "extended": "object",
    }
    assert frame["base.dob"].tolist() == [pd.Timestamp("1980-04-17"), pd.NaT, pd.Timestamp("1950-01-02")]
    assert frame["registeredAt"][0] == pd.Timestamp("2017-03-09T11:31:31.842Z")
    assert frame["base.firstName"].tolist() == ["Bruce", "Alfred", pd.NA]
    assert frame["tags.manual"].tolist() == [["vip"], None, ["vip"]]


def test_an_empty_to_pandas_still_has_typed_columns(hub: FakeHub, node: Node) -> None:
    _pages(hub, [], size=5)
    frame = node.query(Customer).all(size=5).to_pandas(["externalId", "base.dob"])
    assert frame.empty and list(frame.columns) == ["externalId", "base.dob"]
    assert str(frame.dtypes["base.dob"]) == "datetime64[us]"


def test_without_pandas_to_pandas_says_what_to_install_before_any_request(
    hub: FakeHub, node: Node, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = tabular.importlib.import_module

    def without_pandas(name: str, *args: Any) -> Any:
        if name.split(".")[0] == "pandas":
            raise ModuleNotFoundError(f"No module named {name!r}")
        return real(name, *args)

    monkeypatch.setattr(tabular.importlib, "import_module", without_pandas)
    with pytest.raises(MissingDependency, match=r"pip install 'contacthub-like\[pandas\]'") as caught:
        node.query(Customer).all(size=5).to_pandas()
    assert isinstance(caught.value, ImportError)
    assert (caught.value.extra, caught.value.package) == ("pandas", "pandas")
    assert hub.count == 0


def test_a_value_the_declared_type_cannot_hold_is_a_typed_error(hub: FakeHub, node: Node) -> None:
    _pages(hub, [customer_doc(base={"dob": "not a date"})], size=5)
    with pytest.raises(InvalidValue, match="column base.dob is declared date but base.dob must be a date"):
        node.query(Customer).all(size=5).to_pandas(["base.dob"])


def test_a_list_not_made_by_a_query_learns_its_columns_from_the_first_customer(
    hub: FakeHub, node: Node
) -> None:
    hub.expect("GET", "/customers", params={"nodeId": NODE_ID}, reply=envelope([customer_doc()]))
    (record,) = node.get_customers().to_records()
    assert record["base.firstName"] == "Bruce" and "base.contacts.email" in record
    hub.expect("GET", "/customers", params={"nodeId": NODE_ID}, reply=envelope([customer_doc()]))
    with pytest.raises(InvalidValue, match="Customer has no attribute 'emial'"):
        node.get_customers().to_records(["emial"])


def test_the_async_list_sends_the_same_page_requests_and_makes_the_same_rows(
    hub: FakeHub, node: Node
) -> None:
    _pages(hub, _customers(), size=2)
    expected = node.query(Customer).all(size=2).to_records(COLUMNS)

    async def read() -> tuple[list[dict[str, Any]], Any, int]:
        async with Workspace(WS_ID, TOKEN, base_url=BASE) as ws:
            with respx.mock(assert_all_called=True, assert_all_mocked=True) as router:
                fake = AsyncFakeHub(router)
                _pages(fake, _customers(), size=2)  # type: ignore[arg-type]
                query = ws.get_node(NODE_ID).query(Customer)
                records = await query.all_async(size=2).to_records(COLUMNS)
                frame = await query.all_async(size=2).to_pandas(COLUMNS)  # the routes answer again
                return records, frame, fake.count

    records, frame, requests_sent = asyncio.run(read())
    assert records == expected and requests_sent == 4  # two pages, twice
    assert frame["externalId"].tolist() == ["ext-1", "ext-2", "ext-3"]
    assert str(frame.dtypes["base.dob"]) == "datetime64[us]"

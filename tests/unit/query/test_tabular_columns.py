"""Columns typed from fields, and the Parquet writer: types, values, row groups, missing pyarrow.

The Parquet files are read back with pyarrow, so what is asserted is what a reader sees.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from contacthub_like.errors import InvalidType, InvalidValue, MissingDependency
from contacthub_like.migrate.export import export_format, write_parquet
from contacthub_like.orm import (
    Boolean,
    Choice,
    Date,
    DateTime,
    FreeForm,
    Integer,
    ListOf,
    Money,
    Nested,
    Number,
    Record,
    String,
)
from contacthub_like.query import tabular
from contacthub_like.query.columns import Column, RowMaker, leaf_columns, resolve_columns


class Geo(Record):
    lat = Number()


class Item(Record):
    sku = String()


class Order(Record):
    id = String()
    status = Choice(["open", "paid"])
    quantity = Integer()
    total = Money()
    paid = Boolean()
    day = Date()
    at = DateTime()
    labels = ListOf(String())
    items = ListOf(Nested(Item))
    where = Nested(Geo)
    notes = FreeForm()


KINDS = {
    "id": "string",
    "status": "string",
    "quantity": "int",
    "total": "decimal",
    "paid": "bool",
    "day": "date",
    "at": "datetime",
    "labels": "list[string]",
    "items": "text",
    "where.lat": "float",
    "notes": "text",
}


def _rows(count: int) -> list[dict[str, Any]]:
    """Orders whose first two have only an id, so a first row group of two holds no typed value."""
    rows: list[dict[str, Any]] = [{"id": "o-0"}, {"id": "o-1"}]
    for n in range(2, count):
        rows.append(
            {
                "id": f"o-{n}",
                "status": "paid",
                "quantity": n,
                "total": f"{n}.50",
                "paid": n % 2 == 0,
                "day": "2024-02-29",
                "at": "2024-03-01T10:00:00.000+0100",
                "labels": ["a", "b"],
                "items": [{"sku": "x"}],
                "where": {"lat": n},
                "notes": {"gift": True},
            }
        )
    return rows


def test_columns_are_the_schema_leaves_typed_by_field() -> None:
    assert {c.name: c.kind for c in leaf_columns(Order)} == KINDS
    assert resolve_columns(Order, ["notes.gift", "where.lat"]) == [
        Column("notes.gift", "text"),  # inside a free-form section: no declared type
        Column("where.lat", "float"),
    ]
    with pytest.raises(InvalidValue, match="where has no attribute 'lon'; known: lat"):
        resolve_columns(Order, ["where.lon"])
    with pytest.raises(InvalidValue, match="at least one path"):
        resolve_columns(Order, [])
    with pytest.raises(InvalidType, match="dotted paths"):
        resolve_columns(Order, [3])  # type: ignore[list-item]


def test_parquet_round_trip_keeps_values_and_declared_types(tmp_path: Path) -> None:
    target = tmp_path / "orders.parquet"
    docs = [Order(**row).to_dict() for row in _rows(5)]
    written = write_parquet(docs, target, list(KINDS), entity=Order, row_group_size=2)
    assert written == 5
    parquet = pq.ParquetFile(target)
    assert parquet.metadata.num_row_groups == 3 and parquet.metadata.num_rows == 5
    assert [parquet.metadata.row_group(i).num_rows for i in range(3)] == [2, 2, 1]
    # the first group has no typed value, yet every column has the type its field declares
    assert parquet.schema_arrow == pa.schema(
        [
            ("id", pa.string()),
            ("status", pa.string()),
            ("quantity", pa.int64()),
            ("total", pa.decimal128(38, 9)),
            ("paid", pa.bool_()),
            ("day", pa.date32()),
            ("at", pa.timestamp("us", tz="UTC")),
            ("labels", pa.list_(pa.string())),
            ("items", pa.string()),
            ("where.lat", pa.float64()),
            ("notes", pa.string()),
        ]
    )
    rows = parquet.read().to_pylist()
    assert rows[0] == {"id": "o-0", **{name: None for name in KINDS if name != "id"}}
    assert rows[2] == {
        "id": "o-2",
        "status": "paid",
        "quantity": 2,
        "total": Decimal("2.500000000"),
        "paid": True,
        "day": dt.date(2024, 2, 29),
        "at": dt.datetime(2024, 3, 1, 9, 0, tzinfo=dt.timezone.utc),
        "labels": ["a", "b"],
        "items": '[{"sku":"x"}]',  # objects as a CSV export writes them
        "where.lat": 2.0,
        "notes": '{"gift":true}',
    }


def test_flat_and_whole_documents_give_the_same_file(tmp_path: Path) -> None:
    whole = [{"id": "o-1", "where": {"lat": 1.5}}]
    flat = [{"id": "o-1", "where.lat": 1.5}]
    write_parquet(whole, tmp_path / "a.parquet", ["id", "where.lat"], entity=Order)
    write_parquet(flat, tmp_path / "b.parquet", ["id", "where.lat"], entity=Order)
    assert pq.read_table(tmp_path / "a.parquet").equals(pq.read_table(tmp_path / "b.parquet"))


def test_no_rows_still_write_the_schema(tmp_path: Path) -> None:
    assert write_parquet([], tmp_path / "none.parquet", ["id", "day"], entity=Order) == 0
    table = pq.read_table(tmp_path / "none.parquet")
    assert table.num_rows == 0 and table.schema.field("day").type == pa.date32()


def test_a_value_the_column_type_cannot_hold_names_the_column(tmp_path: Path) -> None:
    with pytest.raises(InvalidValue, match="column quantity is declared int but holds a value Arrow cannot"):
        write_parquet([{"quantity": "many"}], tmp_path / "x.parquet", ["quantity"], entity=Order)
    with pytest.raises(InvalidValue, match="column day is declared date but day must be a date"):
        write_parquet([{"day": "soon"}], tmp_path / "y.parquet", ["day"], entity=Order)
    with pytest.raises(InvalidValue, match="row_group_size must be a positive int"):
        write_parquet([], tmp_path / "z.parquet", ["id"], entity=Order, row_group_size=0)


def test_pandas_types_money_and_lists() -> None:
    rows = [Order(**row).to_dict() for row in _rows(3)]
    maker = RowMaker(list(KINDS), Order)
    frame = tabular.to_dataframe((maker.row(Order(**row)) for row in _rows(3)), maker)
    assert frame["total"].tolist() == [None, None, Decimal("2.50")]
    assert str(frame.dtypes["quantity"]) == "Int64" and frame["quantity"].tolist()[2] == 2
    assert frame["labels"].tolist() == [None, None, ["a", "b"]]
    assert frame["at"][2] == dt.datetime(2024, 3, 1, 9, 0, tzinfo=dt.timezone.utc)
    assert rows[2]["total"] == "2.50"  # the record keeps the wire form, the frame the Decimal


def _without(monkeypatch: pytest.MonkeyPatch, package: str) -> None:
    real = tabular.importlib.import_module

    def import_module(name: str, *args: Any) -> Any:
        if name.split(".")[0] == package:
            raise ModuleNotFoundError(f"No module named {name!r}")
        return real(name, *args)

    monkeypatch.setattr(tabular.importlib, "import_module", import_module)


def test_without_pyarrow_parquet_says_which_extra_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _without(monkeypatch, "pyarrow")
    with pytest.raises(MissingDependency, match=r"pip install 'contacthub-like\[parquet\]'") as caught:
        export_format(str(tmp_path / "out.parquet"), None)
    assert (caught.value.extra, caught.value.package) == ("parquet", "pyarrow")
    with pytest.raises(MissingDependency, match="parquet"):
        write_parquet([], tmp_path / "out.parquet", ["id"], entity=Order)
    assert not (tmp_path / "out.parquet").exists()
    assert export_format(str(tmp_path / "out.csv"), None) == "csv"  # the other formats need nothing


def test_the_format_comes_from_the_option_or_the_name() -> None:
    assert export_format("x.PARQUET", None) == "parquet"
    assert export_format("x.parquet", "jsonl") == "jsonl"
    assert export_format(None, None) == "jsonl"
    with pytest.raises(InvalidValue, match="-o FILE.parquet"):
        export_format(None, "parquet")


class Hook(Record):
    post_url = String(wire_name="post-url")
    config = Nested(Geo, wire_name="geo-config")


def test_attribute_names_spelt_otherwise_on_the_wire_read_the_document_key() -> None:
    assert resolve_columns(Hook, ["post_url", "config.lat"]) == [
        Column("post-url", "string"),
        Column("geo-config.lat", "float"),
    ]
    maker = RowMaker(["post_url"], Hook)
    assert maker.row(Hook(post_url="https://x.test/h")) == {"post-url": "https://x.test/h"}
    assert [c.name for c in leaf_columns(Hook)] == ["post-url", "geo-config.lat"]


def test_a_frame_column_that_cannot_take_its_values_names_the_column() -> None:
    maker = RowMaker(["quantity"], Order)
    with pytest.raises(
        InvalidValue, match=r"column quantity is declared int but holds other values .*fields="
    ):
        tabular.to_dataframe([{"quantity": "many"}], maker)

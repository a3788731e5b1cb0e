"""Rows for data work against the embedded hub: to_records(), to_pandas() (sync and async), Parquet export."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from contacthub_like import Customer, Node, Workspace
from contacthub_like.cli import main
from contacthub_like.migrate import export_customers
from contacthub_like.migrate.export import write_parquet
from contacthub_like.sandbox import admin
from contacthub_like.sandbox.server import LocalHub

FIELDS = ["externalId", "base.firstName", "base.dob", "tags.manual", "registeredAt"]


def _seed(node: Node, count: int = 5) -> None:
    for n in range(count):
        base = {"firstName": f"F{n}", "dob": f"198{n}-01-0{n + 1}"} if n % 2 == 0 else {"lastName": f"L{n}"}
        node.add_customer(externalId=f"t-{n}", base=base, tags={"manual": ["vip"] if n == 0 else []})


def test_records_and_frame_over_several_pages(node: Node) -> None:
    _seed(node)
    query = node.query(Customer).order_by(Customer.externalId)
    records = query.all(size=2).to_records(FIELDS)
    assert [r["externalId"] for r in records] == [f"t-{n}" for n in range(5)]
    assert records[0]["base.dob"] == "1980-01-01" and records[0]["tags.manual"] == ["vip"]
    assert records[1]["base.firstName"] is None and records[1]["base.dob"] is None
    exported = sorted(export_customers(node, fields=FIELDS), key=lambda doc: doc["externalId"])
    assert records == exported  # the same columns and values as export --fields

    frame = query.all(size=2).to_pandas(FIELDS)
    assert frame.shape == (5, 5)
    assert frame["base.dob"].tolist()[:2] == [pd.Timestamp("1980-01-01"), pd.NaT]
    assert str(frame.dtypes["registeredAt"]) == "datetime64[us, UTC]"
    assert frame["registeredAt"].notna().all()


def test_the_async_list_gives_the_same_rows(node: Node, workspace: Workspace, client_hub: LocalHub) -> None:
    _seed(node, 3)
    expected = node.query(Customer).order_by(Customer.externalId).all(size=2).to_records(FIELDS)

    async def read() -> tuple[list[dict], pd.DataFrame]:
        token = admin.ensure_default_credentials(client_hub.db_path).token
        async with Workspace(workspace.workspace_id, token, client_hub.base_url) as ws:
            query = ws.get_node(node.node_id).query(Customer).order_by(Customer.externalId)
            return await query.all_async(size=2).to_records(FIELDS), await query.all_async().to_pandas(FIELDS)

    records, frame = asyncio.run(read())
    assert records == expected
    assert frame["externalId"].tolist() == ["t-0", "t-1", "t-2"]
    assert str(frame.dtypes["base.dob"]) == "datetime64[us]"


def test_parquet_export_round_trip_in_row_groups(node: Node, tmp_path: Path) -> None:
    _seed(node)
    target = tmp_path / "customers.parquet"
    docs = export_customers(node, fields=FIELDS, page_size=2)
    assert write_parquet(docs, target, FIELDS, row_group_size=2) == 5
    parquet = pq.ParquetFile(target)
    assert parquet.metadata.num_row_groups == 3
    assert parquet.schema_arrow.field("base.dob").type == pa.date32()
    assert parquet.schema_arrow.field("tags.manual").type == pa.list_(pa.string())
    rows = sorted(parquet.read().to_pylist(), key=lambda r: r["externalId"])
    assert rows[0]["base.dob"] == dt.date(1980, 1, 1) and rows[0]["tags.manual"] == ["vip"]
    assert rows[1]["base.dob"] is None and rows[1]["base.firstName"] is None
    assert all(r["registeredAt"].tzinfo is not None for r in rows)


def test_cli_export_format_parquet(
    node: Node, workspace: Workspace, client_hub: LocalHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _seed(node, 3)
    ini = tmp_path / "hub.ini"
    token = admin.ensure_default_credentials(client_hub.db_path).token
    ini.write_text(
        f"workspace_id = {workspace.workspace_id}\ntoken = {token}\n"
        f"base_url = {workspace.base_url}\nnode_id = {node.node_id}\n",
        encoding="utf-8",
    )
    out = tmp_path / "all.parquet"
    assert main(["export", "--config", str(ini), "-o", str(out), "--quiet"]) == 0  # format from the name
    table = pq.read_table(out)
    assert table.num_rows == 3
    assert table.column_names[:4] == ["id", "externalId", "base.firstName", "base.lastName"]  # CSV's columns
    assert table.schema.field("registeredAt").type == pa.timestamp("us", tz="UTC")

    picked = tmp_path / "picked.data"
    args = ["export", "--config", str(ini), "--format", "parquet", "--fields", "externalId,base.dob"]
    assert main([*args, "-o", str(picked), "--where", "base.dob != None"]) == 0
    assert sorted(pq.read_table(picked).to_pylist(), key=lambda r: r["externalId"]) == [
        {"externalId": "t-0", "base.dob": dt.date(1980, 1, 1)},
        {"externalId": "t-2", "base.dob": dt.date(1982, 1, 3)},
    ]
    assert "exported 2 customers" in capsys.readouterr().err

    assert main(["export", "--config", str(ini), "--format", "parquet"]) == 2  # no file to write to
    assert "-o FILE.parquet" in capsys.readouterr().err


def test_cli_export_parquet_without_pyarrow_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from contacthub_like.query import tabular

    real = tabular.importlib.import_module

    def import_module(name: str, *args: object) -> object:
        if name.split(".")[0] == "pyarrow":
            raise ModuleNotFoundError(f"No module named {name!r}")
        return real(name, *args)

    monkeypatch.setattr(tabular.importlib, "import_module", import_module)
    ini = tmp_path / "hub.ini"
    ini.write_text(
        "workspace_id = ws\ntoken = t\nbase_url = http://127.0.0.1:9\nnode_id = n\n", encoding="utf-8"
    )
    out = tmp_path / "all.parquet"
    assert main(["export", "--config", str(ini), "-o", str(out)]) == 2  # as a missing hub extra: exit 2
    assert "pip install 'contacthub-like[parquet]'" in capsys.readouterr().err
    assert not out.exists()

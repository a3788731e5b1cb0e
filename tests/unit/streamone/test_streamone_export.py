"""``contacthub-like export --service streamone``: the query goes through the v1 compiler, rows come out."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import responses
from streamone_fakes import BASIC, FakeIon

from contacthub_like.cli import main


def _export(tmp_path: Path, *args: str) -> int:
    """``contacthub-like export --service streamone --config <a v1 file> ARGS``; the exit code."""
    return main(["export", "--service", "streamone", "--config", str(_config(tmp_path)), *args])


def _config(tmp_path: Path) -> Path:
    path = tmp_path / "streamone.json"
    path.write_text(
        json.dumps(
            {
                "v1": {"api_key": "key-1", "api_secret": "s3cret&key"},
                "accountid": "123",
                "base_url": "https://ion.test",
            }
        )
    )
    return path


def test_export_invoices_as_csv(tmp_path: Path, ion_mock: FakeIon, capsys) -> None:
    ion_mock.expect(
        "GET",
        "/api/v1/invoices/myinvoices",
        "filter%5BbillingStartDate%3Agte%5D=2025-01-01&filter%5Bstatus%5D=open&offset=0&limit=50",
        auth=BASIC,
        reply={"data": {"invoice": [{"id": 1, "total": "12.50", "status": "open"}]}},
    )
    out = tmp_path / "invoices.csv"
    where = 'billingStartDate >= "2025-01-01" and status == "open"'
    assert (
        _export(tmp_path, "--entity", "Invoice", "--where", where, "--fields", "id,total", "-o", str(out))
        == 0
    )
    assert out.read_text().splitlines() == ["id,total", "1,12.50"]
    assert "exported 1 Invoice" in capsys.readouterr().err


def test_export_says_what_the_api_cannot_filter(tmp_path: Path, capsys) -> None:
    with responses.RequestsMock():
        code = _export(tmp_path, "--entity", "Invoice", "--where", 'status == "open" or status == "draft"')
    assert code != 0 and "client_side" in capsys.readouterr().err


def test_export_names_the_known_entities(tmp_path: Path, capsys) -> None:
    assert _export(tmp_path, "--entity", "Nope") != 0 and "Invoice" in capsys.readouterr().err


def test_export_invoices_as_parquet_typed_by_their_fields(tmp_path: Path, ion_mock: FakeIon) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    ion_mock.expect(
        "GET",
        "/api/v1/invoices/myinvoices",
        "offset=0&limit=50",
        auth=BASIC,
        reply={"data": {"invoice": [{"id": 1, "total": "12.50", "issueDate": "2025-01-31"}, {"id": 2}]}},
    )
    out = tmp_path / "invoices.parquet"
    assert _export(tmp_path, "--entity", "Invoice", "--fields", "id,total,issueDate", "-o", str(out)) == 0
    table = pq.read_table(out)
    assert table.schema == pa.schema(
        [("id", pa.int64()), ("total", pa.decimal128(38, 9)), ("issueDate", pa.date32())]
    )
    assert table.to_pylist() == [
        {"id": 1, "total": Decimal("12.5"), "issueDate": dt.date(2025, 1, 31)},
        {"id": 2, "total": None, "issueDate": None},
    ]

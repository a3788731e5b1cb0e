"""Exporting a query as a stream of documents, and writing streams as CSV, JSON Lines or Parquet.

The stream reads one page at a time and keeps none (``PaginatedList.stream``), so an
export of any size runs in constant memory; the text writers write row by row, the Parquet
writer one row group at a time.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, TYPE_CHECKING, Any

from ..errors import InvalidValue
from ..query.columns import cell, flat_values, project, resolve_columns
from ..query.criteria import EMPTY, Criterion
from ..query.query import Query
from ..query.tabular import DEFAULT_ROW_GROUP_SIZE, require
from ..query.tabular import write_parquet as write_parquet_rows
from ..services.contacthub.entities.customer import Customer
from .formulas import neutralise
from .sources import detect_format
from .where import resolve_path

if TYPE_CHECKING:  # pragma: no cover
    from ..services.contacthub.workspace import Node

__all__ = [
    "export_customers",
    "export_query",
    "project",
    "write_jsonl",
    "write_csv",
    "DEFAULT_CSV_FIELDS",
    "check_fields",
    "cell",
    "export_format",
    "write_parquet",
]

#: columns of a CSV export when no ``fields`` are given; an import reads them back unmapped
DEFAULT_CSV_FIELDS: tuple[str, ...] = (
    "id",
    "externalId",
    "base.firstName",
    "base.lastName",
    "base.contacts.email",
    "base.contacts.mobilePhone",
    "base.dob",
    "base.gender",
    "base.address.city",
    "base.address.country",
    "tags.manual",
    "registeredAt",
)

PAGE_SIZE = 50  # the hub's largest page


def check_fields(fields: Iterable[str]) -> list[str]:
    """The fields as a list, each checked to be a customer path (a typo fails before any request)."""
    out = [f.strip() for f in fields if f.strip()]
    for dotted in out:
        resolve_path(Customer, dotted)
    return out


def export_customers(
    node: Node, where: Criterion = EMPTY, *, fields: Sequence[str] | None = None, page_size: int = PAGE_SIZE
) -> Iterator[dict[str, Any]]:
    """The customers matching ``where`` as documents (projected on ``fields`` when given), page by page."""
    query = node.query(Customer)
    if where is not EMPTY:
        query = query.filter(where)
    return export_query(query, fields=check_fields(fields) if fields else None, page_size=page_size)


def export_query(
    query: Query[Any], *, fields: Sequence[str] | None = None, page_size: int = PAGE_SIZE
) -> Iterator[dict[str, Any]]:
    """Any query's results as documents, one page in memory at a time."""
    paths = [f.split(".") for f in fields] if fields else None
    for entity in query.all(size=page_size).stream():
        doc = entity.to_dict()
        yield project(doc, paths) if paths is not None else doc


def write_jsonl(docs: Iterable[dict[str, Any]], out: IO[str]) -> int:
    """One JSON object per line; returns how many were written."""
    count = 0
    for doc in docs:
        out.write(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n")
        count += 1
    return count


def write_csv(
    docs: Iterable[dict[str, Any]], out: IO[str], fields: Sequence[str], *, neutralise_formulas: bool = True
) -> int:
    """A header of dotted paths, then one row per document; returns how many rows were written.

    Rows end in CRLF (RFC 4180), so a value holding a bare carriage return or line feed is quoted
    and any text reads back as it was.  Cells a spreadsheet would run as formulas get a ``'`` in
    front (see ``contacthub_like.migrate.formulas``; the importer removes it) unless
    ``neutralise_formulas=False``.
    """
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(fields)
    paths = [f.split(".") for f in fields]
    guard = neutralise if neutralise_formulas else str
    count = 0
    for doc in docs:
        writer.writerow([guard(cell(value)) for value in flat_values(doc, fields, paths)])
        count += 1
    return count


def export_format(output: str | None, fmt: str | None) -> str:
    """``csv``, ``jsonl`` or ``parquet``: ``fmt``, else from the output's name, else ``jsonl``.

    Parquet needs the ``parquet`` extra and a file (it is binary and written with a footer):
    both are checked here, before any request.
    """
    if fmt is None and output is not None and output.lower().endswith(".parquet"):
        fmt = "parquet"
    if fmt != "parquet":
        return fmt or (detect_format(output) if output else "jsonl")
    if not output:
        raise InvalidValue("--format parquet writes a binary file: name it with -o FILE.parquet")
    require("pyarrow.parquet", "parquet", "export --format parquet")
    return fmt


def write_parquet(
    docs: Iterable[dict[str, Any]],
    target: str | os.PathLike[str] | IO[bytes],
    fields: Sequence[str],
    *,
    entity: Any = Customer,
    row_group_size: int = DEFAULT_ROW_GROUP_SIZE,
) -> int:
    """The documents' ``fields`` as a Parquet file, ``row_group_size`` rows per row group; the rows written.

    ``docs`` are whole or projected documents (what :func:`export_query` yields). The Arrow
    schema comes from ``entity``'s field types, not from the data, so a column that is empty
    in the first group keeps its type; one group at a time is in memory (see
    ``contacthub_like.query.tabular``). Needs the ``parquet`` extra.
    """
    columns = resolve_columns(entity, fields)
    names = [column.name for column in columns]
    paths = [column.path for column in columns]
    rows = (flat_values(doc, names, paths) for doc in docs)
    return write_parquet_rows(rows, target, columns, row_group_size=row_group_size)

"""Exporting a query as a stream of documents, and writing streams as CSV or JSON Lines.

The stream reads one page at a time and keeps none (``PaginatedList.stream``), so an
export of any size runs in constant memory; the writers write row by row.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, TYPE_CHECKING, Any

from ..query.criteria import EMPTY, Criterion
from ..query.query import Query
from ..services.contacthub.entities.customer import Customer
from .formulas import neutralise
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


def project(doc: dict[str, Any], paths: Sequence[Sequence[str]]) -> dict[str, Any]:
    """Only the given dotted paths of ``doc``, flattened: ``{"base.firstName": "Bruce"}``."""
    return {".".join(p): _get(doc, p) for p in paths}


def _get(doc: Any, path: Sequence[str]) -> Any:
    for name in path:
        if not isinstance(doc, dict):
            return None
        doc = doc.get(name)
    return doc


def write_jsonl(docs: Iterable[dict[str, Any]], out: IO[str]) -> int:
    """One JSON object per line; returns how many were written."""
    count = 0
    for doc in docs:
        out.write(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n")
        count += 1
    return count


def cell(value: Any) -> str:
    """A CSV cell: empty for None, JSON for lists and objects (read back as such by the importer)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


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
        writer.writerow(
            [
                guard(cell(doc[f]) if f in doc else cell(_get(doc, p)))
                for f, p in zip(fields, paths, strict=True)
            ]
        )
        count += 1
    return count

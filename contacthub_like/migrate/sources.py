"""Reading records from CSV and JSON Lines files, one :class:`SourceRecord` per record.

Readers never raise on bad data: a malformed row, a bad cell or an undecodable line becomes a
record that carries ``error`` (and its source text), so the import rejects it with that
reason and moves on. Only problems with the file as a whole (it cannot be opened, the
mapping file is wrong) raise, before anything is sent.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path as FilePath
from typing import IO, Any

import attrs

from ..errors import InvalidValue
from ..orm.fields import Boolean, FreeForm, Integer, ListOf, Nested, Number
from ..services.contacthub.entities.customer import Customer
from .formulas import restore
from .records import SourceRecord
from .where import WhereError, resolve_path

__all__ = ["ColumnMapping", "read_csv", "read_jsonl", "read_file", "count_records", "FORMATS"]

FORMATS = ("csv", "jsonl")

#: top-level keys that are not customer fields but ride along with a customer record
EXTRA_KEYS = frozenset({"events"})

#: set by the hub; a column holding them (an export from another hub) is skipped on import
READ_ONLY_PATHS = frozenset({"id", "nodeId", "registeredAt", "updatedAt"})


@attrs.frozen
class _Target:
    path: tuple[str, ...]
    field: Any  # the model field, None under free-form sections


@attrs.frozen
class ColumnMapping:
    """CSV header → dotted entity path (``"E-mail": "base.contacts.email"``); ``None`` skips a column.

    Headers not in the mapping are taken as paths themselves, so a file whose headers are
    already paths (such as one written by ``export``) needs no mapping.
    """

    columns: Mapping[str, str | None] = attrs.field(factory=dict)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> ColumnMapping:
        """Read a JSON object of ``header: path`` pairs (optionally under a ``"columns"`` key)."""
        try:
            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
        except (OSError, ValueError) as exc:
            raise InvalidValue(f"cannot read the column mapping {str(path)!r}: {exc}") from None
        if isinstance(data, dict) and isinstance(data.get("columns"), dict):
            data = data["columns"]
        if not isinstance(data, dict) or not all(
            isinstance(k, str) and (v is None or isinstance(v, str)) for k, v in data.items()
        ):
            raise InvalidValue(
                f"the column mapping {str(path)!r} must be a JSON object of "
                '"CSV header": "dotted.path" (or null to skip the column), '
                'e.g. {"E-mail": "base.contacts.email"}'
            )
        return cls(data)

    def targets(self, headers: list[str]) -> tuple[list[_Target | None], dict[str, str]]:
        """Where each column goes (None: skipped) and, for columns that go nowhere, why."""
        targets: list[_Target | None] = []
        unknown: dict[str, str] = {}
        for header in headers:
            dotted = self.columns[header] if header in self.columns else header.strip()
            if dotted is None or dotted in READ_ONLY_PATHS:
                targets.append(None)
                continue
            if dotted in EXTRA_KEYS:
                targets.append(_Target((dotted,), ListOf()))
                continue
            try:
                path = resolve_path(Customer, dotted)
            except WhereError as exc:
                unknown[header] = str(exc)
                targets.append(None)
                continue
            targets.append(_Target(tuple(dotted.split(".")), path._field))
        return targets, unknown


def _convert(cell: str, field: Any) -> Any:
    """The JSON value for a CSV cell, by the type of the field it goes to (text stays text).

    The ``'`` an export puts before a formula-like cell is removed first (see ``contacthub_like.migrate.formulas``).
    """
    cell = restore(cell)
    if isinstance(field, (ListOf, Nested, FreeForm)):
        if cell.startswith(("[", "{")):
            try:
                return json.loads(cell)
            except ValueError as exc:
                raise InvalidValue(f"not valid JSON ({exc})") from None
        if isinstance(field, ListOf):
            return [part.strip() for part in cell.split("|")]
        raise InvalidValue("expected a JSON object")
    if isinstance(field, Boolean):
        lowered = cell.strip().lower()
        if lowered in ("true", "1", "yes"):
            return True
        if lowered in ("false", "0", "no"):
            return False
        raise InvalidValue(f"expected true or false, got {cell!r}")
    if isinstance(field, (Integer, Number)):
        try:
            return int(cell) if isinstance(field, Integer) else float(cell)
        except ValueError:
            raise InvalidValue(f"expected a number, got {cell!r}") from None
    return cell


def _put(doc: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for name in path[:-1]:
        doc = doc.setdefault(name, {})
        if not isinstance(doc, dict):
            raise InvalidValue(f"{'.'.join(path)} is set inside a value that is not an object")
    doc[path[-1]] = value


class _LineTap:
    """Iterates a text file for :mod:`csv` while keeping the raw lines of the current record."""

    def __init__(self, fh: IO[str]) -> None:
        self._fh = fh
        self.lines: list[str] = []
        self.consumed = 0

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = next(self._fh)
        self.lines.append(line)
        self.consumed += 1
        return line

    def take(self) -> str:
        text = "".join(self.lines).rstrip("\r\n")
        self.lines = []
        return text


def read_csv(
    path: str | os.PathLike[str],
    mapping: ColumnMapping | None = None,
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> Iterator[SourceRecord]:
    """Records from a CSV file with a header row; keys are the line numbers where records start.

    Quoting is read strictly: a quote left open (which would swallow the following lines into one
    value) or text after a closing quote rejects that record, with its line number.
    """
    mapping = mapping or ColumnMapping()
    with open(path, encoding=encoding, newline="") as fh:
        tap = _LineTap(fh)
        reader = csv.reader(tap, delimiter=delimiter, strict=True)
        try:
            headers = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InvalidValue(f"cannot read the header row of {str(path)!r}: {exc}") from None
        tap.take()
        targets, unknown = mapping.targets(headers)
        while True:
            start = tap.consumed + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                reason = f"malformed CSV row: {exc}"
                if "unexpected end of data" in str(exc):
                    reason = f"malformed CSV row: a quote opened on line {start} is never closed"
                yield SourceRecord(str(start), source=tap.take(), line=start, error=reason)
                continue
            source = tap.take()
            if not row:
                continue  # blank line
            yield _row_record(start, source, headers, row, targets, unknown)


def _row_record(
    line: int,
    source: str,
    headers: list[str],
    row: list[str],
    targets: list[_Target | None],
    unknown: dict[str, str],
) -> SourceRecord:
    key = str(line)
    if len(row) != len(headers):
        return SourceRecord(
            key,
            source=source,
            line=line,
            error=f"malformed CSV row: expected {len(headers)} fields as in the header, got {len(row)}",
        )
    doc: dict[str, Any] = {}
    problems: list[str] = []
    for header, target, cell in zip(headers, targets, row, strict=True):
        if cell == "":
            continue  # an empty cell sets nothing (it does not clear the hub's value)
        if header in unknown:
            problems.append(
                f"column {header!r} has no place in a customer ({unknown[header]}); "
                "map it in the column mapping file, or map it to null to skip it"
            )
            continue
        if target is None:
            continue
        try:
            _put(doc, target.path, _convert(cell, target.field))
        except InvalidValue as exc:
            problems.append(f"column {header!r}: {exc}")
    if problems:
        return SourceRecord(key, source=source, line=line, error="; ".join(problems))
    return SourceRecord(key, data=doc, source=source, line=line)


def read_jsonl(path: str | os.PathLike[str], *, encoding: str = "utf-8") -> Iterator[SourceRecord]:
    """Records from a JSON Lines file (one JSON object per line; blank lines are skipped)."""
    with open(path, encoding=encoding) as fh:
        for number, line in enumerate(fh, start=1):
            text = line.rstrip("\r\n")
            if not text.strip():
                continue
            key = str(number)
            try:
                data = json.loads(text)
            except ValueError as exc:
                yield SourceRecord(key, source=text, line=number, error=f"not valid JSON: {exc}")
                continue
            if not isinstance(data, dict):
                yield SourceRecord(
                    key, source=text, line=number, error=f"expected a JSON object, got {type(data).__name__}"
                )
                continue
            yield SourceRecord(key, data=data, source=text, line=number)


def detect_format(path: str | os.PathLike[str], fmt: str | None = None) -> str:
    """``csv`` or ``jsonl``, from ``fmt`` or the file name (``.csv``, ``.jsonl``, ``.ndjson``, ``.json``)."""
    if fmt:
        if fmt not in FORMATS:
            raise InvalidValue(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")
        return fmt
    suffix = FilePath(path).suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    raise InvalidValue(f"cannot tell the format of {str(path)!r} from its name; pass --format csv or jsonl")


def read_file(
    path: str | os.PathLike[str],
    fmt: str | None = None,
    mapping: ColumnMapping | None = None,
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> Iterator[SourceRecord]:
    """Records from a CSV or JSON Lines file."""
    if detect_format(path, fmt) == "csv":
        return read_csv(path, mapping, encoding=encoding, delimiter=delimiter)
    if mapping is not None and mapping.columns:
        raise InvalidValue(
            "a column mapping applies to CSV files only; JSON Lines records are documents already"
        )
    return read_jsonl(path, encoding=encoding)


def count_records(path: str | os.PathLike[str], fmt: str | None = None) -> int:
    """How many records a file holds (a fast pass without conversion), for progress totals."""
    if detect_format(path, fmt) == "csv":
        with open(path, encoding="utf-8", newline="") as fh:
            try:
                return max(sum(1 for row in csv.reader(fh) if row) - 1, 0)
            except csv.Error:
                return 0
    with open(path, encoding="utf-8") as fh:
        return sum(1 for line in fh if line.strip())

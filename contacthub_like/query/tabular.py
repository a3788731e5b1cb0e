"""Flat rows as a pandas DataFrame or as Parquet, with column types taken from the entity's fields.

pandas and pyarrow are optional (the ``pandas`` and ``parquet`` extras): they are imported
when a conversion runs, and a missing one raises
:class:`~contacthub_like.errors.MissingDependency` naming the extra to install.

Types follow the fields, not the data, so a column that is empty in the first rows still
gets its declared type:

============  ======================================  ==============================
kind          pandas dtype                            Arrow type
============  ======================================  ==============================
string        ``string``                              ``string``
int           ``Int64`` (nullable)                    ``int64``
float         ``float64``                             ``float64``
decimal       ``object`` (:class:`~decimal.Decimal`)  ``decimal128(38, 9)``
bool          ``boolean`` (nullable)                  ``bool``
date          ``datetime64[us]``                      ``date32``
datetime      ``datetime64[us, UTC]``                 ``timestamp[us, UTC]``
list[string]  ``object`` (lists)                      ``list<string>``
text          ``object`` (values as read)             ``string`` (as a CSV cell)
============  ======================================  ==============================
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal, InvalidOperation
from itertools import islice
from types import ModuleType
from typing import IO, Any

from .. import wire
from ..errors import InvalidValue, MissingDependency
from .columns import (
    BOOL,
    DATE,
    DATETIME,
    DECIMAL,
    FLOAT,
    INT,
    STRING,
    STRINGS,
    TEXT,
    Column,
    RowMaker,
    cell,
)

__all__ = [
    "DEFAULT_ROW_GROUP_SIZE",
    "arrow_schema",
    "require",
    "require_pandas",
    "to_dataframe",
    "write_parquet",
]

#: rows per Parquet row group: one group is in memory at a time (about 10 MB for customers)
DEFAULT_ROW_GROUP_SIZE = 10_000
#: Money amounts: 29 digits before the point, 9 after
DECIMAL_PRECISION, DECIMAL_SCALE = 38, 9


def require(module: str, extra: str, what: str) -> ModuleType:
    """``module`` imported, or MissingDependency saying which extra brings it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingDependency(
            f"{what} needs {module.split('.')[0]}, which is not installed: "
            f"pip install 'contacthub-like[{extra}]'",
            extra=extra,
            package=module.split(".")[0],
        ) from exc


def _date(value: Any, column: Column) -> Any:
    return None if value is None else wire.parse_date(value, field=column.name)


def _datetime(value: Any, column: Column) -> Any:
    if value is None:
        return None
    return wire.parse_datetime(value, field=column.name).astimezone(dt.timezone.utc)


def _decimal(value: Any, column: Column) -> Any:
    if value is None or isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"{column.name} must be a decimal amount, got {value!r}") from None


def _text(value: Any, column: Column) -> Any:
    return None if value is None else cell(value)


#: kind -> what a wire value becomes before a typed column takes it (absent: taken as it is)
_PARSE: dict[str, Callable[[Any, Column], Any]] = {DATE: _date, DATETIME: _datetime, DECIMAL: _decimal}


def _typed(values: list[Any], column: Column, parse: Callable[[Any, Column], Any] | None) -> list[Any]:
    if parse is None:
        return values
    try:
        return [parse(value, column) for value in values]
    except ValueError as exc:
        raise InvalidValue(
            f"column {column.name} is declared {column.kind} but {exc}; leave the column out "
            "(fields=, --fields) or read it as JSON Lines"
        ) from None


# -- pandas -----------------------------------------------------------------------------------------

_PANDAS_DTYPES = {STRING: "string", INT: "Int64", FLOAT: "float64", BOOL: "boolean"}


def require_pandas() -> ModuleType:
    """pandas, or MissingDependency naming the ``pandas`` extra (checked before any request)."""
    return require("pandas", "pandas", "to_pandas()")


def to_dataframe(rows: Iterable[dict[str, Any]], maker: RowMaker) -> Any:
    """A DataFrame of the rows ``maker`` made, one typed column per ``maker.columns``.

    ``rows`` may be a generator: the columns are read from ``maker`` once it is exhausted
    (an entity class learnt from the first row), and the rows are kept only as column lists.
    """
    pd = require_pandas()
    data: dict[str, list[Any]] = {}
    for row in rows:
        if not data:
            data = {column.name: [] for column in maker.columns}
        for name, values in data.items():
            values.append(row[name])
    columns = maker.columns
    series = {}
    for column in columns:
        values = _typed(data.pop(column.name, []), column, _PARSE.get(column.kind))
        if column.kind == DATE:  # microseconds: the range of datetime.date, whatever pandas infers
            series[column.name] = pd.to_datetime(pd.Series(values, dtype=object)).astype("datetime64[us]")
        elif column.kind == DATETIME:
            instants = pd.to_datetime(pd.Series(values, dtype=object), utc=True)
            series[column.name] = instants.astype("datetime64[us, UTC]")
        elif column.kind in _PANDAS_DTYPES:
            series[column.name] = _series(pd, values, column)
        else:
            series[column.name] = pd.Series(values, dtype=object)
    return pd.DataFrame(series, columns=[column.name for column in columns])


def _series(pd: ModuleType, values: list[Any], column: Column) -> Any:
    try:
        return pd.Series(values, dtype=_PANDAS_DTYPES[column.kind])
    except (TypeError, ValueError) as exc:
        raise InvalidValue(
            f"column {column.name} is declared {column.kind} but holds other values ({exc}); "
            "leave it out (fields=) or read the rows with to_records()"
        ) from None


# -- Arrow and Parquet ------------------------------------------------------------------------------


def arrow_schema(columns: list[Column]) -> Any:
    """The Arrow schema of ``columns``: one nullable field each, typed by its kind."""
    pa = require("pyarrow", "parquet", "Parquet output")
    types = {
        STRING: pa.string(),
        INT: pa.int64(),
        FLOAT: pa.float64(),
        DECIMAL: pa.decimal128(DECIMAL_PRECISION, DECIMAL_SCALE),
        BOOL: pa.bool_(),
        DATE: pa.date32(),
        DATETIME: pa.timestamp("us", tz="UTC"),
        STRINGS: pa.list_(pa.string()),
        TEXT: pa.string(),
    }
    return pa.schema([pa.field(column.name, types[column.kind]) for column in columns])


def _arrow_table(pa: ModuleType, chunk: list[Sequence[Any]], columns: list[Column], schema: Any) -> Any:
    arrays = []
    for index, (column, field) in enumerate(zip(columns, schema, strict=True)):
        parse = _text if column.kind == TEXT else _PARSE.get(column.kind)
        values = _typed([row[index] for row in chunk], column, parse)
        if column.kind == FLOAT:
            values = [float(v) if isinstance(v, int) and not isinstance(v, bool) else v for v in values]
        try:
            arrays.append(pa.array(values, type=field.type))
        except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
            raise InvalidValue(
                f"column {column.name} is declared {column.kind} but holds a value Arrow cannot store "
                f"as {field.type} ({exc}); leave it out (--fields) or export as JSON Lines"
            ) from None
    return pa.Table.from_arrays(arrays, schema=schema)


def _chunks(rows: Iterable[Sequence[Any]], size: int) -> Iterator[list[Sequence[Any]]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def write_parquet(
    rows: Iterable[Sequence[Any]],
    target: str | os.PathLike[str] | IO[bytes],
    columns: list[Column],
    *,
    row_group_size: int = DEFAULT_ROW_GROUP_SIZE,
) -> int:
    """Write ``rows`` (values in the order of ``columns``) to a Parquet file; the number of rows.

    ``row_group_size`` rows make a row group, and only one group's rows are in memory at a
    time, so the file may hold any number of rows.
    An empty ``rows`` still writes a file with the schema (and no row group).
    """
    if isinstance(row_group_size, bool) or not isinstance(row_group_size, int) or row_group_size < 1:
        raise InvalidValue(f"row_group_size must be a positive int (rows per group), got {row_group_size!r}")
    pa = require("pyarrow", "parquet", "Parquet output")
    pq = require("pyarrow.parquet", "parquet", "Parquet output")
    schema = arrow_schema(columns)
    written = 0
    with pq.ParquetWriter(target, schema) as writer:
        for chunk in _chunks(rows, row_group_size):
            writer.write_table(_arrow_table(pa, chunk, columns, schema), row_group_size=row_group_size)
            written += len(chunk)
    return written

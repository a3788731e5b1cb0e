"""Entities as flat rows: dotted column names (``base.contacts.email``) and the kind of value each holds.

One flattening serves every tabular output, so a column is named and filled the same way
whichever way the rows leave: ``export`` (CSV, JSON Lines with ``--fields``, Parquet),
:meth:`PaginatedList.to_records <contacthub_like.PaginatedList.to_records>` and
``to_pandas()``. A row is read from an entity's document (``to_dict()``, the wire form: dates
as ISO strings), so ``to_records()`` and a JSON Lines export with the same fields hold the same
values.

The query layer sits below the ORM (``.importlinter``), so it knows field classes by their
names, as :class:`~contacthub_like.query.criteria.Path` knows fields by their methods.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import attrs

from ..errors import InvalidType, InvalidValue

__all__ = [
    "Column",
    "cell",
    "ColumnKind",
    "RowMaker",
    "column_of",
    "entity_of",
    "field_kind",
    "flat_values",
    "get_path",
    "leaf_columns",
    "project",
    "resolve_columns",
]

#: what a column holds; each tabular writer maps these to its own types
ColumnKind = str
STRING, INT, FLOAT, DECIMAL, BOOL, DATE, DATETIME, STRINGS, TEXT = (
    "string",
    "int",
    "float",
    "decimal",
    "bool",
    "date",
    "datetime",
    "list[string]",
    "text",  # anything else (objects, lists of objects, free-form values): written as CSV writes it
)

#: field class name -> kind; the first class of a field's MRO found here decides
_KIND_OF_CLASS: dict[str, ColumnKind] = {
    "Choice": STRING,
    "String": STRING,
    "Integer": INT,
    "Number": FLOAT,
    "Money": DECIMAL,
    "Boolean": BOOL,
    "Date": DATE,
    "DateTime": DATETIME,
}


@attrs.frozen
class Column:
    """One column: its dotted name (the document path) and the kind of value it holds."""

    name: str
    kind: ColumnKind = TEXT

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(self.name.split("."))


def get_path(doc: Any, path: Sequence[str]) -> Any:
    """The value at ``path`` in a nested document; None where a section or key is missing."""
    for name in path:
        if not isinstance(doc, dict):
            return None
        doc = doc.get(name)
    return doc


def project(doc: dict[str, Any], paths: Sequence[Sequence[str]]) -> dict[str, Any]:
    """Only the given paths of ``doc``, flattened: ``{"base.firstName": "Bruce"}``."""
    return {".".join(p): get_path(doc, p) for p in paths}


def cell(value: Any) -> str:
    """A value as one text cell: empty for None, JSON for lists and objects (the importer reads them back)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def flat_values(doc: dict[str, Any], names: Sequence[str], paths: Sequence[Sequence[str]]) -> list[Any]:
    """The values of ``names`` in ``doc``, whether it is already flat (``project``) or a whole document."""
    return [
        doc[name] if name in doc else get_path(doc, path) for name, path in zip(names, paths, strict=True)
    ]


def _class_names(field: Any) -> list[str]:
    return [klass.__name__ for klass in type(field).__mro__]


def field_kind(field: Any) -> ColumnKind:
    """The kind of a column holding ``field``'s values (TEXT for sections, free-form values, unknowns)."""
    names = _class_names(field)
    for name in names:
        kind = _KIND_OF_CLASS.get(name)
        if kind is not None:
            return kind
    if "ListOf" in names and getattr(field, "item", None) is not None:
        if field_kind(field.item) == STRING:
            return STRINGS
    return TEXT


def _fields_of(record_cls: Any) -> dict[str, Any]:
    meta = getattr(record_cls, "_meta", None)
    return dict(meta.fields) if meta is not None else {}


def leaf_columns(record_cls: Any, prefix: str = "") -> Iterator[Column]:
    """Every leaf of ``record_cls``'s schema in declaration order; nested sections are flattened."""
    for name, field in _fields_of(record_cls).items():
        dotted = f"{prefix}{name}"
        nested = getattr(field, "record_cls", None)
        if nested is not None and "Nested" in _class_names(field):
            yield from leaf_columns(nested, f"{dotted}.")
        else:
            yield Column(dotted, field_kind(field))


def column_of(entity: Any, dotted: str) -> Column:
    """The column for the path ``dotted`` of ``entity``; a name the schema refuses raises InvalidValue.

    The column is named by the document's keys, so an attribute spelt differently on the wire
    (NetSapiens' ``post_url``, ``post-url`` in the JSON) reads the value that is there. A path
    into a free-form section (``extended.loyalty``) is TEXT: its values have no declared type.
    """
    parts = dotted.split(".")
    if not all(parts):
        raise InvalidValue(
            f"{dotted!r} is not a field path; write names separated by dots, e.g. base.firstName"
        )
    meta = getattr(entity, "_meta", None)
    fields = _fields_of(entity)
    field = fields.get(meta.aliases.get(parts[0], parts[0]) if meta is not None else parts[0])
    if field is None:
        known = ", ".join(sorted(fields)) or "(none)"
        raise InvalidValue(f"{_name(entity)} has no attribute {parts[0]!r}; known: {known}")
    keys = [field.name or parts[0]]
    for i, name in enumerate(parts[1:], start=1):
        if "FreeForm" in _class_names(field):
            return Column(".".join([*keys, *parts[i:]]), TEXT)
        child = field.child(name)
        if child is None:
            where = ".".join(parts[:i])
            record_cls = getattr(field, "record_cls", None)
            known = ", ".join(sorted(_fields_of(record_cls))) if record_cls is not None else ""
            hint = f"; known: {known}" if known else " (it is a single value)"
            raise InvalidValue(f"{where} has no attribute {name!r}{hint}")
        field = child
        keys.append(field.name or name)
    return Column(".".join(keys), field_kind(field))


def resolve_columns(entity: Any, columns: Iterable[str] | None) -> list[Column]:
    """The columns to write: the named ones (checked against ``entity``), else every leaf of its schema."""
    if columns is None:
        return list(leaf_columns(entity))
    if isinstance(columns, str):
        raise InvalidType(
            f"fields must be a list of dotted paths, e.g. ['externalId', 'base.firstName'], got {columns!r}"
        )
    names = list(columns)
    wrong = [c for c in names if not isinstance(c, str)]
    if wrong:
        raise InvalidType(f"fields must be dotted paths (str), got {wrong[0]!r} in {names!r}")
    names = [c.strip() for c in names]
    if not names or not all(names):
        raise InvalidValue(f"fields must name at least one path and no empty ones, got {names!r}")
    if entity is None:
        return [Column(name) for name in names]
    return [column_of(entity, name) for name in names]


def _name(entity: Any) -> str:
    return getattr(entity, "__name__", None) or repr(entity)


def entity_of(wrap: Any) -> Any:
    """The entity class a list's ``wrap`` function builds, when it is a query's (None otherwise).

    Knowing it before the first page lets a misspelt column fail before any request, and gives
    an empty result its columns.
    """
    entity = getattr(wrap, "entity", None)  # an EntityWrapper (see query.pager.entity_wrapper)
    return entity if isinstance(entity, type) and hasattr(entity, "_meta") else None


class RowMaker:
    """Turns entities into flat rows: the one piece of code behind the sync and async ``to_records()``.

    The columns are fixed by the entity class when it is known up front, else by the first
    entity seen, so every row of a result has the same keys in the same order, whatever
    sections a document lacks.
    """

    __slots__ = ("_requested", "_columns", "_paths")

    def __init__(self, columns: Iterable[str] | None = None, entity: Any = None) -> None:
        self._requested = None if columns is None else resolve_columns(None, columns)
        self._columns: list[Column] | None = None
        self._paths: list[tuple[str, ...]] = []
        if entity is not None:
            self._fix(entity)

    def _fix(self, entity: Any) -> None:
        names = None if self._requested is None else [c.name for c in self._requested]
        self._columns = resolve_columns(entity, names)
        self._paths = [column.path for column in self._columns]

    @property
    def columns(self) -> list[Column]:
        """The columns of the rows; before any row of an unknown entity, the requested ones (or none)."""
        if self._columns is not None:
            return self._columns
        return list(self._requested or ())

    def row(self, entity: Any) -> dict[str, Any]:
        """``entity``'s values for the columns, read from its document (``to_dict()``)."""
        if self._columns is None:
            self._fix(type(entity))
        return project(entity.to_dict(), self._paths)

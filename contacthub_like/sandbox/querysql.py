"""Compile the hub's ``query`` grammar (research §5) to an SQL condition over SQLite's JSON functions.

Only fixed SQL text and whitelisted column names are ever written into the statement;
every value and every JSON path is a bound parameter.  The result is a ``(sql, params)``
pair that a resource ANDs into its ``WHERE`` clause, so filtering, counting and paging
all happen inside SQLite.

Attributes are dotted paths from the document root.  An :class:`EntitySchema` tells the
compiler which paths live in indexed columns, which paths cross arrays of objects (a
condition then matches when *any* element matches, and its negation when *none* does)
which paths hold dates or date-times (so ``base.dob`` can be compared with
``'1994-06-10T00:00:00Z'`` and ``registeredAt`` with epoch milliseconds), and which hold
decimal amounts stored as strings (compared as exact integers of millionths, so
``'100'`` equals ``'100.00'`` and ``'9.5' < '10'``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from ..money import MAX_FRACTION_DIGITS, amount_units
from .errors import HubError, field_error
from .timefmt import MIDNIGHT_SUFFIX, parse_date, parse_datetime, to_hub_datetime

OPERATORS = (
    "EQUALS",
    "NOT_EQUALS",
    "GT",
    "GTE",
    "LT",
    "LTE",
    "IN",
    "NOT_IN",
    "IS_NULL",
    "IS_NOT_NULL",
    "BETWEEN",
)
_NEGATIVE = {"NOT_EQUALS": "EQUALS", "NOT_IN": "IN", "IS_NULL": "IS_NOT_NULL"}
_COMPARE = {"GT": ">", "GTE": ">=", "LT": "<", "LTE": "<="}
# a path segment: no separators or quoting characters, and no control characters (SQLite stops a
# JSON path at NUL, which would turn a bad attribute into a database error instead of a 400)
_SEGMENT = re.compile(r'^[^."\[\]\\\x00-\x1f\x7f]+$')
MAX_DEPTH = 32
MAX_CONDITIONS = 500

DATE = "date"
DATETIME = "datetime"
DECIMAL = "decimal"


@dataclass(frozen=True)
class EntitySchema:
    """What the compiler must know about one stored entity."""

    doc_column: str = "doc"
    # attribute -> indexed column, or a fixed SQL expression with an expression index behind it
    columns: dict[str, str] = field(default_factory=dict)
    arrays: frozenset[str] = frozenset()  # attribute paths of arrays of objects
    # attribute -> DATE | DATETIME | DECIMAL (a DECIMAL attribute mapped in ``columns`` is an integer
    # column of millionths; elsewhere it is a decimal string in the document)
    temporal: dict[str, str] = field(default_factory=dict)


class QueryError(HubError):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(400, "query is not valid", errors=[field_error(path, message, "INVALID_QUERY")])


def json_path(segments: list[str]) -> str:
    return "$" + "".join(f'."{s}"' for s in segments)


def parse_query_param(text: str) -> Any:
    from .context import loads_strict

    try:
        return loads_strict(text)
    except (ValueError, RecursionError):
        raise QueryError("", "the query parameter is not valid JSON") from None


class _Compiler:
    def __init__(self, schema: EntitySchema) -> None:
        self.schema = schema
        self.params: list[Any] = []
        self.count = 0
        self.alias = 0

    # -- queries -----------------------------------------------------------------------------
    def top(self, doc: Any) -> str:
        if not isinstance(doc, dict):
            raise QueryError("", "the query must be a JSON object")
        if "query" not in doc:
            raise QueryError("/query", "'query' is required")
        return self.query(doc["query"], "/query", 0)

    def query(self, q: Any, ptr: str, depth: int) -> str:
        if depth > MAX_DEPTH:
            raise QueryError(ptr, f"queries nest deeper than {MAX_DEPTH} levels")
        if not isinstance(q, dict):
            raise QueryError(ptr, "a query must be an object")
        qtype = q.get("type")
        if qtype == "simple":
            if q.get("did") is not None:
                raise QueryError(ptr + "/did", "'did' clauses are not supported by this hub")
            are = q.get("are")
            if are is None:
                return "1"
            if not isinstance(are, dict):
                raise QueryError(ptr + "/are", "'are' must be an object")
            if are.get("condition") is None:
                return "1"
            return self.condition(are["condition"], ptr + "/are/condition", depth + 1)
        if qtype == "combined":
            conj = q.get("conjunction")
            if not isinstance(conj, str) or conj.upper() not in ("INTERSECT", "UNION", "EXCEPT"):
                raise QueryError(ptr + "/conjunction", "conjunction must be INTERSECT, UNION or EXCEPT")
            queries = q.get("queries")
            if not isinstance(queries, list) or not queries:
                raise QueryError(ptr + "/queries", "'queries' must be a non-empty array")
            parts = [self.query(sub, f"{ptr}/queries/{i}", depth + 1) for i, sub in enumerate(queries)]
            conj = conj.upper()
            if conj == "INTERSECT":
                return "(" + " AND ".join(parts) + ")"
            if conj == "UNION":
                return "(" + " OR ".join(parts) + ")"
            head, rest = parts[0], parts[1:]
            return "(" + " AND ".join([head] + [f"NOT IFNULL({p}, 0)" for p in rest]) + ")"
        raise QueryError(ptr + "/type", "query type must be 'simple' or 'combined'")

    def condition(self, c: Any, ptr: str, depth: int) -> str:
        if depth > MAX_DEPTH:
            raise QueryError(ptr, f"conditions nest deeper than {MAX_DEPTH} levels")
        if not isinstance(c, dict):
            raise QueryError(ptr, "a condition must be an object")
        self.count += 1
        if self.count > MAX_CONDITIONS:
            raise QueryError(ptr, f"a query may hold at most {MAX_CONDITIONS} conditions")
        ctype = c.get("type")
        if ctype == "atomic":
            return self.atomic(c, ptr)
        if ctype == "composite":
            conj = c.get("conjunction")
            if not isinstance(conj, str) or conj.lower() not in ("and", "or"):
                raise QueryError(ptr + "/conjunction", "conjunction must be 'and' or 'or'")
            conds = c.get("conditions")
            if not isinstance(conds, list) or not conds:
                raise QueryError(ptr + "/conditions", "'conditions' must be a non-empty array")
            parts = [self.condition(sub, f"{ptr}/conditions/{i}", depth + 1) for i, sub in enumerate(conds)]
            joiner = " AND " if conj.lower() == "and" else " OR "
            return "(" + joiner.join(parts) + ")"
        raise QueryError(ptr + "/type", "condition type must be 'atomic' or 'composite'")

    # -- atomic conditions -------------------------------------------------------------------
    def atomic(self, c: dict[str, Any], ptr: str) -> str:
        attr = c.get("attribute")
        if not isinstance(attr, str) or not attr:
            raise QueryError(ptr + "/attribute", "'attribute' must be a non-empty string")
        segments = attr.split(".")
        if not all(_SEGMENT.match(s) for s in segments):
            raise QueryError(ptr + "/attribute", f"{attr!r} is not a valid attribute path")
        op = c.get("operator")
        if op not in OPERATORS:
            raise QueryError(ptr + "/operator", f"operator must be one of {', '.join(OPERATORS)}")
        has_value = "value" in c
        value = _bindable(c.get("value"))
        vptr = ptr + "/value"
        if op in ("IS_NULL", "IS_NOT_NULL"):
            pass
        elif not has_value:
            raise QueryError(vptr, f"operator {op} needs a value")
        elif op == "BETWEEN":
            if not isinstance(value, list) or len(value) != 2 or not all(_is_scalar(v) for v in value):
                raise QueryError(vptr, "BETWEEN needs a two-element array [low, high] of strings or numbers")
        elif op in _COMPARE:
            if not _is_scalar(value):
                raise QueryError(vptr, f"operator {op} needs a string or number value")
        elif op in ("IN", "NOT_IN"):
            if isinstance(value, list):
                if not all(_is_scalar(v) or v is None for v in value):
                    raise QueryError(vptr, f"operator {op} needs a scalar or an array of scalars")
            elif not (_is_scalar(value) or value is None):
                raise QueryError(vptr, f"operator {op} needs a scalar or an array of scalars")

        negate = op in _NEGATIVE
        positive = _NEGATIVE.get(op, op)
        sql = self.scoped(attr, segments, positive, value, vptr)
        return f"(NOT IFNULL({sql}, 0))" if negate else sql

    def scoped(self, attr: str, segments: list[str], op: str, value: Any, vptr: str) -> str:
        """Walk the path: root columns, arrays of objects (EXISTS over json_each), then the leaf."""
        kind = self.schema.temporal.get(attr)
        column = self.schema.columns.get(attr)
        if column is not None:
            return self.leaf(column, None, op, value, kind, vptr, column=True)
        source = self.schema.doc_column
        start = 0
        opened: list[str] = []
        for i in range(1, len(segments)):
            prefix = ".".join(segments[:i])
            if prefix in self.schema.arrays:
                alias = f"j{self.alias}"
                self.alias += 1
                self.params.append(json_path(segments[start:i]))
                opened.append(f"EXISTS (SELECT 1 FROM json_each({source}, ?) AS {alias} WHERE ")
                source = f"{alias}.value"
                start = i
        sql = self.leaf(source, json_path(segments[start:]), op, value, kind, vptr)
        for head in reversed(opened):
            sql = head + sql + ")"
        return sql

    def leaf(
        self,
        source: str,
        path: str | None,
        op: str,
        value: Any,
        kind: str | None,
        vptr: str,
        column: bool = False,
    ) -> str:
        def expr() -> str:
            if path is None:
                return source
            self.params.append(path)
            return f"json_extract({source}, ?)"

        if op == "IS_NOT_NULL":
            x = expr()
            if column:
                return f"({x} IS NOT NULL)"
            self.params.append(path)
            return f"({x} IS NOT NULL AND json_extract({source}, ?) IS NOT '[]')"

        values = value if isinstance(value, list) else [value]
        if op == "EQUALS" and isinstance(value, (list, dict)):
            x = expr()
            self.params.append(json.dumps(value, separators=(",", ":")))
            return f"({x} = json(?))"
        values, wrap = self.temporal(values, kind, vptr, column)

        if op == "EQUALS":
            x = wrap(expr())
            if value is None:
                return f"({x} IS NULL)"
            self.params.append(values[0])
            return f"({x} = ?)"
        if op in _COMPARE:
            x = wrap(expr())
            self.params.append(values[0])
            return f"({x} {_COMPARE[op]} ?)"
        if op == "BETWEEN":
            x = wrap(expr())
            self.params.extend(values)
            return f"({x} BETWEEN ? AND ?)"
        # IN: "the attribute (or an element of the list attribute) equals the value / one of the values"
        present = [v for v in values if v is not None]
        null_test = None in values
        if column:
            x = source
            parts = []
            if present:
                self.params.extend(present)
                parts.append(f"{x} IN ({', '.join('?' * len(present))})")
            if null_test:
                parts.append(f"{x} IS NULL")
            return "(" + (" OR ".join(parts) or "0") + ")"
        parts = []
        if present:
            self.params.append(path)
            self.params.extend(present)
            v = wrap("value")
            parts.append(
                f"EXISTS (SELECT 1 FROM json_each({source}, ?) WHERE {v} IN "
                f"({', '.join('?' * len(present))}))"
            )
        if null_test:
            self.params.append(path)
            parts.append(f"(json_extract({source}, ?) IS NULL)")
        return "(" + (" OR ".join(parts) or "0") + ")"

    def temporal(
        self, values: list[Any], kind: str | None, vptr: str, column: bool = False
    ) -> tuple[list[Any], Any]:
        """Convert comparison values to the stored sortable form; say how to wrap the stored side."""
        ident = lambda x: x  # noqa: E731
        present = [v for v in values if v is not None]
        if kind == DECIMAL:
            out: list[Any] = []
            for v in values:
                units = None if v is None else amount_units(v)
                if units is not None and not -(2**63) <= units < 2**63:
                    raise QueryError(vptr, f"{v!r} is out of range for an amount")
                if v is not None and units is None:
                    raise QueryError(
                        vptr,
                        f"{v!r} is not a decimal amount (a string such as '12.50', at most "
                        f"{MAX_FRACTION_DIGITS} digits after the point)",
                    )
                out.append(units)
            return out, ident if column else (lambda x: f"hub_dec({x})")
        if kind == DATETIME:
            out = []
            for v in values:
                if v is None:
                    out.append(None)
                    continue
                converted = to_hub_datetime(v)
                if converted is None:
                    raise QueryError(vptr, f"{v!r} is not a date-time (ISO-8601 or epoch milliseconds)")
                out.append(converted)
            return out, ident
        if kind == DATE:
            if all(isinstance(v, str) and parse_date(v) is not None for v in present):
                return values, ident
            out = []
            for v in values:
                converted = None if v is None else to_hub_datetime(v)
                if v is not None and converted is None:
                    raise QueryError(
                        vptr, f"{v!r} is not a date (YYYY-MM-DD), a date-time or epoch milliseconds"
                    )
                out.append(converted)
            return out, lambda x: f"({x} || '{MIDNIGHT_SUFFIX}')"
        # Free-form attribute: date-times sent by clients are compared in the canonical form.
        if present and any(isinstance(v, str) and parse_datetime(v) is not None for v in present):
            out = [to_hub_datetime(v) if isinstance(v, str) and to_hub_datetime(v) else v for v in values]
            return out, lambda x: f"hub_ts({x})"
        return values, ident


def _bindable(value: Any) -> Any:
    """SQLite integers are 64-bit: larger JSON integers are compared as floats instead of overflowing."""
    if isinstance(value, int) and not isinstance(value, bool) and not -(2**63) <= value < 2**63:
        return float(value)
    if isinstance(value, list):
        return [_bindable(v) for v in value]
    return value


def _is_scalar(value: Any) -> bool:
    return isinstance(value, (str, int, float)) and not (isinstance(value, float) and value != value)


def compile_query(doc: Any, schema: EntitySchema) -> tuple[str, list[Any]]:
    """``{"name":..., "query": {...}}`` -> ``(sql_condition, params)``; raises QueryError (400)."""
    compiler = _Compiler(schema)
    sql = compiler.top(doc)
    return sql, compiler.params


def sort_clause(sort_values: list[str], schema: EntitySchema) -> tuple[str, list[Any]]:
    """``sort=field[,asc|desc]`` (repeat the parameter for several keys) -> ORDER BY terms."""
    terms: list[str] = []
    params: list[Any] = []
    for raw in sort_values:
        parts = [p.strip() for p in raw.split(",")]
        name = parts[0]
        direction = parts[1].lower() if len(parts) > 1 else "asc"
        if len(parts) > 2 or direction not in ("asc", "desc"):
            raise HubError(
                400,
                "sort is not valid",
                errors=[
                    field_error(
                        "/sort",
                        f"sort must be 'field', 'field,asc' or 'field,desc', got {raw!r}",
                        "INVALID_SORT",
                    )
                ],
            )
        segments = name.split(".")
        if not name or not all(_SEGMENT.match(s) for s in segments):
            raise HubError(
                400,
                "sort is not valid",
                errors=[field_error("/sort", f"{name!r} is not a valid attribute path", "INVALID_SORT")],
            )
        column = schema.columns.get(name)
        if column is not None:
            terms.append(f"{column} {direction.upper()}")
        else:
            params.append(json_path(segments))
            expr = f"json_extract({schema.doc_column}, ?)"
            if schema.temporal.get(name) == DECIMAL:
                expr = f"hub_dec({expr})"
            terms.append(f"{expr} {direction.upper()}")
    return ", ".join(terms), params

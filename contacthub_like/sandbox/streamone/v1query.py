"""v1 list parameters: ``filter[field]`` / ``filter[field:modifier]``, ``sort[field]``, ``relations``,
``limit`` / ``offset``, compiled to SQL over a resource's declared fields.

Read from the raw query string in the order sent (sorts apply in that order).  The seed SDK never
percent-encodes, so a partial filter arrives as ``filter[name:partial]=Jo%``; a ``%`` that does not
start an escape stays a literal ``%`` when decoded, which is the wildcard.  Every unknown field,
modifier, direction or relation is a 400 that lists what is accepted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs
from starlette.requests import Request

from .body import MAX_INT, parse_int
from .errors import invalid

_FILTER_KEY = re.compile(r"^filter\[([^\]:]*)(?::([^\]]*))?\]$")
_SORT_KEY = re.compile(r"^sort\[([^\]]*)\]$")
_OPERATORS = {"gt": ">", "lt": "<", "gte": ">=", "lte": "<=", "min": ">=", "max": "<="}
MODIFIERS = ("exact", "partial", *_OPERATORS)
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


@attrs.frozen
class Field:
    """One filterable and sortable field: its SQL expression and how its values compare."""

    sql: str
    kind: str = "text"  # text | int | date | decimal


@attrs.define
class ListQuery:
    where: list[str] = attrs.field(factory=list)
    params: list[Any] = attrs.field(factory=list)
    order: list[str] = attrs.field(factory=list)
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    relations: list[str] = attrs.field(factory=list)

    def where_sql(self) -> str:
        return " AND ".join(f"({w})" for w in self.where) if self.where else "1"

    def order_sql(self, tiebreak: str) -> str:
        return ", ".join([*self.order, tiebreak])


def _value(name: str, field: Field, raw: str, key: str) -> Any:
    if field.kind == "int":
        try:
            number = int(raw)
        except ValueError:
            raise invalid(key, f"{name} is an integer; {raw!r} is not") from None
        if abs(number) > MAX_INT:
            raise invalid(key, f"{name} is a 64-bit integer; {raw} is out of range")
        return number
    if field.kind == "decimal":
        try:
            return str(Decimal(raw))
        except InvalidOperation:
            raise invalid(key, f"{name} is a decimal amount such as 12.50; {raw!r} is not") from None
    if field.kind == "date":
        try:
            return date.fromisoformat(raw[:10]).isoformat()
        except ValueError:
            raise invalid(key, f"{name} is a date; send YYYY-MM-DD, not {raw!r}") from None
    return raw


def _like_pattern(raw: str) -> str:
    escaped = raw.replace("\\", "\\\\").replace("_", "\\_")
    return escaped if "%" in raw else f"%{escaped}%"


def _condition(name: str, field: Field, modifier: str, raw: str, key: str) -> tuple[str, Any]:
    if modifier == "partial":
        return f"CAST({field.sql} AS TEXT) LIKE ? ESCAPE '\\'", _like_pattern(raw)
    value = _value(name, field, raw, key)
    op = "=" if modifier == "exact" else _OPERATORS[modifier]
    if field.kind == "decimal":
        return f"hub_dec({field.sql}) {op} hub_dec(?)", value
    if field.kind == "text" and op == "=":
        return f"{field.sql} = ? COLLATE NOCASE", value
    return f"{field.sql} {op} ?", value


def _sort_expr(field: Field) -> str:
    return f"hub_dec({field.sql})" if field.kind == "decimal" else field.sql


def parse_list_query(
    request: Request,
    fields: Mapping[str, Field],
    relations: tuple[str, ...],
    default_relations: tuple[str, ...] = (),
) -> ListQuery:
    """Compile the request's v1 list parameters against ``fields``; other parameters are the route's."""
    query = ListQuery(relations=list(default_relations))
    known = ", ".join(sorted(fields))
    for key, raw in request.query_params.multi_items():
        if key == "limit":
            query.limit = parse_int("limit", raw, minimum=0, maximum=MAX_LIMIT)
        elif key == "offset":
            query.offset = parse_int("offset", raw)
        elif key == "relations":
            query.relations = [r.strip() for r in raw.split(",") if r.strip()]
            unknown = [r for r in query.relations if r not in relations]
            if unknown:
                allowed = ", ".join(relations) or "none"
                raise invalid("relations", f"unknown relation {unknown[0]!r}; this resource has: {allowed}")
        elif (match := _FILTER_KEY.match(key)) is not None:
            name, modifier = match.group(1), (match.group(2) or "exact").lower()
            if name not in fields:
                raise invalid(key, f"cannot filter on {name!r}; filterable fields: {known}")
            if modifier not in MODIFIERS:
                raise invalid(key, f"unknown modifier {modifier!r}; use one of {', '.join(MODIFIERS)}")
            sql, value = _condition(name, fields[name], modifier, raw, key)
            query.where.append(sql)
            query.params.append(value)
        elif (match := _SORT_KEY.match(key)) is not None:
            name, direction = match.group(1), raw.strip().lower()
            if name not in fields:
                raise invalid(key, f"cannot sort on {name!r}; sortable fields: {known}")
            if direction not in ("asc", "desc"):
                raise invalid(key, f"sort direction must be asc or desc, not {raw!r}")
            query.order.append(f"{_sort_expr(fields[name])} {direction.upper()}")
        elif key.startswith(("filter", "sort")):
            raise invalid(
                key, "write filters as filter[field] or filter[field:modifier], sorts as sort[field]"
            )
    return query

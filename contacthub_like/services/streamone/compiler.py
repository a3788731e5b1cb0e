"""StreamOne's query compilers: pure functions from criteria, sort and options to request parameters.

v1 (invoices, v1 customers)::

    filter[field]=v            ==             filter[field:gt]=v   >    (gte, lt, lte alike)
    filter[field:partial]=Jo%  .like("Jo%")   between_(f, a, b) -> filter[f:gte]=a & filter[f:lte]=b
    sort[field]=asc|desc       in order       relations=a,b       .relations("a", "b")

v3 lists filter on a few attributes each, by equality only (``filter.customerEmail=...``); the
attributes and parameter names are the entity's ``__filters__``.  What a dialect cannot express
(OR, NOT, ``in_``, ``!=``, two conditions on one parameter, v3 sorting) raises
:class:`~contacthub_like.errors.UnsupportedQuery` naming the part, or, with ``client_side()``,
runs in Python on each returned entity.  The transport percent-encodes every key and value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from ...errors import InvalidValue, UnsupportedQuery
from ...orm import Entity
from ...query.combination import Where
from ...query.criteria import Condition, SimpleOperators, SortKey
from ...query.split import leftover, split_and
from ...service import CompiledQuery

__all__ = ["compile_v1", "compile_v3", "V1_MODIFIERS"]

_OPS = SimpleOperators

#: criterion operator -> v1 filter modifier (None: the default, exact)
V1_MODIFIERS: Final[Mapping[str, str | None]] = {
    _OPS.EQUALS: None,
    _OPS.GT: "gt",
    _OPS.GTE: "gte",
    _OPS.LT: "lt",
    _OPS.LTE: "lte",
    _OPS.LIKE: "partial",
}
_V1_WHY = "v1 filters are an AND of field = / > / >= / < / <= / like / between value; no OR, NOT, in_ or !="


def _v1_filters(condition: Condition) -> list[tuple[str, Any]]:
    attribute = condition.attribute
    if condition.operator == _OPS.BETWEEN:
        low, high = condition.value
        return [(f"filter[{attribute}:gte]", low), (f"filter[{attribute}:lte]", high)]
    modifier = V1_MODIFIERS[condition.operator]
    key = f"filter[{attribute}]" if modifier is None else f"filter[{attribute}:{modifier}]"
    return [(key, condition.value)]


def _v1_expressible(condition: Condition) -> bool:
    return "." not in condition.attribute and (
        condition.operator in V1_MODIFIERS or condition.operator == _OPS.BETWEEN
    )


def compile_v1(
    entity_cls: type[Entity],
    where: Where,
    sort: Sequence[SortKey],
    *,
    client_side: bool,
    options: Mapping[str, Any],
) -> CompiledQuery:
    """``filter[...]``, ``sort[...]``, ``relations`` and ``customerId`` for a v1 list."""
    sent, rest = split_and(where, _v1_expressible)
    params: dict[str, Any] = {}
    for condition in sent:
        pairs = _v1_filters(condition)
        if any(key in params for key, _ in pairs):
            rest.append(condition)  # one parameter per field and modifier: the second runs in Python
            continue
        params.update(pairs)
    keep, shown = leftover(rest, client_side=client_side, api="StreamOne v1", why=_V1_WHY)
    for key in sort:
        name = f"sort[{key.attribute}]"
        if name in params:
            raise InvalidValue(f"{key.attribute} appears twice in order_by(); sort by each field once")
        params[name] = "desc" if key.descending else "asc"
    relations = options.get("relations")
    if relations is not None:
        params["relations"] = ",".join(relations)  # "" asks for no related entities at all
    customer = options.get("customer_id")
    if customer is not None:
        params["customerId"] = customer
    return CompiledQuery(params, keep, shown)


def compile_v3(
    entity_cls: type[Entity],
    where: Where,
    sort: Sequence[SortKey],
    *,
    client_side: bool,
    options: Mapping[str, Any],
) -> CompiledQuery:
    """The entity's ``__filters__`` parameters for a v3 list (equality only, no sorting)."""
    filters: Mapping[str, str] = getattr(entity_cls, "__filters__", {})
    if sort:
        raise UnsupportedQuery(
            f"StreamOne v3 cannot sort {entity_cls.__name__} lists; sort the results in Python "
            "(sorted(query, key=...)) or drop order_by()"
        )

    def expressible(condition: Condition) -> bool:
        return condition.operator == _OPS.EQUALS and condition.attribute in filters

    sent, rest = split_and(where, expressible)
    params: dict[str, Any] = {}
    for condition in sent:
        name = filters[condition.attribute]
        if name in params:
            rest.append(condition)
        else:
            params[name] = condition.value
    known = ", ".join(sorted(filters)) or "nothing"
    keep, shown = leftover(
        rest,
        client_side=client_side,
        api="StreamOne v3",
        why=f"{entity_cls.__name__} lists filter by equality on {known} only",
    )
    params.update(options.get("params") or {})
    return CompiledQuery(params, keep, shown)

"""ContactHub's query compiler: pure functions from criteria trees to the hub's query JSON and parameters.

The grammar (``shared/research/contacthub-api.md`` §5)::

    {"name": "query", "query": <simple | combined>}
    simple:    {"type": "simple", "name": "query", "are": {"condition": <condition>}}
    combined:  {"type": "combined", "name": "query", "conjunction": "INTERSECT|UNION|EXCEPT",
                "queries": [<simple | combined>, ...]}
    atomic:    {"type": "atomic", "attribute": "base.firstName", "operator": "EQUALS", "value": ...}
    composite: {"type": "composite", "conditions": [...], "conjunction": "and|or"}

Keys are emitted in the order the original SDK inserted them, so the serialised
string is byte-for-byte what its users and tests expect. The wire has no NOT:
negations are pushed down to the conditions by inverting operators and applying
De Morgan, and same-connector composites produced on the way are flattened.
Nothing here performs I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Final

from ... import wire
from ...errors import OperationNotPermitted, UnsupportedQuery
from ...query.combination import EXCEPT, INTERSECT, UNION, Combination, Where, normalize
from ...query.criteria import EMPTY, PATTERN_OPERATORS, Composite, Condition, Criterion, SortKey

__all__ = [
    "INTERSECT",
    "UNION",
    "EXCEPT",
    "Combination",
    "Where",
    "normalize",
    "compile_condition",
    "compile_where",
    "compile_query",
    "compile_sort",
    "build_params",
]

QUERY_NAME: Final = "query"


def _emit(criterion: Criterion) -> dict[str, Any]:
    if isinstance(criterion, Condition):
        if criterion.operator in PATTERN_OPERATORS:
            raise UnsupportedQuery(
                f"the hub has no text patterns ({criterion!r}): compare with == or in_() instead"
            )
        atomic: dict[str, Any] = {
            "type": "atomic",
            "attribute": criterion.attribute,
            "operator": criterion.operator,
        }
        if criterion.has_value:
            atomic["value"] = criterion.value
        return atomic
    assert isinstance(criterion, Composite)
    return {
        "type": "composite",
        "conditions": [_emit(child) for child in criterion.children],
        "conjunction": criterion.conjunction,
    }


def compile_condition(criterion: Criterion) -> dict[str, Any] | None:
    """The ``condition`` object for a criterion (atomic or composite); ``None`` for EMPTY."""
    if criterion is EMPTY:
        return None
    return _emit(normalize(criterion))


# --------------------------------------------------------------------------------------- queries
def compile_where(where: Where) -> dict[str, Any] | None:
    """The inner query object (simple or combined); ``None`` when nothing is filtered."""
    if isinstance(where, Combination):
        queries = []
        for part in where.parts:
            compiled = compile_where(part)
            if compiled is None:  # pragma: no cover - Combination refuses EMPTY parts
                raise OperationNotPermitted("Cannot combine empty queries.")
            queries.append(compiled)
        return {"type": "combined", "name": QUERY_NAME, "conjunction": where.conjunction, "queries": queries}
    condition = compile_condition(where)
    if condition is None:
        return None
    return {"type": "simple", "name": QUERY_NAME, "are": {"condition": condition}}


def compile_query(where: Where) -> dict[str, Any] | None:
    """The full ``query`` parameter object ``{"name": "query", "query": ...}``, or ``None``."""
    inner = compile_where(where)
    if inner is None:
        return None
    return {"name": QUERY_NAME, "query": inner}


def compile_sort(keys: Iterable[SortKey]) -> list[str]:
    """One ``field,asc|desc`` string per sort key, in order."""
    return [key.to_param() for key in keys]


def build_params(
    where: Where,
    sort: Sequence[SortKey] = (),
    *,
    size: int | None = None,
    page: int | None = None,
) -> dict[str, Any]:
    """Request parameters for one page of a query: only what is set.

    ``query`` is the JSON string (the wire encoder with default separators, as
    the original SDK sent it); ``sort`` is a string for one key and a list for
    several, so the HTTP client repeats the parameter (``sort=a,asc&sort=b,desc``);
    ``page`` is left out for page 0, which is the hub's default.
    """
    params: dict[str, Any] = {}
    compiled = compile_query(where)
    if compiled is not None:
        params["query"] = wire.dumps(compiled)
    sorts = compile_sort(sort)
    if len(sorts) == 1:
        params["sort"] = sorts[0]
    elif sorts:
        params["sort"] = sorts
    if size is not None:
        params["size"] = size
    if page:
        params["page"] = page
    return params

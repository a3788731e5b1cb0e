"""Criteria evaluated in Python on the documents an API returned: the part of a query it cannot express.

A service whose filter language lacks OR, NOT or IN sends the part it can express and, when
the query opted in with :meth:`~contacthub_like.query.Query.client_side`, keeps only the
documents this matcher accepts.  Values are compared in their wire form (the form the
condition holds), so ISO dates and numbers order as the API orders them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from ..errors import InvalidValue
from .combination import Combination, Where, normalize
from .criteria import EMPTY, ComplexOperators, Composite, Condition, Criterion, SimpleOperators

__all__ = ["matcher", "lookup"]

_MISSING = object()
_OPS = SimpleOperators


def lookup(document: Any, attribute: str) -> Any:
    """The value at a dotted attribute path of a document, or a marker when absent."""
    value = document
    for key in attribute.split("."):
        if not isinstance(value, Mapping) or key not in value:
            return _MISSING
        value = value[key]
    return value


def _compare(left: Any, operator: str, right: Any) -> bool:
    try:
        if operator == _OPS.GT:
            return bool(left > right)
        if operator == _OPS.GTE:
            return bool(left >= right)
        if operator == _OPS.LT:
            return bool(left < right)
        return bool(left <= right)
    except TypeError:  # values of different kinds never match an ordering
        return False


def _condition(condition: Condition) -> Callable[[Any], bool]:
    attribute, operator, expected = condition.attribute, condition.operator, condition.value
    pattern = _like_pattern(expected) if operator in (_OPS.LIKE, _OPS.NOT_LIKE) else None

    def test(document: Any) -> bool:
        value = lookup(document, attribute)
        absent = value is _MISSING or value is None
        if operator == _OPS.IS_NULL:
            return absent
        if operator == _OPS.IS_NOT_NULL:
            return not absent
        if absent:
            return operator in (_OPS.NOT_EQUALS, _OPS.NOT_IN, _OPS.NOT_LIKE)
        values = value if isinstance(value, list) else [value]
        if operator == _OPS.EQUALS:
            return any(v == expected for v in values)
        if operator == _OPS.NOT_EQUALS:
            return all(v != expected for v in values)
        if operator == _OPS.IN:
            options = expected if isinstance(expected, list) else [expected]
            return any(v in options for v in values)
        if operator == _OPS.NOT_IN:
            options = expected if isinstance(expected, list) else [expected]
            return all(v not in options for v in values)
        if pattern is not None:
            found = any(isinstance(v, str) and pattern.search(v) is not None for v in values)
            return found if operator == _OPS.LIKE else not found
        if operator == _OPS.BETWEEN:
            low, high = expected
            return any(_compare(v, _OPS.GTE, low) and _compare(v, _OPS.LTE, high) for v in values)
        return any(_compare(v, operator, expected) for v in values)

    return test


def _like_pattern(pattern: str) -> re.Pattern[str]:
    """``%`` is any run of characters, case is ignored; a pattern without ``%`` matches anywhere
    (what StreamOne v1's ``partial`` filter does)."""
    parts = [re.escape(part) for part in pattern.split("%")]
    body = ".*".join(parts)
    anchored = f"^{body}$" if "%" in pattern else body
    return re.compile(anchored, re.IGNORECASE | re.DOTALL)


def _criterion(criterion: Criterion) -> Callable[[Any], bool]:
    if isinstance(criterion, Condition):
        return _condition(criterion)
    assert isinstance(criterion, Composite)
    tests = [_criterion(child) for child in criterion.children]
    if criterion.conjunction == ComplexOperators.AND:
        return lambda document: all(test(document) for test in tests)
    return lambda document: any(test(document) for test in tests)


def matcher(where: Where) -> Callable[[Any], bool]:
    """A predicate over raw documents that accepts exactly what ``where`` selects."""
    if isinstance(where, Combination):
        raise InvalidValue("set operations between queries (&, |, - of queries) cannot run client-side")
    if where is EMPTY:
        return lambda document: True
    return _criterion(normalize(where))

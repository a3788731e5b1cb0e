"""Attribute paths and immutable criteria trees.

``Customer.base.firstName`` is a :class:`Path`; comparing it builds a
:class:`Condition`; ``&``, ``|`` and ``~`` build bigger trees. Nothing here
talks to the hub or knows the JSON grammar: :mod:`.compiler` turns a tree into
the wire form, so the algebra can be tested without HTTP.

Why the tree refuses to be used as a boolean: ``if Customer.base.firstName == 'x':``
or ``(a == 1) and (b == 2)`` would silently be "true" (or silently drop ``a``),
building a filter that is not the one written. Both raise :class:`TypeError`
telling the caller to use ``&`` / ``|`` instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar, Final

from .. import wire
from ..errors import InvalidType, InvalidValue
from .operators import (
    INVERSE_OPERATORS,
    NULL_OPERATORS,
    PATTERN_OPERATORS,
    ComplexOperators,
    SimpleOperators,
)
from .operators import SimpleOperators as _OPS
from .paths import Path, SortKey

__all__ = [
    "Path",
    "SortKey",
    "Criterion",
    "Condition",
    "Composite",
    "Not",
    "EMPTY",
    "SimpleOperators",
    "ComplexOperators",
    "in_",
    "not_in_",
    "between_",
    "PATTERN_OPERATORS",
    "all_of",
    "any_of",
]

_BOOL_MESSAGE = (
    "a query criterion has no truth value: combine criteria with '&' (and), '|' (or) and '~' (not), "
    "with parentheses around each comparison, e.g. (Customer.base.firstName == 'Bruce') & "
    "(Customer.base.lastName == 'Wayne'); Python's 'and', 'or', 'not' and 'if' cannot build a filter"
)


def _entity_name(entity: Any) -> str:
    return getattr(entity, "__name__", None) or repr(entity)


# ------------------------------------------------------------------------------------------ criteria
class _CriterionType(type):
    """Lets ``Criterion(first_element, operator, second_element)`` build a node, as the
    original SDK's constructor did, while the node classes keep their own signatures."""

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        if cls is Criterion:
            return _from_original_signature(*args, **kwargs)
        return super().__call__(*args, **kwargs)


class Criterion(metaclass=_CriterionType):
    """Base of every filter tree node. Immutable; combine with ``&``, ``|`` and ``~``.

    ``Criterion.SIMPLE_OPERATORS`` and ``Criterion.COMPLEX_OPERATORS`` keep the
    names of the original SDK's operator constants, and
    ``Criterion(first_element, operator, second_element=None)`` builds a
    condition (``Criterion(Customer.base.firstName, 'EQUALS', 'Bruce')``) or an
    ``and``/``or`` of two criteria, as the original constructor did.
    """

    __slots__ = ()

    SIMPLE_OPERATORS: ClassVar[type[SimpleOperators]] = SimpleOperators
    COMPLEX_OPERATORS: ClassVar[type[ComplexOperators]] = ComplexOperators

    # -- algebra -------------------------------------------------------------------------------
    def __and__(self, other: Criterion) -> Criterion:
        return _combine(ComplexOperators.AND, self, _require_criterion(other, "&"))

    def __rand__(self, other: Any) -> Criterion:
        return _combine(ComplexOperators.AND, _require_criterion(other, "&"), self)

    def __or__(self, other: Criterion) -> Criterion:
        return _combine(ComplexOperators.OR, self, _require_criterion(other, "|"))

    def __ror__(self, other: Any) -> Criterion:
        return _combine(ComplexOperators.OR, _require_criterion(other, "|"), self)

    def __invert__(self) -> Criterion:
        return Not(self)

    def __bool__(self) -> bool:
        raise InvalidType(_BOOL_MESSAGE)

    __iter__ = None

    # -- structure -----------------------------------------------------------------------------
    def entities(self) -> frozenset[Any]:
        """The entity classes whose paths this criterion uses (to catch ``Event.x`` in a Customer query)."""
        raise NotImplementedError

    def _key(self) -> tuple[Any, ...]:
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Criterion):
            return NotImplemented
        return type(self) is type(other) and self._key() == other._key()

    def __ne__(self, other: object) -> bool:
        if not isinstance(other, Criterion):
            return NotImplemented
        return not self == other

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._key()))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"criteria are immutable (cannot set {name!r}); build a new one with & | ~")

    def __copy__(self) -> Criterion:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Criterion:
        return self


class _Empty(Criterion):
    """No filter at all: the identity of both ``&`` and ``|``.

    Useful to fold a dynamic list of criteria (``crit = EMPTY; crit &= ...``);
    a query filtered by it sends no ``query`` parameter.
    """

    __slots__ = ()
    _instance: ClassVar[_Empty | None] = None

    def __new__(cls) -> _Empty:
        if cls._instance is None:
            type.__setattr__(cls, "_instance", object.__new__(cls))
        assert cls._instance is not None
        return cls._instance

    def __invert__(self) -> Criterion:
        return self

    def entities(self) -> frozenset[Any]:
        return frozenset()

    def _key(self) -> tuple[Any, ...]:
        return ()

    def __repr__(self) -> str:
        return "EMPTY"

    def __reduce__(self) -> str:
        return "EMPTY"


#: the empty criterion (matches everything; identity for ``&`` and ``|``)
EMPTY: Final[Criterion] = _Empty()


def _freeze(value: Any) -> Any:
    """A hashable, order-preserving image of a wire value (for equality and hashing)."""
    if isinstance(value, list):
        return ("__list__", tuple(_freeze(v) for v in value))
    if isinstance(value, dict):
        return ("__dict__", tuple((k, _freeze(v)) for k, v in value.items()))
    return (type(value).__name__, value)


def _thaw(value: Any) -> Any:
    """Deep copy of a wire value, so callers can never mutate a criterion through it."""
    if isinstance(value, list):
        return [_thaw(v) for v in value]
    if isinstance(value, dict):
        return {k: _thaw(v) for k, v in value.items()}
    return value


def _encode(path: Path, value: Any) -> Any:
    if isinstance(value, (Path, Criterion)):
        raise InvalidType(
            f"{path._attribute} can only be compared with a value (str, number, bool, date, datetime, "
            f"Decimal, list), not with {type(value).__name__}; the hub cannot compare two attributes"
        )
    field = path._field
    if field is not None:
        return field.to_wire(value)
    return wire.encode_value(value)


class Condition(Criterion):
    """An atomic condition ``attribute OPERATOR value``.

    The value is encoded to its wire form when the condition is built (through
    the field's ``to_wire`` when the model knows the attribute), so a bad value
    fails on the line that wrote it, and later changes to a list the caller
    passed in cannot alter the condition. ``value`` is that wire form; it is
    absent (``has_value`` false) for ``IS_NULL`` / ``IS_NOT_NULL``.
    """

    __slots__ = ("path", "operator", "_value", "_frozen")

    path: Path
    operator: str
    _value: Any
    _frozen: Any

    def __init__(self, path: Path, operator: str, value: Any = None, *, encoded: bool = False) -> None:
        if not isinstance(path, Path):
            raise InvalidType(
                f"a condition needs an attribute path such as Customer.base.firstName, got {path!r}"
            )
        if operator not in SimpleOperators.OPERATORS and operator not in PATTERN_OPERATORS:
            raise InvalidValue(
                f"unknown operator {operator!r}; use one of {', '.join(SimpleOperators.OPERATORS)}"
            )
        if operator in PATTERN_OPERATORS and not isinstance(value, str):
            raise InvalidType(f"{path._attribute}.like() takes a text pattern, got {type(value).__name__}")
        if operator in NULL_OPERATORS:
            wire_value: Any = None
        elif encoded:
            wire_value = _thaw(value)
        elif value is None:
            raise InvalidValue(
                f"{path._attribute} cannot be compared with None by {operator}; "
                f"use {path._attribute} == None (IS_NULL) or != None (IS_NOT_NULL)"
            )
        elif operator == _OPS.BETWEEN:
            if not isinstance(value, (list, tuple)) or len(value) != 2:
                raise InvalidValue(f"BETWEEN needs a (low, high) pair, got {value!r}")
            low, high = value
            if low is None or high is None:
                raise InvalidValue("between_() needs two bounds; use >= or <= for an open range")
            wire_value = [_encode(path, low), _encode(path, high)]
        elif operator in (_OPS.IN, _OPS.NOT_IN) and isinstance(value, (list, tuple, set, frozenset)):
            items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
            wire_value = [_encode(path, v) for v in items]
        else:
            wire_value = _encode(path, value)
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "operator", operator)
        object.__setattr__(self, "_value", wire_value)
        object.__setattr__(self, "_frozen", _freeze(wire_value))

    @property
    def attribute(self) -> str:
        """The dotted attribute name, as sent in ``attribute``."""
        return self.path._attribute

    @property
    def has_value(self) -> bool:
        return self.operator not in NULL_OPERATORS

    @property
    def value(self) -> Any:
        """The wire form of the value (a fresh copy; ``None`` for the null operators)."""
        return _thaw(self._value)

    def inverted(self) -> Criterion:
        """The condition selecting what this one rejects, using only wire operators.

        ``NOT BETWEEN`` has no operator of its own and becomes ``LT low OR GT high``.
        """
        if self.operator == _OPS.BETWEEN:
            low, high = self._value
            return Composite(
                ComplexOperators.OR,
                (
                    Condition(self.path, _OPS.LT, low, encoded=True),
                    Condition(self.path, _OPS.GT, high, encoded=True),
                ),
            )
        return Condition(self.path, INVERSE_OPERATORS[self.operator], self._value, encoded=True)

    def entities(self) -> frozenset[Any]:
        return frozenset({self.path._entity})

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_condition, (self.path, self.operator, self._value))

    def _key(self) -> tuple[Any, ...]:
        return (self.path._entity, self.path._attribute, self.operator, self._frozen)

    def __repr__(self) -> str:
        if not self.has_value:
            return f"<Condition {self.attribute} {self.operator}>"
        return f"<Condition {self.attribute} {self.operator} {self._value!r}>"


class Composite(Criterion):
    """``and`` / ``or`` of two or more criteria. Built by ``&`` and ``|``, which flatten
    same-connector children, so ``a & b & c`` is one ``and`` with three conditions."""

    __slots__ = ("conjunction", "children")

    conjunction: str
    children: tuple[Criterion, ...]

    def __init__(self, conjunction: str, children: Iterable[Criterion]) -> None:
        if conjunction not in ComplexOperators.OPERATORS:
            raise InvalidValue(f"a conjunction is 'and' or 'or', got {conjunction!r}")
        kids = tuple(children)
        for kid in kids:
            if not isinstance(kid, Criterion) or kid is EMPTY:
                raise InvalidType(f"a composite holds non-empty criteria, got {kid!r}")
        if len(kids) < 2:
            raise InvalidValue("a composite needs at least two criteria; use the criterion itself")
        object.__setattr__(self, "conjunction", conjunction)
        object.__setattr__(self, "children", kids)

    def entities(self) -> frozenset[Any]:
        return frozenset().union(*(kid.entities() for kid in self.children))

    def __reduce__(self) -> tuple[Any, ...]:
        return (Composite, (self.conjunction, self.children))

    def _key(self) -> tuple[Any, ...]:
        return (self.conjunction, self.children)

    def __repr__(self) -> str:
        inner = f" {'&' if self.conjunction == 'and' else '|'} ".join(repr(k) for k in self.children)
        return f"({inner})"


class Not(Criterion):
    """Negation of a criterion. The wire has no NOT: the compiler inverts operators
    and applies De Morgan. ``~~c`` gives back ``c`` itself."""

    __slots__ = ("child",)

    child: Criterion

    def __new__(cls, child: Criterion) -> Any:
        if isinstance(child, Not):
            return child.child
        if child is EMPTY:
            return EMPTY
        return object.__new__(cls)

    def __init__(self, child: Criterion) -> None:
        if isinstance(child, Not) or child is EMPTY:  # __new__ returned something else
            return
        if not isinstance(child, Criterion):
            raise InvalidType(f"~ applies to criteria, got {child!r}")
        object.__setattr__(self, "child", child)

    def __invert__(self) -> Criterion:
        return self.child

    def entities(self) -> frozenset[Any]:
        return self.child.entities()

    def __reduce__(self) -> tuple[Any, ...]:
        return (Not, (self.child,))

    def _key(self) -> tuple[Any, ...]:
        return (self.child,)

    def __repr__(self) -> str:
        return f"~{self.child!r}"


def _rebuild_condition(path: Path, operator: str, wire_value: Any) -> Condition:
    """Unpickle a condition from its already-encoded value."""
    return Condition(path, operator, wire_value, encoded=True)


def _require_criterion(other: Any, op: str) -> Criterion:
    if isinstance(other, Criterion):
        return other
    if isinstance(other, Path):
        hint = f"compare the path first, e.g. ({other._attribute} != None)"
    elif isinstance(other, bool):
        hint = (
            "a bool here usually means Python's 'and'/'or' ran on criteria (put parentheses around "
            "each comparison and use & / |), or that two attribute paths were compared, which the hub "
            "cannot do"
        )
    else:
        hint = "build criteria from attribute paths, e.g. (Customer.base.firstName == 'Bruce')"
    raise InvalidType(f"'{op}' combines query criteria only, not {type(other).__name__} {other!r}: {hint}")


def _parts(conjunction: str, criterion: Criterion) -> tuple[Criterion, ...]:
    if isinstance(criterion, Composite) and criterion.conjunction == conjunction:
        return criterion.children
    return (criterion,)


def _combine(conjunction: str, left: Criterion, right: Criterion) -> Criterion:
    if left is EMPTY:
        return right
    if right is EMPTY:
        return left
    return Composite(conjunction, _parts(conjunction, left) + _parts(conjunction, right))


def all_of(*criteria: Criterion) -> Criterion:
    """``c1 & c2 & ...``; :data:`EMPTY` when given nothing."""
    result: Criterion = EMPTY
    for crit in criteria:
        result = _combine(ComplexOperators.AND, result, _require_criterion(crit, "&"))
    return result


def any_of(*criteria: Criterion) -> Criterion:
    """``c1 | c2 | ...``; :data:`EMPTY` when given nothing."""
    result: Criterion = EMPTY
    for crit in criteria:
        result = _combine(ComplexOperators.OR, result, _require_criterion(crit, "|"))
    return result


def _from_original_signature(first_element: Any, operator: Any, second_element: Any = None) -> Criterion:
    if operator in ComplexOperators.OPERATORS:
        left = _require_criterion(first_element, operator)
        return _combine(operator, left, _require_criterion(second_element, operator))
    if operator in SimpleOperators.OPERATORS:
        if operator in NULL_OPERATORS:
            return Condition(first_element, operator)
        return Condition(first_element, operator, second_element)
    raise InvalidValue(
        f"unknown operator {operator!r}; use one of {', '.join(SimpleOperators.OPERATORS)} "
        f"(with an attribute) or {', '.join(ComplexOperators.OPERATORS)} (with two criteria)"
    )


# ----------------------------------------------------------------------------- function operators
_LISTS = (list, tuple, set, frozenset)


def _membership(operator: str, first: Any, second: Any, name: str) -> Condition:
    if isinstance(second, Path) and not isinstance(first, Path):
        # original form: in_(value, list_attribute) -> "the list attribute contains value"
        return Condition(second, operator, first)
    if isinstance(first, Path) and isinstance(second, _LISTS):
        # in_(attribute, [values]) -> "the attribute is one of values"
        return Condition(
            first, operator, list(second) if not isinstance(second, (set, frozenset)) else second
        )
    raise InvalidType(
        f"{name}() takes (value, list_attribute), e.g. {name}('vip', Customer.tags.manual), "
        f"or (attribute, [values]), e.g. {name}(Customer.base.firstName, ['Bruce', 'Dick']); "
        f"got ({first!r}, {second!r})"
    )


def in_(value: Any, list_attribute: Any) -> Condition:
    """``IN``: ``in_('vip', Customer.tags.manual)`` (the list attribute contains the value)
    or ``in_(Customer.base.firstName, ['Bruce', 'Dick'])`` (the attribute is one of the values)."""
    return _membership(_OPS.IN, value, list_attribute, "in_")


def not_in_(value: Any, list_attribute: Any) -> Condition:
    """``NOT_IN``, the negation of :func:`in_` (same two argument forms)."""
    return _membership(_OPS.NOT_IN, value, list_attribute, "not_in_")


def between_(attribute: Path, value1: Any, value2: Any) -> Condition:
    """``BETWEEN``: the attribute lies in ``[value1, value2]``; bounds may be dates,
    datetimes, numbers or ISO-8601 strings (passed through)."""
    if not isinstance(attribute, Path):
        raise InvalidType(
            f"between_() takes the attribute first: between_(Customer.base.dob, low, high), got {attribute!r}"
        )
    return Condition(attribute, _OPS.BETWEEN, (value1, value2))

"""The operators of the criteria language: the names a condition carries to a compiler.

They are the hub's names (``EQUALS``, ``IN``, ``IS_NULL``...), kept as plain strings so a
criteria tree pickles, compares and prints without knowing any API; each service's compiler
maps them to its own syntax.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "SimpleOperators",
    "ComplexOperators",
    "NULL_OPERATORS",
    "INVERSE_OPERATORS",
    "PATTERN_OPERATORS",
]


class SimpleOperators:
    """Operators of an atomic condition, spelled as the hub expects them."""

    EQUALS: Final = "EQUALS"
    NOT_EQUALS: Final = "NOT_EQUALS"
    GT: Final = "GT"
    GTE: Final = "GTE"
    LT: Final = "LT"
    LTE: Final = "LTE"
    IN: Final = "IN"
    NOT_IN: Final = "NOT_IN"
    IS_NULL: Final = "IS_NULL"
    IS_NOT_NULL: Final = "IS_NOT_NULL"
    BETWEEN: Final = "BETWEEN"
    #: a text pattern, ``%`` standing for any run of characters (StreamOne v1's ``partial``);
    #: not an operator of the ContactHub hub, so not in :attr:`OPERATORS`
    LIKE: Final = "LIKE"
    NOT_LIKE: Final = "NOT_LIKE"
    OPERATORS: Final = [
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
    ]


class ComplexOperators:
    """Conjunctions of a composite condition (lower-case on the wire)."""

    AND: Final = "and"
    OR: Final = "or"
    OPERATORS: Final = ["and", "or"]


_OPS = SimpleOperators

#: operators that carry no ``value`` on the wire
NULL_OPERATORS: Final = frozenset({_OPS.IS_NULL, _OPS.IS_NOT_NULL})

#: the operator that selects exactly the documents the key operator rejects (the wire has no NOT)
INVERSE_OPERATORS: Final[dict[str, str]] = {
    _OPS.EQUALS: _OPS.NOT_EQUALS,
    _OPS.NOT_EQUALS: _OPS.EQUALS,
    _OPS.GT: _OPS.LTE,
    _OPS.LTE: _OPS.GT,
    _OPS.GTE: _OPS.LT,
    _OPS.LT: _OPS.GTE,
    _OPS.IN: _OPS.NOT_IN,
    _OPS.NOT_IN: _OPS.IN,
    _OPS.IS_NULL: _OPS.IS_NOT_NULL,
    _OPS.IS_NOT_NULL: _OPS.IS_NULL,
    _OPS.LIKE: _OPS.NOT_LIKE,
    _OPS.NOT_LIKE: _OPS.LIKE,
}

#: pattern operators some APIs have beside the hub's (:meth:`Path.like`, :meth:`Path.startswith`)
PATTERN_OPERATORS: Final = frozenset({_OPS.LIKE, _OPS.NOT_LIKE})

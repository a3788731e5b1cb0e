"""Splitting a criteria tree into what a flat filter language can send and what is left to Python.

APIs whose filters are a flat AND of ``field op value`` parameters (StreamOne, NetSapiens)
can run the AND-parts of a query that are single conditions they know; everything else
(OR, NOT without an inverse operator, IN...) is either refused, naming the part, or, when the
query opted in with ``client_side()``, checked on each returned document by
:func:`~contacthub_like.query.evaluate.matcher`.  Compilers call :func:`split_and` then
:func:`leftover`; neither does I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..errors import UnsupportedQuery
from .combination import Combination, Where, normalize
from .criteria import EMPTY, ComplexOperators, Composite, Condition, Criterion, all_of

__all__ = ["split_and", "leftover"]


def split_and(where: Where, accepts: Callable[[Condition], bool]) -> tuple[list[Condition], list[Criterion]]:
    """The top-level AND-parts of ``where`` that ``accepts`` takes, and the rest, in order."""
    if isinstance(where, Combination):
        raise UnsupportedQuery(
            "set operations between queries (&, |, - of queries) have no form in this API's filters; "
            "filter one query with & and | of criteria instead"
        )
    if where is EMPTY:
        return [], []
    tree = normalize(where)
    parts: Sequence[Criterion] = (
        tree.children if isinstance(tree, Composite) and tree.conjunction == ComplexOperators.AND else (tree,)
    )
    sent: list[Condition] = []
    rest: list[Criterion] = []
    for part in parts:
        if isinstance(part, Condition) and accepts(part):
            sent.append(part)
        else:
            rest.append(part)
    return sent, rest


def leftover(
    rest: Sequence[Criterion], *, client_side: bool, api: str, why: str
) -> tuple[Callable[[Any], bool] | None, str | None]:
    """The client-side filter and its readable form for ``rest`` (``(None, None)`` when empty).

    Without ``client_side`` a non-empty ``rest`` raises :class:`UnsupportedQuery` naming the
    first part and ``why`` the API cannot run it.
    """
    if not rest:
        return None, None
    if not client_side:
        raise UnsupportedQuery(
            f"{api} cannot filter on {rest[0]!r} ({why}); call .client_side() on the query to send "
            "what it can express and check the rest on each returned entity, or rewrite the query"
        )
    from .evaluate import matcher

    remaining = all_of(*rest)
    return matcher(remaining), repr(remaining)

"""Set operations between queries and the normal form of criteria: what every service's compiler starts from.

:func:`normalize` gives an equivalent tree of conditions and flattened composites with no
:class:`~contacthub_like.query.criteria.Not` (operators inverted, De Morgan applied), the form
most APIs' filter languages need.  Nothing here knows any API's wire format.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Union

from ..errors import InvalidValue, OperationNotPermitted
from .criteria import EMPTY, ComplexOperators, Composite, Condition, Criterion, Not

__all__ = ["INTERSECT", "UNION", "EXCEPT", "Combination", "Where", "normalize"]

INTERSECT: Final = "INTERSECT"
UNION: Final = "UNION"
EXCEPT: Final = "EXCEPT"
_SET_OPERATORS: Final = (INTERSECT, UNION, EXCEPT)


@dataclass(frozen=True)
class Combination:
    """Several queries joined by a set operator (``INTERSECT``, ``UNION`` or ``EXCEPT``).

    ``EXCEPT`` keeps exactly two parts (left minus right): the grammar does not say
    how a longer list is read, so ``(a - b) - c`` nests instead of guessing.
    """

    conjunction: str
    parts: tuple[Where, ...]

    def __post_init__(self) -> None:
        if self.conjunction not in _SET_OPERATORS:
            raise InvalidValue(
                f"a combined query uses one of {', '.join(_SET_OPERATORS)}, got {self.conjunction!r}"
            )
        if len(self.parts) < 2:
            raise InvalidValue("a combined query needs at least two queries")
        for part in self.parts:
            if part is EMPTY:
                raise OperationNotPermitted("Cannot combine empty queries.")
            if not isinstance(part, (Criterion, Combination)):
                raise InvalidValue(f"a combined query holds criteria or combinations, got {part!r}")

    @classmethod
    def join(cls, conjunction: str, left: Where, right: Where) -> Combination:
        """``left <conjunction> right``, flattening associative operators (INTERSECT, UNION)."""
        if left is EMPTY or right is EMPTY:
            raise OperationNotPermitted("Cannot combine empty queries.")
        if conjunction == EXCEPT:
            return cls(conjunction, (left, right))

        def parts(side: Where) -> tuple[Where, ...]:
            if isinstance(side, Combination) and side.conjunction == conjunction:
                return side.parts
            return (side,)

        return cls(conjunction, parts(left) + parts(right))


#: what a query selects: a criterion (a simple query; EMPTY = everything) or a combination
Where = Union[Criterion, Combination]  # noqa: UP007 - a runtime alias, must work on 3.10


# ------------------------------------------------------------------------------------ conditions
def _swap(conjunction: str) -> str:
    return ComplexOperators.OR if conjunction == ComplexOperators.AND else ComplexOperators.AND


def normalize(criterion: Criterion, *, negate: bool = False) -> Criterion:
    """An equivalent tree made only of conditions and flattened composites (no :class:`Not`).

    Raises :class:`ValueError` for :data:`EMPTY`, which has no wire form (callers
    leave the ``query`` parameter out instead).
    """
    if criterion is EMPTY:
        raise InvalidValue("the empty criterion has no wire form")
    if isinstance(criterion, Not):
        return normalize(criterion.child, negate=not negate)
    if isinstance(criterion, Condition):
        if not negate:
            return criterion
        inverted = criterion.inverted()
        return normalize(inverted) if not isinstance(inverted, Condition) else inverted
    if isinstance(criterion, Composite):
        conjunction = _swap(criterion.conjunction) if negate else criterion.conjunction
        flat: list[Criterion] = []
        for child in criterion.children:
            norm = normalize(child, negate=negate)
            if isinstance(norm, Composite) and norm.conjunction == conjunction:
                flat.extend(norm.children)
            else:
                flat.append(norm)
        return Composite(conjunction, flat)
    raise InvalidValue(f"not a query criterion: {criterion!r}")

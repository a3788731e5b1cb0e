"""Read-only lists: server results that refuse every mutation with a message saying what to do.

A result the API sent must not change under the caller's feet, yet code that reads lists
should keep working: these classes are lists (or list-like) whose mutators raise
:class:`~contacthub_like.errors.OperationNotPermitted`.
"""

from __future__ import annotations

from typing import Any, NoReturn, SupportsIndex, TypeVar

from ..errors import OperationNotPermitted

__all__ = ["RefusesMutation", "ReadOnlyList"]

T = TypeVar("T")

_READ_ONLY = (
    "{cls} is read-only: {what} is not allowed; copy it first with list(...) if you need a mutable list"
)


class RefusesMutation:
    """The list methods that would change a result, each refused with a message saying what to do."""

    __slots__ = ()

    def _refuse(self, what: str) -> NoReturn:
        raise OperationNotPermitted(_READ_ONLY.format(cls=type(self).__name__, what=what))

    def append(self, *args: Any) -> NoReturn:
        self._refuse("append()")

    def extend(self, *args: Any) -> NoReturn:
        self._refuse("extend()")

    def insert(self, *args: Any) -> NoReturn:
        self._refuse("insert()")

    def pop(self, *args: Any) -> NoReturn:
        self._refuse("pop()")

    def remove(self, *args: Any) -> NoReturn:
        self._refuse("remove()")

    def clear(self) -> NoReturn:
        self._refuse("clear()")

    def reverse(self) -> NoReturn:
        self._refuse("reverse()")

    def sort(self, *args: Any, **kwargs: Any) -> NoReturn:
        self._refuse("sort()")

    def __setitem__(self, *args: Any) -> NoReturn:
        self._refuse("item assignment")

    def __delitem__(self, *args: Any) -> NoReturn:
        self._refuse("item deletion")

    def __iadd__(self, other: Any) -> NoReturn:
        self._refuse("+=")

    def __imul__(self, other: Any) -> NoReturn:
        self._refuse("*=")


class ReadOnlyList(RefusesMutation, list[T]):
    """A ``list`` that refuses every mutation (OperationNotPermitted).

    Used for small results that are already in memory (a customer's events, the
    result of slicing a :class:`PaginatedList`), so code that reads lists keeps
    working while nothing can silently change a server result.
    """

    # copy / pickle rebuild from a plain list instead of appending item by item
    def __reduce_ex__(self, protocol: SupportsIndex) -> tuple[Any, ...]:
        return (type(self), (list(self),))

    def __copy__(self) -> ReadOnlyList[T]:
        return type(self)(self)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({list.__repr__(self)})"

"""A session id linked to a customer: a ``str`` that also knows the hub's record id."""

from __future__ import annotations

from typing import Any

__all__ = ["CustomerSession"]


class CustomerSession(str):
    """A session id linked to a customer (``{id, value}`` on the wire).

    It *is* the session id (``value``) as a ``str``, because the original SDK's
    ``add_customer_session`` returned just that; the hub's record id, which
    :meth:`Node.get_customer_session` and :meth:`Node.delete_customer_session` take,
    is :attr:`id`.
    """

    id: str

    def __new__(cls, id: str, value: str) -> CustomerSession:
        obj = super().__new__(cls, value)
        object.__setattr__(obj, "id", str(id))
        return obj

    @property
    def value(self) -> str:
        return str.__str__(self)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"CustomerSession is read-only; cannot set {name!r}")

    def __eq__(self, other: object) -> bool:
        if isinstance(other, CustomerSession):
            return (self.id, self.value) == (other.id, other.value)
        return str.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = str.__hash__

    def __reduce__(self) -> tuple[Any, ...]:
        return (CustomerSession, (self.id, self.value))

    def __repr__(self) -> str:
        return f"CustomerSession(id={self.id!r}, value={self.value!r})"

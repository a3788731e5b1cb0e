"""Entities: records that live on an API and reach it through their session.

The verbs an entity has are the mixins of :mod:`contacthub_like.orm.verbs` it declares,
so a read-only resource simply has no ``post()``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from ..errors import OperationNotPermitted
from .record import Record

if TYPE_CHECKING:  # pragma: no cover
    from typing_extensions import Self

    from .verbs import EntitySession as Node

__all__ = ["Entity"]


class Entity(Record):
    """A top-level API object (a customer, an invoice, a message session...) bound to a session.

    The entity never builds URLs itself: every verb asks its session (for ContactHub, a
    :class:`~contacthub_like.Node`).  ``node`` may be ``None`` for objects built only to be
    serialised.
    """

    __slots__ = ("node",)
    node: Node | None
    #: the key of the document that holds the object's id (``"audienceId"`` on some APIs)
    __id_key__: ClassVar[str] = "id"

    def __init__(self, node: Node | None = None, **attributes: Any) -> None:
        self._init_state({}, None)
        self.node = node
        for key, value in attributes.items():
            self._assign(key, value)

    def _require_node(self, verb: str) -> Node:
        node = self.node
        if node is None:
            raise OperationNotPermitted(
                f"cannot {verb} a {type(self).__name__} that has no node: create it with "
                f"{type(self).__name__}(node=node, ...) or node.{type(self).__name__.lower()}s..."
            )
        return node

    def _require_id(self, verb: str) -> str:
        ident = self._source.get(type(self).__id_key__)
        if not ident:
            raise OperationNotPermitted(
                f"cannot {verb} a {type(self).__name__} that has no id yet: post() it first, "
                "or fetch it from the hub"
            )
        return str(ident)

    @classmethod
    def from_dict(cls, node: Node | None, attributes: Any = None) -> Self:
        """Wrap a document as the hub sent it (no copy); it becomes the baseline for :meth:`patch`."""
        obj = cls._from_source(attributes if isinstance(attributes, dict) else dict(attributes or {}))
        obj.node = node
        return obj

    @classmethod
    def _from_source(cls, source: dict[str, Any], parent: Record | None = None) -> Self:
        obj = super()._from_source(source, parent)
        obj.node = None
        return obj

    @property
    def _body_for_create(self) -> dict[str, Any]:
        """The document without read-only keys and without None values (the hub fills defaults)."""
        return _drop_nulls(self._without_read_only(self.to_dict()))

    def _without_read_only(self, doc: dict[str, Any]) -> dict[str, Any]:
        fields = self._meta.fields
        return {k: v for k, v in doc.items() if not (k in fields and fields[k].read_only)}


def _drop_nulls(value: Any) -> Any:
    """Remove keys whose value is None, recursively; empty lists and dicts are kept."""
    if isinstance(value, dict):
        return {k: _drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_nulls(v) for v in value]
    return value

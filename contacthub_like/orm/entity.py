"""Entities: records that live on a hub and can write themselves through their Node."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import OperationNotPermitted
from .record import Record

if TYPE_CHECKING:  # pragma: no cover
    from ..services.contacthub.workspace import Node

__all__ = ["Entity"]


class Entity(Record):
    """A top-level hub object (customer, event, audience...) bound to a :class:`~contacthub_like.Node`.

    The entity never builds URLs itself: every verb asks its node, which owns the
    session. ``node`` may be ``None`` for objects built only to be serialised.
    """

    __slots__ = ("node",)
    node: Node | None

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
        ident = self._source.get("id")
        if not ident:
            raise OperationNotPermitted(
                f"cannot {verb} a {type(self).__name__} that has no id yet: post() it first, "
                "or fetch it from the hub"
            )
        return str(ident)

    # -- generic active-record verbs for collection resources (/workspaces/{ws}/<collection>[/{id}]) --
    # Customer and Event refine post(); other entities (audiences, invoices...) use these as they are.
    def post(self) -> Entity:
        """Create this object on the hub; the hub's answer becomes the new baseline.

        Entities with a ``nodeId`` field are created in their node (this object's node
        unless the document already names one).
        """
        node = self._require_node("post")
        body = self._body_for_create
        if "nodeId" in self._meta.fields:
            body["nodeId"] = self._source.get("nodeId") or node.node_id
        self._reset(node.entity_request("POST", type(self), body=body))
        return self

    def put(self) -> Entity:
        """Replace the object on the hub with this object's full content."""
        node = self._require_node("put")
        ident = self._require_id("put")
        self._reset(
            node.entity_request("PUT", type(self), ident, body=self._without_read_only(self.to_dict()))
        )
        return self

    def patch(self) -> Entity:
        """Send only what changed since the hub's last document (nothing when nothing changed)."""
        node = self._require_node("patch")
        ident = self._require_id("patch")
        diff = self._diff()
        if diff:
            self._reset(node.entity_request("PATCH", type(self), ident, body=diff))
        return self

    def delete(self) -> None:
        """Delete the object on the hub."""
        node = self._require_node("delete")
        node.entity_request("DELETE", type(self), self._require_id("delete"))

    def refresh(self) -> Entity:
        """Reload from the hub, dropping local changes."""
        node = self._require_node("refresh")
        self._reset(node.entity_request("GET", type(self), self._require_id("refresh")))
        return self

    @classmethod
    def from_dict(cls, node: Node | None, attributes: Any = None) -> Entity:
        """Wrap a document as the hub sent it (no copy); it becomes the baseline for :meth:`patch`."""
        obj = cls._from_source(attributes if isinstance(attributes, dict) else dict(attributes or {}))
        obj.node = node  # type: ignore[attr-defined]
        return obj  # type: ignore[return-value]

    @classmethod
    def _from_source(cls, source: dict[str, Any], parent: Record | None = None) -> Record:
        obj = super()._from_source(source, parent)
        obj.node = None  # type: ignore[attr-defined]
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

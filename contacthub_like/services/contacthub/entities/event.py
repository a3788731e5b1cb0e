"""The Event entity: something a customer did or received, in a context."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ....orm import Choice, DateTime, FreeForm, Nested, Record, Resource, String
from .enums import BringBackType, EventContext, EventMode, EventType

if TYPE_CHECKING:  # pragma: no cover
    from ..workspace import Node

__all__ = ["Event", "BringBackProperties"]


class BringBackProperties(Record):
    """Links an event to a customer not known by id yet: a session id or an external id."""

    __open__ = False

    #: 'externalId' and 'sessionId' (spellings seen in older documentation) are accepted
    #: and sent as the API's EXTERNAL_ID / SESSION_ID
    type = Choice(BringBackType, aliases={"externalId": "EXTERNAL_ID", "sessionId": "SESSION_ID"})
    value = String()
    nodeId = String()


class Event(Resource):
    """An event. Post it with ``customerId`` or with ``bringBackProperties``."""

    __collection__ = "events"

    TYPES = EventType
    CONTEXTS = EventContext
    MODES = EventMode

    id = String(read_only=True)
    customerId = String()
    bringBackProperties = Nested(BringBackProperties)
    type = Choice(EventType)
    context = Choice(EventContext)
    #: ACTIVE (the customer acted) or PASSIVE (the customer received); the original documentation
    #: asks for it on some events, and the hub checks it against the values it knows
    mode = Choice(EventMode)
    properties = FreeForm()
    contextInfo = FreeForm()
    date = DateTime()
    tracking = FreeForm()
    registeredAt = DateTime(read_only=True)
    updatedAt = DateTime(read_only=True)

    def __init__(self, node: Node | None = None, **attributes: Any) -> None:
        self._init_state({}, None)
        self.node = node
        for key, value in attributes.items():
            self._assign(key, value)

    def _init_state(self, source: dict[str, Any], parent: Record | None) -> None:
        super()._init_state(source, parent)
        self.node = None

    @classmethod
    def from_dict(cls, node: Node | None, attributes: Mapping[str, Any] | None = None) -> Event:
        obj = cls._from_source(attributes if isinstance(attributes, dict) else dict(attributes or {}))
        obj.node = node
        return obj  # type: ignore[return-value]

    def post(self) -> Event:
        """Send the event; ``bringBackProperties.nodeId`` is filled with this node when missing.

        The hub answers 202 with the new event's id, which is set on this object.
        """
        node = self._require_node("post")
        body = self._body_for_create
        bring_back = body.get("bringBackProperties")
        if isinstance(bring_back, dict) and not bring_back.get("nodeId"):
            bring_back["nodeId"] = node.node_id
        ident = node._post_event(body)
        source = dict(body)
        if ident:
            source["id"] = ident
        self._reset(source)
        return self

    def delete(self) -> None:
        """Delete this event on the hub."""
        node = self._require_node("delete")
        node.delete_event(self._require_id("delete"))

    def refresh(self) -> Event:
        """Reload the event from the hub, dropping local changes."""
        node = self._require_node("refresh")
        self._reset(node._event_request("GET", self._require_id("refresh")))
        return self

    def get_event(self, id: str) -> Event:
        """Fetch another event of the same node (kept for the original documentation's example)."""
        return self._require_node("fetch events with").get_event(id)

    def __repr__(self) -> str:
        return f"<Event id={self._source.get('id')!r} type={self.type!r} context={self.context!r}>"

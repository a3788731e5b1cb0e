"""The Event entity: something a customer did or received, in a context."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ....errors import InvalidValue
from ....orm import Choice, DateTime, FreeForm, Nested, Record, Resource, String
from ....orm.flows import Call, Flow, run, run_async
from .enums import BringBackType, EventContext, EventMode, EventType

if TYPE_CHECKING:  # pragma: no cover
    from typing_extensions import Self

    from ..workspace import Node

__all__ = ["Event", "BringBackProperties"]


class BringBackProperties(Record):
    """Links an event to a customer not known by id yet: a session id or an external id."""

    __open__ = False

    #: 'externalId' and 'sessionId' (spellings seen in older documentation) are accepted
    #: and sent as the API's EXTERNAL_ID / SESSION_ID
    type: Choice = Choice(BringBackType, aliases={"externalId": "EXTERNAL_ID", "sessionId": "SESSION_ID"})
    value: String = String()
    nodeId: String = String()


class Event(Resource):
    """An event. Post it with ``customerId`` or with ``bringBackProperties``."""

    __collection__ = "events"

    if TYPE_CHECKING:  # a ContactHub entity's session is a Node, with the hub's own calls

        node: Node | None

        def _require_node(self, verb: str) -> Node: ...

    TYPES = EventType
    CONTEXTS = EventContext
    MODES = EventMode

    id: String = String(read_only=True)
    customerId: String = String()
    bringBackProperties: Nested[BringBackProperties] = Nested(BringBackProperties)
    type: Choice = Choice(EventType)
    context: Choice = Choice(EventContext)
    #: ACTIVE (the customer acted) or PASSIVE (the customer received); the original documentation
    #: asks for it on some events, and the hub checks it against the values it knows
    mode: Choice = Choice(EventMode)
    properties: FreeForm = FreeForm()
    contextInfo: FreeForm = FreeForm()
    date: DateTime = DateTime()
    tracking: FreeForm = FreeForm()
    registeredAt: DateTime = DateTime(read_only=True)
    updatedAt: DateTime = DateTime(read_only=True)

    def __init__(self, node: Node | None = None, **attributes: Any) -> None:
        self._init_state({}, None)
        self.node = node
        for key, value in attributes.items():
            self._assign(key, value)

    def _init_state(self, source: dict[str, Any], parent: Record | None) -> None:
        super()._init_state(source, parent)
        self.node = None

    @classmethod
    def from_dict(  # type: ignore[override]  # its session is a ContactHub Node
        cls, node: Node | None, attributes: Mapping[str, Any] | None = None
    ) -> Self:
        obj = cls._from_source(attributes if isinstance(attributes, dict) else dict(attributes or {}))
        obj.node = node
        return obj

    def _post_flow(self) -> Flow[Event]:
        node = self._require_node("post")
        body = self._body_for_create
        bring_back = body.get("bringBackProperties")
        if isinstance(bring_back, dict) and not bring_back.get("nodeId"):
            bring_back["nodeId"] = node.node_id
        if not body.get("customerId") and not body.get("bringBackProperties"):
            raise InvalidValue(
                "an event needs customerId=... or bringBackProperties=Properties(type='EXTERNAL_ID'|'SESSION_ID', "
                "value=...) to say whose it is"
            )
        # one key per logical event, made before any attempt: the hub stores each key once
        headers = {"Idempotency-Key": str(uuid.uuid4())}
        data = yield Call(node, "request", Event, "POST", body=body, headers=headers, idempotent=True)
        source = dict(body)
        if isinstance(data, dict) and data.get("id"):
            source["id"] = str(data["id"])
        self._reset(source)
        return self

    def post(self) -> Event:
        """Send the event; ``bringBackProperties.nodeId`` is filled with this node when missing.

        The hub answers 202 with the new event's id, which is set on this object.  The request
        carries an ``Idempotency-Key``, so a repeat after a lost answer is stored once.
        """
        return run(self._post_flow())

    async def post_async(self) -> Event:
        """:meth:`post`, awaited."""
        return await run_async(self._post_flow())

    def get_event(self, id: str) -> Event:
        """Fetch another event of the same node (kept for the original documentation's example)."""
        return self._require_node("fetch events with").get_event(id)

    def __repr__(self) -> str:
        return f"<Event id={self._source.get('id')!r} type={self.type!r} context={self.context!r}>"

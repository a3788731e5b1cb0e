"""Messages and message sessions: the document's ``Message`` and ``Messagesession``.

Attributes are the wire names with ``-`` as ``_`` and the ``messagesession-`` prefix
dropped on sessions (``session.last_message`` ↔ ``messagesession-last-message``).  The
API's ``YYYY-MM-DD HH:MM:SS`` times (UTC) read as aware datetimes.  Session verbs
(rename, participants, leave, delete, send, messages) are flows, so each has an ``_async``
twin; the session's path is built from its own domain and user, so a session listed
domain-wide is changed where it lives.
"""

from __future__ import annotations

import base64
import enum
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from ...errors import InvalidType, InvalidValue, OperationNotPermitted
from ...orm.entity import Entity
from ...orm.fields import DateTime, Field, Integer, String
from ...orm.flows import Call, Flow, twins
from .service import one_object

if TYPE_CHECKING:  # pragma: no cover
    from ...query.apaginated import AsyncPaginatedList
    from ...query.paginated import PaginatedList
    from .client import NetSapiens

__all__ = ["Message", "MessageSession", "MessageType", "message_body"]


class MessageType(str, enum.Enum):
    """What ``send_message`` can send (the document's ``MessageType`` examples that are sendable)."""

    SMS = "sms"
    MMS = "mms"
    CHAT = "chat"
    CHAT_MEDIA = "chat-media"
    CHAT_VIDEO = "chat-video"


#: types whose destinations are phone numbers and which need a from-number
NUMBER_TYPES = frozenset({"sms", "mms"})


class Message(Entity):
    """One message of a session (``GET …/messagesessions/{id}/messages``, webhook ``model: message``)."""

    id: String = String(read_only=True)
    timestamp: DateTime = DateTime(read_only=True)
    type: String = String(read_only=True)
    domain: String = String(read_only=True)
    #: ``term`` (sent by the user) or ``orig`` (received)
    direction: String = String(read_only=True)
    from_number: String = String(read_only=True, wire_name="from-number")
    from_user_id: String = String(read_only=True, wire_name="from-user-id")
    dialed: String = String(read_only=True)
    text: String = String(read_only=True)
    terminating_user_id: String = String(read_only=True, wire_name="terminating-user-id")
    terminating_number: String = String(read_only=True, wire_name="terminating-number")
    status: String = String(read_only=True)
    media_type: String = String(read_only=True, wire_name="media-type")
    media_size: Integer = Integer(read_only=True, wire_name="media-size")
    session_id: String = String(read_only=True, wire_name="messagesession-id")
    participants: String = String(read_only=True, wire_name="messagesession-participants")


#: the field class of a session attribute
_F = TypeVar("_F", bound=Field[Any])


def _session_field(field: type[_F], suffix: str, **kwargs: Any) -> _F:
    return field(wire_name=f"messagesession-{suffix}", **kwargs)


class MessageSession(Entity):
    """A conversation of one user (``GET /domains/{d}[/users/{u}]/messagesessions``).

    ``pbx.query(MessageSession)`` lists the caller's domain, as the seed's ``get_messages``
    does by default; :meth:`NetSapiens.sessions` takes a domain and a user.
    """

    __collection__ = "domains/~/messagesessions"

    user: String = String(read_only=True)
    domain: String = String(read_only=True)
    id: String = _session_field(String, "id", read_only=True)
    type: String = _session_field(String, "type", read_only=True)
    name: String = _session_field(String, "name", read_only=True)
    participants: String = _session_field(String, "participants", read_only=True)
    remote: String = _session_field(String, "remote", read_only=True)
    sms_number: String = _session_field(String, "sms-number", read_only=True)
    muted: String = _session_field(String, "muted", read_only=True)
    started_at: DateTime = _session_field(DateTime, "start-datetime", read_only=True)
    last_at: DateTime = _session_field(DateTime, "last-datetime", read_only=True)
    last_message: String = _session_field(String, "last-message", read_only=True)
    last_sender: String = _session_field(String, "last-sender", read_only=True)
    last_status: String = _session_field(String, "last-status", read_only=True)
    last_type: String = _session_field(String, "last-type", read_only=True)
    last_media_type: String = _session_field(String, "last-media-type", read_only=True)
    last_media_size: Integer = _session_field(Integer, "last-media-size", read_only=True)

    __slots__ = ("message",)
    #: the message whose send started this session, when the API answered with it
    message: Message | None

    def __init__(self, node: Any = None, **attributes: Any) -> None:
        super().__init__(node, **attributes)
        self.message = None

    @classmethod
    def _from_source(cls, source: dict[str, Any], parent: Any = None) -> Any:
        # The document's examples name the times ``-timestamp``, its schema ``-datetime``:
        # take either, keep the schema's key.
        for old, new in (("start", "start"), ("last", "last")):
            legacy = f"messagesession-{old}-timestamp"
            if legacy in source and f"messagesession-{new}-datetime" not in source:
                source[f"messagesession-{new}-datetime"] = source[legacy]
        obj: MessageSession = super()._from_source(source, parent)
        obj.message = None
        return obj

    # -- where it lives ----------------------------------------------------------------------
    def _where(self, verb: str, suffix: str | None = None) -> tuple[NetSapiens, str]:
        pbx: NetSapiens = self._require_node(verb)  # type: ignore[assignment]
        ident = self._source.get("messagesession-id")
        if not ident:
            raise OperationNotPermitted(f"cannot {verb} a MessageSession without an id")
        domain = self._source.get("domain") or "~"
        user = self._source.get("user") or "~"
        return pbx, pbx.session_path(domain, user, str(ident), suffix)

    def _changed(self, **wire: Any) -> None:
        """The API acknowledged a change (202): it becomes the new baseline."""
        self._reset({**self.to_dict(), **wire})

    # -- verbs -------------------------------------------------------------------------------
    def _rename_flow(self, name: str) -> Flow[MessageSession]:
        """Rename the session (``PUT`` with ``session-name``; answered 202)."""
        if not isinstance(name, str) or not name.strip():
            raise InvalidValue(f"a session name must be a non-empty str, got {name!r}")
        pbx, path = self._where("rename")
        yield Call(pbx, "call", "PUT", path, body={"session-name": name})
        self._changed(**{"messagesession-name": name})
        return self

    rename, rename_async = twins(_rename_flow)

    def _set_participants_flow(self, participants: Sequence[str] | str) -> Flow[MessageSession]:
        """Change who is in the session (``PUT`` with ``participants``, a comma-separated list)."""
        joined = _joined("participants", participants)
        pbx, path = self._where("change the participants of")
        yield Call(pbx, "call", "PUT", path, body={"participants": joined})
        self._changed(**{"messagesession-participants": joined})
        return self

    set_participants, set_participants_async = twins(_set_participants_flow)

    def _leave_flow(self) -> Flow[None]:
        """Leave the session: it is removed from this user's list (``PUT …/leave``)."""
        pbx, path = self._where("leave", "leave")
        yield Call(pbx, "call", "PUT", path)

    leave, leave_async = twins(_leave_flow)

    def _delete_flow(self) -> Flow[None]:
        """Delete the session and its messages."""
        pbx, path = self._where("delete")
        yield Call(pbx, "call", "DELETE", path)

    delete, delete_async = twins(_delete_flow)

    def _refresh_flow(self) -> Flow[MessageSession]:
        """Reload the session (the API answers an array of one)."""
        pbx, path = self._where("refresh")
        found = yield Call(pbx, "call", "GET", path)
        self._reset(one_object(found, "Messagesession", path))
        return self

    refresh, refresh_async = twins(_refresh_flow)

    def _send_flow(
        self,
        message: str,
        *,
        type: str | None = None,
        destination: Sequence[str] | str | None = None,
        from_number: str | None = None,
        data: bytes | str | None = None,
        mime_type: str | None = None,
        size: int | None = None,
    ) -> Flow[MessageSession]:
        """Send into this session; type, destination and number default to the session's own."""
        pbx, path = self._where("send into", "messages")
        kind = type or self._source.get("messagesession-last-type") or self._source.get("messagesession-type")
        if isinstance(kind, str) and kind.startswith("group-"):
            kind = kind.removeprefix("group-")
        body = message_body(
            kind or "sms",
            message,
            destination if destination is not None else _split(self._source.get("messagesession-remote")),
            from_number or self._source.get("messagesession-sms-number"),
            data=data,
            mime_type=mime_type,
            size=size,
        )
        yield Call(pbx, "call", "POST", path, body=body)
        return self

    send, send_async = twins(_send_flow)

    def messages(self, *, size: int | None = None) -> PaginatedList[Message]:
        """The session's messages, a lazy list paged with ``start``/``limit``."""
        pbx, path = self._where("list the messages of", "messages")
        return pbx.list(Message, path=path, size=size)

    def messages_async(self, *, size: int | None = None) -> AsyncPaginatedList[Message]:
        """:meth:`messages` for ``async for``."""
        pbx, path = self._where("list the messages of", "messages")
        return pbx.list_async(Message, path=path, size=size)


def _joined(what: str, value: Sequence[str] | str) -> str:
    items = [value] if isinstance(value, str) else list(value) if isinstance(value, Sequence) else None
    if items is None or not items or not all(isinstance(v, str) and v.strip() for v in items):
        raise InvalidValue(f"{what} must be a non-empty str or list of non-empty str, got {value!r}")
    return ",".join(v.strip() for v in items)


def _split(remote: Any) -> list[str]:
    """A session's remote party, a comma-separated list for group sessions, as destinations."""
    return [part for part in str(remote or "").split(",") if part]


def message_body(
    type: str | MessageType,
    message: str,
    destination: Sequence[str] | str,
    from_number: str | None,
    *,
    data: bytes | str | None = None,
    mime_type: str | None = None,
    size: int | None = None,
) -> dict[str, Any]:
    """The document's ``MessageSend``, checked: what was wrong is said before any request."""
    kind = type.value if isinstance(type, MessageType) else type
    if kind not in {t.value for t in MessageType}:
        raise InvalidValue(f"message type {kind!r} is not one of {', '.join(t.value for t in MessageType)}")
    if not isinstance(message, str):
        raise InvalidType(f"message must be a str, got {type_name(message)}")
    recipients = [destination] if isinstance(destination, str) else list(destination)
    recipients = [r.strip() for r in recipients if isinstance(r, str) and r.strip()]
    if not recipients:
        raise InvalidValue("destination must name at least one number (sms, mms) or user (chat)")
    body: dict[str, Any] = {"type": kind, "message": message, "destination": recipients}
    if kind in NUMBER_TYPES:
        if not from_number:
            raise InvalidValue(f"from_number is required for {kind}: pass one of the user's SMS numbers")
        body["from-number"] = str(from_number)
    if data is not None:
        if isinstance(data, (bytes, bytearray)):
            size = len(data) if size is None else size
            data = base64.b64encode(bytes(data)).decode("ascii")
        if not isinstance(data, str):
            raise InvalidType(f"data must be bytes or a base64 str, got {type_name(data)}")
        if not mime_type:
            raise InvalidValue("mime_type is required with data (e.g. 'image/jpeg')")
        body["data"] = data
        body["mime-type"] = mime_type
        if size is not None:
            if isinstance(size, bool) or not isinstance(size, int) or size < 0:
                raise InvalidValue(f"size must be a number of bytes (int >= 0), got {size!r}")
            body["size"] = size
    elif mime_type is not None or size is not None:
        raise InvalidValue("mime_type and size describe media: pass data (bytes or base64) with them")
    return body


def type_name(value: object) -> str:
    return type(value).__name__

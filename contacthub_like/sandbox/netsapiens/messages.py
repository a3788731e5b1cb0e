"""Messages and message sessions: sending (sms, mms, chat), and the session views of one user.

A session belongs to a user (``domain``/``user``/``messagesession-id``).  A send starts one
(``POST .../messages``, the server picks a 32-character id) or goes into the one the client
names (``POST .../messagesessions/{id}/messages``; an id of 32+ characters from
``[A-Za-z0-9_]`` that does not exist yet starts it, as the API lets clients choose ids).
Wire objects follow the document's ``Message``/``Messagesession`` schemas, including their
``-datetime`` keys (the document's examples say ``-timestamp``; the schema wins).
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
import sqlite3
from collections.abc import Sequence
from typing import Any

import attrs

from ..store import Store
from . import clock
from .errors import bad_request, not_found
from .validation import Field, check_body

MESSAGE_TYPES = ("sms", "mms", "chat", "chat-media", "chat-video")
#: types that leave the PBX for a phone network and so need a ``from-number`` of the user
NUMBER_TYPES = frozenset({"sms", "mms"})
MEDIA_TYPES = frozenset({"mms", "chat-media", "chat-video"})
SESSION_ID = re.compile(r"^[A-Za-z0-9_]{32,}$")
_PHONE = re.compile(r"^\+?[0-9]{3,20}$")
#: the host that "received" the session, a read-only key of both schemas
RECEIVER_HOSTNAME = "localhost"

SEND_FIELDS = {
    "type": Field(("string",), required=True, enum=MESSAGE_TYPES),
    "message": Field(("string",), required=True),
    "destination": Field(("string", "string-list"), required=True),
    "from-number": Field(("string",), nullable=True),
    "data": Field(("string",), nullable=True),
    "mime-type": Field(("string",), nullable=True),
    "size": Field(("integer",), nullable=True, digits_ok=True),
}

_SESSION_COLUMNS = (
    "domain, user, id, type, name, participants, remote, sms_number, started, last, last_message,"
    " last_sender, last_type, last_media_type, last_media_size"
)
_MESSAGE_COLUMNS = (
    "id, created, type, domain, direction, from_number, from_user_id, dialed, text, terminating_user_id,"
    " terminating_number, status, media_type, media_size, session_id, participants"
)


@attrs.frozen
class Sent:
    """What a send stored: the wire ``Message`` and the sender's ``Messagesession`` after it."""

    message: dict[str, Any]
    session: dict[str, Any]


def _destinations(value: str | list[str], message_type: str, domain: str) -> list[str]:
    items = [value] if isinstance(value, str) else list(value)
    items = [item.strip() for item in items]
    if not items or any(not item for item in items):
        raise bad_request("'destination' must name at least one recipient and no empty ones.")
    if message_type in NUMBER_TYPES:
        for item in items:
            if not _PHONE.match(item):
                raise bad_request(
                    f"'destination' {item[:30]!r} is not a phone number; {message_type} goes to numbers"
                    " such as '18585551234'."
                )
        return items
    return [item if "@" in item else f"{item}@{domain}" for item in items]


def _media(fields: dict[str, Any]) -> tuple[str | None, int | None, str | None]:
    """``(mime type, size, data)``; the size is the client's, else the decoded length of ``data``."""
    data, mime, size = fields.get("data"), fields.get("mime-type"), fields.get("size")
    if size is not None and size < 0:
        raise bad_request("'size' is the media size in bytes and cannot be negative.")
    if data and size is None:
        try:
            size = len(base64.b64decode(data, validate=True))
        except (binascii.Error, ValueError):
            size = len(data) * 3 // 4  # the document does not require valid base64; estimate
    if data and not mime:
        raise bad_request("'mime-type' is required with 'data' (for example 'image/jpeg').")
    return mime, size, data


def send(
    store: Store,
    *,
    domain: str,
    user: str,
    sms_numbers: Sequence[str],
    body: dict[str, Any],
    session_id: str | None,
) -> Sent:
    """Store one outgoing message, starting the session if needed."""
    fields = check_body(body, SEND_FIELDS)
    message_type = fields["type"]
    recipients = _destinations(fields["destination"], message_type, domain)
    from_number = fields.get("from-number")
    sender = f"{user}@{domain}"
    if message_type in NUMBER_TYPES:
        if not from_number:
            raise bad_request(
                f"'from-number' is required for {message_type}; use one of the user's SMS numbers."
            )
        if from_number not in sms_numbers:
            raise bad_request(
                f"'from-number' {from_number[:30]} is not an SMS number of {sender}; use one of:"
                f" {', '.join(sms_numbers) or '(none configured)'}."
            )
    else:
        from_number = None
    mime, size, data = _media(fields)
    new_id = session_id is not None and _session_row(store.conn, domain, user, session_id) is None
    if new_id and not SESSION_ID.match(session_id or ""):
        raise bad_request(
            "A new messagesession id must be at least 32 characters from [A-Za-z0-9_]; generate a random one."
        )
    now = clock.now()
    participants = ",".join(recipients)
    session_type = f"group-{message_type.split('-')[0]}" if len(recipients) > 1 else message_type
    with store.transaction() as conn:
        if session_id is None:
            session_id = secrets.token_hex(16)
        message_id = f"m-{secrets.token_hex(7)}"
        seq = conn.execute(
            "INSERT INTO netsapiens_messages(id, session_id, domain, user, type, direction, from_number,"
            " from_user_id, text, dialed, terminating_user_id, terminating_number, participants, status,"
            " media_type, media_size, media_data, created)"
            " VALUES (?, ?, ?, ?, ?, 'term', ?, ?, ?, ?, ?, ?, ?, 'sending', ?, ?, ?, ?)",
            (
                message_id,
                session_id,
                domain,
                user,
                message_type,
                from_number,
                sender,
                fields["message"],
                participants,
                None if message_type in NUMBER_TYPES else participants,
                participants if message_type in NUMBER_TYPES else None,
                participants,
                mime,
                size,
                data,
                now,
            ),
        ).lastrowid  # orders sessions with the same last time
        conn.execute(
            "INSERT INTO netsapiens_sessions(domain, user, id, type, participants, remote, sms_number,"
            " started, last, last_message, last_sender, last_type, last_media_type, last_media_size, seq)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(domain, user, id) DO UPDATE SET last = excluded.last,"
            " last_message = excluded.last_message, last_sender = excluded.last_sender,"
            " last_type = excluded.last_type, last_media_type = excluded.last_media_type,"
            " last_media_size = excluded.last_media_size, seq = excluded.seq,"
            " sms_number = coalesce(excluded.sms_number, netsapiens_sessions.sms_number)",
            (
                domain,
                user,
                session_id,
                session_type,
                participants,
                participants,
                from_number,
                now,
                now,
                fields["message"],
                from_number or sender,
                message_type,
                mime,
                size,
                seq,
            ),
        )
        message = _message_object(_message_row(conn, message_id))
        session = _session_object(_session_row(conn, domain, user, session_id))
    return Sent(message, session)


# -- reads ----------------------------------------------------------------------------------
def _message_row(conn: sqlite3.Connection, message_id: str) -> tuple[Any, ...]:
    row = conn.execute(
        f"SELECT {_MESSAGE_COLUMNS} FROM netsapiens_messages WHERE id = ?", (message_id,)
    ).fetchone()
    assert row is not None
    return row


def _session_row(conn: sqlite3.Connection, domain: str, user: str, session_id: str) -> tuple[Any, ...] | None:
    return conn.execute(
        f"SELECT {_SESSION_COLUMNS} FROM netsapiens_sessions WHERE domain = ? AND user = ? AND id = ?",
        (domain, user, session_id),
    ).fetchone()


def _message_object(row: Sequence[Any]) -> dict[str, Any]:
    return {
        "id": row[0],
        "timestamp": clock.wire_datetime(row[1]),
        "type": row[2],
        "domain": row[3],
        "direction": row[4],
        "from-number": row[5],
        "from-user-id": row[6],
        "from-video-attendee-id": None,
        "from-user-agent": None,
        "dialed": row[7],
        "text": row[8],
        "terminating-user-id": row[9],
        "terminating-number": row[10],
        "status": row[11],
        "video-instance-id": None,
        "media-type": row[12],
        "media-size": row[13],
        "deleted-datetime": None,
        "messagesession-reciever-hostname": RECEIVER_HOSTNAME,
        "messagesession-id": row[14],
        "messagesession-participants": row[15],
    }


def _session_object(row: Sequence[Any] | None) -> dict[str, Any]:
    assert row is not None
    return {
        "user": row[1],
        "domain": row[0],
        "messagesession-id": row[2],
        "messagesession-type": row[3],
        "messagesession-name": row[4],
        "messagesession-participants": row[5],
        "messagesession-remote": row[6],
        "messagesession-sms-number": row[7],
        "messagesession-muted": "no",
        "messagesession-start-datetime": clock.wire_datetime(row[8]),
        "messagesession-last-datetime": clock.wire_datetime(row[9]),
        "messagesession-last-message": row[10],
        "messagesession-last-sender": row[11],
        "messagesession-last-status": "read",
        "messagesession-last-type": row[12],
        "messagesession-last-media-type": row[13],
        "messagesession-last-media-size": row[14],
        "messagesession-last-email-reminder-datetime": None,
        "messagesession-reciever-hostname": RECEIVER_HOSTNAME,
        "messagesession-queue-termination": None,
        "messagesession-queue-status": None,
        "messagesession-queue-session-id": None,
        "messagesession-agent-start-datetime": None,
    }


def list_sessions(
    store: Store, domain: str, user: str | None, start: int, limit: int
) -> list[dict[str, Any]]:
    """A page of sessions, most recent activity first (domain-wide when ``user`` is None)."""
    where, params = ("domain = ?", [domain]) if user is None else ("domain = ? AND user = ?", [domain, user])
    rows = store.all(
        f"SELECT {_SESSION_COLUMNS} FROM netsapiens_sessions WHERE {where} ORDER BY last DESC, seq DESC, id"
        " LIMIT ? OFFSET ?",
        (*params, limit, start),
    )
    return [_session_object(row) for row in rows]


def get_session(store: Store, domain: str, user: str, session_id: str) -> dict[str, Any]:
    row = _session_row(store.conn, domain, user, session_id)
    if row is None:
        raise not_found(f"Messagesession {session_id[:64]} not found for user {user}@{domain}")
    return _session_object(row)


def list_messages(
    store: Store, domain: str, user: str, session_id: str, start: int, limit: int
) -> list[dict]:
    """A page of a session's messages, oldest first."""
    get_session(store, domain, user, session_id)
    rows = store.all(
        f"SELECT {_MESSAGE_COLUMNS} FROM netsapiens_messages WHERE domain = ? AND user = ? AND session_id = ?"
        " ORDER BY seq LIMIT ? OFFSET ?",
        (domain, user, session_id, limit, start),
    )
    return [_message_object(row) for row in rows]


UPDATE_FIELDS = {
    "participants": Field(("string",)),
    "session-name": Field(("string",)),
}


def update_session(store: Store, domain: str, user: str, session_id: str, body: dict[str, Any]) -> None:
    """Rename a session or change its participants (neither for group MMS, as the API refuses)."""
    fields = check_body(body, UPDATE_FIELDS)
    if not fields:
        raise bad_request(
            "Send 'participants' (a comma-separated list) or 'session-name' to update a session."
        )
    session = get_session(store, domain, user, session_id)
    if session["messagesession-type"] == "group-mms":
        raise bad_request(
            "A group MMS session cannot be renamed or change participants; start a new session."
        )
    if "participants" in fields:
        people = [item.strip() for item in fields["participants"].split(",") if item.strip()]
        if not people:
            raise bad_request("'participants' must name at least one participant, comma-separated.")
        participants = ",".join(people)
        store.execute(
            "UPDATE netsapiens_sessions SET participants = ?, remote = ? WHERE domain = ? AND user = ? AND"
            " id = ?",
            (participants, participants, domain, user, session_id),
        )
    if "session-name" in fields:
        store.execute(
            "UPDATE netsapiens_sessions SET name = ? WHERE domain = ? AND user = ? AND id = ?",
            (fields["session-name"], domain, user, session_id),
        )


def remove_session(store: Store, domain: str, user: str, session_id: str, *, keep_messages: bool) -> None:
    """Leave (the user stops seeing it) or delete (its messages go too) a user's session."""
    get_session(store, domain, user, session_id)
    with store.transaction() as conn:
        conn.execute(
            "DELETE FROM netsapiens_sessions WHERE domain = ? AND user = ? AND id = ?",
            (domain, user, session_id),
        )
        if not keep_messages:
            conn.execute(
                "DELETE FROM netsapiens_messages WHERE domain = ? AND user = ? AND session_id = ?",
                (domain, user, session_id),
            )

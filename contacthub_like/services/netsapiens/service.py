"""The NetSapiens PBX API v2, declared on the seam: paging, errors, acknowledgements, ids.

Lists take ``start`` (0-based, as the document's ``Start`` says) and ``limit`` (default
100, at most 1000) and answer bare JSON arrays with no total: a short page ends them.
Errors are ``{"code": <status>, "message": ...}``; a 409 from ``POST /subscriptions`` is a
:class:`DuplicateSubscription`.  Most writes answer ``202 {"code":202,"message":"Accepted"}``,
which the document calls a full success.
"""

from __future__ import annotations

import re
import secrets as _secrets
import string
from typing import Any

from ...errors import Conflict, InvalidResponse, InvalidType, InvalidValue, keyed_error_decoder
from ...query.paging import OffsetLimit
from ...service import Service

__all__ = [
    "NETSAPIENS",
    "API_ROOT",
    "MAX_LIMIT",
    "DuplicateSubscription",
    "is_acknowledgement",
    "new_session_id",
    "check_session_id",
    "one_object",
]

#: the API's path below the host (``https://pbx.example.com/ns-api/v2``)
API_ROOT = "/ns-api/v2"
#: the document's ``Limit.maximum``: larger pages are capped to it
MAX_LIMIT = 1000
#: the document's ``Limit.default``: what a list without ``limit`` silently returns at most
DEFAULT_LIMIT = 100


class DuplicateSubscription(Conflict):
    """409 on ``POST /subscriptions``: one with the same model, post-url and filters exists.

    ``existing_id`` is the id the API names in its message (update or delete that one).
    """

    @property
    def existing_id(self) -> str | None:
        found = re.search(r"\bid ([A-Za-z0-9_-]+)", self.message or "")
        return found.group(1) if found else None


NETSAPIENS = Service(
    name="netsapiens",
    paging=OffsetLimit(
        offset_param="start", limit_param="limit", max_limit=MAX_LIMIT, default_limit=DEFAULT_LIMIT
    ),
    decode_error=keyed_error_decoder("message", "code", classes={409: DuplicateSubscription}),
    success_statuses=frozenset({200, 201, 202, 204}),
)


def is_acknowledgement(document: Any) -> bool:
    """Whether an answer is the document's ``SuccessResponse`` (``{"code": 202, "message": "Accepted"}``)."""
    return isinstance(document, dict) and set(document) <= {"code", "message"} and "code" in document


_SESSION_ID = re.compile(r"[A-Za-z0-9_]{32,}")
_ALPHABET = string.ascii_letters + string.digits


def new_session_id() -> str:
    """A fresh message-session id: 32 random characters of ``[A-Za-z0-9]``, as the API requires."""
    return "".join(_secrets.choice(_ALPHABET) for _ in range(32))


def check_session_id(value: object) -> str:
    """A client-chosen message-session id, or a typed error saying what the API requires."""
    if not isinstance(value, str):
        raise InvalidType(f"a message-session id must be a str, got {type(value).__name__}")
    if not _SESSION_ID.fullmatch(value):
        raise InvalidValue(
            f"message-session id {value!r} is not valid: it must be at least 32 characters of "
            "[A-Za-z0-9_]; leave it out to start a new session with a generated id"
        )
    return value


def one_object(found: Any, what: str, path: str) -> dict[str, Any]:
    """The object of a single read: some reads answer an array of one (``GET …/messagesessions/{id}``)."""
    if isinstance(found, list) and len(found) == 1 and isinstance(found[0], dict):
        return found[0]
    if isinstance(found, dict):
        return found
    raise InvalidResponse(f"GET {path} answered {type(found).__name__}, not one {what}")

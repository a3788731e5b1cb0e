"""ETags and ``If-Match`` for customers: a write based on a stale read is refused, not lost.

Every customer answer carries ``ETag: "<digest of the stored document>"``; the document holds
``updatedAt``, so any write gives a new tag.  A PUT, PATCH or DELETE with ``If-Match`` is
applied only when one of the listed tags (or ``*``) matches the customer as stored, checked in
the same transaction as the write; otherwise the answer is ``412 Precondition Failed`` with the
current customer in ``data.customer`` and its tag in ``ETag``, so the client can merge and
retry.  Without ``If-Match`` writes behave as before (last write wins), as on ContactHub itself,
which offers no ETags.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3

from starlette.requests import Request
from starlette.responses import Response

from .context import raw_json_response
from .errors import HubError, field_error

__all__ = ["etag_of", "check_if_match", "tagged", "PRECONDITION_FAILED"]

PRECONDITION_FAILED = "the customer changed since it was read (If-Match does not match its ETag)"


def etag_of(text: str) -> str:
    """The strong ETag of a stored document's JSON text."""
    return '"' + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32] + '"'


def tagged(text: str, status: int = 200) -> Response:
    """The stored document as the answer, with its ETag."""
    response = raw_json_response(text, status)
    response.headers["ETag"] = etag_of(text)
    return response


def check_if_match(request: Request, conn: sqlite3.Connection, ws: str, customer_id: str) -> None:
    """Raise 412 with the current customer when ``If-Match`` names none of its versions."""
    header = request.headers.get("if-match")
    if header is None:
        return
    row = conn.execute("SELECT doc FROM customers WHERE id = ? AND ws = ?", (customer_id, ws)).fetchone()
    if row is None:
        return  # the write itself answers 404
    wanted = [tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()]
    current = etag_of(row[0])
    if "*" in wanted or current in wanted:
        return
    raise HubError(
        412,
        PRECONDITION_FAILED,
        data={"customer": json.loads(row[0])},
        errors=[field_error("/If-Match", f"the current ETag is {current}", "STALE")],
        headers={"ETag": current},
    )

"""Time on the wire, both of the formats the API uses, and parsing what clients send.

Messages and message sessions carry ``YYYY-MM-DD HH:MM:SS`` (UTC), as the document's
examples show; subscriptions carry ISO-8601 with an offset (``2024-12-09T21:27:11+00:00``),
which is what their schema's ``format: date-time`` asks for and what live servers return.
Clients write subscription expiries as ``YYYY-MM-DD HH:MM:SS`` (read as UTC) or ISO-8601.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone


def now() -> float:
    """Wall-clock POSIX seconds; expiries are compared against it."""
    return time.time()


def wire_datetime(seconds: float) -> str:
    """``YYYY-MM-DD HH:MM:SS`` in UTC (message and message-session times)."""
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def iso_datetime(seconds: float) -> str:
    """ISO-8601 with a ``+00:00`` offset, whole seconds (subscription times)."""
    return datetime.fromtimestamp(int(seconds), timezone.utc).isoformat()


def parse_client_datetime(text: str) -> float:
    """``YYYY-MM-DD HH:MM:SS`` or ISO-8601 (``T``, optional fraction, ``Z`` or offset) → POSIX seconds.

    A value without a zone is UTC, as the API reads it. Raises ``ValueError`` on anything else.
    """
    value = text.strip()
    if len(value) < 19:  # a bare date would be read as midnight: ask for a full timestamp instead
        raise ValueError(text)
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    seconds = parsed.timestamp()
    if seconds > _LATEST:  # an offset can push 9999-12-31 past what a datetime can show
        raise ValueError(text)
    return seconds


_LATEST = datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone.utc).timestamp()

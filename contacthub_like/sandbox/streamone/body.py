"""Reading request bodies the way the real server evidently does: by content, not by label.

The seed SDK posts ``generate_invoices`` as a form body under ``Content-Type: application/json``
(requests' ``data=`` with a JSON header), and the real server accepts it; so a body that parses
as a JSON object is JSON, anything else is read as ``application/x-www-form-urlencoded``.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request

from .errors import IonError, invalid

MAX_BODY_BYTES = 256 * 1024
#: SQLite integers are 64-bit: a larger id or offset could never match and must not reach the driver
MAX_INT = 2**63 - 1
_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no"}


async def read_body(request: Request) -> dict[str, Any]:
    """The body as a dict, whether sent as a JSON object or as a form (whatever the label says)."""
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        raise IonError(413, f"the request body is larger than {MAX_BODY_BYTES} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise invalid("body", "the request body is not UTF-8 text") from None
    stripped = text.strip()
    if not stripped:
        return {}
    if stripped.startswith("{"):
        try:
            value = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise invalid(
                "body", f"the JSON body does not parse ({exc.msg} at character {exc.pos})"
            ) from None
        except RecursionError:
            raise invalid("body", "the JSON body is nested too deeply") from None
        if not isinstance(value, dict):
            raise invalid("body", "send a JSON object")
        return value
    return dict(parse_qsl(stripped, keep_blank_values=True))


def parse_bool(field: str, value: object) -> bool:
    """``true``/``false`` in any case (the seed SDK sends Python's ``True``/``False``), 1/0, yes/no."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise invalid(field, f"{value!r} is not a boolean; send true or false")


def parse_int(field: str, value: object, *, minimum: int = 0, maximum: int = MAX_INT) -> int:
    """A non-negative (by default) integer, or 400 naming the field and the accepted range."""
    try:
        number = int(str(value).strip())
    except ValueError:
        raise invalid(field, f"{value!r} is not an integer") from None
    if not minimum <= number <= maximum:
        raise invalid(field, f"{number} is out of range; send at least {minimum} and at most {maximum}")
    return number


def id_in_path(raw: str) -> int | None:
    """A numeric id from a URL segment, or None when it cannot name a stored row (so: 404)."""
    try:
        number = int(raw)
    except ValueError:
        return None
    return number if -MAX_INT <= number <= MAX_INT else None

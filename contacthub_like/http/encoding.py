"""What goes into a request and what comes out of it: URLs, parameters, bodies, parsed answers.

Shared by the sync transport (requests) and its asyncio socket (httpx), so both encode and
read exactly the same way.
"""

from __future__ import annotations

import datetime as _dt
import enum
import ipaddress
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, TypeAlias
from urllib.parse import quote, urlencode, urlsplit

import requests

from .. import wire
from ..errors import InvalidResponse, InvalidType, InvalidValue
from .retry import MAYBE_APPLIED_STATUSES

Timeout: TypeAlias = "float | tuple[float, float]"


class _Nothing(enum.Enum):
    """Sentinel type: "no body" (``None`` is a valid JSON body: ``null``)."""

    NOTHING = enum.auto()


_NOTHING = _Nothing.NOTHING


def quote_segment(value: object) -> str:
    """Percent-encode one path segment (an id), so ``a/b`` cannot change the route."""
    return quote(str(value), safe="")


def _encode_param(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    if isinstance(value, (tuple, set, frozenset)):
        return ",".join(_encode_param(v) for v in value)
    if isinstance(value, (_dt.date, enum.Enum)):
        return _encode_param(wire.encode_value(value))
    raise InvalidType(
        f"cannot send a query parameter of type {type(value).__name__}: use str, int, float, bool, "
        "date, datetime, an enum or a list of those"
    )


def encode_params(params: Mapping[str, Any] | None) -> dict[str, str | list[str]] | None:
    """Query-string values as the hub expects them.

    ``None`` values are dropped (the parameter is not sent) but ``0``, ``False`` and ``""``
    are kept; booleans are ``true``/``false``; a list repeats the parameter
    (``sort=a,asc&sort=b,desc``, the Spring convention the hub follows); a tuple or set is
    comma-joined (``fields=a,b``); dates and datetimes use the wire format.
    """
    if not params:
        return None
    return {
        key: [_encode_param(v) for v in value] if isinstance(value, list) else _encode_param(value)
        for key, value in params.items()
        if value is not None
    }


def encode_query(params: Mapping[str, Any] | None) -> str:
    """The query string requests would build from :func:`encode_params`, built here once.

    Given a dict, requests merges it with the session's parameters and encodes it again,
    checking it against ``typing`` protocols on the way (about 4.5 us per check on CPython
    3.11, three to four per request, even with no parameters at all); a string goes through
    both steps untouched. The pairs and their order are those requests would encode, so the
    URL is the same to the byte.
    """
    return urlencode(encode_params(params) or {}, doseq=True)


def _check_timeout(timeout: object) -> Timeout:
    if isinstance(timeout, tuple) and len(timeout) == 2 and all(_positive(t) for t in timeout):
        return (float(timeout[0]), float(timeout[1]))
    if _positive(timeout):
        return float(timeout)  # type: ignore[arg-type]
    raise InvalidValue(
        f"timeout must be a positive number of seconds or a (connect, read) pair, got {timeout!r}"
    )


def _positive(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0


def _check_base_url(base_url: object) -> str:
    if not isinstance(base_url, str):
        raise InvalidType(f"base_url must be a str, got {type(base_url).__name__}")
    url = base_url.strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise InvalidValue(f"base_url must start with http:// or https://, got {base_url!r}")
    return url


def _is_loopback(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _Encoded:
    """A body already encoded (form or raw bytes), with its content type."""

    __slots__ = ("data", "content_type")

    def __init__(self, data: bytes, content_type: str) -> None:
        self.data = data
        self.content_type = content_type


def _body(json: Any, form: Mapping[str, Any] | None, content: bytes | None, content_type: str | None) -> Any:
    """The one body of a request: JSON (encoded later), a form, or raw bytes; never two."""
    given = [name for name, value in (("form", form), ("content", content)) if value is not None]
    if json is not _NOTHING:
        given.insert(0, "json")
    if len(given) > 1:
        raise InvalidValue(f"a request has one body; got {' and '.join(given)}")
    if form is not None:
        encoded = encode_query(form).encode("ascii")
        return _Encoded(encoded, "application/x-www-form-urlencoded")
    if content is not None:
        if not isinstance(content, (bytes, bytearray)):
            raise InvalidType(f"content must be bytes, got {type(content).__name__}")
        return _Encoded(bytes(content), content_type or "application/octet-stream")
    return json


# --------------------------------------------------------------------------- transport


def parsed_answer(response: Any, method: str, path: str) -> Any:
    """The JSON body of a 2xx answer (requests' or httpx's), ``None`` when empty; else InvalidResponse."""
    content = response.content
    if not content or content.isspace():
        return None
    try:
        return wire.decode_json(content)
    except ValueError as exc:
        raise InvalidResponse(
            f"{method} {path}: the API answered {response.status_code} with a body that is not "
            f"JSON (Content-Type: {response.headers.get('Content-Type', 'none')})",
            status_code=response.status_code,
            response=response if isinstance(response, requests.Response) else None,
        ) from exc


def maybe_applied(outcomes: list[int | None]) -> bool:
    """Whether an attempt before the last may have been applied (no answer, or a 5xx)."""
    return any(o is None or o in MAYBE_APPLIED_STATUSES for o in outcomes[:-1])

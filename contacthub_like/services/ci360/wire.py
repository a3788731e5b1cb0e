"""The CI360 API as the core sees it: its collections, its error JSON, its throttle signal.

Everything the wire says about failure is read here and nowhere else.  No real CI360 error
body is published; the shape assumed is the SAS Viya error JSON (``httpStatusCode``,
``errorCode``, ``message``, ``details``, ``remediation``), which SAS's own macros read, so a
correction touches only :func:`decode_error` and :func:`is_throttled`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs
import requests

from ..._log import redact
from ...errors import APIError, error_from_response
from ...query.paging import NextLinks
from ...service import Service

__all__ = ["CI360_SERVICE", "SasError", "THROTTLED_ERROR_CODE", "decode_error", "is_throttled"]

#: the ``errorCode`` of the gateway's 403 when it throttles (past 700,000 requests per 5 min per IP)
THROTTLED_ERROR_CODE = 1429


@attrs.frozen
class SasError:
    """The fields of a SAS error body, on every :class:`~contacthub_like.errors.APIError` as ``.sas``."""

    http_status_code: int | None
    error_code: int | None
    message: str
    details: tuple[str, ...] = ()
    remediation: str = ""


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _scrub(value: Any, secrets: tuple[str, ...]) -> Any:
    """``value`` (a parsed JSON body) with every secret in its strings replaced."""
    if isinstance(value, str):
        return redact(value, secrets)
    if isinstance(value, dict):
        return {key: _scrub(item, secrets) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrub(item, secrets) for item in value]
    return value


def _fields(raw: dict[str, Any], secrets: tuple[str, ...]) -> dict[str, Any]:
    """The core's error fields from a SAS error body (the remediation joins the message: how to fix it)."""
    body: dict[str, Any] = _scrub(raw, secrets)
    message = "" if body.get("message") is None else str(body["message"])
    remediation = str(body.get("remediation") or "")
    if remediation:
        message = f"{message} (remediation: {remediation})" if message else remediation
    details = body.get("details")
    code = _int(body.get("errorCode"))
    return {
        "message": message,
        "logref": None if code is None else str(code),
        "data": body,
        "errors": list(details) if isinstance(details, list) else ([] if details is None else [details]),
    }


def decode_error(response: requests.Response, *, secrets: Iterable[str] = ()) -> APIError:
    """The typed error of a non-2xx CI360 answer, its SAS fields in ``.sas`` (secrets redacted)."""
    shown = tuple(secrets)
    error = error_from_response(response, secrets=shown, fields=lambda body: _fields(body, shown))
    error.body = _scrub(error.body, shown)
    body = error.body if isinstance(error.body, dict) else {}
    details = body.get("details")
    error.sas = SasError(  # type: ignore[attr-defined]
        http_status_code=_int(body.get("httpStatusCode")) or response.status_code,
        error_code=_int(body.get("errorCode")),
        message=str(body.get("message") or ""),
        details=tuple(str(d) for d in details) if isinstance(details, list) else (),
        remediation=str(body.get("remediation") or ""),
    )
    return error


def is_throttled(response: requests.Response) -> bool:
    """The gateway's throttle answer: a 403 whose SAS body says ``errorCode`` 1429 (not a real refusal)."""
    if response.status_code != 403:
        return False
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and _int(body.get("errorCode")) == THROTTLED_ERROR_CODE


#: the SAS collection envelope {count, start, limit, items, links}: pages follow links[rel=next]
CI360_SERVICE = Service(
    name="ci360",
    paging=NextLinks(
        items_key="items", links_key="links", rel="next", limit_param="limit", total_key="count"
    ),
    decode_error=decode_error,
    throttled=is_throttled,
)

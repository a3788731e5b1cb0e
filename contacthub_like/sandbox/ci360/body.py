"""Reading request bodies and checking their fields, with a 400 SAS error for anything malformed.

VeloxPy, the seed client, sends some bodies as form fields labelled ``application/json`` (a
Python dict handed to aiohttp's ``data=``): ``version=1&overrideSchedule=False&folderPath=None``,
with a list of dicts written as repeated ``key={'name': ...}`` fields.  The real gateway
would read those how it reads them; the emulator accepts them so that the seed's examples run,
and reads ``None`` as absent, ``True``/``False`` as booleans and dict reprs as objects.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request

from .errors import SasError, bad_request

MAX_BODY_BYTES = 1024 * 1024


async def read_limited(request: Request, limit: int) -> bytes:
    """The whole body, refused with 413 past ``limit`` bytes (read as a stream, never all at once)."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise SasError(
                413, f"the request body is larger than {limit} bytes", remediation="send a smaller body"
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _form_value(value: str) -> Any:
    if value == "None":
        return None
    if value.startswith("{") and value.endswith("}"):
        try:
            return ast.literal_eval(value)  # a dict aiohttp wrote with str(); literals only
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            return value
    return value


def _parse_form(text: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in parse_qsl(text, keep_blank_values=True):
        parsed = _form_value(value)
        if key in out:
            previous = out[key]
            out[key] = [*previous, parsed] if isinstance(previous, list) else [previous, parsed]
        else:
            out[key] = parsed
    return out


async def read_object(request: Request, *, required: bool = True) -> dict[str, Any]:
    """The body as a JSON object, or the form fields VeloxPy labels JSON; ``{}`` when empty and optional."""
    raw = await read_limited(request, MAX_BODY_BYTES)
    if not raw.strip():
        if required:
            raise bad_request("the request body is empty", "send a JSON object")
        return {}
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise bad_request(
            "the request body is not UTF-8 text", "send a JSON object encoded as UTF-8"
        ) from None
    stripped = text.lstrip()
    if stripped.startswith(("{", "[", '"')) or "=" not in text:
        try:
            body = json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise bad_request("the request body is not valid JSON", "send a JSON object", str(exc)) from None
    else:
        body = _parse_form(text)
    if not isinstance(body, dict):
        raise bad_request(
            f"the request body is a JSON {type(body).__name__}, not an object", "send a JSON object"
        )
    return body


# -- fields --------------------------------------------------------------------------------------
def text(body: dict[str, Any], key: str, *, required: bool = False, default: str | None = None) -> str | None:
    """A non-empty string field (numbers are accepted and written as text, as forms would)."""
    value = body.get(key)
    if value is None or value == "":
        if required:
            raise bad_request(f"{key} is required", f"send {key} as a non-empty string")
        return default
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise bad_request(f"{key} must be a string, not {type(value).__name__}", f"send {key} as a string")
    return str(value)


def boolean(body: dict[str, Any], key: str, default: bool | None = None) -> bool | None:
    """``true``/``false``, also as the strings ``"true"``/``"false"`` (any case) forms and VeloxPy send."""
    value = body.get(key)
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise bad_request(f"{key} must be true or false, not {value!r}", f"send {key} as a boolean")


def integer(
    body: dict[str, Any],
    key: str,
    default: int | None = None,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int | None:
    """An integer field, also as a string of digits (VeloxPy sends ``"version": "1"``)."""
    value = body.get(key)
    if value is None or value == "":
        return default
    if isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError:
            pass
    if isinstance(value, bool) or not isinstance(value, int):
        raise bad_request(f"{key} must be an integer, not {value!r}", f"send {key} as a whole number")
    if minimum is not None and value < minimum:
        raise bad_request(f"{key} must be at least {minimum}, got {value}", f"send {key} >= {minimum}")
    if maximum is not None and value > maximum:
        raise bad_request(f"{key} must be at most {maximum}, got {value}", f"send {key} <= {maximum}")
    return value


def choice(
    body: dict[str, Any],
    key: str,
    allowed: Iterable[str],
    default: str | None = None,
    *,
    required: bool = False,
) -> str | None:
    options = tuple(allowed)
    value = text(body, key, required=required, default=None)
    if value is None:
        return default
    if value not in options:
        raise bad_request(
            f"{key} {value!r} is not one of {', '.join(options)}", f"send one of: {', '.join(options)}"
        )
    return value


def objects(body: dict[str, Any], key: str, *, required: bool = False) -> list[dict[str, Any]] | None:
    """A list of objects; one object alone (a single form field) counts as a list of one."""
    value = body.get(key)
    if value is None or value == []:
        if required:
            raise bad_request(f"{key} is required", f"send {key} as a non-empty array of objects")
        return None if value is None else []
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise bad_request(f"{key} must be an array of objects", f"send {key} as [{{...}}, ...]")
    return value


def strings(body: dict[str, Any], key: str, *, required: bool = False) -> list[str] | None:
    """A list of non-empty strings; one string alone (a single form field) counts as a list of one."""
    value = body.get(key)
    if value is None or value == []:
        if required:
            raise bad_request(f"{key} is required", f"send {key} as a non-empty array of strings")
        return None if value is None else []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise bad_request(f"{key} must be an array of non-empty strings", f'send {key} as ["...", ...]')
    return value

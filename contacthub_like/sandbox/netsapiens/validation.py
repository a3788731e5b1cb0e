"""Input checks as the OpenAPI document states them, each failing with a 400 that says how to fix it.

Bodies are declared as small field tables (:class:`Field`) that mirror the document's request
schemas: type, required, enum, nullability.  Unknown keys are ignored, as the live API does.
Where the seed client sends a value in another type than the document (``size`` and the
counters as strings of digits), the check accepts exactly that form too.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
from starlette.requests import Request

from .errors import bad_request

#: the document's ``Limit``: default 100 (the silent-truncation trap), minimum 1, maximum 1000
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
#: the document's ``DomainNamePath``/``UserNamePath`` length limits
MAX_DOMAIN_LENGTH = 64
MAX_USER_LENGTH = 16
#: the largest body the API takes (larger ones are refused with 400)
MAX_BODY_BYTES = 25 * 1024 * 1024
#: integers are stored in SQLite, whose integers are 64-bit
MAX_INTEGER = 2**63 - 1


@attrs.frozen
class Field:
    """One body key: its JSON kinds (``"string"``, ``"integer"``, ``"string-list"``), and rules."""

    kinds: tuple[str, ...]
    required: bool = False
    nullable: bool = False
    enum: tuple[str, ...] = ()
    #: also accept a string of decimal digits where the kind is ``integer`` (what the seed client sends)
    digits_ok: bool = False


_KIND_NAMES = {"string": "a string", "integer": "an integer", "string-list": "a list of strings"}


async def json_object(request: Request, *, optional: bool = False) -> dict[str, Any]:
    """The request body as a JSON object; an empty body is ``{}`` when ``optional``."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise bad_request("The request body is larger than 25 MB; send smaller media.")
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        raise bad_request("The request body is larger than 25 MB; send smaller media.")
    if not raw.strip():
        if optional:
            return {}
        raise bad_request(
            "The request body is empty; send a JSON object with Content-Type: application/json."
        )
    try:
        value = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise bad_request(f"The request body is not valid JSON ({exc}); send a JSON object.") from None
    if not isinstance(value, dict):
        raise bad_request(f"The request body must be a JSON object, not {type(value).__name__}.")
    try:  # JSON may escape lone surrogates ("\\ud800"), which no text column can hold
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise bad_request(
            "The request body holds an unpaired UTF-16 surrogate; send valid Unicode text."
        ) from None
    return value


def _matches(value: Any, kind: str, digits_ok: bool) -> bool:
    if kind == "string":
        return isinstance(value, str)
    if kind == "integer":
        if isinstance(value, bool):
            return False
        if isinstance(value, int):
            return True
        if isinstance(value, float):
            return value.is_integer()
        return digits_ok and isinstance(value, str) and value.isascii() and value.isdigit()
    if kind == "string-list":
        return isinstance(value, list) and all(isinstance(item, str) for item in value)
    raise AssertionError(kind)


def _integer(name: str, value: float | str) -> int:
    if isinstance(value, str) and len(value) > 19:  # also keeps int() clear of its digit-count limit
        raise bad_request(f"'{name}' is out of range; it must fit in 64 bits.")
    number = int(value)
    if abs(number) > MAX_INTEGER:
        raise bad_request(f"'{name}' is out of range; it must fit in 64 bits.")
    return number


def check_body(body: Mapping[str, Any], fields: Mapping[str, Field]) -> dict[str, Any]:
    """Check ``body`` against ``fields``; returns the declared keys present (unknown keys dropped)."""
    out: dict[str, Any] = {}
    for name, field in fields.items():
        if name not in body:
            if field.required:
                raise bad_request(f"'{name}' is required; add it to the JSON body.")
            continue
        value = body[name]
        if value is None:
            if field.nullable and not field.required:
                out[name] = None
                continue
            raise bad_request(f"'{name}' must not be null.")
        if not any(_matches(value, kind, field.digits_ok) for kind in field.kinds):
            wanted = " or ".join(_KIND_NAMES[kind] for kind in field.kinds)
            raise bad_request(f"'{name}' must be {wanted}, not {json.dumps(value)[:60]}.")
        if field.enum and value not in field.enum:
            raise bad_request(
                f"'{name}' must be one of {', '.join(field.enum)}; got {json.dumps(value)[:60]}."
            )
        if "integer" in field.kinds and isinstance(value, (int, float, str)) and "string" not in field.kinds:
            out[name] = _integer(name, value)  # 3.0 and "3" (where digits_ok) become 3
        else:
            out[name] = value
    return out


def _int_param(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    try:
        number = float(raw)
    except ValueError:
        raise bad_request(f"Query parameter '{name}' must be an integer, not {raw[:40]!r}.") from None
    if not number.is_integer():
        raise bad_request(f"Query parameter '{name}' must be a whole number, not {raw[:40]!r}.")
    return int(number)


def paging(request: Request) -> tuple[int, int]:
    """``(start, limit)`` from the query: ``start`` 0-based (default 0), ``limit`` 1..1000 (default 100).

    A ``limit`` above the document's maximum is capped to it, as the API caps large pages.
    """
    start = _int_param(request, "start")
    limit = _int_param(request, "limit")
    if start is None:
        start = 0
    elif start < 0:
        raise bad_request(f"'start' must be 0 or more (it is 0-based); got {start}.")
    if limit is None:
        limit = DEFAULT_LIMIT
    elif limit < 1:
        raise bad_request(f"'limit' must be between 1 and {MAX_LIMIT}; got {limit}.")
    return min(start, MAX_INTEGER), min(limit, MAX_LIMIT)  # a start past the data is an empty page


def page(rows: Sequence[Any], start: int, limit: int) -> list[Any]:
    return list(rows[start : start + limit])


def path_name(value: str, what: str, max_length: int) -> str:
    """A ``{domain}``/``{user}`` path segment within the document's length limit."""
    if not value:
        raise bad_request(f"The {what} in the path is empty; use a name or '~' for your own.")
    if len(value) > max_length:
        raise bad_request(f"The {what} in the path is longer than {max_length} characters.")
    return value

"""Conversions between Python values and the hub's JSON wire forms.

Every layer that writes JSON (entities, the query compiler, the transport) goes
through this module, so a date is spelled the same way in a PATCH body and in a
query filter, and an aware datetime is always converted to UTC first.
"""

from __future__ import annotations

import datetime as _dt
import enum
import json
import math
from decimal import Decimal
from typing import Any

import msgspec
from dateutil import parser as _date_parser

from .errors import InvalidValue

__all__ = [
    "encode_value",
    "encode_date",
    "encode_datetime",
    "parse_date",
    "parse_datetime",
    "dumps",
    "decode_json",
    "WireJSONEncoder",
]

_UTC = _dt.timezone.utc

_fast_decode = msgspec.json.Decoder().decode


def decode_json(data: bytes | str) -> Any:
    """Parse a response body: the same values as :func:`json.loads`, in about two thirds of its time.

    Every page of customers is parsed here, and the parse costs more than wrapping the
    documents in records, so it uses msgspec's decoder (written in C, with wheels for every
    platform the library supports). Whatever msgspec refuses but the standard parser accepts
    (``NaN``, ``Infinity``, a lone surrogate escape, a UTF-16 body) goes to :func:`json.loads`,
    which accepts it as before or raises its usual :class:`ValueError`: the answer never
    depends on which parser read it.
    """
    try:
        return _fast_decode(data)
    except msgspec.DecodeError:  # a ValueError too; the standard parser decides
        return json.loads(data)


def encode_datetime(value: _dt.datetime) -> str:
    """ISO-8601 in UTC with a ``Z`` suffix.

    Naive datetimes are taken to be UTC already (that is what the hub stores);
    aware ones are converted, so ``10:00+02:00`` goes out as ``08:00Z``.
    Milliseconds are kept only when present, which matches what the hub emits.
    """
    if value.tzinfo is not None:
        value = value.astimezone(_UTC).replace(tzinfo=None)
    if value.microsecond:
        return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def encode_date(value: _dt.date) -> str:
    return value.isoformat()


def encode_value(value: Any) -> Any:
    """Turn one Python value into its JSON-ready form (recursively for containers)."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, _dt.datetime):
        return encode_datetime(value)
    if isinstance(value, _dt.date):
        return encode_date(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, enum.Enum):
        return encode_value(value.value)
    to_wire = getattr(value, "to_dict", None)
    if to_wire is not None:
        return to_wire()
    if isinstance(value, dict):
        return {str(k): encode_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode_value(v) for v in value]
    raise TypeError(
        f"cannot send a value of type {type(value).__name__} to the hub: use str, int, float, bool, "
        "None, date, datetime, Decimal, dict, list or Properties"
    )


class WireJSONEncoder(json.JSONEncoder):
    """A JSON encoder that knows dates, datetimes, Decimals, enums and Properties."""

    def default(self, o: Any) -> Any:  # noqa: D401 - json API
        try:
            return encode_value(o)
        except TypeError:
            return super().default(o)


def dumps(value: Any, **kwargs: Any) -> str:
    """``json.dumps`` with the wire encoder, for bodies and the ``query`` parameter.

    NaN and infinities are refused here, naming where they are: JSON has no spelling for them,
    and sent as ``NaN`` they would make the hub answer "malformed JSON" about a body it never got.
    """
    try:
        return json.dumps(value, cls=WireJSONEncoder, allow_nan=False, **kwargs)
    except ValueError as exc:
        found = _non_finite(value, "")
        if found is None:
            raise
        path, number = found
        raise InvalidValue(
            f"{path or 'the value'} is {number!r}, which JSON cannot carry: send None or a finite number"
        ) from exc


def _non_finite(value: Any, path: str) -> tuple[str, float] | None:
    """The dotted path and value of the first NaN or infinity in ``value``, or None."""
    if isinstance(value, float):
        return None if math.isfinite(value) else (path, value)
    if isinstance(value, (str, bool, int)) or value is None:
        return None
    try:
        value = value if isinstance(value, (dict, list, tuple)) else encode_value(value)
    except TypeError:
        return None
    items = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, (list, tuple))
        else ()
    )
    for key, item in items:
        found = _non_finite(item, f"{path}.{key}" if path else str(key))
        if found is not None:
            return found
    return None


def parse_date(value: Any, *, field: str = "value") -> _dt.date:
    """Accept a ``date``, a ``datetime`` (its date part) or a ``YYYY-MM-DD`` string."""
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value[:10])
        except ValueError:
            pass
    raise ValueError(f"{field} must be a date or a 'YYYY-MM-DD' string, got {value!r}")


def parse_datetime(value: Any, *, field: str = "value") -> _dt.datetime:
    """Accept a ``datetime`` or an ISO-8601 string (including the hub's ``+0000`` form).

    The result is always timezone-aware; strings without an offset are UTC.
    """
    if isinstance(value, _dt.datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=_UTC)
    if isinstance(value, _dt.date):
        return _dt.datetime(value.year, value.month, value.day, tzinfo=_UTC)
    if isinstance(value, str):
        try:
            parsed = _date_parser.isoparse(value)
        except (ValueError, OverflowError):
            parsed = None
        if parsed is not None:
            return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=_UTC)
    raise ValueError(
        f"{field} must be a datetime or an ISO-8601 string such as '2017-03-09T11:31:31.842+0000', "
        f"got {value!r}"
    )

"""Timestamps in the hub's own spelling, and the one sortable form used for comparisons.

The hub emits ``yyyy-MM-dd'T'HH:mm:ss.SSS+0000`` (always UTC, always three fraction
digits, no colon in the offset).  Because every stored date-time is rewritten to that
form on the way in, plain string comparison in SQL orders them correctly, and a
value a client sends as ``...Z``, ``+02:00`` or epoch milliseconds only has to be
converted once, in Python, before it is bound as a parameter.
"""

from __future__ import annotations

import datetime as _dt
import re

_UTC = _dt.timezone.utc

_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DATETIME_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?"
    r"(Z|z|[+-]\d{2}(?::?\d{2})?)?$"
)

MIDNIGHT_SUFFIX = "T00:00:00.000+0000"


def format_hub(value: _dt.datetime) -> str:
    """Spell an aware (or naive = UTC) datetime the way the hub does."""
    if value.tzinfo is not None:
        value = value.astimezone(_UTC)
    # not strftime("%Y"): glibc does not pad years below 1000 to four digits
    return f"{value.year:04d}-" + value.strftime("%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}+0000"


def now_hub() -> str:
    return format_hub(_dt.datetime.now(_UTC))


def parse_date(text: str) -> _dt.date | None:
    """A strict ``YYYY-MM-DD`` calendar date, or None."""
    m = _DATE_RE.match(text)
    if not m:
        return None
    try:
        return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def parse_datetime(text: str) -> _dt.datetime | None:
    """An ISO-8601 date-time in any of the spellings clients use; aware (UTC when no offset), or None."""
    m = _DATETIME_RE.match(text)
    if not m:
        return None
    year, month, day, hour, minute, second, frac, offset = m.groups()
    micro = int((frac or "0")[:6].ljust(6, "0"))
    tz = _UTC
    if offset and offset not in ("Z", "z"):
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "")
        hours = int(digits[:2])
        minutes = int(digits[2:4] or "0")
        if hours > 23 or minutes > 59:
            return None
        tz = _dt.timezone(sign * _dt.timedelta(hours=hours, minutes=minutes))
    try:
        value = _dt.datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second or 0), micro, tzinfo=tz
        )
        # Every stored date-time is UTC: an instant before 0001-01-01 or after 9999-12-31 in UTC
        # (year 1 at 01:20 +07:00) cannot be stored or compared, so it is refused like a bad date.
        value.astimezone(_UTC)
    except (ValueError, OverflowError):
        return None
    return value


def from_epoch_ms(value: int | float) -> str | None:
    try:
        return format_hub(_dt.datetime.fromtimestamp(value / 1000.0, _UTC))
    except (OverflowError, OSError, ValueError):
        return None


def to_hub_datetime(value: object) -> str | None:
    """Any accepted date-time spelling (or a plain date = midnight UTC, or epoch ms) -> hub form."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return from_epoch_ms(value)
    if isinstance(value, str):
        dt = parse_datetime(value)
        if dt is not None:
            return format_hub(dt)
        if parse_date(value) is not None:
            return value + MIDNIGHT_SUFFIX
    return None


def sql_hub_ts(value: str | bytes | int | float | None) -> str | bytes | int | float | None:
    """SQLite function ``hub_ts(x)``: normalise a stored value for comparison when its type is unknown.

    Registered on every connection for free-form attributes (``extended.*``): anything that
    reads as a date or date-time becomes the hub form, everything else is returned as is.
    """
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-":
        converted = to_hub_datetime(value)
        if converted is not None:
            return converted
    return value

"""Ion's date ranges: a ``relativeDateRange`` enum value or a ``fixedDateRange`` of start and end.

Relative ranges are computed from today's date in UTC; ``UNKNOWN_RELATIVE_DATE_RANGE`` means no
restriction.  Ranges are half-open ``[start, end)`` on dates.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from .errors import invalid

RELATIVE_RANGES = (
    "UNKNOWN_RELATIVE_DATE_RANGE",
    "CUSTOM",
    "TODAY",
    "MONTH_TO_DATE",
    "QUARTER_TO_DATE",
    "YEAR_TO_DATE",
    "LAST_MONTH",
    "LAST_QUARTER",
    "LAST_YEAR",
    "LATEST_MONTH",
    "WEEK_TO_DATE",
    "LAST_WEEK",
    "TWO_MONTHS_AGO",
)
DateRange = tuple[date | None, date | None]


def _month_start(day: date, back: int = 0) -> date:
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def _quarter_start(day: date, back: int = 0) -> date:
    return _month_start(date(day.year, (day.month - 1) // 3 * 3 + 1, 1), 3 * back)


def relative(field: str, name: str, today: date | None = None) -> DateRange:
    """``[start, end)`` of a relative range name, or 400 listing the names."""
    today = today or datetime.now(timezone.utc).date()
    tomorrow = today + timedelta(days=1)
    key = name.strip().upper()
    ranges: dict[str, DateRange] = {
        "UNKNOWN_RELATIVE_DATE_RANGE": (None, None),
        "TODAY": (today, tomorrow),
        "MONTH_TO_DATE": (_month_start(today), tomorrow),
        "LATEST_MONTH": (_month_start(today), tomorrow),
        "QUARTER_TO_DATE": (_quarter_start(today), tomorrow),
        "YEAR_TO_DATE": (date(today.year, 1, 1), tomorrow),
        "LAST_MONTH": (_month_start(today, 1), _month_start(today)),
        "TWO_MONTHS_AGO": (_month_start(today, 2), _month_start(today, 1)),
        "LAST_QUARTER": (_quarter_start(today, 1), _quarter_start(today)),
        "LAST_YEAR": (date(today.year - 1, 1, 1), date(today.year, 1, 1)),
        "WEEK_TO_DATE": (today - timedelta(days=today.weekday()), tomorrow),
        "LAST_WEEK": (today - timedelta(days=today.weekday() + 7), today - timedelta(days=today.weekday())),
    }
    if key not in ranges:
        hint = (
            "CUSTOM needs a fixed date range instead"
            if key == "CUSTOM"
            else f"use one of {', '.join(ranges)}"
        )
        raise invalid(field, f"{name!r} is not a relative date range; {hint}")
    return ranges[key]


def parse_day(field: str, text: str | None) -> date | None:
    """An ISO 8601 date or date-time (``2024-01-01T00:00:00Z``) -> its date; empty -> None."""
    if text is None or not str(text).strip():
        return None
    try:
        return date.fromisoformat(str(text).strip()[:10])
    except ValueError:
        raise invalid(
            field, f"{text!r} is not an ISO 8601 date such as 2024-01-31 or 2024-01-31T00:00:00Z"
        ) from None


def fixed(field: str, start: str | None, end: str | None) -> DateRange:
    """A fixed range; its end day is included (``[start, end + 1 day)``)."""
    first, last = parse_day(f"{field}.startDate", start), parse_day(f"{field}.endDate", end)
    if first and last and last < first:
        raise invalid(field, "the end date is before the start date")
    return first, (last + timedelta(days=1) if last else None)


def contains(span: DateRange, day: date | None) -> bool:
    start, end = span
    if day is None:
        return start is None and end is None
    return (start is None or day >= start) and (end is None or day < end)


def now_rfc3339() -> str:
    """The current UTC time as v3 writes timestamps (``2024-01-02T00:00:00Z``)."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

"""Hub timestamps: one sortable spelling for every form clients send."""

from __future__ import annotations

import pytest

from contacthub_like.sandbox.timefmt import parse_date, sql_hub_ts, to_hub_datetime


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2017-03-09T11:31:31.842+0000", "2017-03-09T11:31:31.842+0000"),
        ("2017-03-09T11:31:31Z", "2017-03-09T11:31:31.000+0000"),
        ("2017-03-09T13:31:31.8421+02:00", "2017-03-09T11:31:31.842+0000"),
        ("2017-03-09t11:31:31z", "2017-03-09T11:31:31.000+0000"),
        ("2017-03-09T11:31", "2017-03-09T11:31:00.000+0000"),
        ("2017-03-09", "2017-03-09T00:00:00.000+0000"),
        (1489059091842, "2017-03-09T11:31:31.842+0000"),
        ("2017-02-30T00:00:00Z", None),
        ("0001-01-01T01:20:04+07:00", None),  # before year 1 in UTC: refused, not an overflow
        ("9999-12-31T23:30:00-05:00", None),  # after year 9999 in UTC
        ("0001-01-01T08:00:00+07:00", "0001-01-01T01:00:00.000+0000"),
        ("yesterday", None),
        (True, None),
        (10**30, None),
    ],
)
def test_to_hub_datetime(value, expected):
    assert to_hub_datetime(value) == expected


def test_parse_date_is_strict():
    assert parse_date("2020-02-29") is not None
    assert parse_date("2019-02-29") is None and parse_date("2020-2-1") is None


def test_sql_function_leaves_non_dates_alone():
    assert sql_hub_ts("hello") == "hello" and sql_hub_ts(5) == 5 and sql_hub_ts(None) is None
    assert sql_hub_ts("2020-01-01T00:00:00Z") == "2020-01-01T00:00:00.000+0000"

"""Fields whose JSON key is not a Python identifier (``post-url``), and datetimes written in another form."""

from __future__ import annotations

import datetime as dt

import pytest

from contacthub_like.errors import InvalidType, InvalidValue
from contacthub_like.orm.entity import Entity
from contacthub_like.orm.fields import DateTime, Integer, String


class Hook(Entity):
    __collection__ = "hooks"
    id = String(read_only=True)
    post_url = String(wire_name="post-url")
    error_count = Integer(wire_name="error-count")
    expires = DateTime(wire_name="expires-datetime", wire_format="%Y-%m-%d %H:%M:%S")


def test_attribute_reads_and_writes_the_hyphenated_key() -> None:
    hook = Hook.from_dict(None, {"id": "a", "post-url": "https://x.test/h", "error-count": 3})
    assert hook.post_url == "https://x.test/h"
    assert hook.error_count == 3
    hook.post_url = "https://y.test/h"
    assert hook._diff() == {"post-url": "https://y.test/h"}
    assert hook.to_dict()["post-url"] == "https://y.test/h"
    assert "post_url" not in hook.to_dict()


def test_constructor_and_mapping_access_take_either_name() -> None:
    hook = Hook(post_url="https://x.test/h", **{"error-count": 0})
    assert hook.to_dict() == {"post-url": "https://x.test/h", "error-count": 0}
    assert hook["post_url"] == hook["post-url"] == "https://x.test/h"
    del hook.post_url
    assert "post-url" not in hook.to_dict()


def test_unknown_attribute_lists_python_names() -> None:
    with pytest.raises(AttributeError, match="post_url"):
        Hook(nope=1)


def test_class_path_uses_the_wire_key() -> None:
    assert Hook.post_url._attribute == "post-url"  # type: ignore[attr-defined]


def test_datetime_reads_iso_and_writes_the_given_format_in_utc() -> None:
    hook = Hook.from_dict(None, {"expires-datetime": "2024-12-09T21:27:11+00:00"})
    assert hook.expires == dt.datetime(2024, 12, 9, 21, 27, 11, tzinfo=dt.timezone.utc)
    cet = dt.timezone(dt.timedelta(hours=1))
    hook.expires = dt.datetime(2025, 1, 1, 13, 0, 0, tzinfo=cet)
    assert hook._diff() == {"expires-datetime": "2025-01-01 12:00:00"}


def test_bad_declarations_are_typed_errors() -> None:
    with pytest.raises(InvalidType):
        String(wire_name="")
    with pytest.raises(InvalidValue):
        DateTime(wire_format="iso")

"""``wire.decode_json``: the fast parser answers what the standard parser answers (or defers to it)."""

from __future__ import annotations

import json

import pytest

from contacthub_like import wire

SAME = [
    b'{"elements":[{"id":"c1","base":{"firstName":"Ann","tags":["a","b"]}}],"page":{"number":0}}',
    b'{"name": "Zo\\u00eb \\ud83d\\ude00", "n": -0.0, "big": 123456789012345678901234567890}',
    '{"city": "Milano \u00e8"}'.encode("utf-8"),
    b'{"a": 1, "a": 2}',
    b"[1, 2.5, true, false, null]",
    b'{"a": NaN, "b": Infinity, "c": 1e400}',  # refused by msgspec: the standard parser answers
    b'"\\ud800"',  # a lone surrogate escape: the same
    '{"utf16": "yes"}'.encode("utf-16"),  # json.loads detects UTF-16 bodies
    '{"text": "as str"}',
]


@pytest.mark.parametrize("body", SAME)
def test_the_answer_is_the_standard_parsers(body: bytes | str) -> None:
    got, expected = wire.decode_json(body), json.loads(body)
    assert json.dumps(got, sort_keys=True) == json.dumps(expected, sort_keys=True)
    assert type(got) is type(expected)


@pytest.mark.parametrize("body", [b"{", b"<html>502 Bad Gateway</html>", b'{"a": "\xff"}', b""])
def test_what_is_not_json_raises_value_error(body: bytes) -> None:
    with pytest.raises(ValueError):
        wire.decode_json(body)

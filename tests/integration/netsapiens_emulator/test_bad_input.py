"""Malformed input of every kind is a 400 (or an empty page) with a reason, never a server error."""

from __future__ import annotations

import pytest

from .conftest import Ns

START = "/domains/{domain}/users/{user}/messages"
SESSIONS = "/domains/{domain}/users/{user}/messagesessions"
HERE = {"domain": "~", "user": "~"}


@pytest.mark.parametrize("start", ["1e20", "100000000000000000000"])
def test_a_start_past_any_data_is_an_empty_page(ns: Ns, start: str) -> None:
    assert ns.json("GET", SESSIONS, params={"start": start}, **HERE) == []
    assert ns.json("GET", "/subscriptions", params={"start": start}) == []


@pytest.mark.parametrize(
    "template, raw, words",
    [
        (START, '{"type":"chat","message":"\\ud800","destination":"1"}', "unpaired UTF-16 surrogate"),
        ("/tokens", '{"grant_type":"password","client_id":"\\udfff"}', "unpaired UTF-16 surrogate"),
        (
            START,
            '{"type":"mms","message":"x","destination":"1234567890","from-number":"1234567899","size":1e400}',
            "must be an integer",
        ),
        (
            START,
            '{"type":"mms","message":"x","destination":"1234567890","from-number":"1234567899",'
            '"size":99999999999999999999999}',
            "out of range",
        ),
        (
            START,
            '{"type":"mms","message":"x","destination":"1234567890","from-number":"1234567899",'
            f'"size":"{"9" * 5000}"}}',
            "out of range",
        ),
        (START, "[1]", "must be a JSON object"),
        (START, "{", "not valid JSON"),
        (START, "", "body is empty"),
        ("/subscriptions", '{"model":"call","post-url":"http://[::1"}', "'post-url' must be"),
        (
            "/subscriptions",
            '{"model":"call","post-url":"http://h/x","subscription-expires-datetime":'
            '"9999-12-31T23:59:59-01:00"}',
            "'subscription-expires-datetime' must be",
        ),
        (
            "/subscriptions",
            '{"model":"call","post-url":"http://h/x","subscription-expires-datetime":'
            '"2030-01-01T00:00:00+99:00"}',
            "'subscription-expires-datetime' must be",
        ),
        (
            "/subscriptions",
            '{"model":"call","post-url":"http://h/x","subscription-expires-datetime":"2030-01-01"}',
            "'subscription-expires-datetime' must be",
        ),
    ],
)
def test_malformed_bodies_are_400(ns: Ns, template: str, raw: str, words: str) -> None:
    r = ns.session.post(
        ns.root + template.format(**HERE),
        data=raw.encode(),
        headers={"Authorization": f"Bearer {ns.token}", "Content-Type": "application/json"},
        timeout=10,
    )
    assert r.status_code == 400, r.text
    assert r.json()["code"] == 400 and words in r.json()["message"], r.text


def test_an_oversized_body_is_refused_before_it_is_read(ns: Ns) -> None:
    r = ns.session.post(
        ns.root + START.format(**HERE),
        data=b"{" + b" " * (25 * 1024 * 1024) + b"}",
        headers={"Authorization": f"Bearer {ns.token}", "Content-Type": "application/json"},
        timeout=30,
    )
    assert r.status_code == 400 and "larger than 25 MB" in r.json()["message"]


@pytest.mark.parametrize(
    "path",
    [
        "/domains/%FF/users",
        "/domains/~/users/%FF/messagesessions",
        "/domains/~/users/~/messagesessions/%FF%00",
        "/subscriptions/%ED%A0%80",
    ],
)
def test_undecodable_path_segments_are_404(ns: Ns, path: str) -> None:
    r = ns.session.get(ns.root + path, headers={"Authorization": f"Bearer {ns.token}"}, timeout=10)
    assert r.status_code == 404 and r.json()["code"] == 404

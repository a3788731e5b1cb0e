"""Event subscriptions: create (200 with the object), read, update (202, counters reset only to 0),
delete (202, with or without the document's body), duplicates (409), scopes and expiry."""

from __future__ import annotations

import time
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from .conftest import FreshUser, Ns, password_grant

SUBS = "/subscriptions"
SUB = "/subscriptions/{id}"


def hook() -> str:
    return f"https://example.test/hook/{uuid.uuid4().hex}"


def test_create_answers_200_with_the_object_and_reads_it_back(ns: Ns) -> None:
    body = {
        "model": "message",
        "post-url": hook(),
        "subscription-geo-support": "yes",
        "reseller": "*",
        "domain": "company.com",
        "user": "101",
        "preferred-server": "core1.nms-server.com",
    }
    sub = ns.json("POST", SUBS, json=body)
    assert len(sub["id"]) == 32 and sub["status"] == "pending"
    assert (sub["error-count"], sub["posts-count"]) == (0, 0)
    assert {k: sub[k] for k in body} == body
    assert sub["user-scope"] == "Super User"
    created = datetime.fromisoformat(sub["subscription-creation-datetime"])
    expires = datetime.fromisoformat(sub["subscription-expires-datetime"])
    assert created.utcoffset() == timedelta(0) and timedelta(minutes=59) < expires - created <= timedelta(
        hours=1
    )
    assert ns.json("GET", SUB, id=sub["id"]) == sub
    assert sub in ns.json("GET", SUBS, params={"limit": 1000})


def test_defaults_and_tilde_resolve_to_the_caller(fresh: FreshUser) -> None:
    sub = fresh.ns.json(
        "POST", SUBS, json={"model": "messagesession", "post-url": hook(), "domain": "~", "user": "~"}
    )
    assert (sub["reseller"], sub["domain"], sub["user"]) == ("OtherReseller", fresh.domain, fresh.user)
    assert sub["subscription-geo-support"] == "yes" and "preferred-server" not in sub


def test_explicit_expiry_in_either_format_is_kept(ns: Ns) -> None:
    plain = ns.json(
        "POST",
        SUBS,
        json={"model": "call", "post-url": hook(), "subscription-expires-datetime": "2099-01-02 03:04:05"},
    )
    assert plain["subscription-expires-datetime"] == "2099-01-02T03:04:05+00:00"
    iso = ns.json(
        "POST",
        SUBS,
        json={"model": "call", "post-url": hook(), "subscription-expires-datetime": "2099-01-02T03:04:05Z"},
    )
    assert iso["subscription-expires-datetime"] == "2099-01-02T03:04:05+00:00"


def test_a_duplicate_is_409(ns: Ns) -> None:
    body = {"model": "cdr", "post-url": hook(), "domain": "testdomain.com"}
    first = ns.json("POST", SUBS, json=body)
    answer = ns.call("POST", SUBS, 409, json=body).json()
    assert first["id"] in answer["message"] and answer["code"] == 409
    ns.json("POST", SUBS, json={**body, "model": "call"})  # another model is another subscription


@pytest.mark.parametrize(
    "body, words",
    [
        ({"post-url": "https://example.test/h"}, "'model' is required"),
        ({"model": "sms", "post-url": "https://example.test/h"}, "'model' must be one of"),
        ({"model": "call"}, "'post-url' is required"),
        ({"model": "call", "post-url": "ftp://example.test/h"}, "http:// or https://"),
        (
            {"model": "call", "post-url": "https://example.test/h", "subscription-geo-support": "maybe"},
            "yes, no",
        ),
        (
            {
                "model": "call",
                "post-url": "https://example.test/h",
                "subscription-expires-datetime": "tomorrow",
            },
            "YYYY-MM-DD HH:MM:SS",
        ),
        (
            {
                "model": "call",
                "post-url": "https://example.test/h",
                "subscription-expires-datetime": "2000-01-01 00:00:00",
            },
            "in the past",
        ),
        (
            {"model": "call", "post-url": "https://example.test/h", "preferred-server": "not a host"},
            "host name",
        ),
        ({"model": "call", "post-url": "https://example.test/h", "domain": ""}, "'domain' must be a name"),
    ],
)
def test_invalid_creates_are_400_with_the_reason(ns: Ns, body, words) -> None:
    answer = ns.call("POST", SUBS, 400, json=body).json()
    assert words in answer["message"], answer


def test_update_answers_202_and_changes_only_what_it_may(ns: Ns) -> None:
    sub = ns.json("POST", SUBS, json={"model": "message", "post-url": hook()})
    at = {"id": sub["id"]}
    assert ns.json("PUT", SUB, 202, json={"model": "cdr"}, **at) == {"code": 202, "message": "Accepted"}
    new_url = hook()
    ns.json(
        "PUT",
        SUB,
        202,
        json={
            "post-url": new_url,
            "subscription-geo-support": "no",
            "subscription-expires-datetime": "2098-05-06 07:08:09",
            "preferred-server": "core2.example.test",
        },
        **at,
    )
    now = ns.json("GET", SUB, **at)
    assert (now["model"], now["post-url"], now["subscription-geo-support"]) == ("cdr", new_url, "no")
    assert now["subscription-expires-datetime"] == "2098-05-06T07:08:09+00:00"
    assert now["preferred-server"] == "core2.example.test"
    assert "cannot change" in ns.call("PUT", SUB, 400, json={"domain": "other.test"}, **at).json()["message"]
    assert "Nothing to update" in ns.call("PUT", SUB, 400, json={}, **at).json()["message"]
    ns.call("PUT", SUB, 404, json={"model": "cdr"}, id="0" * 32)


@pytest.mark.parametrize(
    "value, status", [(0, 202), ("0", 202), (5, 400), ("5", 400), (-1, 400), ("zero", 400)]
)
def test_counters_only_reset_to_zero(ns: Ns, value, status) -> None:
    sub = ns.json("POST", SUBS, json={"model": "voicemail", "post-url": hook()})
    for counter in ("error-count", "posts-count"):
        answer = ns.call("PUT", SUB, status, json={counter: value}, id=sub["id"]).json()
        if status == 400:
            assert counter in answer["message"]


def test_delete_with_and_without_the_documented_body(ns: Ns) -> None:
    first = ns.json("POST", SUBS, json={"model": "presence", "post-url": hook()})
    assert ns.json("DELETE", SUB, 202, id=first["id"]) == {
        "code": 202,
        "message": "Accepted",
    }  # as the seed sends it
    ns.call("GET", SUB, 404, id=first["id"])
    second = ns.json("POST", SUBS, json={"model": "presence", "post-url": hook()})
    mismatch = ns.call("DELETE", SUB, 400, json={"subscription_id": first["id"]}, id=second["id"]).json()
    assert "differs from the id in the path" in mismatch["message"]
    assert (
        "'subscription_id' is required"
        in ns.call("DELETE", SUB, 400, json={"domain": "x"}, id=second["id"]).json()["message"]
    )
    ns.json(
        "DELETE",
        SUB,
        202,
        json={"subscription_id": second["id"], "domain": "testdomain.com"},
        id=second["id"],
    )
    ns.call("DELETE", SUB, 404, id=second["id"])


def test_scopes_limit_the_filters_and_what_is_visible(ns: Ns, fresh: FreshUser) -> None:
    assert fresh.ns.call(
        "POST", SUBS, 403, json={"model": "call", "post-url": hook(), "reseller": "*", "domain": "*"}
    ).json() == {"code": 403, "message": "Invalid Scope"}
    fresh.ns.call("POST", SUBS, 403, json={"model": "call", "post-url": hook(), "domain": "testdomain.com"})
    mine = fresh.ns.json("POST", SUBS, json={"model": "call", "post-url": hook(), "domain": "~"})
    theirs = ns.json("POST", SUBS, json={"model": "call", "post-url": hook()})
    assert [s["id"] for s in fresh.ns.json("GET", SUBS)] == [mine["id"]]
    fresh.ns.call("GET", SUB, 404, id=theirs["id"])
    assert (
        ns.json("GET", SUB, id=mine["id"])["domain"] == fresh.domain
    )  # a Super User sees every subscription


def test_subscriptions_expire_explicitly_and_with_their_token(hub, api_root, config, ns: Ns) -> None:
    soon = (datetime.now(timezone.utc) + timedelta(seconds=2)).strftime("%Y-%m-%d %H:%M:%S")
    explicit = ns.json(
        "POST", SUBS, json={"model": "agent", "post-url": hook(), "subscription-expires-datetime": soon}
    )
    settings = hub.app.state.hub.settings
    old, settings.access_token_ttl = settings.access_token_ttl, 1.0
    try:
        short = Ns(api_root, ns.json("POST", "/tokens", json=password_grant(config))["access_token"])
    finally:
        settings.access_token_ttl = old
    with_token = short.json("POST", SUBS, json={"model": "agent", "post-url": hook()})
    short.close()
    assert ns.json("GET", SUB, id=with_token["id"])["id"] == with_token["id"]
    deadline = datetime.fromisoformat(explicit["subscription-expires-datetime"]).timestamp()
    time.sleep(max(0.0, deadline - time.time()) + 0.1)
    for sub in (explicit, with_token):
        assert "expired" in ns.call("GET", SUB, 404, id=sub["id"]).json()["message"]
    ids = {s["id"] for s in ns.json("GET", SUBS, params={"limit": 1000})}
    assert not ids & {explicit["id"], with_token["id"]}

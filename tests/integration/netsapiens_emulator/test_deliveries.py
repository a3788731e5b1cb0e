"""Webhook deliveries end to end: a message sent to the emulator reaches a local receiver as a JSON
array in the model's shape; counters move; failures turn the status to ``error``; expiry stops them."""

from __future__ import annotations

import queue
import time
from collections.abc import Callable
from typing import Any

import pytest

from contacthub_like.sandbox.netsapiens.deliveries import ERROR_THRESHOLD

from .conftest import FreshUser, Ns, Receiver, documented

START = "/domains/{domain}/users/{user}/messages"
IN_SESSION = "/domains/{domain}/users/{user}/messagesessions/{messagesession}/messages"
SUB = "/subscriptions/{id}"


def wait_for(check: Callable[[], Any], timeout: float = 5.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.02)


def send_sms(user: FreshUser, text: str) -> dict[str, Any]:
    body = {"type": "sms", "message": text, "destination": "15550009999", "from-number": user.number}
    return user.ns.json("POST", START, json=body, domain="~", user="~")


def test_a_new_message_is_posted_to_matching_subscriptions(fresh: FreshUser, receiver: Receiver) -> None:
    messages = fresh.ns.json(
        "POST", "/subscriptions", json={"model": "message", "post-url": receiver.url, "domain": "~"}
    )
    sessions = fresh.ns.json(
        "POST", "/subscriptions", json={"model": "messagesession", "post-url": receiver.url, "domain": "~"}
    )
    sent = send_sms(fresh, "ping")
    bodies = [receiver.next(), receiver.next()]
    by_shape = {("text" in body[0]): body for body in bodies}
    assert by_shape[True] == [sent]  # the Message exactly as the send answered it
    documented(
        "/domains/{domain}/users/{user}/messagesessions/{messagesession}/messages", "get", 200, by_shape[True]
    )
    [session] = by_shape[False]
    assert (
        session["messagesession-id"] == sent["messagesession-id"]
        and session["messagesession-last-message"] == "ping"
    )
    documented("/domains/{domain}/users/{user}/messagesessions", "get", 200, by_shape[False])
    for sub in (messages, sessions):
        now = wait_for(
            lambda sub=sub: (s := fresh.ns.json("GET", SUB, id=sub["id"]))["posts-count"] == 1 and s
        )
        assert (now["posts-count"], now["error-count"], now["status"]) == (1, 0, "active")


def test_in_session_sends_are_delivered_too(fresh: FreshUser, receiver: Receiver) -> None:
    fresh.ns.json(
        "POST",
        "/subscriptions",
        json={"model": "message", "post-url": receiver.url, "domain": "~", "user": fresh.user},
    )
    session_id = "x" * 40
    body = {"type": "sms", "message": "in session", "destination": "15550009999", "from-number": fresh.number}
    fresh.ns.json("POST", IN_SESSION, 202, json=body, domain="~", user="~", messagesession=session_id)
    [message] = receiver.next()
    assert message["messagesession-id"] == session_id and message["text"] == "in session"


def test_filters_decide_who_gets_an_event(ns: Ns, fresh: FreshUser, receiver: Receiver) -> None:
    fresh.ns.json(
        "POST",
        "/subscriptions",
        json={"model": "message", "post-url": receiver.url, "domain": "~", "user": "999"},
    )
    ns.json(
        "POST",
        "/subscriptions",
        json={"model": "message", "post-url": receiver.url + "/other-domain", "domain": "2132560400.com"},
    )
    send_sms(fresh, "nobody listens")
    with pytest.raises(queue.Empty):
        receiver.next(timeout=0.5)


def test_failures_count_and_turn_the_status_to_error_and_reset_to_zero(
    fresh: FreshUser, receiver: Receiver
) -> None:
    receiver.status = 500
    sub = fresh.ns.json(
        "POST", "/subscriptions", json={"model": "message", "post-url": receiver.url, "domain": "~"}
    )
    for i in range(ERROR_THRESHOLD):
        send_sms(fresh, f"fail {i}")
        receiver.next()
    failed = wait_for(lambda: (s := fresh.ns.json("GET", SUB, id=sub["id"]))["status"] == "error" and s)
    assert failed and (failed["posts-count"], failed["error-count"]) == (ERROR_THRESHOLD, ERROR_THRESHOLD)

    receiver.status = 204
    send_sms(fresh, "recovered")
    receiver.next()
    healed = wait_for(lambda: (s := fresh.ns.json("GET", SUB, id=sub["id"]))["status"] == "active" and s)
    assert healed and (healed["posts-count"], healed["error-count"]) == (ERROR_THRESHOLD + 1, ERROR_THRESHOLD)

    fresh.ns.json("PUT", SUB, 202, json={"error-count": 0, "posts-count": "0"}, id=sub["id"])
    reset = fresh.ns.json("GET", SUB, id=sub["id"])
    assert (reset["posts-count"], reset["error-count"]) == (0, 0)


def test_an_unreachable_post_url_counts_as_an_error(fresh: FreshUser) -> None:
    receiver = Receiver()
    dead_url = receiver.url
    receiver.close()  # nothing listens there any more
    sub = fresh.ns.json(
        "POST", "/subscriptions", json={"model": "message", "post-url": dead_url, "domain": "~"}
    )
    send_sms(fresh, "into the void")
    failed = wait_for(lambda: (s := fresh.ns.json("GET", SUB, id=sub["id"]))["error-count"] == 1 and s)
    assert failed and failed["posts-count"] == 1 and failed["status"] == "pending"


def test_expired_subscriptions_stop_delivering(hub, fresh: FreshUser, receiver: Receiver) -> None:
    sub = fresh.ns.json(
        "POST", "/subscriptions", json={"model": "message", "post-url": receiver.url, "domain": "~"}
    )
    hub.store.execute("UPDATE netsapiens_subscriptions SET expires = 0 WHERE id = ?", (sub["id"],))
    send_sms(fresh, "too late")
    with pytest.raises(queue.Empty):
        receiver.next(timeout=0.5)
    fresh.ns.call("GET", SUB, 404, id=sub["id"])

"""Messages of each type, new and existing sessions, session listings with 0-based paging, and
the session operations (get, rename, participants, leave, delete)."""

from __future__ import annotations

import base64
import secrets

import pytest

from .conftest import FreshUser, Ns

START = "/domains/{domain}/users/{user}/messages"
SESSIONS = "/domains/{domain}/users/{user}/messagesessions"
DOMAIN_SESSIONS = "/domains/{domain}/messagesessions"
SESSION = "/domains/{domain}/users/{user}/messagesessions/{messagesession}"
IN_SESSION = SESSION + "/messages"
LEAVE = SESSION + "/leave"


def new_session_id() -> str:
    return "s_" + secrets.token_hex(16)


def test_sms_starts_a_session_and_answers_the_message(ns: Ns) -> None:
    body = {
        "type": "sms",
        "message": "Hello, this is a test message!",
        "destination": "1234567890",
        "from-number": "1987654321",
    }
    message = ns.json("POST", START, json=body, domain="~", user="~")
    assert message["type"] == "sms" and message["direction"] == "term" and message["text"] == body["message"]
    assert message["from-number"] == "1987654321" and message["terminating-number"] == "1234567890"
    assert message["domain"] == "testdomain.com" and message["from-user-id"] == "123@testdomain.com"
    session_id = message["messagesession-id"]
    assert len(session_id) >= 32
    [session] = ns.json("GET", SESSION, domain="~", user="~", messagesession=session_id)
    assert (
        session["messagesession-sms-number"] == "1987654321"
        and session["messagesession-remote"] == "1234567890"
    )
    assert (
        session["messagesession-last-message"] == body["message"] and session["messagesession-type"] == "sms"
    )
    [stored] = ns.json("GET", IN_SESSION, domain="~", user="~", messagesession=session_id)
    assert stored == message


def send_readme_mms(ns: Ns, **media: str) -> dict:
    """The seed README's MMS example, with ``media`` as its data, mime-type and size."""
    body = {"type": "mms", "message": "Here's a photo!", "destination": ["1234567890", "1987654321"]}
    return ns.json("POST", START, json={**body, "from-number": "1234567899", **media}, domain="~", user="~")


def test_mms_with_base64_media_records_mime_type_and_size(ns: Ns) -> None:
    image = base64.b64encode(b"\x89PNG" + b"\x00" * 66).decode()
    message = send_readme_mms(ns, **{"data": image, "mime-type": "image/png"})
    assert (message["media-type"], message["media-size"]) == ("image/png", 70)
    assert message["terminating-number"] == "1234567890,1987654321"
    [session] = ns.json("GET", SESSION, domain="~", user="~", messagesession=message["messagesession-id"])
    assert session["messagesession-type"] == "group-mms" and session["messagesession-last-media-size"] == 70


def test_the_seed_readme_mms_example_runs_as_written(ns: Ns) -> None:
    """The seed client sends ``size`` as a string and placeholder media; the document asks no more."""
    media = {"data": "base64_encoded_image_data", "mime-type": "image/jpeg", "size": "204800"}
    message = send_readme_mms(ns, **media)
    assert (message["media-type"], message["media-size"]) == ("image/jpeg", 204800)


def test_chat_goes_to_users_not_numbers(ns: Ns) -> None:
    message = ns.json(
        "POST",
        START,
        json={"type": "chat", "message": "Hello there!", "destination": "0010"},
        domain="~",
        user="~",
    )
    assert message["terminating-user-id"] == "0010@testdomain.com" and message["from-number"] is None
    assert message["messagesession-participants"] == "0010@testdomain.com"


def test_sending_into_a_client_chosen_session_answers_202_and_appends(ns: Ns) -> None:
    session_id = new_session_id()
    sms = {"type": "sms", "message": "first", "destination": ["1234567890"], "from-number": "1987654321"}
    ack = ns.json("POST", IN_SESSION, 202, json=sms, domain="~", user="~", messagesession=session_id)
    assert ack == {"code": 202, "message": "Accepted"}
    ns.json(
        "POST",
        IN_SESSION,
        202,
        json={**sms, "message": "second"},
        domain="~",
        user="~",
        messagesession=session_id,
    )
    texts = [m["text"] for m in ns.json("GET", IN_SESSION, domain="~", user="~", messagesession=session_id)]
    assert texts == ["first", "second"]
    [session] = ns.json("GET", SESSION, domain="testdomain.com", user="123", messagesession=session_id)
    assert session["messagesession-last-message"] == "second"


@pytest.mark.parametrize(
    "body, words",
    [
        ({"message": "x", "destination": "1234567890"}, "'type' is required"),
        ({"type": "fax", "message": "x", "destination": "1"}, "'type' must be one of"),
        ({"type": "sms", "destination": "1234567890", "from-number": "1987654321"}, "'message' is required"),
        (
            {"type": "sms", "message": "x", "destination": [], "from-number": "1987654321"},
            "at least one recipient",
        ),
        (
            {"type": "sms", "message": "x", "destination": [5], "from-number": "1987654321"},
            "'destination' must be",
        ),
        (
            {"type": "sms", "message": "x", "destination": "call me", "from-number": "1987654321"},
            "not a phone number",
        ),
        ({"type": "sms", "message": "x", "destination": "1234567890"}, "'from-number' is required"),
        (
            {"type": "sms", "message": "x", "destination": "1234567890", "from-number": "15550000000"},
            "not an SMS number",
        ),
        (
            {
                "type": "mms",
                "message": "x",
                "destination": "1234567890",
                "from-number": "1234567899",
                "data": "AAAA",
            },
            "'mime-type' is required",
        ),
        (
            {
                "type": "mms",
                "message": "x",
                "destination": "1234567890",
                "from-number": "1234567899",
                "size": "big",
            },
            "'size' must be an integer",
        ),
        (
            {
                "type": "mms",
                "message": "x",
                "destination": "1234567890",
                "from-number": "1234567899",
                "size": -1,
            },
            "cannot be negative",
        ),
    ],
)
def test_invalid_sends_are_400_with_the_reason(ns: Ns, body, words) -> None:
    answer = ns.call("POST", START, 400, json=body, domain="~", user="~").json()
    assert answer["code"] == 400 and words in answer["message"], answer


@pytest.mark.parametrize("session_id", ["short", "has-a-dash-" + "x" * 30])
def test_a_new_session_id_must_be_32_word_characters(ns: Ns, session_id: str) -> None:
    sms = {"type": "sms", "message": "x", "destination": "1234567890", "from-number": "1987654321"}
    answer = ns.call(
        "POST", IN_SESSION, 400, json=sms, domain="~", user="~", messagesession=session_id
    ).json()
    assert "32 characters" in answer["message"]


def test_unknown_domain_user_and_session_are_404(ns: Ns) -> None:
    assert (
        "does not exist" in ns.call("GET", SESSIONS, 404, domain="nowhere.test", user="1").json()["message"]
    )
    assert (
        "User 999 does not exist" in ns.call("GET", SESSIONS, 404, domain="~", user="999").json()["message"]
    )
    ns.call("GET", SESSION, 404, domain="~", user="~", messagesession=new_session_id())
    ns.call("GET", IN_SESSION, 404, domain="~", user="~", messagesession=new_session_id())


def test_session_listings_page_from_zero_and_end_on_a_short_page(fresh: FreshUser) -> None:
    ns = fresh.ns
    sent = []
    for i in range(5):
        sms = {
            "type": "sms",
            "message": f"m{i}",
            "destination": f"1555000200{i}",
            "from-number": fresh.number,
        }
        sent.append(ns.json("POST", START, json=sms, domain="~", user="~")["messagesession-id"])
    newest_first = list(reversed(sent))
    pages = [
        [
            s["messagesession-id"]
            for s in ns.json("GET", SESSIONS, domain="~", user="~", params={"start": start, "limit": 2})
        ]
        for start in (0, 2, 4)
    ]
    assert pages == [newest_first[0:2], newest_first[2:4], newest_first[4:5]]
    domain_wide = ns.json("GET", DOMAIN_SESSIONS, domain=fresh.domain, params={"limit": 1000})
    assert [s["messagesession-id"] for s in domain_wide] == newest_first
    assert ns.json("GET", DOMAIN_SESSIONS, domain="~", params={"start": 5, "limit": 2}) == []
    assert (
        len(ns.json("GET", SESSIONS, domain="~", user="~", params={"limit": 5000})) == 5
    )  # capped, not refused
    messages = ns.json(
        "GET", IN_SESSION, domain="~", user="~", messagesession=sent[0], params={"start": 0, "limit": 1}
    )
    assert [m["text"] for m in messages] == ["m0"]


@pytest.mark.parametrize(
    "params, words",
    [
        ({"start": -1}, "'start' must be 0 or more"),
        ({"limit": 0}, "'limit' must be between"),
        ({"limit": "ten"}, "must be an integer"),
        ({"start": "1.5"}, "whole number"),
    ],
)
def test_bad_paging_is_400(fresh: FreshUser, params, words) -> None:
    answer = fresh.ns.call("GET", SESSIONS, 400, domain="~", user="~", params=params).json()
    assert words in answer["message"]


def test_rename_change_participants_leave_and_delete(fresh: FreshUser) -> None:
    ns = fresh.ns
    sms = {
        "type": "sms",
        "message": "hi",
        "destination": ["15550002001", "15550002002"],
        "from-number": fresh.number,
    }
    session_id = ns.json("POST", START, json=sms, domain="~", user="~")["messagesession-id"]
    at = {"domain": "~", "user": "~", "messagesession": session_id}
    assert ns.json("PUT", SESSION, 202, json={"session-name": "Team"}, **at) == {
        "code": 202,
        "message": "Accepted",
    }
    ns.json("PUT", SESSION, 202, json={"participants": "15550002001, 15550002003"}, **at)
    [session] = ns.json("GET", SESSION, **at)
    assert session["messagesession-name"] == "Team"
    assert session["messagesession-participants"] == "15550002001,15550002003"
    assert "Send 'participants'" in ns.call("PUT", SESSION, 400, json={}, **at).json()["message"]
    assert (
        "must be a string" in ns.call("PUT", SESSION, 400, json={"session-name": 5}, **at).json()["message"]
    )

    ns.json("PUT", LEAVE, 202, **at)
    ns.call("GET", SESSION, 404, **at)
    ns.call("PUT", LEAVE, 404, **at)

    other = ns.json("POST", START, json={**sms, "destination": "15550002009"}, domain="~", user="~")
    at["messagesession"] = other["messagesession-id"]
    ns.json("DELETE", SESSION, 202, **at)
    ns.call("GET", IN_SESSION, 404, **at)
    assert ns.json("GET", SESSIONS, domain="~", user="~") == []


def test_group_mms_sessions_cannot_be_renamed(ns: Ns) -> None:
    mms = {
        "type": "mms",
        "message": "x",
        "destination": ["1234567890", "1234567891"],
        "from-number": "1234567899",
    }
    session_id = ns.json("POST", START, json=mms, domain="~", user="~")["messagesession-id"]
    answer = ns.call(
        "PUT", SESSION, 400, json={"session-name": "n"}, domain="~", user="~", messagesession=session_id
    )
    assert "group MMS" in answer.json()["message"]


def test_scopes_limit_what_a_user_reaches(hub, api_root, config) -> None:
    basic = FreshUser(hub, api_root, config, "Basic User")
    try:
        answer = basic.ns.call("GET", SESSIONS, 403, domain="testdomain.com", user="123").json()
        assert answer == {"code": 403, "message": "Domain not found or access denied"}
        assert [d["domain"] for d in basic.ns.json("GET", "/domains")] == [basic.domain]
    finally:
        basic.ns.close()


def test_the_seeded_users_and_domains_are_listed(ns: Ns) -> None:
    domains = {d["domain"] for d in ns.json("GET", "/domains", params={"limit": 1000})}
    assert {"testdomain.com", "2132560400.com"} <= domains
    [user] = ns.json("GET", "/domains/{domain}/users", domain="2132560400.com")
    assert user["user"] == "103"

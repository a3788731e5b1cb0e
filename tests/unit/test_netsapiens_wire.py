"""The NetSapiens client on the wire: every request's method, path, query and body, sync and async.

Token requests go through ``requests`` in both modes (the async transport signs in a worker
thread); API requests through ``responses`` (sync) or strict ``respx`` (async).
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
import responses
import respx
from async_helpers import AsyncFakeHub, Mode
from helpers import FakeHub
from responses import matchers

from contacthub_like.errors import InvalidValue, NotFound
from contacthub_like.netsapiens import (
    DuplicateSubscription,
    Message,
    MessageSession,
    NetSapiens,
    Subscription,
    WebhookReceiver,
)

HOST = "pbx.test"  # the seed's bare-host form: https
API = f"https://{HOST}/ns-api/v2"
ACCESS = "acc-Secret-77"
REFRESH = "ref-Secret-88"
PASSWORD = "pw-Secret-99"  # noqa: S105
SECRET = "cs-Secret-66"  # noqa: S105
CREDS = {"client_id": "app", "client_secret": SECRET}
SID = "2d51df1810812ace8d138a2558d0bd79"
ACK = {"code": 202, "message": "Accepted"}


def token_reply(access: str = ACCESS, refresh: str = REFRESH) -> dict[str, Any]:
    return {
        "access_token": access,
        "expires_in": 3600,
        "token_type": "Bearer",
        "refresh_token": refresh,
        "username": "123@testdomain.com",
        "apiversion": "Version: 44.1.2",
    }


def expect_password_grant(mock: responses.RequestsMock, reply: dict[str, Any] | None = None) -> None:
    body = {"grant_type": "password", "username": "123@testdomain.com", "password": PASSWORD, **CREDS}
    mock.post(
        f"{API}/tokens",
        json=reply or token_reply(),
        match=[matchers.json_params_matcher(body, strict_match=True)],
    )


@pytest.fixture(params=["sync", "async"], name="mode")
def mode_fixture(request: pytest.FixtureRequest) -> Iterator[Mode]:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        expect_password_grant(mock)
        if request.param == "sync":
            yield Mode("sync", FakeHub(mock, root=API, token=ACCESS))
        else:
            with respx.mock(assert_all_called=True, assert_all_mocked=True) as router:
                yield Mode("async", AsyncFakeHub(router, root=API, token=ACCESS))


@pytest.fixture
def pbx() -> Iterator[NetSapiens]:
    with NetSapiens(HOST, "app", SECRET, "123@testdomain.com", PASSWORD) as client:
        yield client


def collect(mode: Mode, listing: Any) -> list[Any]:
    """Iterate a lazy list, or ``async for`` over its async twin."""
    if mode.name == "sync":
        return list(listing[0]())

    async def gather() -> list[Any]:
        return [item async for item in listing[1]()]

    return asyncio.run(gather())


def message_doc(**overrides: Any) -> dict[str, Any]:
    doc = {
        "id": "m-1",
        "timestamp": "2024-12-09 21:27:11",
        "type": "sms",
        "domain": "testdomain.com",
        "direction": "term",
        "from-number": "1987654321",
        "text": "Hello",
        "messagesession-id": SID,
        "terminating-number": "1234567890",
        "status": "sending",
    }
    return {**doc, **overrides}


def session_doc(**overrides: Any) -> dict[str, Any]:
    doc = {
        "user": "123",
        "domain": "testdomain.com",
        "messagesession-id": SID,
        "messagesession-type": "sms",
        "messagesession-remote": "1234567890",
        "messagesession-sms-number": "1987654321",
        "messagesession-start-datetime": "2024-12-09 21:27:11",
        "messagesession-last-type": "sms",
    }
    return {**doc, **overrides}


def sub_doc(**overrides: Any) -> dict[str, Any]:
    doc = {
        "id": "603559d421797c7b09b904ea9b6e6079",
        "model": "message",
        "post-url": "https://example.com/callback",
        "subscription-geo-support": "yes",
        "reseller": "MainReseller",
        "domain": "company.com",
        "user": "*",
        "status": "pending",
        "error-count": 0,
        "posts-count": 0,
        "subscription-creation-datetime": "2024-12-09T21:27:11+00:00",
        "subscription-expires-datetime": "2031-01-02T03:04:05+00:00",
    }
    return {**doc, **overrides}


# ------------------------------------------------------------------------------------- messages


def test_send_sms_starts_a_session_then_follow_up_is_accepted(mode: Mode, pbx: NetSapiens) -> None:
    mode.hub.expect(
        "POST",
        "/domains/~/users/~/messages",
        reply=message_doc(),
        body={"type": "sms", "message": "Hello", "destination": ["1234567890"], "from-number": "1987654321"},
    )
    session = mode.run(pbx, "send_message", "sms", "Hello", "1234567890", "1987654321")
    assert session.id == SID and isinstance(session.message, Message)
    assert session.message.timestamp == dt.datetime(2024, 12, 9, 21, 27, 11, tzinfo=dt.timezone.utc)
    mode.hub.expect(
        "POST",
        f"/domains/testdomain.com/users/~/messagesessions/{SID}/messages",
        status=202,
        reply=ACK,
        body={"type": "sms", "message": "again", "destination": ["1234567890"], "from-number": "1987654321"},
    )
    assert mode.run(session, "send", "again") is session  # 202 is success (the seed raised)


def test_mms_bytes_are_base64_with_mime_type_and_size(mode: Mode, pbx: NetSapiens) -> None:
    mode.hub.expect(
        "POST",
        f"/domains/~/users/~/messagesessions/{SID}/messages",
        status=202,
        reply=ACK,
        body={
            "type": "mms",
            "message": "photo",
            "destination": ["1234567890", "1987654321"],
            "from-number": "1234567899",
            "data": base64.b64encode(b"\x89PNG").decode(),
            "mime-type": "image/png",
            "size": 4,
        },
    )
    session = mode.run(
        pbx,
        "send_message",
        "mms",
        "photo",
        ["1234567890", "1987654321"],
        "1234567899",
        session=SID,
        data=b"\x89PNG",
        mime_type="image/png",
    )
    assert session.message is None and session.id == SID


def test_chat_into_a_generated_session_id(
    mode: Mode, pbx: NetSapiens, monkeypatch: pytest.MonkeyPatch
) -> None:
    from contacthub_like.services.netsapiens import service

    monkeypatch.setattr(service, "new_session_id", lambda: "g" * 32)
    mode.hub.expect(
        "POST",
        f"/domains/~/users/~/messagesessions/{'g' * 32}/messages",
        status=202,
        reply=ACK,
        body={"type": "chat", "message": "hi", "destination": ["103"]},
    )
    session = mode.run(pbx, "send_message", "chat", "hi", "103", new_session=True)
    assert session.id == "g" * 32 and session.message is None


def test_generated_session_ids_are_what_the_api_requires() -> None:
    from contacthub_like.services.netsapiens.service import check_session_id, new_session_id

    ids = {new_session_id() for _ in range(50)}
    assert len(ids) == 50 and all(check_session_id(i) == i and len(i) == 32 for i in ids)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"session": "short"}, "at least 32"),
        ({"session": SID, "new_session": True}, "not both"),
        ({"type": "fax"}, "not one of"),
        ({"from_number": None}, "from_number is required"),
        ({"mime_type": "image/png"}, "pass data"),
        ({"data": "QUJD"}, "mime_type is required"),
        ({"destination": []}, "at least one"),
    ],
)
def test_bad_sends_are_refused_before_any_request(
    pbx: NetSapiens, kwargs: dict[str, Any], message: str
) -> None:
    args = {"type": "sms", "message": "m", "destination": "1234567890", "from_number": "1987654321", **kwargs}
    with pytest.raises(InvalidValue, match=message):
        pbx.send_message(**args)


# ------------------------------------------------------------------------------------ sessions


def test_sessions_page_with_start_and_limit_until_a_short_page(mode: Mode, pbx: NetSapiens) -> None:
    mode.hub.expect(
        "GET",
        "/domains/~/messagesessions",
        params={"start": 0, "limit": 2},
        reply=[session_doc(), session_doc(**{"messagesession-id": "b" * 32})],
    )
    mode.hub.expect(
        "GET",
        "/domains/~/messagesessions",
        params={"start": 2, "limit": 2},
        reply=[session_doc(**{"messagesession-id": "c" * 32})],
    )
    found = collect(mode, (lambda: pbx.sessions(size=2), lambda: pbx.sessions_async(size=2)))
    assert [s.id for s in found] == [SID, "b" * 32, "c" * 32]


def test_limit_is_capped_at_the_documents_maximum(mode: Mode, pbx: NetSapiens) -> None:
    mode.hub.expect(
        "GET", "/domains/d.com/users/103/messagesessions", params={"start": 0, "limit": 1000}, reply=[]
    )
    assert (
        collect(
            mode,
            (
                lambda: pbx.sessions("d.com", "103", size=5000),
                lambda: pbx.sessions_async("d.com", "103", size=5000),
            ),
        )
        == []
    )


def test_prefetch_is_refused(pbx: NetSapiens) -> None:
    with pytest.raises(InvalidValue, match="one page after another"):
        pbx.list(MessageSession, prefetch=2)


def test_get_session_accepts_the_examples_timestamp_keys(mode: Mode, pbx: NetSapiens) -> None:
    legacy = session_doc()
    legacy["messagesession-start-timestamp"] = legacy.pop("messagesession-start-datetime")
    mode.hub.expect("GET", f"/domains/~/users/~/messagesessions/{SID}", reply=[legacy])
    session = mode.run(pbx, "get_session", SID)
    assert session.started_at == dt.datetime(2024, 12, 9, 21, 27, 11, tzinfo=dt.timezone.utc)


def test_session_verbs(mode: Mode, pbx: NetSapiens) -> None:
    session = MessageSession.from_dict(pbx, session_doc())
    where = f"/domains/testdomain.com/users/123/messagesessions/{SID}"
    mode.hub.expect("PUT", where, body={"session-name": "Customer"}, status=202, reply=ACK)
    mode.run(session, "rename", "Customer")
    assert session.name == "Customer" and session._diff() == {}
    mode.hub.expect("PUT", where, body={"participants": "1234567890,1555"}, status=202, reply=ACK)
    mode.run(session, "set_participants", ["1234567890", "1555"])
    mode.hub.expect("PUT", where + "/leave", status=202, reply=ACK)
    mode.run(session, "leave")
    mode.hub.expect("GET", where + "/messages", params={"start": 0, "limit": 100}, reply=[message_doc()])
    assert [m.text for m in collect(mode, (session.messages, session.messages_async))] == ["Hello"]
    mode.hub.expect("DELETE", where, status=202, reply=ACK)
    mode.run(session, "delete")


# ------------------------------------------------------------------------------- subscriptions


def test_subscription_create_with_expiry_update_reset_delete(mode: Mode, pbx: NetSapiens) -> None:
    sub = Subscription(
        pbx,
        model="message",
        post_url="https://example.com/callback",
        domain="company.com",
        geo_support="yes",
        expires=dt.datetime(2031, 1, 2, 4, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=1))),
    )
    mode.hub.expect(
        "POST",
        "/subscriptions",
        reply=sub_doc(),
        body={
            "model": "message",
            "post-url": "https://example.com/callback",
            "domain": "company.com",
            "subscription-geo-support": "yes",
            "subscription-expires-datetime": "2031-01-02 03:04:05",
        },
    )
    mode.run(sub, "post")
    assert sub.id == "603559d421797c7b09b904ea9b6e6079" and sub.status == "pending"
    ident = sub.id
    sub.post_url = "https://example.com/v2"  # no model in the body: the API does not need one
    mode.hub.expect(
        "PUT", f"/subscriptions/{ident}", body={"post-url": "https://example.com/v2"}, status=202, reply=ACK
    )
    mode.run(sub, "save")
    assert sub.post_url == "https://example.com/v2" and sub._diff() == {}
    mode.run(sub, "save")  # nothing changed: no request
    mode.hub.expect(
        "PUT", f"/subscriptions/{ident}", body={"error-count": 0, "posts-count": 0}, status=202, reply=ACK
    )
    mode.run(sub, "reset_counters")
    mode.hub.expect(
        "DELETE",
        f"/subscriptions/{ident}",
        body={"subscription_id": ident, "domain": "company.com"},
        status=202,
        reply=ACK,
    )
    mode.run(sub, "delete")


def test_an_acknowledged_create_is_found_in_the_list(mode: Mode, pbx: NetSapiens) -> None:
    mode.hub.expect(
        "POST",
        "/subscriptions",
        status=202,
        reply=ACK,
        body={"model": "cdr", "post-url": "https://example.com/callback"},
    )
    mode.hub.expect(
        "GET", "/subscriptions", reply=[sub_doc(id="x1", model="message"), sub_doc(id="x2", model="cdr")]
    )
    sub = mode.run(Subscription(pbx, model="cdr", post_url="https://example.com/callback"), "post")
    assert sub.id == "x2"


def test_a_duplicate_subscription_is_typed(mode: Mode, pbx: NetSapiens) -> None:
    mode.hub.expect(
        "POST",
        "/subscriptions",
        status=409,
        body={"model": "message", "post-url": "https://e.com/h"},
        reply={"code": 409, "message": "A subscription with these parameters already exists (id abc123)"},
    )
    with pytest.raises(DuplicateSubscription) as caught:
        mode.run(Subscription(pbx, model="message", post_url="https://e.com/h"), "post")
    assert caught.value.existing_id == "abc123"


def test_get_subscription_and_errors_code_message(mode: Mode, pbx: NetSapiens) -> None:
    mode.hub.expect("GET", "/subscriptions/s1", reply=sub_doc(id="s1"))
    assert mode.run(pbx, "get_subscription", "s1").expires == dt.datetime(
        2031, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc
    )
    mode.hub.expect(
        "GET", "/subscriptions/s2", status=404, reply={"code": 404, "message": "Subscription s2 not found"}
    )
    with pytest.raises(NotFound, match="Subscription s2 not found"):
        mode.run(pbx, "get_subscription", "s2")


@pytest.mark.parametrize(
    ("attrs", "error"),
    [({"model": "sms"}, "sms"), ({"error_count": 5}, "reset to 0"), ({"geo_support": "maybe"}, "maybe")],
)
def test_subscription_values_are_checked_on_assignment(
    pbx: NetSapiens, attrs: dict[str, Any], error: str
) -> None:
    with pytest.raises(InvalidValue, match=error):
        Subscription(pbx, **attrs)


def test_filters_cannot_change(pbx: NetSapiens) -> None:
    sub = Subscription.from_dict(pbx, sub_doc())
    sub.domain = "other.com"
    with pytest.raises(InvalidValue, match="create a new Subscription"):
        sub.save()


# ------------------------------------------------------------------------------------ auth


def test_a_401_renews_the_token_once_and_repeats_and_nothing_secret_is_logged(
    pbx: NetSapiens, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        expect_password_grant(mock)
        mock.get(
            f"{API}/subscriptions/s1",
            status=401,
            json={"code": 401, "message": "expired"},
            match=[matchers.header_matcher({"Authorization": f"Bearer {ACCESS}"})],
        )
        mock.post(
            f"{API}/tokens",
            json=token_reply("acc-2", "ref-2"),
            match=[
                matchers.json_params_matcher(
                    {"grant_type": "refresh_token", "refresh_token": REFRESH, **CREDS}, strict_match=True
                )
            ],
        )
        mock.get(
            f"{API}/subscriptions/s1",
            json=sub_doc(id="s1"),
            match=[matchers.header_matcher({"Authorization": "Bearer acc-2"})],
        )
        assert pbx.get_subscription("s1").id == "s1"
    assert pbx.auth.grants == {"password": 1, "refresh_token": 1}
    logged = caplog.text + repr(pbx) + repr(pbx.settings) + repr(pbx.auth)
    for secret in (ACCESS, REFRESH, PASSWORD, SECRET, "acc-2", "ref-2"):
        assert secret not in logged


def test_settings_take_the_bare_host_and_full_urls() -> None:
    from contacthub_like.services.netsapiens.config import normalize_base_url

    assert normalize_base_url("api.example.com") == "https://api.example.com"
    assert normalize_base_url("http://127.0.0.1:8123/netsapiens/") == "http://127.0.0.1:8123/netsapiens"
    assert normalize_base_url("https://pbx.test/ns-api/v2") == "https://pbx.test"
    with pytest.raises(InvalidValue):
        normalize_base_url("ftp://x")


# -------------------------------------------------------------------------------- webhooks


def test_receiver_turns_a_delivery_into_entities_and_checks_the_secret() -> None:
    import httpx

    got: list[Any] = []
    receiver = WebhookReceiver("message", got.extend, secret="s" * 20)
    url = receiver.post_url("https://me.test/hook?x=1")
    assert url == "https://me.test/hook?x=1&token=" + "s" * 20

    async def deliver() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=receiver.app("/hook"))
        async with httpx.AsyncClient(transport=transport, base_url="http://me.test") as client:
            return [
                await client.post("/hook?token=" + "s" * 20, json=[message_doc()]),
                await client.post("/hook?token=wrong", json=[message_doc()]),
                await client.post("/hook?token=" + "s" * 20, content=b"{not json"),
            ]

    ok, refused, bad = asyncio.run(deliver())
    assert (ok.status_code, refused.status_code, bad.status_code) == (204, 403, 400)
    assert "JSON" in bad.json()["message"]
    assert [type(e) for e in got] == [Message] and got[0].from_number == "1987654321"
    assert "s" * 20 not in repr(receiver)


def test_receiver_models_without_a_schema_are_open_events() -> None:
    event = WebhookReceiver("cdr").parse(b'[{"call-id": "c1", "duration": 3}]')[0]
    assert event["call-id"] == "c1" and event.duration == 3
    with pytest.raises(InvalidValue, match="subscription model"):
        WebhookReceiver("sms")


def test_a_group_session_replies_to_every_participant(mode: Mode, pbx: NetSapiens) -> None:
    group = MessageSession.from_dict(
        pbx, session_doc(**{"messagesession-remote": "1234567890,1555", "messagesession-type": "group-mms"})
    )
    del group._source["messagesession-last-type"]
    where = f"/domains/testdomain.com/users/123/messagesessions/{SID}/messages"
    mode.hub.expect(
        "POST",
        where,
        status=202,
        reply=ACK,
        body={
            "type": "mms",
            "message": "all",
            "destination": ["1234567890", "1555"],
            "from-number": "1987654321",
        },
    )
    mode.run(group, "send", "all")


def test_settings_files_say_what_is_missing_and_hide_secrets(tmp_path: Any) -> None:
    from contacthub_like.errors import ConfigurationError
    from contacthub_like.services.netsapiens.config import load_json

    (tmp_path / "bad.json").write_text("{nope")
    with pytest.raises(ConfigurationError, match="not valid JSON"):
        load_json(tmp_path / "bad.json")
    (tmp_path / "partial.json").write_text('{"base_url": "api.example.com", "client_id": "a"}')
    with pytest.raises(ConfigurationError, match="client_secret, username, password"):
        load_json(tmp_path / "partial.json")
    with pytest.raises(ConfigurationError, match="cannot read"):
        load_json(tmp_path / "missing.json")
    settings = {"base_url": "api.example.com", "client_id": "a", "client_secret": SECRET, "username": "u@d"}
    (tmp_path / "ok.json").write_text(json.dumps({**settings, "password": PASSWORD}))
    with NetSapiens.from_json_file(tmp_path / "ok.json") as client:
        assert client.settings.base_url == "https://api.example.com"
        assert client.transport.retry.backoff == 1.0 and 429 in client.transport.retry.statuses
        assert SECRET not in repr(client.settings) and PASSWORD not in repr(client.settings)


def test_a_single_read_that_answers_nothing_usable_is_typed(mode: Mode, pbx: NetSapiens) -> None:
    from contacthub_like.errors import InvalidResponse

    mode.hub.expect("GET", f"/domains/~/users/~/messagesessions/{SID}", reply=[])
    with pytest.raises(NotFound, match=SID):
        mode.run(pbx, "get_session", SID)
    mode.hub.expect("GET", "/subscriptions/s3", reply=[sub_doc(), sub_doc()])
    with pytest.raises(InvalidResponse, match="not one Subscription"):
        mode.run(pbx, "get_subscription", "s3")

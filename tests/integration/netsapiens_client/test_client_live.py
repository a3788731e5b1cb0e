"""The client against the emulator: every verb, sync and async, and a delivery end to end."""

from __future__ import annotations

import asyncio
import datetime as dt
import queue
import secrets
from typing import Any

import pytest

from contacthub_like.errors import InvalidValue, NotFound
from contacthub_like.http.polling import poll_until
from contacthub_like.netsapiens import (
    DuplicateSubscription,
    Message,
    MessageSession,
    NetSapiens,
    Subscription,
    SubscriptionModel,
    WebhookReceiver,
)


class Driver:
    """Runs a verb by name, sync or awaited (each awaited call on its own loop, closed with its pool)."""

    def __init__(self, mode: str) -> None:
        self.mode = mode

    def __call__(self, obj: Any, name: str, *args: Any, **kwargs: Any) -> Any:
        if self.mode == "sync":
            return getattr(obj, name)(*args, **kwargs)
        return asyncio.run(getattr(obj, name + "_async")(*args, **kwargs))

    def collect(self, obj: Any, name: str, *args: Any, **kwargs: Any) -> list[Any]:
        if self.mode == "sync":
            return list(getattr(obj, name)(*args, **kwargs))

        async def gather() -> list[Any]:
            return [item async for item in getattr(obj, name + "_async")(*args, **kwargs)]

        return asyncio.run(gather())


@pytest.fixture(params=["sync", "async"])
def call(request: pytest.FixtureRequest) -> Driver:
    return Driver(request.param)


def test_send_follow_up_list_rename_participants_leave_delete(pbx: NetSapiens, call: Driver) -> None:
    session = call(pbx, "send_message", "sms", "Hello", "18585551234", "1987654321")
    assert isinstance(session.message, Message) and session.message.text == "Hello"
    assert len(session.id) >= 32
    call(session, "send", "This is a follow-up")  # answered 202: success
    texts = [m.text for m in call.collect(session, "messages")]
    assert texts[-2:] == ["Hello", "This is a follow-up"] or set(texts) >= {"Hello", "This is a follow-up"}
    assert session.id in [s.id for s in call.collect(pbx, "sessions")]
    assert session.id in [s.id for s in call.collect(pbx, "sessions", "~", "~")]
    call(session, "rename", "Customer 42")
    fetched = call(pbx, "get_session", session.id)
    assert fetched.name == "Customer 42" and isinstance(fetched.last_at, dt.datetime)
    call(fetched, "set_participants", ["18585551234", "18585559999"])
    assert call(pbx, "get_session", session.id).participants == "18585551234,18585559999"
    call(fetched, "delete")
    with pytest.raises(NotFound):
        call(pbx, "get_session", session.id)


def test_mms_with_bytes_and_chat_into_a_chosen_session(pbx: NetSapiens, call: Driver) -> None:
    mms = call(
        pbx,
        "send_message",
        "mms",
        "Here's a photo!",
        ["1234567890", "1987654321"],
        "1234567899",
        data=b"\x89PNG fake",
        mime_type="image/png",
    )
    assert mms.message.media_type == "image/png" and mms.message.media_size == 9
    chat = call(pbx, "send_message", "chat", "hi 103", "103", new_session=True)
    assert chat.message is None and len(chat.id) == 32  # 202 into a session whose id we chose
    assert [m.text for m in call.collect(pbx, "messages", chat.id)] == ["hi 103"]
    call(chat, "leave")
    assert chat.id not in [s.id for s in call.collect(pbx, "sessions", "~", "~")]


def test_paging_is_sequential_start_limit_and_ends_at_a_short_page(pbx: NetSapiens) -> None:
    session = pbx.send_message("sms", "m0", "18585550001", "1987654321")
    for n in range(1, 5):
        session.send(f"m{n}")
    assert [m.text for m in pbx.messages(session.id, size=2)] == [f"m{n}" for n in range(5)]
    with pytest.raises(InvalidValue, match="one page after another"):
        pbx.list(Message, path=pbx.session_path("~", "~", session.id, "messages"), prefetch=2)


def test_subscription_lifecycle(pbx: NetSapiens, call: Driver) -> None:
    url = f"https://example.test/hook/{secrets.token_hex(4)}"
    sub = Subscription(
        pbx,
        model=SubscriptionModel.MESSAGE,
        post_url=url,
        domain="testdomain.com",
        expires=dt.timedelta(days=30),
    )
    call(sub, "post")
    assert sub.id and sub.status == "pending" and sub.post_url == url
    assert dt.timedelta(days=29) < sub.expires - dt.datetime.now(dt.timezone.utc) <= dt.timedelta(days=30)
    with pytest.raises(DuplicateSubscription) as dup:
        call(Subscription(pbx, model="message", post_url=url, domain="testdomain.com"), "post")
    assert dup.value.existing_id == sub.id
    sub.post_url = url + "/v2"  # no model needed to update (the seed's bug)
    sub.expires = dt.datetime(2031, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    call(sub, "save")
    again = call(pbx, "get_subscription", sub.id)
    assert again.post_url == url + "/v2" and again.expires == dt.datetime(
        2031, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc
    )
    call(again, "reset_counters")
    assert sub.id in [s.id for s in call.collect(pbx, "subscriptions")]
    sub.domain = "other.test"
    with pytest.raises(InvalidValue, match="cannot change"):
        call(sub, "save")
    call(again, "delete")
    with pytest.raises(NotFound):
        call(pbx, "get_subscription", sub.id)


def test_a_subscription_delivers_the_message_just_sent_to_a_mounted_receiver(
    pbx: NetSapiens, serve: Any
) -> None:
    delivered: queue.Queue[list[Any]] = queue.Queue()
    receiver = WebhookReceiver("message", delivered.put, secret=secrets.token_urlsafe(24))
    served = serve(receiver.app("/hook"))
    sub = Subscription(
        pbx,
        model="message",
        post_url=receiver.post_url(served.base_url + "/hook"),
        domain="testdomain.com",
        expires=dt.timedelta(hours=2),
    ).post()
    try:
        session = pbx.send_message("sms", "delivered?", "18585557777", "1987654321")
        entities = delivered.get(timeout=10)
        assert [type(e) for e in entities] == [Message]
        assert entities[0].id == session.message.id and entities[0].text == "delivered?"
        # the emulator counts the post right after the receiver answers it
        poll_until(sub.refresh, lambda s: s.posts_count >= 1, timeout=10, interval=0.02)
        assert sub.posts_count >= 1 and sub.status == "active" and sub.error_count == 0
    finally:
        sub.delete()


def test_the_async_api_from_inside_a_running_loop(auth_config: dict[str, str]) -> None:
    async def main() -> list[str]:
        async with NetSapiens.from_mapping(auth_config) as apbx:
            session = await apbx.send_message_async("sms", "from a loop", "18585552222", "1987654321")
            results = await asyncio.gather(*(apbx.get_session_async(session.id) for _ in range(5)))
            assert apbx.auth.grants["password"] == 1  # one token for five concurrent tasks
            return [s.id for s in results]

    ids = asyncio.run(main())
    assert len(set(ids)) == 1


def test_query_lists_the_domain_s_sessions(pbx: NetSapiens) -> None:
    session = pbx.send_message("sms", "q", "18585553333", "1987654321")
    assert session.id in [s.id for s in pbx.query(MessageSession)]
    assert "2d51df1810812ace8d138a2558d0bd79" in [s.id for s in pbx.query(MessageSession)]


def test_local_and_the_file_hub_init_writes(tmp_path: Any) -> None:
    from contacthub_like.sandbox import netsapiens as emulator

    with NetSapiens.local(tmp_path / "hub.sqlite3") as pbx:
        assert "2d51df1810812ace8d138a2558d0bd79" in [s.id for s in pbx.sessions()]
        hub_url = pbx.settings.base_url.removesuffix(emulator.PREFIX)
    from contacthub_like.sandbox.server import start_local_hub

    hub = start_local_hub(tmp_path / "hub.sqlite3")  # the same running hub
    (written,) = emulator.seed(hub.store, base_url=hub_url, config_dir=tmp_path)
    with NetSapiens.from_json_file(written) as pbx:
        assert [m.text for m in pbx.messages("2d51df1810812ace8d138a2558d0bd79", "testdomain.com", "123")]
    hub.stop()


def test_threads_share_one_token_request(auth_config: dict[str, str]) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with NetSapiens.from_mapping(auth_config) as pbx, ThreadPoolExecutor(8) as pool:
        found = list(pool.map(lambda _: pbx.get_session("2d51df1810812ace8d138a2558d0bd79").id, range(16)))
        assert set(found) == {"2d51df1810812ace8d138a2558d0bd79"}
        assert pbx.auth.grants == {"password": 1}


def test_a_401_refreshes_and_a_refused_refresh_falls_back_to_the_password(hub: Any, pbx: NetSapiens) -> None:
    def expire(kinds: tuple[str, ...]) -> None:
        with hub.store.transaction() as conn:  # as if the server's clock had passed their expiry
            conn.executemany("UPDATE netsapiens_tokens SET expires = 0 WHERE kind = ?", [(k,) for k in kinds])

    sid = "2d51df1810812ace8d138a2558d0bd79"
    assert pbx.get_session(sid).id == sid
    expire(("access",))
    assert pbx.get_session(sid).id == sid  # 401, refresh grant, one repeat
    assert pbx.auth.grants == {"password": 1, "refresh_token": 1}
    expire(("access", "refresh"))
    assert pbx.get_session(sid).id == sid  # 401, refresh refused, password grant, one repeat
    assert pbx.auth.grants == {"password": 2, "refresh_token": 2}

"""Retry policy and throttle: decisions, waits, caps, and what the transport and node do with them."""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import threading
import time
from collections.abc import Iterator

import pytest
import requests
import responses
from helpers import BASE, NODE_ID, ROOT, TOKEN, WS_ID, FakeHub, customer_doc
from responses import matchers

from contacthub_like import Customer, Workspace, errors
from contacthub_like.http.auth import BearerToken
from contacthub_like.http.retry import Retry
from contacthub_like.http.throttle import TokenBucket
from contacthub_like.http.transport import Transport


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(round(seconds, 6))


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def fake() -> Iterator[FakeHub]:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        hub = FakeHub(mock)
        yield hub
        # dropped connections are declared on purpose here, so only the timeouts are checked
        for call in mock.calls:
            assert call.request.req_kwargs.get("timeout") is not None  # type: ignore[attr-defined]


def envelope(message: str) -> dict[str, object]:
    return {"message": message, "logref": "lr", "data": None, "errors": []}


def policy(sleeps: Sleeps, **kwargs: object) -> Retry:
    return Retry(**{"backoff": 0.5, "jitter": 0.0, "sleep": sleeps, **kwargs})  # type: ignore[arg-type]


@pytest.fixture
def node(sleeps: Sleeps) -> Iterator:
    with Workspace(WS_ID, TOKEN, base_url=BASE, retry=policy(sleeps)) as ws:
        yield ws.get_node(NODE_ID)


PARAMS = {"nodeId": NODE_ID}


# ------------------------------------------------------------------------------ the policy


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"max_attempts": 0}, "max_attempts must be an int >= 1"),
        ({"backoff": -1}, "backoff must be a finite number >= 0"),
        ({"multiplier": 0.5}, "multiplier must be >= 1"),
        ({"jitter": 2}, "jitter is the random fraction"),
        ({"statuses": {200}}, "not 4xx/5xx codes: 200"),
        ({"max_total_wait": float("inf")}, "finite"),
    ],
)
def test_bad_settings_are_refused(kwargs, words):
    with pytest.raises(errors.InvalidValue, match=words):
        Retry(**kwargs)
    with pytest.raises(errors.InvalidType, match="statuses must be a set"):
        Retry(statuses="503")  # type: ignore[arg-type]


def test_backoff_grows_is_capped_and_jittered():
    retry = Retry(backoff=0.5, multiplier=2, max_backoff=3, jitter=0.5, random=lambda: 1.0)
    assert [retry.delay(n) for n in (1, 2, 3, 4, 5)] == [0.25, 0.5, 1.0, 1.5, 1.5]
    assert Retry(jitter=0).delay(1) == 0.5


def _answer(status: int, retry_after: str | None) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    if retry_after is not None:
        response.headers["Retry-After"] = retry_after
    return response


def test_retry_after_seconds_and_http_date_win_over_backoff():
    retry = Retry(jitter=0)
    assert retry.delay(1, _answer(429, "3")) == 3.0
    when = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=20)
    assert 18 < retry.delay(1, _answer(503, email.utils.format_datetime(when, usegmt=True))) <= 20
    assert retry.delay(1, _answer(503, "soon")) == 0.5  # unusable hint: the backoff


@pytest.mark.parametrize(
    ("status", "idempotent", "expected"),
    [
        (503, True, True),
        (503, False, True),  # refused before any work, like 429
        (502, False, False),
        (429, False, True),
        (423, False, True),
        (500, True, False),
        (400, True, False),
        (504, True, True),
    ],
)
def test_which_answers_retry(status, idempotent, expected):
    assert Retry().should_retry(idempotent=idempotent, response=_answer(status, None)) is expected


def test_no_answer_retries_only_when_idempotent():
    error = errors.ConnectionFailed("dropped")
    assert Retry().should_retry(idempotent=True, error=error)
    assert not Retry().should_retry(idempotent=False, error=error)


# ---------------------------------------------------------------------- through the transport


def test_get_retries_503_then_succeeds_with_backoff(fake, sleeps, caplog):
    for _ in range(2):
        fake.expect("GET", "/customers", params=PARAMS, status=503, reply=envelope("busy"))
    fake.expect("GET", "/customers", params=PARAMS, reply={"ok": 1})
    with Transport(BASE, BearerToken(TOKEN), retry=policy(sleeps)) as t:
        with caplog.at_level(logging.DEBUG, logger="contacthub_like"):
            assert t.request("GET", f"/workspaces/{WS_ID}/customers", params=PARAMS) == {"ok": 1}
    assert sleeps == [0.5, 1.0]
    lines = [r.getMessage() for r in caplog.records if r.name == "contacthub_like.transport"]
    assert [line.rsplit(" ", 1)[-1] for line in lines] == ["1)", "2)", "3)"]
    assert "-> 503" in lines[0] and "-> 200" in lines[2]
    retry_lines = [r.getMessage() for r in caplog.records if r.name == "contacthub_like.retry"]
    assert retry_lines[0].endswith("503 answer, retrying in 0.500 s (attempt 2 of 5)")
    assert TOKEN not in caplog.text


def test_post_is_not_repeated_after_an_unknown_outcome(fake, sleeps):
    fake.expect("POST", "/customers", body={"a": 1}, status=502, reply=envelope("bad gateway"))
    with Transport(BASE, BearerToken(TOKEN), retry=policy(sleeps)) as t, pytest.raises(errors.ServerError):
        t.request("POST", f"/workspaces/{WS_ID}/customers", json={"a": 1})
    assert fake.count == 1 and sleeps == []


def test_post_is_repeated_after_429_using_retry_after(fake, sleeps):
    fake.mock.add(
        "POST", ROOT + "/customers", status=429, json=envelope("slow"), headers={"Retry-After": "2"}
    )
    fake.expect("POST", "/customers", body={"a": 1}, status=201, reply={"id": "c"})
    with Transport(BASE, BearerToken(TOKEN), retry=policy(sleeps)) as t:
        assert t.request("POST", f"/workspaces/{WS_ID}/customers", json={"a": 1}) == {"id": "c"}
    assert sleeps == [2.0]


def test_exhausted_attempts_raise_our_error_with_the_last_answer(fake, sleeps):
    for _ in range(3):
        fake.expect("GET", "/customers", status=503, reply=envelope(f"busy {TOKEN}"))
    with Transport(BASE, BearerToken(TOKEN), retry=policy(sleeps, max_attempts=3)) as t:
        with pytest.raises(errors.RetriesExhausted) as info:
            t.request("GET", f"/workspaces/{WS_ID}/customers")
    error = info.value
    assert error.attempts == 3 and error.status_code == 503 and sleeps == [0.5, 1.0]
    assert isinstance(error.last_error, errors.ServerError)
    assert "gave up after 3 attempt(s)" in str(error) and "last answer was 503" in str(error)
    assert TOKEN not in str(error.last_error) and TOKEN not in repr(error)
    assert error.response.request.headers["Authorization"] == "***"


def test_a_wait_past_the_total_cap_gives_up_at_once(fake, sleeps):
    fake.mock.add(
        "GET", ROOT + "/customers", status=429, json=envelope("slow"), headers={"Retry-After": "30"}
    )
    with Transport(BASE, BearerToken(TOKEN), retry=policy(sleeps, max_total_wait=5)) as t:
        with pytest.raises(
            errors.RetriesExhausted, match=r"next wait \(30.00 s\) would pass max_total_wait=5"
        ):
            t.request("GET", f"/workspaces/{WS_ID}/customers")
    assert sleeps == []


def test_connection_errors_retry_for_get_and_exhaust_with_the_transport_error(fake, sleeps):
    for _ in range(2):
        fake.mock.add("GET", ROOT + "/customers", body=requests.ConnectionError("refused"))
    with Transport(BASE, BearerToken(TOKEN), retry=policy(sleeps, max_attempts=2)) as t:
        with pytest.raises(errors.RetriesExhausted) as info:
            t.request("GET", f"/workspaces/{WS_ID}/customers")
    assert isinstance(info.value.last_error, errors.ConnectionFailed) and info.value.response is None


def test_errors_say_how_many_attempts_and_whether_one_may_have_applied(fake, sleeps):
    fake.mock.add("PUT", ROOT + "/customers/c", body=requests.ConnectionError("dropped"))
    fake.expect("PUT", "/customers/c", body={}, status=404, reply=envelope("gone"))
    with (
        Transport(BASE, BearerToken(TOKEN), retry=policy(sleeps)) as t,
        pytest.raises(errors.NotFound) as info,
    ):
        t.request("PUT", f"/workspaces/{WS_ID}/customers/c", json={})
    assert info.value.attempts == 2 and info.value.maybe_applied_before


@pytest.mark.parametrize(
    ("first", "maybe"), [(503, False), (429, False), (500, True), (502, True), (504, True)]
)
def test_only_a_status_that_may_follow_a_commit_makes_an_attempt_maybe_applied(fake, sleeps, first, maybe):
    # 429/503 refuse before doing anything: the 409 that follows is not the echo of our own write
    fake.expect("PUT", "/customers/c", body={}, status=first, reply=envelope("first"))
    fake.expect("PUT", "/customers/c", body={}, status=409, reply=envelope("conflict"))
    retry = policy(sleeps, statuses={429, 500, 502, 503, 504})
    with Transport(BASE, BearerToken(TOKEN), retry=retry) as t, pytest.raises(errors.Conflict) as info:
        t.request("PUT", f"/workspaces/{WS_ID}/customers/c", json={})
    assert info.value.attempts == 2 and info.value.maybe_applied_before is maybe


# ----------------------------------------------------------------------- through the node


def test_customer_post_resolves_a_409_after_a_lost_answer_to_the_existing_customer(fake, node):
    body = {"nodeId": NODE_ID, "externalId": "ext-1"}
    fake.mock.add("POST", ROOT + "/customers", body=requests.ConnectionError("dropped"))
    conflict = envelope("Conflict with exiting customer c-1")
    conflict["data"] = {"customer": {"id": "c-1", "href": ROOT + "/customers/c-1"}}
    fake.expect("POST", "/customers", body=body, status=409, reply=conflict)
    fake.expect("GET", "/customers/c-1", reply=customer_doc())
    customer = node.add_customer(externalId="ext-1")
    assert customer.id == "c-1" and fake.count == 3


def test_customer_post_without_a_matching_key_is_not_repeated_after_a_lost_answer(fake, node):
    fake.mock.add("POST", ROOT + "/customers", body=requests.ConnectionError("dropped"))
    with pytest.raises(errors.ConnectionFailed):
        node.add_customer(base={"firstName": "Anonymous"})
    assert fake.count == 1


def test_customer_post_409_on_the_first_attempt_is_still_a_conflict(fake, node):
    conflict = envelope("Conflict with exiting customer c-1")
    conflict["data"] = {"customer": {"id": "c-1"}}
    fake.expect(
        "POST", "/customers", body={"nodeId": NODE_ID, "externalId": "ext-1"}, status=409, reply=conflict
    )
    with pytest.raises(errors.Conflict) as info:
        node.add_customer(externalId="ext-1")
    assert not info.value.maybe_applied_before and info.value.attempts == 1


def test_event_post_sends_one_idempotency_key_on_every_attempt(fake, node, sleeps):
    event = {"customerId": "c-1", "type": "viewedPage", "context": "WEB", "properties": {}}
    fake.mock.add("POST", ROOT + "/events", body=requests.ConnectionError("dropped"))
    fake.mock.add("POST", ROOT + "/events", status=502, json=envelope("bad gateway"))
    fake.mock.add(
        "POST",
        ROOT + "/events",
        status=202,
        json={"id": "ev-9"},
        match=[matchers.json_params_matcher(event, strict_match=False)],
    )
    assert node.add_event(**event).id == "ev-9"
    keys = {call.request.headers["Idempotency-Key"] for call in fake.mock.calls}
    assert len(keys) == 1 and len(next(iter(keys))) == 36 and sleeps == [0.5, 1.0]


def test_a_customer_patch_is_repeated_after_a_lost_answer_because_its_body_is_absolute(fake, node):
    customer = Customer.from_dict(node, customer_doc(id="c-1"))
    customer.base.firstName = "Selina"
    fake.mock.add("PATCH", ROOT + "/customers/c-1", body=requests.ConnectionError("dropped"))
    fake.expect(
        "PATCH", "/customers/c-1", body={"base": {"firstName": "Selina"}}, reply=customer_doc(id="c-1")
    )
    customer.patch()
    assert len(fake.mock.calls) == 2
    assert fake.mock.calls[0].request.body == fake.mock.calls[1].request.body


def test_delete_whose_answer_was_lost_is_done(fake, node):
    fake.mock.add("DELETE", ROOT + "/customers/c-1", body=requests.ConnectionError("dropped"))
    fake.expect("DELETE", "/customers/c-1", status=404, reply=envelope("customer not found"))
    assert node.delete_customer("c-1") is None
    fake.mock.add("DELETE", ROOT + "/events/ev-1", status=504, json=envelope("gateway timeout"))
    fake.expect("DELETE", "/events/ev-1", status=404, reply=envelope("event not found"))
    node.delete_event("ev-1")
    fake.mock.add("DELETE", ROOT + "/events/ev-2", status=503, json=envelope("busy"))
    fake.expect("DELETE", "/events/ev-2", status=404, reply=envelope("event not found"))
    with pytest.raises(errors.NotFound):  # a 503 refused the first attempt: the 404 is real
        node.delete_event("ev-2")
    fake.expect("DELETE", "/customers/c-2", status=404, reply=envelope("customer not found"))
    with pytest.raises(errors.NotFound):  # no lost answer: a real 404
        Customer.from_dict(node, customer_doc(id="c-2")).delete()


def test_workspace_settings_are_checked():
    with pytest.raises(errors.InvalidType, match="retry must be a contacthub_like.Retry"):
        Workspace(WS_ID, TOKEN, base_url=BASE, retry=3)  # type: ignore[arg-type]
    with pytest.raises(errors.InvalidType, match="throttle must be requests per second"):
        Workspace(WS_ID, TOKEN, base_url=BASE, throttle="fast")  # type: ignore[arg-type]
    with pytest.raises(errors.ConfigurationError, match="either token"):
        Workspace(WS_ID, TOKEN, base_url=BASE, auth=BearerToken(TOKEN))
    with Workspace(WS_ID, TOKEN, base_url=BASE, throttle=20) as ws:
        assert isinstance(ws.throttle, TokenBucket) and ws.transport.throttle is ws.throttle
        assert ws.transport.retry == Retry()
    with Workspace(WS_ID, TOKEN, base_url=BASE, retry=None) as ws:
        assert ws.transport.retry is None


# ---------------------------------------------------------------------------- the throttle


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds


def test_token_bucket_allows_a_burst_then_spaces_requests():
    clock = FakeClock()
    bucket = TokenBucket(10, burst=2, clock=clock, sleep=clock.sleep)
    for _ in range(4):
        bucket.acquire()
    assert clock.slept == [0.1, 0.1]
    clock.now += 5  # idle time refills at most `burst` tokens
    bucket.acquire()
    bucket.acquire()
    bucket.acquire()
    assert clock.slept == [0.1, 0.1, 0.1]


def test_token_bucket_is_shared_by_threads_in_real_time():
    bucket = TokenBucket(200, burst=1)
    start = time.monotonic()
    threads = [threading.Thread(target=lambda: [bucket.acquire() for _ in range(10)]) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    elapsed = time.monotonic() - start
    assert 39 / 200 * 0.9 <= elapsed < 2.0  # 40 acquisitions at 200/s: ~0.195 s, never faster


@pytest.mark.parametrize(("rate", "burst"), [(0, 1), (-1, 1), (float("nan"), 1), (1, 0)])
def test_token_bucket_settings_are_checked(rate, burst):
    with pytest.raises(errors.InvalidValue):
        TokenBucket(rate, burst)

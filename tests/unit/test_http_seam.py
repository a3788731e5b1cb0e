"""What the HTTP layer offers every service: bodies of each kind, a service's error decoder and
throttle signal, signed-URL transfers and polling."""

from __future__ import annotations

import pytest
import requests
import responses
from responses import matchers

from contacthub_like.errors import APIError, InvalidValue, WaitTimeout
from contacthub_like.http.polling import poll_until
from contacthub_like.http.retry import Retry
from contacthub_like.http.signed import SignedTransfers
from contacthub_like.http.transport import Transport

BASE = "https://api.test/v1"


@pytest.fixture
def api():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        yield rsps


def test_form_body_is_url_encoded_with_its_content_type(api) -> None:
    api.post(
        BASE + "/invoices/generate",
        json={"ok": True},
        match=[
            matchers.body_matcher("period=2024-01&flag=True"),
            matchers.header_matcher({"Content-Type": "application/x-www-form-urlencoded"}),
        ],
    )
    with Transport(BASE, None) as transport:
        assert transport.request(
            "POST", "/invoices/generate", form={"period": "2024-01", "flag": "True"}
        ) == {"ok": True}


def test_raw_body_is_sent_as_given(api) -> None:
    api.put(
        BASE + "/blob",
        body=b"",
        match=[
            matchers.header_matcher({"Content-Type": "text/csv"}),
            matchers.body_matcher("a,b\r\n1,2\r\n"),
        ],
    )
    with Transport(BASE, None) as transport:
        assert transport.request("PUT", "/blob", content=b"a,b\r\n1,2\r\n", content_type="text/csv") is None


def test_one_body_only() -> None:
    with Transport(BASE, None) as transport, pytest.raises(InvalidValue, match="json and form"):
        transport.request("POST", "/x", json={}, form={"a": 1})


class CodeMessageError(APIError):
    pass


def decode(response: requests.Response, *, secrets=()) -> Exception:
    body = response.json()
    return CodeMessageError(f"{body['code']}: {body['message']}", status_code=response.status_code)


def test_a_service_error_decoder_reads_its_own_body(api) -> None:
    api.get(BASE + "/things/1", status=404, json={"code": 404, "message": "no such thing"})
    with Transport(BASE, None, decode_error=decode) as transport, pytest.raises(CodeMessageError) as caught:
        transport.request("GET", "/things/1")
    assert caught.value.message == "404: no such thing" and caught.value.status_code == 404


def test_a_service_throttle_signal_is_backed_off_like_a_429(api) -> None:
    throttled = {"errorCode": "throttled"}
    api.get(BASE + "/events", status=403, json=throttled)
    api.get(BASE + "/events", status=403, json={"errorCode": "forbidden"})
    waits: list[float] = []
    retry = Retry(backoff=0.25, jitter=0, sleep=waits.append)
    signal = lambda r: r.status_code == 403 and r.json().get("errorCode") == "throttled"  # noqa: E731
    with Transport(BASE, None, retry=retry, throttled=signal) as transport, pytest.raises(APIError) as caught:
        transport.request("GET", "/events")
    assert caught.value.status_code == 403 and waits == [0.25]  # a real 403 is not retried


def test_signed_upload_sends_no_authorization_and_streams_a_file(api, tmp_path) -> None:
    source = tmp_path / "events.csv"
    source.write_bytes(b"eventName,customer_id\ncart,c-1\n")
    url = "https://storage.test/slot/1?sig=SECRET"
    api.put(url, status=201, match=[matchers.body_matcher("eventName,customer_id\ncart,c-1\n")])
    with SignedTransfers() as transfers:
        response = transfers.upload(url, source, content_type="text/csv")
    sent = api.calls[0].request
    assert response.status_code == 201 and "Authorization" not in sent.headers
    assert sent.headers["Content-Type"] == "text/csv" and sent.headers["Content-Length"] == "31"


def test_signed_download_is_atomic_and_errors_hide_the_signature(api, tmp_path) -> None:
    target = tmp_path / "lines.csv"
    target.write_text("old")
    api.get("https://files.test/f?sig=S3CR3T", body=b"new,data\n")
    api.get("https://files.test/g?sig=S3CR3T", status=403, body=b"signature S3CR3T expired")
    with SignedTransfers(allowed_hosts={"files.test"}) as transfers:
        assert transfers.download("https://files.test/f?sig=S3CR3T", target).read_bytes() == b"new,data\n"
        with pytest.raises(APIError) as caught:
            transfers.download("https://files.test/g?sig=S3CR3T", target)
    assert "S3CR3T" not in str(caught.value) and target.read_bytes() == b"new,data\n"


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://storage.test/x", "HTTPS"),
        ("ftp://storage.test/x", "absolute http"),
        ("https://evil.test/x", "not an allowed transfer host"),
    ],
)
def test_signed_urls_are_checked_before_any_request(url: str, why: str) -> None:
    with SignedTransfers(allowed_hosts={"storage.test"}) as transfers, pytest.raises(InvalidValue, match=why):
        transfers.upload(url, b"x")


def test_loopback_may_use_plain_http() -> None:
    assert SignedTransfers().check("http://127.0.0.1:8000/ci360/upload/1?sig=x")


def test_poll_until_backs_off_and_times_out_with_the_last_state() -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    states = iter(["QUEUED", "RUNNING", "RUNNING", "COMPLETE"])
    done = poll_until(
        lambda: next(states),
        lambda s: s == "COMPLETE",
        timeout=10,
        interval=0.1,
        sleep=sleep,
        clock=lambda: now[0],
    )
    assert done == "COMPLETE" and slept == [0.1, 0.2, 0.4]
    with pytest.raises(WaitTimeout, match="job is RUNNING after 1 s") as caught:
        poll_until(
            lambda: "RUNNING",
            lambda s: s == "COMPLETE",
            timeout=1,
            interval=0.4,
            describe=lambda s: f"job is {s}",
            sleep=sleep,
            clock=lambda: now[0],
        )
    assert caught.value.last == "RUNNING"

"""Transport: URLs, params, bodies, headers, timeouts, error mapping, logging, hooks."""

from __future__ import annotations

import datetime as dt
import enum
import json
import logging
from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest
import requests
import responses
from responses import matchers

from contacthub_like import errors
from contacthub_like.http.auth import BearerToken
from contacthub_like.http.transport import (
    DEFAULT_TIMEOUT,
    Transport,
    encode_params,
    quote_segment,
)

BASE = "https://hub.example.test/hub/v1"
TOKEN = "s3cr3t-T0KEN%value"
URL = BASE + "/workspaces/ws/customers"


@pytest.fixture
def hub() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


@pytest.fixture
def transport() -> Iterator[Transport]:
    with Transport(BASE, BearerToken(TOKEN)) as t:
        yield t


def _envelope(message: str, **extra: object) -> dict[str, object]:
    return {"message": message, "logref": "lr-1", "data": None, "errors": [], **extra}


# ------------------------------------------------------------------ URL and params


def test_get_joins_path_and_returns_json(hub: responses.RequestsMock, transport: Transport) -> None:
    hub.get(URL, json={"elements": []}, match=[matchers.query_param_matcher({"nodeId": "n1"})])
    assert transport.request("GET", "/workspaces/ws/customers", params={"nodeId": "n1"}) == {"elements": []}
    assert hub.calls[0].request.method == "GET"


def test_base_url_trailing_slash_is_ignored(hub: responses.RequestsMock) -> None:
    hub.get(URL, json={})
    with Transport(BASE + "/", None) as t:
        t.request("GET", "/workspaces/ws/customers")
    assert hub.calls[0].request.url == URL


def test_params_keep_falsy_values_and_drop_none(hub: responses.RequestsMock, transport: Transport) -> None:
    hub.get(
        URL,
        json={},
        match=[matchers.query_string_matcher("page=0&flag=false&empty=&yes=true&n=0.5")],
    )
    transport.request(
        "GET",
        "/workspaces/ws/customers",
        params={"page": 0, "flag": False, "empty": "", "skip": None, "yes": True, "n": 0.5},
    )


def test_params_encode_lists_dates_enums_decimals() -> None:
    class Kind(enum.Enum):
        A = "CLICK"

    encoded = encode_params(
        {
            "fields": ("base.firstName", "id"),
            "repeated": ["a,asc", "b,desc"],
            "dateFrom": dt.date(2024, 1, 31),
            "at": dt.datetime(2024, 1, 31, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=2))),
            "type": Kind.A,
            "amount": Decimal("1.50"),
            "sort": ("a", "b"),
            "gone": None,
        }
    )
    assert encoded == {
        "fields": "base.firstName,id",
        "repeated": ["a,asc", "b,desc"],
        "dateFrom": "2024-01-31",
        "at": "2024-01-31T08:00:00Z",
        "type": "CLICK",
        "amount": "1.50",
        "sort": "a,b",
    }
    assert encode_params(None) is None
    assert encode_params({}) is None


def test_params_reject_unknown_types() -> None:
    with pytest.raises(errors.InvalidType, match="query parameter of type object"):
        encode_params({"x": object()})


def test_query_json_param_is_sent_url_encoded(hub: responses.RequestsMock, transport: Transport) -> None:
    query = json.dumps({"name": "query", "query": {"type": "simple"}})
    hub.get(URL, json={}, match=[matchers.query_param_matcher({"query": query, "nodeId": "n"})])
    transport.request("GET", "/workspaces/ws/customers", params={"query": query, "nodeId": "n"})


def test_path_helpers_quote_ids() -> None:
    assert quote_segment("a/b c") == "a%2Fb%20c"


def test_path_must_be_relative_or_under_base(hub: responses.RequestsMock, transport: Transport) -> None:
    with pytest.raises(errors.InvalidValue, match="must start with '/'"):
        transport.request("GET", "workspaces/ws")
    with pytest.raises(errors.InvalidValue):
        transport.request("GET", "https://elsewhere.test/steal")
    hub.patch(URL + "/c1", json={"id": "c1"})
    assert transport.request("PATCH", URL + "/c1", json={}) == {"id": "c1"}


# ------------------------------------------------------------------ bodies/headers


def test_json_body_bytes_and_headers(hub: responses.RequestsMock, transport: Transport) -> None:
    body = {"nodeId": "n", "base": {"dob": dt.date(1990, 5, 1), "score": Decimal("2.5")}, "z": 0}
    wire_body = {"nodeId": "n", "base": {"dob": "1990-05-01", "score": "2.5"}, "z": 0}
    hub.post(
        URL,
        status=201,
        json={"id": "c1"},
        match=[
            matchers.json_params_matcher(wire_body),
            matchers.header_matcher(
                {
                    "Content-Type": "application/json",
                    "Accept": "application/json",
                    "Authorization": f"Bearer {TOKEN}",
                }
            ),
        ],
    )
    assert transport.request("POST", "/workspaces/ws/customers", json=body) == {"id": "c1"}
    sent = hub.calls[0].request.body
    assert isinstance(sent, bytes)
    assert sent == json.dumps(wire_body).encode()


def test_no_content_type_without_body(hub: responses.RequestsMock, transport: Transport) -> None:
    hub.get(URL, json={})
    hub.delete(URL + "/c1", status=204)
    transport.request("GET", "/workspaces/ws/customers")
    transport.request("DELETE", "/workspaces/ws/customers/c1")
    for call in hub.calls:
        headers = call.request.headers
        assert "Content-Type" not in headers
        assert headers["Accept"] == "application/json"
        assert headers["Authorization"] == f"Bearer {TOKEN}"
        assert headers["User-Agent"].startswith("contacthub-like/")
        assert call.request.body is None


def test_json_none_sends_null_body(hub: responses.RequestsMock, transport: Transport) -> None:
    hub.put(URL + "/x", json={}, match=[matchers.body_matcher("null")])
    transport.request("PUT", "/workspaces/ws/customers/x", json=None)


def test_extra_headers_are_merged(hub: responses.RequestsMock, transport: Transport) -> None:
    hub.get(
        URL,
        body="a,b\n",
        content_type="text/csv",
        match=[
            matchers.header_matcher(
                {"Accept": "text/csv", "X-Trace": "t1", "Authorization": f"Bearer {TOKEN}"}
            )
        ],
    )
    response = transport.request_raw(
        "GET", "/workspaces/ws/customers", headers={"Accept": "text/csv", "X-Trace": "t1"}
    )
    assert response.text == "a,b\n"


def test_method_is_upper_cased(hub: responses.RequestsMock, transport: Transport) -> None:
    hub.get(URL, json=[1])
    assert transport.request("get", "/workspaces/ws/customers") == [1]


# ---------------------------------------------------------------------- empty bodies


@pytest.mark.parametrize(
    ("method", "status", "body"),
    [("DELETE", 204, ""), ("POST", 202, ""), ("GET", 200, ""), ("POST", 202, " \n"), ("PUT", 201, "")],
)
def test_empty_body_returns_none(
    hub: responses.RequestsMock, transport: Transport, method: str, status: int, body: str
) -> None:
    hub.add(method, URL, status=status, body=body)
    assert transport.request(method, "/workspaces/ws/customers") is None


def test_non_json_success_body_raises_invalid_response(
    hub: responses.RequestsMock, transport: Transport
) -> None:
    hub.get(URL, body="<html>hi</html>", content_type="text/html")
    with pytest.raises(errors.InvalidResponse, match="not JSON") as info:
        transport.request("GET", "/workspaces/ws/customers")
    assert info.value.status_code == 200


# --------------------------------------------------------------------------- timeout


def test_default_timeout_is_always_passed(hub: responses.RequestsMock, transport: Transport) -> None:
    hub.get(URL, json={}, match=[matchers.request_kwargs_matcher({"timeout": DEFAULT_TIMEOUT})])
    hub.post(URL, json={}, match=[matchers.request_kwargs_matcher({"timeout": DEFAULT_TIMEOUT})])
    transport.request("GET", "/workspaces/ws/customers")
    transport.request("POST", "/workspaces/ws/customers", json={})
    assert DEFAULT_TIMEOUT == (5.0, 30.0)


def test_transport_and_call_timeouts(hub: responses.RequestsMock) -> None:
    hub.get(URL, json={}, match=[matchers.request_kwargs_matcher({"timeout": 12.0})])
    hub.get(URL, json={}, match=[matchers.request_kwargs_matcher({"timeout": (1.0, 2.0)})])
    with Transport(BASE, None, timeout=12) as t:
        assert t.timeout == 12.0
        t.request("GET", "/workspaces/ws/customers")
        t.request("GET", "/workspaces/ws/customers", timeout=(1, 2))


@pytest.mark.parametrize("bad", [0, -1, None, "5", (1,), (1, 0), True])
def test_bad_timeout_rejected(bad: object) -> None:
    with pytest.raises(errors.InvalidValue, match="timeout must be"):
        Transport(BASE, None, timeout=bad)  # type: ignore[arg-type]


def test_timeout_reaches_the_adapter() -> None:
    seen: dict[str, object] = {}

    class RecordingAdapter(requests.adapters.HTTPAdapter):
        def send(self, request, **kwargs):  # type: ignore[no-untyped-def]
            seen.update(kwargs)
            response = requests.Response()
            response.status_code = 204
            response._content = b""
            response.request = request
            response.url = request.url
            return response

    session = requests.Session()
    session.mount("https://", RecordingAdapter())
    with session, Transport(BASE, BearerToken(TOKEN), session=session, timeout=(2, 3)) as t:
        assert t.request("DELETE", "/x") is None
    assert seen["timeout"] == (2.0, 3.0)


# ------------------------------------------------------------------------ error table


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, errors.BadRequest),
        (401, errors.Unauthorized),
        (403, errors.Forbidden),
        (404, errors.NotFound),
        (405, errors.MethodNotAllowed),
        (409, errors.Conflict),
        (423, errors.Locked),
        (429, errors.RateLimited),
        (500, errors.ServerError),
        (502, errors.ServerError),
        (503, errors.ServerError),
        (418, errors.APIError),
    ],
)
def test_status_maps_to_error_class(
    hub: responses.RequestsMock, transport: Transport, status: int, cls: type[errors.APIError]
) -> None:
    hub.get(URL, status=status, json=_envelope("boom"))
    with pytest.raises(cls) as info:
        transport.request("GET", "/workspaces/ws/customers")
    error = info.value
    assert type(error) is cls
    assert isinstance(error, requests.HTTPError)
    assert error.status_code == status
    assert error.message == "boom"
    assert error.logref == "lr-1"
    assert error.response is not None and error.response.status_code == status
    assert str(error) == f"Status code: {status}. Message: boom. Errors: []. Data: None. Logref: lr-1"


def test_conflict_exposes_existing_customer(hub: responses.RequestsMock, transport: Transport) -> None:
    href = BASE + "/workspaces/ws/customers/c-9"
    hub.post(
        URL,
        status=409,
        json=_envelope("Conflict with exiting customer c-9", data={"customer": {"id": "c-9", "href": href}}),
    )
    with pytest.raises(errors.Conflict) as info:
        transport.request("POST", "/workspaces/ws/customers", json={"base": {}})
    assert info.value.existing_id == "c-9"
    assert info.value.existing_href == href


def test_validation_errors_are_kept(hub: responses.RequestsMock, transport: Transport) -> None:
    item = {"message": "unique customer property is required", "path": "/base/credential/username"}
    hub.post(URL, status=400, json=_envelope("source customer is not valid", errors=[item]))
    with pytest.raises(errors.ValidationError) as info:
        transport.request("POST", "/workspaces/ws/customers", json={})
    assert info.value.errors == [item]
    assert "Errors: [{'message': 'unique customer property is required'" in str(info.value)


def test_rate_limited_retry_after(hub: responses.RequestsMock, transport: Transport) -> None:
    hub.get(URL, status=429, json=_envelope("slow down"), headers={"Retry-After": "7"})
    with pytest.raises(errors.RateLimited) as info:
        transport.request("GET", "/workspaces/ws/customers")
    assert info.value.retry_after == 7.0


def test_spring_style_error_body(hub: responses.RequestsMock, transport: Transport) -> None:
    hub.delete(
        URL,
        status=405,
        json={
            "timestamp": 1,
            "status": 405,
            "error": "Method Not Allowed",
            "message": "Request method 'DELETE' not supported",
            "path": "/x",
        },
    )
    hub.get(
        BASE + "/nowhere",
        status=404,
        json={"timestamp": 1, "status": 404, "error": "Not Found", "message": "No message available"},
    )
    with pytest.raises(errors.MethodNotAllowed, match="Request method 'DELETE' not supported"):
        transport.request("DELETE", "/workspaces/ws/customers")
    with pytest.raises(errors.NotFound) as info:
        transport.request("GET", "/nowhere")
    assert info.value.message == "Not Found"
    assert info.value.logref is None and info.value.errors == []


def test_non_json_error_body(hub: responses.RequestsMock, transport: Transport) -> None:
    hub.get(URL, status=502, body="<html><body>Bad   gateway</body></html>", content_type="text/html")
    with pytest.raises(errors.ServerError) as info:
        transport.request("GET", "/workspaces/ws/customers")
    assert info.value.message == "Bad Gateway: <html><body>Bad gateway</body></html>"
    assert info.value.body is None


def test_empty_error_body(hub: responses.RequestsMock, transport: Transport) -> None:
    hub.get(URL, status=401, body="")
    with pytest.raises(errors.Unauthorized) as info:
        transport.request("GET", "/workspaces/ws/customers")
    assert info.value.message == "Unauthorized"


def test_request_raw_raises_on_error(hub: responses.RequestsMock, transport: Transport) -> None:
    hub.get(URL, status=404, json=_envelope("node not found n"))
    with pytest.raises(errors.NotFound):
        transport.request_raw("GET", "/workspaces/ws/customers")


# ----------------------------------------------------------------- transport errors


def test_connection_error_is_wrapped(hub: responses.RequestsMock, transport: Transport) -> None:
    cause = requests.ConnectionError("Connection refused")
    hub.get(URL, body=cause)
    with pytest.raises(errors.ConnectionFailed) as info:
        transport.request("GET", "/workspaces/ws/customers")
    assert info.value.__cause__ is cause
    assert isinstance(info.value, requests.ConnectionError)  # old `except` clauses still work
    assert "GET /workspaces/ws/customers" in str(info.value)


@pytest.mark.parametrize("cause", [requests.ReadTimeout("read"), requests.ConnectTimeout("connect")])
def test_timeouts_are_wrapped(
    hub: responses.RequestsMock, transport: Transport, cause: requests.RequestException
) -> None:
    hub.get(URL, body=cause)
    with pytest.raises(errors.RequestTimeout) as info:
        transport.request("GET", "/workspaces/ws/customers")
    assert info.value.__cause__ is cause
    assert isinstance(info.value, errors.TransportError)


def test_other_request_errors_are_wrapped(hub: responses.RequestsMock, transport: Transport) -> None:
    hub.get(URL, body=requests.TooManyRedirects("loop"))
    with pytest.raises(errors.TransportError, match="TooManyRedirects"):
        transport.request("GET", "/workspaces/ws/customers")


def test_real_connection_refused_is_wrapped() -> None:
    with Transport("http://127.0.0.1:9", None, timeout=0.5) as t:
        with pytest.raises(errors.ConnectionFailed):
            t.request("GET", "/x")


# --------------------------------------------------------------------------- secrets


def test_token_never_in_errors_or_repr(hub: responses.RequestsMock, transport: Transport) -> None:
    hub.get(URL, status=401, body=f"bad token {TOKEN}")
    hub.get(URL, body=requests.ConnectionError(f"failed with header Bearer {TOKEN}"))
    with pytest.raises(errors.Unauthorized) as info:
        transport.request("GET", "/workspaces/ws/customers")
    for text in (str(info.value), repr(info.value), repr(transport)):
        assert TOKEN not in text
    # The finished request kept on the error no longer carries the token either.
    assert TOKEN not in str(info.value.response.request.headers)
    with pytest.raises(errors.ConnectionFailed) as info2:
        transport.request("GET", "/workspaces/ws/customers")
    assert TOKEN not in str(info2.value) and TOKEN not in repr(info2.value)


def test_debug_log_has_one_line_per_request_without_token(
    hub: responses.RequestsMock, transport: Transport, caplog: pytest.LogCaptureFixture
) -> None:
    hub.get(URL, json={}, match=[matchers.query_param_matcher({"token": TOKEN})])
    hub.post(URL, status=409, json=_envelope("dup"))
    with caplog.at_level(logging.DEBUG, logger="contacthub_like"):
        transport.request("GET", "/workspaces/ws/customers", params={"token": TOKEN})
        with pytest.raises(errors.Conflict):
            transport.request("POST", "/workspaces/ws/customers", json={"token": TOKEN})
    records = [r for r in caplog.records if r.name.startswith("contacthub_like")]
    assert len(records) == 2
    assert records[0].getMessage().startswith("GET /workspaces/ws/customers -> 200 in ")
    assert records[0].getMessage().endswith(" ms (attempt 1)")
    assert records[1].getMessage().startswith("POST /workspaces/ws/customers -> 409 in ")
    assert TOKEN not in caplog.text
    assert "Bearer" not in caplog.text


def test_library_logger_has_null_handler() -> None:
    assert any(isinstance(h, logging.NullHandler) for h in logging.getLogger("contacthub_like").handlers)


# ------------------------------------------------------------------------ lifecycle


def test_owned_session_pool_size_and_close() -> None:
    t = Transport(BASE, BearerToken(TOKEN), pool_maxsize=32)
    adapter = t.session.get_adapter(BASE)
    assert adapter._pool_maxsize == 32  # type: ignore[attr-defined]
    assert t.session.auth is t.auth
    t.close()
    t.close()  # idempotent
    assert t.closed
    with pytest.raises(errors.OperationNotPermitted, match="closed"):
        t.request("GET", "/x")
    assert "closed" in repr(t)


def test_foreign_session_is_not_modified_nor_closed(hub: responses.RequestsMock) -> None:
    hub.get(URL, json={}, match=[matchers.header_matcher({"Authorization": f"Bearer {TOKEN}"})])
    with requests.Session() as session:
        before = dict(session.headers)
        with Transport(BASE, BearerToken(TOKEN), session=session) as t:
            t.request("GET", "/workspaces/ws/customers")
        assert dict(session.headers) == before and session.auth is None
        assert hub.calls[0].request.headers["Accept"] == "application/json"


def test_constructor_validation() -> None:
    with pytest.raises(errors.InvalidValue, match="http"):
        Transport("ftp://x", None)
    with pytest.raises(errors.InvalidType):
        Transport(None, None)  # type: ignore[arg-type]
    with pytest.raises(errors.InvalidValue, match="pool_maxsize"):
        Transport(BASE, None, pool_maxsize=0)
    with pytest.raises(errors.InvalidType, match="auth"):
        Transport(BASE, "token")  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- hooks


def test_retry_and_throttle_hooks(hub: responses.RequestsMock) -> None:
    hub.get(URL, status=503, json=_envelope("busy"))
    hub.get(URL, json={"ok": True})
    acquired: list[int] = []

    class Throttle:
        def acquire(self) -> None:
            acquired.append(1)

    class RetryOnce:
        def run(
            self, send: Callable[[], requests.Response], *, method: str, path: str, idempotent: bool
        ) -> requests.Response:
            assert (method, path, idempotent) == ("GET", "/workspaces/ws/customers", True)
            first = send()
            return send() if first.status_code == 503 else first

    with Transport(BASE, None, retry=RetryOnce(), throttle=Throttle()) as t:
        assert t.request("GET", "/workspaces/ws/customers") == {"ok": True}
    assert len(acquired) == 2 and len(hub.calls) == 2


def test_error_after_retry_policy_gives_up(hub: responses.RequestsMock) -> None:
    hub.get(URL, status=503, json=_envelope("busy"))

    class NoRetry:
        def run(self, send: Callable[[], requests.Response], **_: str) -> requests.Response:
            return send()

    with Transport(BASE, None, retry=NoRetry()) as t, pytest.raises(errors.ServerError):
        t.request("GET", "/workspaces/ws/customers")


@pytest.mark.parametrize(
    ("base_url", "proxied"),
    [
        (BASE, True),
        ("http://10.1.2.3:8080/hub/v1", True),
        ("http://127.0.0.1:8123", False),
        ("http://localhost:8123/hub/v1", False),
        ("http://[::1]:8123", False),
    ],
)
def test_environment_proxies_apply_except_to_a_hub_on_this_machine(
    base_url: str, proxied: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.example.test:3128")
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example.test:3128")
    with Transport(base_url, BearerToken(TOKEN)) as t:
        session = t._session
        url = base_url + "/workspaces/ws/customers"
        settings = session.merge_environment_settings(url, {}, None, None, None)
        assert bool(settings["proxies"]) is proxied

"""The exception hierarchy: classes, message format, body parsing, pickling, secrets."""

from __future__ import annotations

import datetime as dt
import json
import pickle

import pytest
import requests

from contacthub_like import errors
from contacthub_like.errors import error_class_for_status, error_from_response, parse_retry_after


def _response(
    status: int, body: bytes | str = b"", headers: dict[str, str] | None = None
) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = body.encode() if isinstance(body, str) else body
    response.headers.update(headers or {})
    request = requests.Request("GET", "https://hub.test/x", headers={"Authorization": "Bearer tok"}).prepare()
    response.request = request
    return response


def test_hierarchy() -> None:
    for cls in (
        errors.APIError,
        errors.TransportError,
        errors.OperationNotPermitted,
        errors.InvalidValue,
        errors.InvalidType,
        errors.ConfigurationError,
    ):
        assert issubclass(cls, errors.ContactHubError)
    assert issubclass(errors.APIError, requests.HTTPError)
    assert errors.ValidationError is errors.BadRequest
    assert issubclass(errors.InvalidValue, ValueError)
    assert issubclass(errors.InvalidType, TypeError)
    assert issubclass(errors.TagNotFound, errors.InvalidValue)
    assert issubclass(errors.ConfigurationError, KeyError) and issubclass(
        errors.ConfigurationError, ValueError
    )
    assert issubclass(errors.ConnectionFailed, requests.ConnectionError)
    assert issubclass(errors.RequestTimeout, requests.Timeout)


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
        (504, errors.ServerError),
        (599, errors.ServerError),
        (402, errors.APIError),
        (302, errors.APIError),
    ],
)
def test_status_table(status: int, cls: type[errors.APIError]) -> None:
    assert error_class_for_status(status) is cls


def test_message_format_matches_original_sdk() -> None:
    body = {
        "message": "Conflict with exiting customer 8b32",
        "logref": "logref_n",
        "data": {"customer": {"id": "8b32", "href": "https://hub.test/c/8b32"}},
        "errors": [],
    }
    error = error_from_response(_response(409, json.dumps(body)))
    assert str(error) == (
        "Status code: 409. Message: Conflict with exiting customer 8b32. Errors: []. "
        "Data: {'customer': {'id': '8b32', 'href': 'https://hub.test/c/8b32'}}. Logref: logref_n"
    )
    assert isinstance(error, errors.Conflict)
    assert (error.existing_id, error.existing_href) == ("8b32", "https://hub.test/c/8b32")
    assert error.body == body


def test_built_by_hand_uses_class_status() -> None:
    error = errors.NotFound("customer not found")
    assert error.status_code == 404 and error.response is None
    assert str(error) == "Status code: 404. Message: customer not found. Errors: []. Data: None. Logref: None"
    assert errors.Conflict("x").existing_id is None


def test_partial_envelope_and_odd_shapes() -> None:
    error = error_from_response(_response(400, json.dumps({"message": "bad", "errors": "one"})))
    assert error.errors == ["one"] and error.logref is None and error.data is None
    error = error_from_response(_response(500, json.dumps(["a", 1])))
    assert error.message == 'Internal Server Error: ["a", 1]'
    long = "x" * 1000
    error = error_from_response(_response(503, long))
    assert error.message.endswith("...") and len(error.message) < 250
    error = error_from_response(_response(500, b"\xff\xfe garbage"))
    assert error.message.startswith("Internal Server Error:")


def test_unknown_status_without_reason() -> None:
    error = error_from_response(_response(599))
    assert error.message == "HTTP error" and error.status_code == 599


def test_repr_and_pickle_are_safe() -> None:
    response = _response(401, json.dumps({"message": "The client is not authorized", "logref": "l"}))
    error = error_from_response(response)
    assert "tok" not in repr(error) and "Authorization" not in repr(error)
    assert repr(error) == "Unauthorized(status_code=401, message='The client is not authorized', logref='l')"
    clone = pickle.loads(pickle.dumps(error))
    assert type(clone) is errors.Unauthorized
    assert str(clone) == str(error)
    assert clone.response is None


def test_secrets_redacted_from_message() -> None:
    error = error_from_response(
        _response(400, json.dumps({"message": "token abc123 invalid"})), secrets=["abc123"]
    )
    assert error.message == "token *** invalid"


def test_retry_after_seconds_and_date() -> None:
    error = error_from_response(_response(429, "", headers={"Retry-After": "12"}))
    assert isinstance(error, errors.RateLimited) and error.retry_after == 12.0
    assert errors.RateLimited("x").retry_after is None
    now = dt.datetime(2015, 10, 21, 7, 27, 0, tzinfo=dt.timezone.utc)
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=now) == 60.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now=now) == 0.0
    assert parse_retry_after("-3") == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after("nan") is None
    assert parse_retry_after(None) is None


def test_configuration_error_str_is_plain() -> None:
    error = errors.ConfigurationError("workspace_id or token parameter not found")
    assert str(error) == "workspace_id or token parameter not found"
    assert str(errors.ConfigurationError()) == ""


def test_invalid_response_repr() -> None:
    error = errors.InvalidResponse("not JSON", status_code=200)
    assert repr(error) == "InvalidResponse('not JSON', status_code=200)"


def test_keyed_decoder_reads_code_and_message_and_maps_statuses_to_the_apis_classes():
    class Duplicate(errors.Conflict):
        pass

    decode = errors.keyed_error_decoder("message", "code", classes={409: Duplicate})
    dup = decode(
        _response(409, json.dumps({"code": 409, "message": "exists (id abc) pw-1"})), secrets=["pw-1"]
    )
    assert type(dup) is Duplicate and dup.message == "exists (id abc) ***" and dup.logref == "409"
    other = decode(_response(404, json.dumps({"code": 404, "message": "Domain x does not exist"})))
    assert type(other) is errors.NotFound and other.message == "Domain x does not exist"

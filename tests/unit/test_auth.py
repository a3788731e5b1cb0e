"""Auth strategies sign requests and never show their secrets."""

from __future__ import annotations

import base64

import pytest
import requests

from contacthub_like import errors
from contacthub_like.http.auth import BasicAuth, BearerToken, redact

TOKEN = "97841617075b4b5f8ea88c30a8d2aec7%a"


def _signed(auth: requests.auth.AuthBase) -> requests.PreparedRequest:
    return requests.Request("GET", "https://hub.test/x", auth=auth).prepare()


def test_bearer_header() -> None:
    auth = BearerToken(TOKEN)
    assert _signed(auth).headers["Authorization"] == f"Bearer {TOKEN}"
    assert auth.header_value == f"Bearer {TOKEN}"
    assert auth.secrets == (TOKEN,)


def test_bearer_strips_outer_whitespace() -> None:
    assert BearerToken(f"  {TOKEN}\n") == BearerToken(TOKEN)
    assert hash(BearerToken(TOKEN)) == hash(BearerToken(TOKEN))
    assert BearerToken(TOKEN) != BearerToken("other")


def test_bearer_repr_is_redacted() -> None:
    auth = BearerToken(TOKEN)
    assert repr(auth) == "BearerToken(token='***')"
    assert TOKEN not in str(auth) and TOKEN not in repr(auth)


@pytest.mark.parametrize("bad", ["", "   ", "ab cd", "ab\ncd", "ab\x00cd"])
def test_bearer_rejects_bad_tokens_without_echoing_them(bad: str) -> None:
    with pytest.raises(errors.InvalidValue) as info:
        BearerToken(bad)
    if bad.strip():
        assert bad.strip() not in str(info.value)


def test_bearer_rejects_non_str() -> None:
    with pytest.raises(errors.InvalidType, match="token must be a str"):
        BearerToken(123)  # type: ignore[arg-type]


def test_basic_auth() -> None:
    auth = BasicAuth("user", "pässword")
    expected = "Basic " + base64.b64encode("user:pässword".encode()).decode()
    assert _signed(auth).headers["Authorization"] == expected
    assert repr(auth) == "BasicAuth(username='user', password='***')"
    assert "pässword" not in str(auth)
    assert "pässword" in auth.secrets
    assert expected.split()[1] in auth.secrets
    assert auth.username == "user"
    assert auth == BasicAuth("user", "pässword") and auth != BasicAuth("user", "x")


def test_basic_auth_validation() -> None:
    with pytest.raises(errors.InvalidValue, match="':'"):
        BasicAuth("a:b", "p")
    with pytest.raises(errors.InvalidType):
        BasicAuth("a", None)  # type: ignore[arg-type]
    with pytest.raises(errors.InvalidType):
        BasicAuth(1, "p")  # type: ignore[arg-type]


def test_redact() -> None:
    assert redact("Bearer abc and abcdef", ["abc", "abcdef", ""]) == "Bearer *** and ***"
    assert redact("nothing here", []) == "nothing here"

"""The transport hands requests a finished query string: the URL must be the one a dict gave."""

from __future__ import annotations

import datetime as dt
from typing import Any

import requests
from hypothesis import given
from hypothesis import strategies as st

from contacthub_like.http.encoding import encode_params, encode_query

_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
_scalar = st.one_of(
    _text,
    st.integers(-(10**6), 10**6),
    st.booleans(),
    st.none(),
    st.dates(min_value=dt.date(1900, 1, 1)),
)
_value = st.one_of(
    _scalar,
    st.lists(_text, max_size=3),
    st.tuples(_text, _text),
)
_params = st.dictionaries(_text, _value, max_size=6)


def _url(base: str, params: Any) -> str | None:
    return requests.Request("GET", base, params=params).prepare().url


@given(_params)
def test_the_query_string_gives_the_url_a_dict_gave(params: dict[str, Any]) -> None:
    for base in ("http://hub.test/workspaces/w/customers", "http://hub.test/customers?nodeId=n%201"):
        assert _url(base, encode_query(params)) == _url(base, encode_params(params))


def test_no_parameters_leave_the_url_alone() -> None:
    assert encode_query(None) == encode_query({}) == encode_query({"gone": None}) == ""
    assert _url("http://hub.test/customers", encode_query(None)) == "http://hub.test/customers"


def test_lists_repeat_the_parameter_in_order() -> None:
    assert encode_query({"sort": ["b,desc", "a,asc"], "q": "a b&c=d", "flag": False}) == (
        "sort=b%2Cdesc&sort=a%2Casc&q=a+b%26c%3Dd&flag=false"
    )

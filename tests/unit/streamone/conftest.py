"""Fixtures of the StreamOne wire tests: a strict fake Ion and a client pointed at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import responses
from streamone_fakes import ACCOUNT, API_KEY, API_SECRET, HOST, REFRESH, FakeIon

from contacthub_like.streamone import StreamOne


@pytest.fixture
def ion_mock() -> Iterator[FakeIon]:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield FakeIon(mock)


@pytest.fixture
def ion() -> Iterator[StreamOne]:
    client = StreamOne(
        host=HOST,
        api_key=API_KEY,
        api_secret=API_SECRET,
        account_id=ACCOUNT,
        refresh_token=REFRESH,
        retry=None,
    )
    yield client
    client.close()

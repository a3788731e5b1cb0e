"""Fixtures of the StreamOne wire tests: a strict fake Ion (sync, or both ways with ``mode``) and a client."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
import responses
import respx
from streamone_fakes import ACCOUNT, API_KEY, API_SECRET, HOST, REFRESH, AsyncFakeIon, FakeIon

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


class Mode:
    """How a parametrised test calls the client: ``run(obj, "get", ...)`` is ``obj.get(...)`` or
    ``await obj.get_async(...)``; ``items(obj, "reports")`` lists ``obj.reports()`` or
    ``async for``-s over ``obj.reports_async()``.  ``ion_mock.expect`` declares the request for
    either mock, so one test pins the wire of both forms."""

    def __init__(self, name: str, ion_mock: FakeIon | AsyncFakeIon) -> None:
        self.name = name
        self.ion_mock = ion_mock

    def run(self, target: Any, verb: str, *args: Any, **kwargs: Any) -> Any:
        if self.name == "sync":
            return getattr(target, verb)(*args, **kwargs)
        return asyncio.run(getattr(target, verb + "_async")(*args, **kwargs))

    def items(self, target: Any, verb: str, *args: Any, **kwargs: Any) -> list[Any]:
        if self.name == "sync":
            return list(getattr(target, verb)(*args, **kwargs))

        async def collect() -> list[Any]:
            return [item async for item in getattr(target, verb + "_async")(*args, **kwargs)]

        return asyncio.run(collect())

    @property
    def served(self) -> int:
        mock = self.ion_mock
        return mock.served if isinstance(mock, AsyncFakeIon) else len(mock.mock.calls)

    def __repr__(self) -> str:
        return self.name


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> Iterator[Mode]:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        if request.param == "sync":
            yield Mode("sync", FakeIon(mock))
            return
        with respx.mock(assert_all_called=True, assert_all_mocked=True) as router:
            fake = AsyncFakeIon(router, mock)
            yield Mode("async", fake)
            fake.verify()

"""Signed-URL transfers awaited (httpx): the same checks, headers, atomic writes and redaction as sync."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
import respx

from contacthub_like.errors import APIError, ConnectionFailed, InvalidValue, RequestTimeout, TransportError
from contacthub_like.http.signed import SignedTransfers

SECRET = "S3CR3T-sig"
UPLOAD = f"https://storage.test/slot/1?X-Sig={SECRET}&expires=99"
FILE = f"https://files.test/f.csv?sig={SECRET}"


@pytest.fixture
def storage() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=True, assert_all_mocked=True) as router:
        yield router


def _route(storage: respx.MockRouter, method: str, url: str, response: httpx.Response) -> list[httpx.Request]:
    """A route on the exact URL (query included); the requests it saw, read, for the assertions."""
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        assert request.url.query.decode() == url.partition("?")[2]
        seen.append(request)
        return response

    storage.route(method=method, url=url.partition("?")[0]).mock(side_effect=answer)
    return seen


def _chunks() -> Iterator[bytes]:
    yield b"a,b\n"
    yield b"1,2\n"


async def _achunks() -> AsyncIterator[bytes]:
    for chunk in _chunks():
        yield chunk


@pytest.mark.parametrize("kind", ["path", "bytes", "file", "chunks", "async chunks"])
def test_upload_async_sends_the_body_without_credentials(storage, tmp_path, kind: str) -> None:
    source = tmp_path / "events.csv"
    source.write_bytes(b"a,b\n1,2\n")
    seen = _route(storage, "PUT", UPLOAD, httpx.Response(201))

    async def main() -> int:
        body = {
            "path": source,
            "bytes": b"a,b\n1,2\n",
            "file": None,
            "chunks": _chunks(),
            "async chunks": _achunks(),
        }[kind]
        with SignedTransfers() as transfers:
            if kind == "file":
                with open(source, "rb") as opened:
                    return (await transfers.upload_async(UPLOAD, opened, content_type="text/csv")).status_code
            return (await transfers.upload_async(UPLOAD, body, content_type="text/csv")).status_code

    assert asyncio.run(main()) == 201
    (sent,) = seen
    assert sent.method == "PUT" and sent.content == b"a,b\n1,2\n"
    assert "authorization" not in sent.headers and sent.headers["content-type"] == "text/csv"
    if kind in ("path", "bytes"):
        assert sent.headers["content-length"] == "8"


def test_download_async_replaces_the_file_only_when_complete(storage, tmp_path) -> None:
    target = tmp_path / "f.csv"
    target.write_bytes(b"old")
    seen = _route(storage, "GET", FILE, httpx.Response(200, content=b"new,data\n" * 1000))
    with SignedTransfers(allowed_hosts={"files.test"}) as transfers:
        assert asyncio.run(transfers.download_async(FILE, target)) == target
    assert target.read_bytes() == b"new,data\n" * 1000 and not list(tmp_path.glob(".*.part"))
    assert seen[0].method == "GET" and "authorization" not in seen[0].headers and not seen[0].content


def test_a_refused_download_async_keeps_the_old_file_and_hides_the_signature(storage, tmp_path) -> None:
    target = tmp_path / "f.csv"
    target.write_bytes(b"old")
    _route(storage, "GET", FILE, httpx.Response(403, text=f"signature {SECRET} expired"))
    with SignedTransfers() as transfers, pytest.raises(APIError) as caught:
        asyncio.run(transfers.download_async(FILE, target))
    assert caught.value.status_code == 403 and SECRET not in str(caught.value)
    assert target.read_bytes() == b"old" and not list(tmp_path.glob(".*.part"))


class _Dropped(httpx.AsyncByteStream):
    """A body that breaks after its first chunk, as a dropped connection does."""

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield b"half"
        raise httpx.ReadError("connection reset")


def test_an_interrupted_download_async_leaves_the_old_file(storage, tmp_path) -> None:
    target = tmp_path / "f.csv"
    target.write_bytes(b"old")
    _route(storage, "GET", FILE, httpx.Response(200, stream=_Dropped()))
    with SignedTransfers() as transfers, pytest.raises(TransportError, match="interrupted") as caught:
        asyncio.run(transfers.download_async(FILE, target))
    assert SECRET not in str(caught.value)
    assert target.read_bytes() == b"old" and not list(tmp_path.glob(".*.part"))


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (httpx.ReadTimeout(f"read {FILE}"), RequestTimeout),
        (httpx.ConnectError(f"no route {FILE}"), ConnectionFailed),
    ],
)
def test_network_failures_are_typed_and_redacted(storage, tmp_path, error: Exception, expected: type) -> None:
    storage.route(method="GET", url=FILE.partition("?")[0]).mock(side_effect=error)
    with SignedTransfers() as transfers, pytest.raises(expected) as caught:
        asyncio.run(transfers.download_async(FILE, tmp_path / "f.csv"))
    assert SECRET not in str(caught.value) and "files.test/f.csv" in str(caught.value)
    assert not list(tmp_path.iterdir())


def test_every_async_transfer_has_the_configured_timeout(storage, tmp_path) -> None:
    seen = _route(storage, "GET", FILE, httpx.Response(200, content=b"x"))
    with SignedTransfers(timeout=(3.0, 42.0)) as transfers:
        asyncio.run(transfers.download_async(FILE, tmp_path / "f.csv"))
    timeout = seen[0].extensions["timeout"]
    assert timeout["connect"] == 3.0 and timeout["read"] == 42.0 and timeout["write"] == 42.0


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://storage.test/x", "HTTPS"),
        ("ftp://storage.test/x", "absolute http"),
        ("https://evil.test/x", "not an allowed transfer host"),
    ],
)
def test_signed_urls_are_checked_before_any_async_request(url: str, why: str, tmp_path) -> None:
    with respx.mock(assert_all_mocked=True), SignedTransfers(allowed_hosts={"storage.test"}) as transfers:
        with pytest.raises(InvalidValue, match=why):
            asyncio.run(transfers.upload_async(url, b"x"))
        with pytest.raises(InvalidValue, match=why):
            asyncio.run(transfers.download_async(url, tmp_path / "x"))


def test_the_sync_upload_refuses_async_chunks_with_a_hint() -> None:
    with SignedTransfers() as transfers, pytest.raises(InvalidValue, match="upload_async"):
        transfers.upload(UPLOAD, _achunks())

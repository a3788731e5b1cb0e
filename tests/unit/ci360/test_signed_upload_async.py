"""CI360's awaited signed uploads go over httpx on the event loop, like StreamOne's, never through requests."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import respx

from contacthub_like.ci360 import CI360

SIGNED = "https://storage.example.test/bucket/events.csv?X-Amz-Signature=s3cr3t"


def test_upload_signed_async_puts_the_file_with_httpx_and_no_credentials(tmp_path: Path) -> None:
    events = tmp_path / "events.csv"
    events.write_bytes(b"eventName,subject_id\nvisit,c-1\n")
    client = CI360("https://gateway.example.test", "tenant", "tenant-secret", "api-user", "pw")
    with respx.mock(assert_all_called=True, assert_all_mocked=True) as storage:
        route = storage.put(SIGNED).mock(return_value=httpx.Response(200))
        asyncio.run(client.upload_signed_async(SIGNED, events))
    client.close()
    (sent,) = [call.request for call in route.calls]
    assert sent.method == "PUT"
    assert str(sent.url) == SIGNED
    assert sent.content == b"eventName,subject_id\nvisit,c-1\n"
    assert sent.headers["Content-Type"] == "text/csv"
    assert "authorization" not in sent.headers  # the signature is the credential

"""Rotating refresh tokens: renewed by their own lifetime, once for all threads and processes,
saved before use."""

from __future__ import annotations

import json
import multiprocessing
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
import requests
import responses

from contacthub_like.errors import RefreshTokenRejected, Unauthorized
from contacthub_like.http.rotating import (
    JsonFileTokenStore,
    MemoryTokenStore,
    RotatingRefreshGrant,
    StoredTokens,
)
from contacthub_like.streamone import Customer, StreamOne

TOKEN_URL = "https://ion.test/oauth/token"
API = "https://ion.test/api/v3/accounts/123/customers/1"


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def _config(tmp_path: Path, **v3: Any) -> Path:
    path = tmp_path / "streamone.json"
    tokens = {"access_token": "at-0", "refresh_token": "rt-0", **v3}
    path.write_text(json.dumps({"v1": {"api_key": "k", "api_secret": "s"}, "v3": tokens, "accountid": "123"}))
    return path


def _grant_reply(request: Any, issued: list[str], delay: float = 0.0) -> tuple[int, dict[str, str], str]:
    form = parse_qs(request.body)
    time.sleep(delay)
    issued.append(form["refresh_token"][0])
    n = len(issued)
    body = {"access_token": f"at-{n}", "expires_in": 7200, "refresh_token": f"rt-{n}", "token_type": "Bearer"}
    return 200, {}, json.dumps(body)


def test_the_access_token_is_renewed_only_when_its_own_lifetime_ends() -> None:
    clock, issued = Clock(), []
    store = MemoryTokenStore(StoredTokens("rt-0"))
    auth = RotatingRefreshGrant(TOKEN_URL, store, clock=clock, refresh_margin=60)
    with responses.RequestsMock() as mock:
        mock.add_callback("POST", TOKEN_URL, callback=lambda r: _grant_reply(r, issued))
        assert auth.access_token() == "at-1"
        clock.now += 7200 - 61
        assert auth.access_token() == "at-1"  # still valid: no round trip before every call
        clock.now += 2  # inside the margin
        assert auth.access_token() == "at-2"
    assert issued == ["rt-0", "rt-1"]  # each refresh spent the token the previous one gave
    assert store.tokens.refresh_token == "rt-2"


def test_the_new_refresh_token_is_on_disk_before_the_new_access_token_is_used(tmp_path: Path) -> None:
    path = _config(tmp_path, access_token=None)
    issued: list[str] = []
    seen_on_disk: list[dict[str, Any]] = []

    def api(request: Any) -> tuple[int, dict[str, str], str]:
        seen_on_disk.append(json.loads(path.read_text())["v3"])
        return 200, {}, json.dumps({"name": "accounts/123/customers/1"})

    ion = StreamOne.from_json_file(path, host="https://ion.test", retry=None)
    with responses.RequestsMock() as mock:
        mock.add_callback("POST", TOKEN_URL, callback=lambda r: _grant_reply(r, issued))
        mock.add_callback("GET", API, callback=api)
        assert ion.get(Customer, "1").id == "1"
    assert seen_on_disk[0]["refresh_token"] == "rt-1" and seen_on_disk[0]["access_token"] == "at-1"
    document = json.loads(path.read_text())
    assert document["v1"] == {"api_key": "k", "api_secret": "s"} and document["accountid"] == "123"
    assert path.stat().st_mode & 0o777 == 0o600  # secrets stay private to their owner
    ion.close()


def test_many_threads_waiting_on_an_expired_token_cause_one_refresh() -> None:
    issued: list[str] = []
    auth = RotatingRefreshGrant(TOKEN_URL, MemoryTokenStore(StoredTokens("rt-0")))
    with responses.RequestsMock() as mock:
        mock.add_callback("POST", TOKEN_URL, callback=lambda r: _grant_reply(r, issued, delay=0.2))
        results: list[str] = []
        threads = [threading.Thread(target=lambda: results.append(auth.access_token())) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert issued == ["rt-0"] and results == ["at-1"] * 8


def test_a_token_given_in_the_file_is_used_until_a_401_then_renewed_once(tmp_path: Path) -> None:
    path = _config(tmp_path)
    issued: list[str] = []
    ion = StreamOne.from_json_file(path, host="https://ion.test", retry=None)
    with responses.RequestsMock() as mock:
        mock.add_callback("POST", TOKEN_URL, callback=lambda r: _grant_reply(r, issued))
        mock.add(
            "GET",
            API,
            status=401,
            json={"code": 16, "message": "expired"},
            match=[responses.matchers.header_matcher({"Authorization": "Bearer at-0"})],
        )
        mock.add(
            "GET",
            API,
            json={"name": "accounts/123/customers/1"},
            match=[responses.matchers.header_matcher({"Authorization": "Bearer at-1"})],
        )
        assert ion.get(Customer, "1").id == "1"
    assert issued == ["rt-0"]
    ion.close()


def test_a_refresh_token_already_rotated_away_says_to_make_new_credentials(tmp_path: Path) -> None:
    path = _config(tmp_path, access_token=None, refresh_token="rt-spent-secret")
    ion = StreamOne.from_json_file(path, host="https://ion.test", retry=None)
    with responses.RequestsMock() as mock:
        mock.add(
            "POST",
            TOKEN_URL,
            status=400,
            json={
                "error": "invalid_grant",
                "error_description": "the refresh token rt-spent-secret is not valid",
            },
        )
        with pytest.raises(RefreshTokenRejected) as rejected:
            ion.get(Customer, "1")
    message = str(rejected.value)
    assert "portal" in message and "already used" in message and "rt-spent-secret" not in message
    assert rejected.value.status_code == 400
    ion.close()


def test_other_token_endpoint_failures_stay_api_errors_without_secrets() -> None:
    auth = RotatingRefreshGrant(TOKEN_URL, MemoryTokenStore(StoredTokens("rt-secret-0")))
    with responses.RequestsMock() as mock:
        mock.add(
            "POST", TOKEN_URL, status=401, json={"error": "invalid_client", "message": "bad rt-secret-0"}
        )
        with pytest.raises(Unauthorized) as failed:
            auth.access_token()
    assert "rt-secret-0" not in str(failed.value) and "rt-secret-0" not in repr(auth)


def test_a_token_another_process_saved_is_adopted_without_a_refresh(tmp_path: Path) -> None:
    clock = Clock()
    path = _config(tmp_path, access_token="at-9", access_renew_at=clock.now + 100)
    auth = RotatingRefreshGrant(TOKEN_URL, JsonFileTokenStore(path, ("v3",)), clock=clock)
    with responses.RequestsMock():  # no request may be made
        assert auth.access_token() == "at-9"
        clock.now += 200
        JsonFileTokenStore(path, ("v3",)).save(StoredTokens("rt-10", "at-10", clock.now + 100))
        assert auth.access_token() == "at-10"


# ------------------------------------------------------------------------------ two processes
class _TokenServer(BaseHTTPRequestHandler):
    """A token endpoint with single-use refresh tokens: a reused one is ``invalid_grant``."""

    valid = {"rt-0"}
    grants: list[str] = []

    def do_POST(self) -> None:  # noqa: N802 - the http.server API
        form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        token = form["refresh_token"][0]
        time.sleep(0.3)  # long enough for the other process to arrive meanwhile
        if token not in self.valid:
            self._send(400, {"error": "invalid_grant"})
            return
        self.valid.discard(token)
        self.grants.append(token)
        n = len(self.grants)
        self.valid.add(f"rt-{n}")
        self._send(200, {"access_token": f"at-{n}", "expires_in": 7200, "refresh_token": f"rt-{n}"})

    def _send(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


def _child(url: str, path: str, barrier: Any, out: Any) -> None:
    auth = RotatingRefreshGrant(url, JsonFileTokenStore(path, ("v3",)), session=requests.Session())
    barrier.wait()
    try:
        out.put(auth.access_token())
    except Exception as exc:  # reported to the parent, which fails the test
        out.put(f"{type(exc).__name__}: {exc}")


def test_two_processes_refresh_once_and_share_the_new_tokens(tmp_path: Path) -> None:
    path = _config(tmp_path, access_token=None)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _TokenServer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/oauth/token"
    context = multiprocessing.get_context("fork")
    barrier, out = context.Barrier(2), context.Queue()
    children = [context.Process(target=_child, args=(url, str(path), barrier, out)) for _ in range(2)]
    try:
        for child in children:
            child.start()
        results = sorted(out.get(timeout=30) for _ in children)
        for child in children:
            child.join(timeout=30)
    finally:
        server.shutdown()
        server.server_close()
    assert results == ["at-1", "at-1"]
    assert _TokenServer.grants == ["rt-0"]
    assert json.loads(path.read_text())["v3"]["refresh_token"] == "rt-1"

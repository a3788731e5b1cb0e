"""OAuth2 bearer tokens renewed with single-use, rotating refresh tokens, safe across threads and processes.

Some APIs (StreamOne Ion's v3) answer every refresh grant with a new refresh token and
invalidate the one just spent.  A client that loses the new token, or two clients that
spend the same one, are locked out until someone makes new credentials by hand.  So:

* the tokens live in a :class:`TokenStore` (a JSON file, typically the API's own
  configuration file), written atomically: temporary file, fsync, rename, fsync of the folder;
* one refresh at a time for every thread (a lock) *and* every process (a lock file next to
  the store, :mod:`filelock`); a waiter re-reads the store and adopts the token another
  holder just obtained instead of spending the refresh token again;
* the new refresh token is saved before the new access token is used;
* the access token is renewed when its own ``expires_in`` says so (a little before), or after
  a 401, never by asking the server before every call.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import attrs
import filelock
import requests
from requests.auth import AuthBase

from .._log import REDACTED, get_logger
from ..errors import (
    ConfigurationError,
    InvalidResponse,
    InvalidValue,
    RefreshTokenRejected,
    TransportError,
    error_from_response,
)
from .files import atomic_write
from .oauth import token_request_failed
from .timeouts import DEFAULT_TIMEOUT

__all__ = ["StoredTokens", "TokenStore", "JsonFileTokenStore", "MemoryTokenStore", "RotatingRefreshGrant"]

log: logging.Logger = get_logger("auth")


@attrs.frozen(repr=False)
class StoredTokens:
    """What a token store holds: the refresh token, and the access token with its expiry if known."""

    refresh_token: str
    access_token: str | None = None
    #: wall-clock time (seconds since the epoch) to renew the access token at: its expiry less a
    #: margin, shared by every process; None: unknown (used until the API answers 401)
    access_renew_at: float | None = None

    def __repr__(self) -> str:
        return f"StoredTokens(refresh_token='{REDACTED}', access_renew_at={self.access_renew_at!r})"


class TokenStore(Protocol):
    """Where rotating tokens are kept between calls, runs and processes."""

    def load(self) -> StoredTokens: ...

    def save(self, tokens: StoredTokens) -> None: ...

    def lock(self) -> contextlib.AbstractContextManager[Any]:
        """An exclusive lock across every process sharing the store, held around a refresh."""
        ...


class MemoryTokenStore:
    """Tokens kept in memory only (tests; tokens passed by hand): one process, the new refresh token is
    available from :attr:`tokens` and ``on_save``."""

    def __init__(self, tokens: StoredTokens, on_save: Callable[[StoredTokens], None] | None = None) -> None:
        self.tokens: StoredTokens = tokens
        self._on_save = on_save
        self._lock = threading.RLock()

    def load(self) -> StoredTokens:
        return self.tokens

    def save(self, tokens: StoredTokens) -> None:
        self.tokens = tokens
        if self._on_save is not None:
            self._on_save(tokens)

    def lock(self) -> contextlib.AbstractContextManager[Any]:
        return self._lock

    def __repr__(self) -> str:
        return "MemoryTokenStore()"


class JsonFileTokenStore:
    """Tokens in a JSON file, under ``section`` (``("v3",)`` reads ``{"v3": {"access_token": ...,
    "refresh_token": ...}}``, the StreamOne SDK's configuration file); other keys are kept.

    When to renew the access token is kept beside them as ``access_renew_at`` (epoch seconds).  The
    lock is ``<file>.lock``; ``lock_timeout`` bounds the wait for another process's refresh.
    """

    def __init__(
        self, path: str | os.PathLike[str], section: Sequence[str] = (), *, lock_timeout: float = 120.0
    ) -> None:
        self.path: Path = Path(path)
        self.section: tuple[str, ...] = tuple(section)
        self._lock = filelock.FileLock(str(self.path) + ".lock", timeout=lock_timeout)

    def _read(self) -> dict[str, Any]:
        try:
            with open(self.path, encoding="utf-8") as fh:
                document = json.load(fh)
        except FileNotFoundError:
            raise ConfigurationError(f"the token file {self.path} does not exist") from None
        except ValueError as exc:
            raise ConfigurationError(f"the token file {self.path} is not valid JSON: {exc.args[0]}") from None
        if not isinstance(document, dict):
            raise ConfigurationError(f"the token file {self.path} must hold a JSON object")
        return document

    def _section(self, document: dict[str, Any], create: bool = False) -> dict[str, Any]:
        node = document
        for key in self.section:
            child = node.get(key)
            if not isinstance(child, dict):
                if not create:
                    where = ".".join(self.section)
                    raise ConfigurationError(
                        f"the token file {self.path} has no {where!r} object "
                        "with access_token and refresh_token"
                    )
                child = node[key] = {}
            node = child
        return node

    def load(self) -> StoredTokens:
        section = self._section(self._read())
        refresh = section.get("refresh_token")
        if not isinstance(refresh, str) or not refresh.strip():
            raise ConfigurationError(
                f"the token file {self.path} has no refresh_token under "
                f"{'.'.join(self.section) or 'its top level'}"
            )
        access = section.get("access_token")
        expires = section.get("access_renew_at")
        renew_at = (
            float(expires) if isinstance(expires, (int, float)) and not isinstance(expires, bool) else None
        )
        return StoredTokens(
            refresh_token=refresh.strip(),
            access_token=access.strip() if isinstance(access, str) and access.strip() else None,
            access_renew_at=renew_at,
        )

    def save(self, tokens: StoredTokens) -> None:
        document = self._read()
        section = self._section(document, create=True)
        section["access_token"] = tokens.access_token
        section["refresh_token"] = tokens.refresh_token
        section["access_renew_at"] = tokens.access_renew_at
        atomic_write(self.path, [json.dumps(document, indent=2).encode("utf-8")])

    def lock(self) -> contextlib.AbstractContextManager[Any]:
        return self._lock

    def __repr__(self) -> str:
        return f"JsonFileTokenStore({str(self.path)!r}, section={self.section!r})"


class RotatingRefreshGrant(AuthBase):
    """``Authorization: Bearer <access token>``, renewed with the refresh grant and rotating refresh tokens.

    :param token_url: the token endpoint (``https://ion.tdsynnex.com/oauth/token``).
    :param store: where the tokens live (:class:`JsonFileTokenStore` to share them between processes).
    :param refresh_margin: renew this many seconds before the access token expires (at most half
        its lifetime), so a request in flight does not carry a token that dies on the way.
    :param reissue_hint: how to get new credentials, said when the refresh token is refused.
    :param timeout: of token requests, seconds or ``(connect, read)``.
    :param clock: wall-clock seconds (the expiry is shared by processes through the store).

    ``refreshes`` counts the refresh grants this object made.
    """

    def __init__(
        self,
        token_url: str,
        store: TokenStore,
        *,
        refresh_margin: float = 60.0,
        reissue_hint: str = "create new credentials where the first refresh token came from",
        timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
        session: requests.Session | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not isinstance(token_url, str) or not token_url.startswith(("http://", "https://")):
            raise InvalidValue(f"token_url must be an http(s) URL, got {token_url!r}")
        if isinstance(refresh_margin, bool) or not isinstance(refresh_margin, (int, float)):
            raise InvalidValue(f"refresh_margin must be a number of seconds, got {refresh_margin!r}")
        if not math.isfinite(refresh_margin) or refresh_margin < 0:
            raise InvalidValue(f"refresh_margin must be a finite number >= 0, got {refresh_margin!r}")
        self._token_url = token_url
        self._store = store
        self._margin = float(refresh_margin)
        self._hint = reissue_hint
        self._timeout = timeout
        self._session = session or requests.Session()
        self._owns_session = session is None
        self._clock = clock
        self._lock = threading.Lock()
        self._current: StoredTokens | None = None
        self._seen: deque[str] = deque(maxlen=32)
        self.refreshes: int = 0

    # -- requests' AuthBase ---------------------------------------------------------------------
    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self.access_token()}"
        return request

    def _usable(self, tokens: StoredTokens | None) -> bool:
        if tokens is None or tokens.access_token is None:
            return False
        # an access token of unknown age (handed over in a configuration file) is used until a 401
        return tokens.access_renew_at is None or self._clock() < tokens.access_renew_at

    def access_token(self) -> str:
        """The current access token, renewed first when it has expired by its own lifetime."""
        current = self._current
        if self._usable(current):
            assert current is not None and current.access_token is not None
            return current.access_token
        with self._lock:
            current = self._current
            if current is None or not self._usable(current):
                current = self._renew(spent=None)
            assert current.access_token is not None
            return current.access_token

    def reauthenticate(self, request: requests.PreparedRequest) -> bool:
        """After a 401: renew, unless another thread or process replaced the token ``request`` used."""
        header = str(request.headers.get("Authorization") or "")
        used = header[len("Bearer ") :] if header.startswith("Bearer ") else None
        with self._lock:
            current = self._current
            if current is None or current.access_token == used:
                self._renew(spent=used)
        return True

    # -- the refresh (thread lock held) --------------------------------------------------------------
    def _renew(self, *, spent: str | None) -> StoredTokens:
        with self._store.lock():
            stored = self._store.load()
            self._remember(stored)
            if stored.access_token != spent and self._usable(stored):
                self._current = stored  # another process renewed it, or it was never used here
                return stored
            fresh = self._grant(stored.refresh_token)
            self._store.save(fresh)  # saved before use: the old refresh token is dead already
            self._current = fresh
            return fresh

    def _grant(self, refresh_token: str) -> StoredTokens:
        started = self._clock()
        try:
            response = self._session.post(
                self._token_url,
                data={"grant_type": "refresh_token", "refresh_token": refresh_token},
                timeout=self._timeout,
                headers={"Accept": "application/json"},
            )
        except requests.RequestException as exc:
            raise self._wrap(exc) from exc
        self.refreshes += 1
        if response.status_code != 200:
            raise self._refused(response)
        body = _json(response)
        access = body.get("access_token")
        expires_in = body.get("expires_in")
        rotated = body.get("refresh_token")
        lifetime = (
            float(expires_in)
            if isinstance(expires_in, (int, float)) and not isinstance(expires_in, bool)
            else 0.0
        )
        if not isinstance(access, str) or not access or lifetime <= 0:
            raise InvalidResponse(
                f"the token endpoint {self._token_url} answered 200 without a usable access_token/expires_in",
                status_code=200,
                response=response,
            )
        # a server that kept the refresh token says nothing new: the old one stays valid
        new_refresh = rotated if isinstance(rotated, str) and rotated else refresh_token
        margin = min(self._margin, lifetime / 2)
        tokens = StoredTokens(new_refresh, access, started + lifetime - margin)
        self._remember(tokens)
        log.debug("renewed the access token (valid %.0f s); the refresh token rotated", lifetime)
        return tokens

    def _refused(self, response: requests.Response) -> Exception:
        body = _json(response)
        if response.status_code in (400, 401) and body.get("error") in (
            "invalid_grant",
            "invalid_token",
            None,
        ):
            return RefreshTokenRejected(
                f"the token endpoint {self._token_url} refused the stored refresh token "
                f"({response.status_code} {body.get('error') or 'refused'}): it was already used, so it "
                f"rotated away, or it expired. Refresh tokens work once; {self._hint}, then put the new "
                "refresh token in the configuration file",
                status_code=response.status_code,
            )
        return error_from_response(response, secrets=self.secrets)

    def _remember(self, tokens: StoredTokens) -> None:
        for value in (tokens.access_token, tokens.refresh_token):
            if value and value not in self._seen:
                self._seen.append(value)

    def _wrap(self, exc: requests.RequestException) -> TransportError:
        return token_request_failed(exc, self._token_url, self.secrets)

    # -- the rest --------------------------------------------------------------------------------
    @property
    def secrets(self) -> tuple[str, ...]:
        """Every token this object has held or read."""
        return tuple(self._seen)

    def close(self) -> None:
        if self._owns_session:
            self._session.close()

    def __repr__(self) -> str:
        return f"RotatingRefreshGrant(token_url={self._token_url!r}, store={self._store!r})"

    __str__ = __repr__


def _json(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}

"""Authentication: HTTP Basic for v1, OAuth2 bearer tokens with single-use refresh tokens for v3.

* ``POST /oauth/token`` (form body): ``grant_type=refresh_token&refresh_token=...`` answers a new
  access token *and a new refresh token*; the one sent is spent.  Sending it again answers 400
  ``invalid_grant`` (the way Ion locks out a client that did not save the rotated token).  Extra
  fields such as ``redirect_uri`` (one copy of the seed SDK sends it) are ignored.
* ``POST /oauth/validateAccess`` (form ``access_token``): 200 with the seconds left on the access
  token and its refresh token, or exactly 401 for an unknown or expired token.
* Access tokens live ``settings.access_token_ttl`` seconds (``hub serve --access-token-ttl``), read
  when each token is issued; refresh tokens 32 days.

Only SHA-256 hashes of secrets and tokens are stored, and no message ever repeats a secret.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import sqlite3
import time
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..context import json_response
from ..emulators import EmulatorContext
from ..store import Store
from ..timefmt import now_hub
from .body import read_body
from .errors import IonError, unauthenticated

REFRESH_TOKEN_TTL = 32 * 24 * 3600.0


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def issue_api_key(store: Store, account_id: str) -> tuple[str, str]:
    """A new v1 key pair for ``account_id`` (what the portal's Account Information page generates)."""
    api_key, api_secret = secrets.token_hex(16), secrets.token_urlsafe(32)
    store.execute(
        "INSERT INTO streamone_api_keys(api_key, secret_hash, account_id, created_at) VALUES (?, ?, ?, ?)",
        (api_key, digest(api_secret), account_id, now_hub()),
    )
    return api_key, api_secret


def issue_tokens(conn: sqlite3.Connection, account_id: str, access_ttl: float) -> dict[str, Any]:
    """Insert a new access/refresh pair and answer it in the token endpoint's shape."""
    now = time.time()
    conn.execute("DELETE FROM streamone_tokens WHERE expires_at < ?", (now - REFRESH_TOKEN_TTL,))
    access, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(48)
    conn.execute(
        "INSERT INTO streamone_tokens(hash, kind, account_id, expires_at, partner)"
        " VALUES (?, 'refresh', ?, ?, NULL)",
        (digest(refresh), account_id, now + REFRESH_TOKEN_TTL),
    )
    conn.execute(
        "INSERT INTO streamone_tokens(hash, kind, account_id, expires_at, partner)"
        " VALUES (?, 'access', ?, ?, ?)",
        (digest(access), account_id, now + access_ttl, digest(refresh)),
    )
    expires_in = int(access_ttl) if float(access_ttl).is_integer() else access_ttl
    return {
        "access_token": access,
        "expires_in": expires_in,
        "refresh_token": refresh,
        "token_type": "Bearer",
    }


def basic_account(store: Store, request: Request) -> str:
    """The account of a v1 request's ``Authorization: Basic key:secret``, or 401."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic" or not value.strip():
        raise unauthenticated(
            "v1 needs HTTP Basic authentication: the API key as user, the API secret as password", "Basic"
        )
    try:
        api_key, sep, api_secret = (
            base64.b64decode(value.strip(), validate=True).decode("utf-8").partition(":")
        )
    except (binascii.Error, UnicodeDecodeError):
        raise unauthenticated("the Basic credentials are not base64 of 'key:secret'", "Basic") from None
    row = store.one("SELECT secret_hash, account_id FROM streamone_api_keys WHERE api_key = ?", (api_key,))
    if not sep or row is None or not hmac.compare_digest(row[0], digest(api_secret)):
        raise unauthenticated("unknown API key or wrong API secret", "Basic")
    return str(row[1])


def bearer_account(store: Store, request: Request, path_account: str) -> str:
    """The account of a v3 request's bearer token (401 unless valid; 403 for another account's path)."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise unauthenticated("v3 needs 'Authorization: Bearer <access token>' (get one from /oauth/token)")
    row = store.one(
        "SELECT account_id, expires_at FROM streamone_tokens WHERE hash = ? AND kind = 'access'",
        (digest(token.strip()),),
    )
    if row is None:
        raise unauthenticated("the access token is not valid")
    if row[1] <= time.time():
        raise unauthenticated("the access token has expired; refresh it at /oauth/token")
    if row[0] != path_account:
        raise IonError(403, f"the access token does not grant access to account {path_account}")
    return str(row[0])


def _oauth_error(error: str, description: str, status: int = 400) -> IonError:
    return IonError(status, description, extra={"error": error, "error_description": description})


def routes(context: EmulatorContext) -> list[Route]:
    store = context.store

    async def token(request: Request) -> Response:
        form = await read_body(request)
        grant = str(form.get("grant_type", ""))
        if grant != "refresh_token":
            if not grant:
                raise _oauth_error("invalid_request", "grant_type is missing; send grant_type=refresh_token")
            raise _oauth_error(
                "unsupported_grant_type", f"grant_type {grant!r} is not supported; use refresh_token"
            )
        given = str(form.get("refresh_token", ""))
        if not given:
            raise _oauth_error("invalid_request", "refresh_token is missing")
        now = time.time()
        with store.transaction() as conn:
            row = conn.execute(
                "SELECT account_id, expires_at, used_at FROM streamone_tokens"
                " WHERE hash = ? AND kind = 'refresh'",
                (digest(given),),
            ).fetchone()
            if row is None:
                raise _oauth_error("invalid_grant", "the refresh token is not valid")
            if row[2] is not None:
                raise _oauth_error(
                    "invalid_grant",
                    "the refresh token was already used: each one works once, save the refresh_token of "
                    "every token response (request new OAuth credentials in the portal)",
                )
            if row[1] <= now:
                raise _oauth_error(
                    "invalid_grant", "the refresh token has expired; request new OAuth credentials"
                )
            conn.execute("UPDATE streamone_tokens SET used_at = ? WHERE hash = ?", (now, digest(given)))
            body = issue_tokens(conn, row[0], float(context.settings.access_token_ttl))
        response = json_response(body)
        response.headers["Cache-Control"] = "no-store"
        return response

    async def validate_access(request: Request) -> Response:
        form = await read_body(request)
        given = str(form.get("access_token", ""))
        if not given:
            raise unauthenticated("access_token is missing")
        now = time.time()
        row = store.one(
            "SELECT a.expires_at, r.expires_at, r.used_at FROM streamone_tokens a"
            " LEFT JOIN streamone_tokens r ON r.hash = a.partner"
            " WHERE a.hash = ? AND a.kind = 'access'",
            (digest(given),),
        )
        if row is None or row[0] <= now:
            raise unauthenticated("the access token is not valid or has expired")
        refresh_left = 0 if row[1] is None or row[2] is not None else max(0, int(row[1] - now))
        return json_response({"access_expires_in": int(row[0] - now), "refresh_expires_in": refresh_left})

    return [
        Route("/oauth/token", token, methods=["POST"]),
        Route("/oauth/validateAccess", validate_access, methods=["POST"]),
    ]

"""``POST /oauth/token``: OAuth2 password and refresh-token grants with expiring access tokens.

The hub's own workspace tokens never expire, so a client's token-renewal logic would only
ever meet mocks.  This endpoint issues short-lived bearer tokens for *API users* (created
with :func:`contacthub_like.sandbox.admin.create_api_user`), accepted by every workspace
route until they expire (``Hub.access_token_ttl`` seconds, 3600 by default).

* ``grant_type=password&username=...&password=...`` -> a new access and refresh token;
* ``grant_type=refresh_token&refresh_token=...`` -> a new pair; the used refresh token stops
  working (rotation), as many services do.

The body is ``application/x-www-form-urlencoded`` (RFC 6749); failures answer 400 with the
hub's error envelope plus the RFC's ``error`` code.  Only hashes of tokens and passwords
are stored.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
import time
from typing import Any
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..context import Hub, hash_token, json_response
from ..errors import envelope
from ..timefmt import now_hub

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS api_users (
        username TEXT PRIMARY KEY,
        ws TEXT NOT NULL REFERENCES workspaces(id),
        salt TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS oauth_tokens (
        hash TEXT PRIMARY KEY,
        ws TEXT NOT NULL,
        username TEXT NOT NULL,
        kind TEXT NOT NULL,
        grant_type TEXT NOT NULL,
        expires_at REAL NOT NULL,
        created_at TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS oauth_tokens_expiry ON oauth_tokens(expires_at)",
)

PATH = "/oauth/token"
REFRESH_TOKEN_TTL = 30 * 24 * 3600.0
_ITERATIONS = 20_000
_MAX_FORM_BYTES = 16 * 1024


def hash_password(password: str, salt: str) -> str:
    return hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt.encode("ascii"), _ITERATIONS).hex()


def _oauth_error(code: str, description: str, status: int = 400) -> Response:
    body = {**envelope(description), "error": code, "error_description": description}
    response = json_response(body, status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _issue(conn: sqlite3.Connection, hub: Hub, ws: str, username: str, grant: str) -> dict[str, Any]:
    now = time.time()
    conn.execute("DELETE FROM oauth_tokens WHERE expires_at < ?", (now,))
    access, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    ttl = float(hub.access_token_ttl)
    created = now_hub()
    for token, kind, lifetime in ((access, "access", ttl), (refresh, "refresh", REFRESH_TOKEN_TTL)):
        conn.execute(
            "INSERT INTO oauth_tokens(hash, ws, username, kind, grant_type, expires_at, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (hash_token(token), ws, username, kind, grant, now + lifetime, created),
        )
    return {"access_token": access, "token_type": "Bearer", "expires_in": ttl, "refresh_token": refresh}


def routes(hub: Hub) -> list[Route]:
    store = hub.store

    def resolve(digest: str) -> str | None:
        row = store.one(
            "SELECT ws FROM oauth_tokens WHERE hash = ? AND kind = 'access' AND expires_at > ?",
            (digest, time.time()),
        )
        return row[0] if row is not None else None

    hub.token_resolvers.append(resolve)

    async def token(request: Request) -> Response:
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type != "application/x-www-form-urlencoded":
            return _oauth_error("invalid_request", "send the grant as application/x-www-form-urlencoded")
        raw = await request.body()
        if len(raw) > _MAX_FORM_BYTES:
            return _oauth_error("invalid_request", "the request body is too large")
        try:
            form = {k: v[0] for k, v in parse_qs(raw.decode("utf-8"), strict_parsing=False).items()}
        except UnicodeDecodeError:
            return _oauth_error("invalid_request", "the request body is not UTF-8")
        grant = form.get("grant_type")
        if grant == "password":
            username, password = form.get("username", ""), form.get("password", "")
            if not username or not password:
                return _oauth_error("invalid_request", "the password grant needs username and password")
            row = store.one("SELECT ws, salt, password_hash FROM api_users WHERE username = ?", (username,))
            if row is None or not hmac.compare_digest(hash_password(password, row[1]), row[2]):
                return _oauth_error("invalid_grant", "wrong username or password")
            with store.transaction() as conn:
                body = _issue(conn, hub, row[0], username, "password")
        elif grant == "refresh_token":
            given = form.get("refresh_token", "")
            if not given:
                return _oauth_error("invalid_request", "the refresh_token grant needs refresh_token")
            with store.transaction() as conn:
                row = conn.execute(
                    "SELECT ws, username FROM oauth_tokens"
                    " WHERE hash = ? AND kind = 'refresh' AND expires_at > ?",
                    (hash_token(given), time.time()),
                ).fetchone()
                if row is None:
                    return _oauth_error("invalid_grant", "the refresh token is unknown, used or expired")
                conn.execute("DELETE FROM oauth_tokens WHERE hash = ?", (hash_token(given),))
                body = _issue(conn, hub, row[0], row[1], "refresh_token")
        else:
            return _oauth_error("unsupported_grant_type", "grant_type must be password or refresh_token")
        response = json_response(body)
        response.headers["Cache-Control"] = "no-store"
        return response

    return [Route(PATH, token, methods=["POST"])]


def openapi(document: dict[str, Any]) -> None:
    """Describe the token endpoint (no bearer token needed)."""
    schemas = document["components"]["schemas"]
    schemas["TokenResponse"] = {
        "type": "object",
        "required": ["access_token", "token_type", "expires_in", "refresh_token"],
        "properties": {
            "access_token": {"type": "string"},
            "token_type": {"type": "string", "enum": ["Bearer"]},
            "expires_in": {"type": "number"},
            "refresh_token": {"type": "string"},
        },
    }
    schemas["OAuthError"] = {
        "type": "object",
        "required": ["message", "logref", "data", "errors", "error", "error_description"],
        "properties": {
            "message": {"type": "string"},
            "logref": {"type": "string"},
            "data": {"nullable": True},
            "errors": {"type": "array", "items": {"type": "object"}},
            "error": {
                "type": "string",
                "enum": ["invalid_request", "invalid_grant", "unsupported_grant_type"],
            },
            "error_description": {"type": "string"},
        },
    }
    document["paths"][PATH] = {
        "post": {
            "operationId": "issueToken",
            "security": [],
            "requestBody": {
                "required": True,
                "content": {
                    "application/x-www-form-urlencoded": {
                        "schema": {
                            "type": "object",
                            "required": ["grant_type"],
                            "properties": {
                                "grant_type": {"type": "string", "enum": ["password", "refresh_token"]},
                                "username": {"type": "string"},
                                "password": {"type": "string"},
                                "refresh_token": {"type": "string"},
                            },
                        }
                    }
                },
            },
            "responses": {
                "200": {
                    "description": "A new access token and refresh token",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/TokenResponse"}}
                    },
                },
                "400": {
                    "description": "Malformed request, wrong credentials or unusable refresh token",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/OAuthError"}}},
                },
            },
        }
    }

"""``POST /tokens`` (password and refresh grants, JSON body) and bearer authentication.

Only SHA-256 hashes of access and refresh tokens, client secrets and (salted PBKDF2)
passwords are stored.  Access tokens live ``settings.access_token_ttl`` seconds (the
server-wide ``--access-token-ttl``); refresh tokens live a day and are single use: a refresh
answers with a new pair, and the old refresh token stops working (clients must keep the new
one, as a rotating-refresh server requires).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

import attrs
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from ..emulators import SandboxSettings
from ..resources.oauth import hash_password
from ..store import Store
from . import clock
from .directory import Caller, caller_for, user_by_login
from .errors import bad_request, unauthorized
from .validation import Field, check_body

API_VERSION = "Version: 44.1.2"
REFRESH_TOKEN_TTL = 24 * 3600.0

_GRANT_FIELDS = {
    "grant_type": Field(("string",), required=True, enum=("password", "refresh_token", "mfa")),
    "client_id": Field(("string",), required=True),
    "client_secret": Field(("string",), required=True),
}
_PASSWORD_FIELDS = {
    "username": Field(("string",), required=True),
    "password": Field(("string",), required=True),
}
_REFRESH_FIELDS = {"refresh_token": Field(("string",), required=True)}


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@attrs.frozen
class TokenService:
    """Issues, refreshes and checks tokens over the shared store."""

    store: Store
    settings: SandboxSettings

    # -- the grants ------------------------------------------------------------------------
    async def grant(self, body: dict[str, Any]) -> dict[str, Any]:
        """Run the grant ``body`` asks for; returns the ``AccessToken`` answer."""
        common = check_body(body, _GRANT_FIELDS)
        self._check_client(common["client_id"], common["client_secret"])
        grant_type = common["grant_type"]
        if grant_type == "password":
            creds = check_body(body, _PASSWORD_FIELDS)
            caller = await run_in_threadpool(self._check_password, creds["username"], creds["password"])
        elif grant_type == "refresh_token":
            caller = self._use_refresh_token(
                check_body(body, _REFRESH_FIELDS)["refresh_token"], common["client_id"]
            )
        else:
            raise bad_request(
                "MFA is not enabled for this user; use grant_type 'password' (and 'refresh_token' to renew)."
            )
        return self._issue(caller, common["client_id"])

    def _check_client(self, client_id: str, client_secret: str) -> None:
        stored = self.store.scalar(
            "SELECT secret_hash FROM netsapiens_clients WHERE client_id = ?", (client_id,)
        )
        if stored is None or not hmac.compare_digest(stored, hash_secret(client_secret)):
            raise unauthorized("Invalid client_id or client_secret; check the API client's credentials.")

    def _check_password(self, username: str, password: str) -> Caller:
        row = user_by_login(self.store, username)
        if row is None or not hmac.compare_digest(row.password_hash, hash_password(password, row.salt)):
            raise unauthorized(
                "Invalid username or password; the username is user@domain (or the login name)."
            )
        return caller_for(self.store, row.domain, row.user)

    def _use_refresh_token(self, refresh_token: str, client_id: str) -> Caller:
        with self.store.transaction() as conn:
            row = conn.execute(
                "SELECT domain, user, client_id, expires FROM netsapiens_tokens WHERE hash = ? AND kind ="
                " 'refresh'",
                (hash_secret(refresh_token),),
            ).fetchone()
            if row is None or row[2] != client_id or row[3] <= clock.now():
                raise unauthorized(
                    "The refresh token is invalid, used already or expired; request a new token with "
                    "grant_type 'password'."
                )
            conn.execute("DELETE FROM netsapiens_tokens WHERE hash = ?", (hash_secret(refresh_token),))
        return caller_for(self.store, row[0], row[1])

    def _issue(self, caller: Caller, client_id: str) -> dict[str, Any]:
        ttl = float(self.settings.access_token_ttl)
        access, refresh = secrets.token_hex(16), secrets.token_hex(16)
        now = clock.now()
        with self.store.transaction() as conn:
            conn.execute("DELETE FROM netsapiens_tokens WHERE expires <= ?", (now,))
            conn.executemany(
                "INSERT INTO netsapiens_tokens(hash, kind, domain, user, client_id, expires) VALUES (?, ?,"
                " ?, ?, ?, ?)",
                [
                    (hash_secret(access), "access", caller.domain, caller.user, client_id, now + ttl),
                    (
                        hash_secret(refresh),
                        "refresh",
                        caller.domain,
                        caller.user,
                        client_id,
                        now + REFRESH_TOKEN_TTL,
                    ),
                ],
            )
        uid = f"{caller.user}@{caller.domain}"
        return {
            "username": uid,
            "user": caller.user,
            "territory": caller.reseller,
            "domain": caller.domain,
            "department": caller.department or "n/a",
            "uid": uid,
            "login": caller.login,
            "scope": caller.scope,
            "user_email": caller.email,
            "displayName": caller.display_name,
            "access_token": access,
            "expires_in": max(int(round(ttl)), 0),
            "token_type": "Bearer",
            "refresh_token": refresh,
            "client_id": client_id,
            "apiversion": API_VERSION,
        }

    # -- bearer authentication ---------------------------------------------------------------
    def authenticate(self, request: Request) -> Caller:
        """The caller behind ``Authorization: Bearer <access token>``, or a 401 saying what to do."""
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise unauthorized(
                "Missing bearer token; send 'Authorization: Bearer <access_token>' from POST"
                " /ns-api/v2/tokens."
            )
        row = self.store.one(
            "SELECT domain, user, expires FROM netsapiens_tokens WHERE hash = ? AND kind = 'access'",
            (hash_secret(token.strip()),),
        )
        if row is None:
            raise unauthorized("Invalid access token; request a new one at POST /ns-api/v2/tokens.")
        if row[2] <= clock.now():
            raise unauthorized(
                "The access token has expired; renew it with grant_type 'refresh_token' at POST"
                " /ns-api/v2/tokens."
            )
        return caller_for(self.store, row[0], row[1], token_expires=row[2])

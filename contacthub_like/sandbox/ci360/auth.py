"""The two CI360 tokens: the static JWT a client signs itself, and the temporary access token.

Static JWT: HS256 only, claims exactly ``{"clientID": <tenant>}``, signed with the ASCII text
of base64(client secret) (the secret is encoded, never decoded, by every SAS sample).  The
emulator reads the tenant from the unverified claims, looks its secret up and verifies the
signature with PyJWT; any other algorithm, ``none`` included, is refused.

Temporary token: ``POST /token`` with the static JWT as bearer and a form password grant
answers an opaque token valid ``settings.access_token_ttl`` seconds; only its hash is stored.
marketingAudience takes the temporary token; the gateway, marketingData and marketingExecution
take the static JWT (VeloxPy's ``api.json``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from typing import Any
from urllib.parse import parse_qsl

import jwt
from starlette.requests import Request

from .body import MAX_BODY_BYTES, read_limited
from .errors import bad_request, unauthorized
from .objects import now
from .state import CI360State

STATIC = "static"
TEMPORARY = "temporary"

_STATIC_FIX = 'sign a JWT with HS256, claims exactly {"clientID": <tenant id>}, key base64(client secret)'
_TEMPORARY_FIX = "get a temporary access token from POST /token (password grant, static JWT as bearer)"


_SIGNATURE_ONLY: Any = {  # PyJWT types it as its Options TypedDict
    "verify_exp": False,
    "verify_nbf": False,
    "verify_iat": False,
    "verify_aud": False,
    "verify_iss": False,
    "verify_sub": False,
    "verify_jti": False,
}


def _bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise unauthorized("the request has no bearer token", "send Authorization: Bearer <token>")
    return token.strip()


def static_key(secret: str) -> bytes:
    """The HMAC key: the ASCII text of base64(secret)."""
    return base64.b64encode(secret.encode("utf-8"))


def verify_static(state: CI360State, token: str) -> str:
    """The tenant a static JWT was signed for; 401 for anything else."""
    try:
        header = jwt.get_unverified_header(token)
        unverified = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        raise unauthorized("the bearer token is not a static JWT", _STATIC_FIX) from None
    if header.get("alg") != "HS256":
        raise unauthorized(
            f"the JWT algorithm {header.get('alg')!r} is refused; only HS256 is accepted", _STATIC_FIX
        )
    tenant = unverified.get("clientID")
    if not isinstance(tenant, str):
        raise unauthorized("the JWT has no clientID claim", _STATIC_FIX)
    secret = state.store.scalar("SELECT secret FROM ci360_tenants WHERE id = ?", (tenant,))
    if secret is None:
        raise unauthorized("the JWT names an unknown tenant", "use the tenant id of your CI360 access point")
    try:
        # registered claims are not checked here: any claim but clientID is refused below, by name
        claims = jwt.decode(token, static_key(secret), algorithms=["HS256"], options=_SIGNATURE_ONLY)
    except jwt.PyJWTError:
        raise unauthorized(
            "the JWT signature does not match the tenant's client secret", _STATIC_FIX
        ) from None
    if set(claims) != {"clientID"}:
        extra = ", ".join(sorted(set(claims) - {"clientID"}))
        raise unauthorized(f"the JWT carries claims other than clientID ({extra})", _STATIC_FIX)
    return tenant


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def verify_temporary(state: CI360State, token: str) -> str:
    row = state.store.one("SELECT tenant, expires_at FROM ci360_tokens WHERE hash = ?", (_digest(token),))
    if row is None:
        if token.count(".") == 2:
            raise unauthorized(
                "this API takes the temporary access token, not the static JWT", _TEMPORARY_FIX
            )
        raise unauthorized("the access token is not known", _TEMPORARY_FIX)
    if row[1] <= now():
        raise unauthorized("the access token has expired", _TEMPORARY_FIX)
    return str(row[0])


def authenticate(state: CI360State, request: Request, kind: str) -> str:
    """The tenant behind the request's bearer token of the ``kind`` this API takes."""
    token = _bearer(request)
    if kind == TEMPORARY:
        return verify_temporary(state, token)
    if token.count(".") != 2:
        raise unauthorized("this API takes the static JWT, not a temporary access token", _STATIC_FIX)
    return verify_static(state, token)


async def token_grant(state: CI360State, request: Request) -> dict[str, Any]:
    """``POST /token`` (form body) or ``GET /token`` (query, as one SAS stored process sends it)."""
    tenant = verify_static(state, _bearer(request))
    if request.method == "GET":
        fields = dict(request.query_params)
    else:
        raw = await read_limited(request, MAX_BODY_BYTES)
        try:
            fields = dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
        except UnicodeDecodeError:
            raise bad_request(
                "the body is not UTF-8 form data", "send grant_type=password&username=..&password=.."
            ) from None
    if fields.get("grant_type") != "password":
        raise bad_request(
            f"grant_type must be 'password', got {fields.get('grant_type')!r}",
            "send a form body grant_type=password&username=<api user>&password=<api password>",
        )
    username, password = fields.get("username", ""), fields.get("password", "")
    if not username or not password:
        raise bad_request("username and password are required", "send the API user's name and password")
    stored = state.store.scalar(
        "SELECT password FROM ci360_users WHERE tenant = ? AND username = ?", (tenant, username)
    )
    if stored is None or not hmac.compare_digest(str(stored).encode(), password.encode()):
        raise unauthorized(
            "the API user name or password is wrong", "check api_user_name and api_user_password"
        )
    token = secrets.token_urlsafe(32)
    ttl = float(state.settings.access_token_ttl)
    state.store.execute(
        "INSERT INTO ci360_tokens(hash, tenant, username, expires_at) VALUES (?, ?, ?, ?)",
        (_digest(token), tenant, username, now() + ttl),
    )
    state.store.execute("DELETE FROM ci360_tokens WHERE expires_at < ?", (now() - 3600,))
    return {"access_token": token, "token_type": "bearer", "expires_in": int(ttl)}

"""Event subscriptions: create (200 with the object), read, update (202), delete (202), expiry.

A subscription filters events by reseller/domain/user (``*`` for all, ``~`` for the caller's
own) and lives until ``subscription-expires-datetime``; without one it dies with the token
that created it, as on the live API.  Expired subscriptions are removed before any read or
delivery.  The two counters can only be reset, so an update accepts them only as 0 (the seed
client sends the string ``"0"``, which is accepted too).
"""

from __future__ import annotations

import re
import secrets
from typing import Any
from urllib.parse import urlsplit

from ..store import Store
from . import clock
from .directory import DOMAIN_ADMIN_SCOPES, RESELLER, SUPER_USER, Caller
from .errors import bad_request, conflict, forbidden, not_found
from .messages import RECEIVER_HOSTNAME
from .validation import Field, check_body

#: the document's ``model`` enum
MODELS = (
    "agent",
    "auditlog",
    "auditlog_lite",
    "call",
    "call_origid",
    "cdr",
    "message",
    "messagesession",
    "subscriber",
    "presence",
    "voicemail",
)
YES_NO = ("yes", "no")
_HOSTNAME = re.compile(
    r"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$"
)

_COMMON = {
    "model": Field(("string",), enum=MODELS),
    "post-url": Field(("string",)),
    "subscription-geo-support": Field(("string",), enum=YES_NO),
    "subscription-expires-datetime": Field(("string",)),
    "preferred-server": Field(("string",)),
}
CREATE_FIELDS = {
    **_COMMON,
    "model": Field(("string",), required=True, enum=MODELS),
    "post-url": Field(("string",), required=True),
    "reseller": Field(("string",)),
    "domain": Field(("string",)),
    "user": Field(("string",)),
}
UPDATE_FIELDS = {
    **_COMMON,
    "error-count": Field(("integer",), digits_ok=True),
    "posts-count": Field(("integer",), digits_ok=True),
}
DELETE_FIELDS = {"subscription_id": Field(("string",), required=True), "domain": Field(("string",))}
_FILTERS = ("reseller", "domain", "user")
_COLUMNS = (
    "id, model, post_url, geo_support, user_scope, reseller, domain, user, preferred_server, status,"
    " error_count, posts_count, created, expires"
)


def _post_url(value: str) -> str:
    try:
        parts = urlsplit(value)
        usable = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        usable = False
    if not usable:
        raise bad_request(f"'post-url' must be an http:// or https:// URL with a host; got {value[:80]!r}.")
    return value


def _expiry(value: str) -> float:
    try:
        seconds = clock.parse_client_datetime(value)
    except ValueError:
        raise bad_request(
            "'subscription-expires-datetime' must be 'YYYY-MM-DD HH:MM:SS' (UTC) or ISO-8601;"
            f" got {value[:40]!r}."
        ) from None
    if seconds <= clock.now():
        raise bad_request("'subscription-expires-datetime' is in the past; give a future time.")
    return seconds


def _server(value: str) -> str:
    if not _HOSTNAME.match(value):
        raise bad_request(
            f"'preferred-server' must be a host name such as 'core1.example.com'; got {value[:80]!r}."
        )
    return value


def _scope(caller: Caller, fields: dict[str, Any]) -> tuple[str, str, str]:
    """The filters, ``~`` resolved, if the caller's scope allows them (403 ``Invalid Scope`` if not)."""
    reseller = fields.get("reseller", "~")
    domain = fields.get("domain", "*")
    user = fields.get("user", "*")
    for name, value in (("reseller", reseller), ("domain", domain), ("user", user)):
        if not value or len(value) > 64:
            raise bad_request(f"'{name}' must be a name, '~' (yours) or '*' (all), up to 64 characters.")
    reseller = caller.reseller if reseller == "~" else reseller
    domain = caller.domain if domain == "~" else domain
    user = caller.user if user == "~" else user
    if caller.scope == SUPER_USER:
        return reseller, domain, user
    if reseller not in ("*", caller.reseller) or (caller.scope == RESELLER and reseller == "*"):
        raise forbidden("Invalid Scope")
    if caller.scope != RESELLER and domain != caller.domain:
        raise forbidden("Invalid Scope")
    if caller.scope not in DOMAIN_ADMIN_SCOPES and user != caller.user:
        raise forbidden("Invalid Scope")
    return caller.reseller, domain, user


def expire(store: Store) -> None:
    """Remove subscriptions past their expiry (they stop delivering and are no longer found)."""
    store.execute("DELETE FROM netsapiens_subscriptions WHERE expires <= ?", (clock.now(),))


def _object(row: tuple[Any, ...]) -> dict[str, Any]:
    out = {
        "id": row[0],
        "model": row[1],
        "post-url": row[2],
        "subscription-geo-support": row[3],
        "user-scope": row[4],
        "reseller": row[5],
        "domain": row[6],
        "user": row[7],
        "current-active-server": RECEIVER_HOSTNAME,
        "status": row[9],
        "error-count": row[10],
        "posts-count": row[11],
        "subscription-creation-datetime": clock.iso_datetime(row[12]),
        "subscription-expires-datetime": clock.iso_datetime(row[13]),
    }
    if row[8]:
        out["preferred-server"] = row[8]
    return out


def _visible(caller: Caller) -> tuple[str, list[Any]]:
    if caller.scope == SUPER_USER:
        return "1", []
    if caller.scope == RESELLER:
        return "reseller = ?", [caller.reseller]
    return "owner_domain = ?", [caller.domain]


def _duplicate(store: Store, key: tuple[str, str, str, str, str], exclude: str = "") -> None:
    other = store.scalar(
        "SELECT id FROM netsapiens_subscriptions WHERE model = ? AND post_url = ? AND reseller = ? AND"
        " domain = ?"
        " AND user = ? AND id != ?",
        (*key, exclude),
    )
    if other is not None:
        raise conflict(
            f"A subscription with these parameters already exists (id {other}); update or delete it."
        )


def create(store: Store, caller: Caller, body: dict[str, Any]) -> dict[str, Any]:
    fields = check_body(body, CREATE_FIELDS)
    post_url = _post_url(fields["post-url"])
    reseller, domain, user = _scope(caller, fields)
    if "subscription-expires-datetime" in fields:
        expires = _expiry(fields["subscription-expires-datetime"])
    elif caller.token_expires is not None:
        expires = caller.token_expires  # dies with the token, as the live API does
    else:  # pragma: no cover - every API caller has a token
        expires = clock.now() + 3600
    server = _server(fields["preferred-server"]) if "preferred-server" in fields else None
    sub_id = secrets.token_hex(16)
    with store.transaction():
        expire(store)
        _duplicate(store, (fields["model"], post_url, reseller, domain, user))
        store.execute(
            "INSERT INTO netsapiens_subscriptions(id, model, post_url, geo_support, user_scope, reseller,"
            " domain, user, preferred_server, created, expires, owner_domain, owner_user)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                sub_id,
                fields["model"],
                post_url,
                fields.get("subscription-geo-support", "yes"),
                caller.scope,
                reseller,
                domain,
                user,
                server,
                clock.now(),
                expires,
                caller.domain,
                caller.user,
            ),
        )
    return read(store, caller, sub_id)


def read_all(store: Store, caller: Caller, start: int, limit: int) -> list[dict[str, Any]]:
    expire(store)
    where, params = _visible(caller)
    rows = store.all(
        f"SELECT {_COLUMNS} FROM netsapiens_subscriptions WHERE {where} ORDER BY created, id LIMIT ?"
        " OFFSET ?",
        (*params, limit, start),
    )
    return [_object(row) for row in rows]


def read(store: Store, caller: Caller, sub_id: str) -> dict[str, Any]:
    expire(store)
    where, params = _visible(caller)
    row = store.one(
        f"SELECT {_COLUMNS} FROM netsapiens_subscriptions WHERE id = ? AND {where}", (sub_id, *params)
    )
    if row is None:
        raise not_found(f"Subscription {sub_id[:64]} not found (it may have expired)")
    return _object(row)


def update(store: Store, caller: Caller, sub_id: str, body: dict[str, Any]) -> None:
    fields = check_body(body, UPDATE_FIELDS)
    current = read(store, caller, sub_id)
    for name in _FILTERS:
        if name in body and body[name] != current[name]:
            raise bad_request(f"'{name}' cannot change on a subscription; create a new subscription instead.")
    for counter in ("error-count", "posts-count"):
        if counter in fields and fields[counter] != 0:
            raise bad_request(f"'{counter}' can only be reset, to 0; got {fields[counter]}.")
    if not fields:
        raise bad_request(
            "Nothing to update; send any of model, post-url, subscription-geo-support,"
            " subscription-expires-datetime, preferred-server, error-count or posts-count."
        )
    changes: dict[str, Any] = {}
    if "model" in fields:
        changes["model"] = fields["model"]
    if "post-url" in fields:
        changes["post_url"] = _post_url(fields["post-url"])
    if "subscription-geo-support" in fields:
        changes["geo_support"] = fields["subscription-geo-support"]
    if "subscription-expires-datetime" in fields:
        changes["expires"] = _expiry(fields["subscription-expires-datetime"])
    if "preferred-server" in fields:
        changes["preferred_server"] = _server(fields["preferred-server"])
    if "error-count" in fields:
        changes.update(error_count=0, failures=0)
    if "posts-count" in fields:
        changes["posts_count"] = 0
    with store.transaction():
        key = (
            changes.get("model", current["model"]),
            changes.get("post_url", current["post-url"]),
            current["reseller"],
            current["domain"],
            current["user"],
        )
        _duplicate(store, key, exclude=sub_id)
        assignments = ", ".join(f"{column} = ?" for column in changes)
        store.execute(
            f"UPDATE netsapiens_subscriptions SET {assignments} WHERE id = ?", (*changes.values(), sub_id)
        )


def delete(store: Store, caller: Caller, sub_id: str, body: dict[str, Any]) -> None:
    """Delete; the document's body ``{"subscription_id", "domain"?}`` is checked when sent."""
    if body:
        fields = check_body(body, DELETE_FIELDS)
        if fields["subscription_id"] != sub_id:
            raise bad_request(
                f"'subscription_id' in the body ({fields['subscription_id'][:64]}) differs from the id in"
                " the path."
            )
    read(store, caller, sub_id)
    store.execute("DELETE FROM netsapiens_subscriptions WHERE id = ?", (sub_id,))


def matching(store: Store, model: str, reseller: str, domain: str, user: str) -> list[tuple[str, str]]:
    """``(id, post-url)`` of the live subscriptions to ``model`` whose filters take this event."""
    expire(store)
    return [
        (row[0], row[1])
        for row in store.all(
            "SELECT id, post_url FROM netsapiens_subscriptions WHERE model = ? AND reseller IN ('*', ?)"
            " AND domain IN ('*', ?) AND user IN ('*', ?) ORDER BY created, id",
            (model, reseller, domain, user),
        )
    ]


__all__ = ["MODELS", "create", "delete", "expire", "matching", "read", "read_all", "update"]

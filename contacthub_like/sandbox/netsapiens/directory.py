"""Domains and users: who a caller is, what ``~`` means in a path, and what a caller may reach.

``~`` in ``{domain}``/``{user}`` is the caller's own domain or user.  A Super User reaches
every domain, a Reseller the domains of its territory, everyone else their own domain; below
Office Manager a user reaches only themself.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

import attrs

from ..resources.oauth import hash_password
from ..store import Store
from . import clock
from .errors import forbidden, not_found
from .validation import MAX_DOMAIN_LENGTH, MAX_USER_LENGTH, path_name

SUPER_USER = "Super User"
RESELLER = "Reseller"
#: scopes that manage every user of their domain
DOMAIN_ADMIN_SCOPES = frozenset(
    {SUPER_USER, RESELLER, "Office Manager", "Site Manager", "Call Center Supervisor"}
)


@attrs.frozen
class UserRow:
    domain: str
    user: str
    login: str
    salt: str
    password_hash: str


@attrs.frozen
class Caller:
    """The user a request acts as (from its token)."""

    domain: str
    user: str
    reseller: str
    scope: str
    login: str
    email: str
    display_name: str
    department: str
    sms_numbers: tuple[str, ...]
    token_expires: float | None = None

    @property
    def uid(self) -> str:
        return f"{self.user}@{self.domain}"


def user_by_login(store: Store, username: str) -> UserRow | None:
    """The user for ``user@domain`` or a login name."""
    row = store.one(
        "SELECT domain, user, login, salt, password_hash FROM netsapiens_users WHERE login = ?", (username,)
    )
    if row is None and "@" in username:
        user, _, domain = username.partition("@")
        row = store.one(
            "SELECT domain, user, login, salt, password_hash FROM netsapiens_users"
            " WHERE domain = ? AND user = ?",
            (domain, user),
        )
    return None if row is None else UserRow(*row)


def caller_for(store: Store, domain: str, user: str, *, token_expires: float | None = None) -> Caller:
    row = store.one(
        "SELECT u.domain, u.user, d.reseller, u.scope, u.login, u.email, u.first_name, u.last_name,"
        " u.department, u.sms_numbers"
        " FROM netsapiens_users u JOIN netsapiens_domains d ON d.domain = u.domain"
        " WHERE u.domain = ? AND u.user = ?",
        (domain, user),
    )
    if row is None:  # the user was removed after the token was issued
        raise forbidden("User not found or access denied")
    name = f"{row[6]} {row[7]}".strip()
    return Caller(
        domain=row[0],
        user=row[1],
        reseller=row[2],
        scope=row[3],
        login=row[4],
        email=row[5],
        display_name=name,
        department=row[8],
        sms_numbers=tuple(json.loads(row[9])),
        token_expires=token_expires,
    )


def resolve_domain(store: Store, caller: Caller, domain: str) -> str:
    """The domain a ``{domain}`` path segment names, if it exists and the caller may reach it."""
    name = caller.domain if domain == "~" else path_name(domain, "domain", MAX_DOMAIN_LENGTH)
    reseller = store.scalar("SELECT reseller FROM netsapiens_domains WHERE domain = ?", (name,))
    if reseller is None:
        raise not_found(f"Domain {name} does not exist")
    if (
        caller.scope == SUPER_USER
        or name == caller.domain
        or (caller.scope == RESELLER and reseller == caller.reseller)
    ):
        return name
    raise forbidden("Domain not found or access denied")


def resolve_user(store: Store, caller: Caller, domain: str, user: str) -> tuple[str, str]:
    """``(domain, user)`` for ``{domain}/users/{user}``, if both exist and the caller may act as that user."""
    domain_name = resolve_domain(store, caller, domain)
    if user == "~":
        if domain_name != caller.domain:
            raise not_found(f"User ~ means your own user, who is not in domain {domain_name}")
        return domain_name, caller.user
    name = path_name(user, "user", MAX_USER_LENGTH)
    if (
        store.scalar("SELECT 1 FROM netsapiens_users WHERE domain = ? AND user = ?", (domain_name, name))
        is None
    ):
        raise not_found(f"User {name} does not exist in domain {domain_name}")
    if (domain_name, name) != (caller.domain, caller.user) and caller.scope not in DOMAIN_ADMIN_SCOPES:
        raise forbidden("User not found or access denied")
    return domain_name, name


def visible_domains(store: Store, caller: Caller) -> list[str]:
    if caller.scope == SUPER_USER:
        rows = store.all("SELECT domain FROM netsapiens_domains ORDER BY domain")
    elif caller.scope == RESELLER:
        rows = store.all(
            "SELECT domain FROM netsapiens_domains WHERE reseller = ? ORDER BY domain", (caller.reseller,)
        )
    else:
        rows = [(caller.domain,)]
    return [row[0] for row in rows]


# -- wire objects ---------------------------------------------------------------------------
def domain_object(store: Store, domain: str) -> dict[str, Any]:
    """A ``Domain`` (the document's required keys and the common settings)."""
    row = store.one(
        "SELECT domain, reseller, description, time_zone FROM netsapiens_domains WHERE domain = ?", (domain,)
    )
    assert row is not None
    users = store.scalar("SELECT count(*) FROM netsapiens_users WHERE domain = ?", (domain,))
    return {
        "domain": row[0],
        "reseller": row[1],
        "description": row[2],
        "domain-type": "Standard",
        "time-zone": row[3],
        "dial-plan": row[0],
        "dial-policy": "US and Canada",
        "single-sign-on-enabled": "no",
        "music-on-hold-enabled": "yes",
        "voicemail-enabled": "yes",
        "limits-max-users": 0,
        "count-subcriber-resources-total": users,
        "active-calls-total-current": 0,
        "is-domain-locked": "no",
        "is-stir-enabled": "no",
    }


def user_objects(store: Store, domain: str) -> list[dict[str, Any]]:
    """Every ``User`` of ``domain``, ordered by user id."""
    rows = store.all(
        "SELECT domain, user, first_name, last_name, email, scope, login, department, sms_numbers, created"
        " FROM netsapiens_users WHERE domain = ? ORDER BY user",
        (domain,),
    )
    out = []
    for row in rows:
        numbers = json.loads(row[8])
        out.append(
            {
                "domain": row[0],
                "user": row[1],
                "name-first-name": row[2],
                "name-last-name": row[3],
                "email": row[4],
                "user-scope": row[5],
                "login-username": row[6],
                "department": row[7],
                "caller-id-number": numbers[0] if numbers else "",
                "voicemail-enabled": "yes",
                "account-status": "standard",
                "created-datetime": clock.iso_datetime(row[9]),
            }
        )
    return out


# -- provisioning (seed data) ---------------------------------------------------------------
def ensure_domain(store: Store, domain: str, *, reseller: str, description: str) -> None:
    store.execute(
        "INSERT OR IGNORE INTO netsapiens_domains(domain, reseller, description, created)"
        " VALUES (?, ?, ?, ?)",
        (domain, reseller, description, clock.now()),
    )


def set_user(
    store: Store,
    domain: str,
    user: str,
    *,
    password: str,
    first_name: str,
    last_name: str,
    email: str,
    scope: str,
    sms_numbers: list[str],
    department: str = "",
) -> None:
    """Create or update a user (its login is ``user@domain``) with ``password``."""
    salt = secrets.token_hex(16)
    store.execute(
        "INSERT INTO netsapiens_users(domain, user, first_name, last_name, email, scope, department, login,"
        " salt, password_hash, sms_numbers, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT(domain, user) DO UPDATE SET first_name = excluded.first_name,"
        " last_name = excluded.last_name, email = excluded.email, scope = excluded.scope,"
        " department = excluded.department, salt = excluded.salt, password_hash = excluded.password_hash,"
        " sms_numbers = excluded.sms_numbers",
        (
            domain,
            user,
            first_name,
            last_name,
            email,
            scope,
            department,
            f"{user}@{domain}",
            salt,
            hash_password(password, salt),
            json.dumps(sms_numbers),
            clock.now(),
        ),
    )


def reseller_of(store: Store, domain: str) -> str:
    return str(store.scalar("SELECT reseller FROM netsapiens_domains WHERE domain = ?", (domain,)) or "")

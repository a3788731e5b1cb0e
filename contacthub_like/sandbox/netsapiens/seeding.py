"""Demo data for ``hub init``: what the seed client's README examples use, and its auth file.

The seeded user is ``123@testdomain.com`` (territory ``MainReseller``, scope Super User, as
in the README's token sample), with the SMS numbers ``1987654321`` and ``1234567899`` the
README's ``send_message`` examples send from; the domain ``2132560400.com`` with user
``103`` backs its second ``get_messages`` example, and a message in session
``2d51df1810812ace8d138a2558d0bd79`` its third.  The client id, client secret and
password are random, generated once and kept in the ``meta`` table so re-seeding is
idempotent and can write the same configuration file again.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

import attrs

from ..store import Store
from . import clock, directory, messages
from .schema import SCHEMA
from .tokens import hash_secret

PREFIX = "/netsapiens"
CONFIG_FILE = "netsapiens.json"
RESELLER = "MainReseller"
DOMAIN = "testdomain.com"
USER = "123"
SMS_NUMBERS = ["1987654321", "1234567899"]
#: the session id of the README's "Retrieve Messages for a Specific Session" example
README_SESSION = "2d51df1810812ace8d138a2558d0bd79"
_META_KEY = "netsapiens.demo_credentials"


@attrs.frozen
class DemoCredentials:
    """The seeded API client and user; ``repr`` never shows the secrets."""

    client_id: str
    client_secret: str = attrs.field(repr=False)
    username: str
    password: str = attrs.field(repr=False)

    def auth_config(self, base_url: str) -> dict[str, str]:
        """The seed client's auth dictionary (``base_url`` as this library's loader takes it)."""
        return {
            "base_url": base_url,
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "username": self.username,
            "password": self.password,
        }


def ensure_demo(store: Store) -> DemoCredentials:
    """Create the demo domains, users and API client once; returns their credentials."""
    store.ensure_schema(SCHEMA)
    with store.transaction():
        stored = store.get_meta(_META_KEY)
        if stored is not None:
            creds = DemoCredentials(**json.loads(stored))
        else:
            creds = DemoCredentials(
                client_id=f"sandbox-{secrets.token_hex(6)}",
                client_secret=secrets.token_urlsafe(24),
                username=f"{USER}@{DOMAIN}",
                password=secrets.token_urlsafe(18),
            )
            store.set_meta(_META_KEY, json.dumps(attrs.asdict(creds)))
        store.execute(
            "INSERT OR IGNORE INTO netsapiens_clients(client_id, secret_hash, created) VALUES (?, ?, ?)",
            (creds.client_id, hash_secret(creds.client_secret), clock.now()),
        )
        directory.ensure_domain(store, DOMAIN, reseller=RESELLER, description="Sandbox test domain")
        directory.ensure_domain(
            store, "2132560400.com", reseller=RESELLER, description="Sandbox second domain"
        )
        if (
            store.scalar("SELECT 1 FROM netsapiens_users WHERE domain = ? AND user = ?", (DOMAIN, USER))
            is None
        ):
            directory.set_user(
                store,
                DOMAIN,
                USER,
                password=creds.password,
                first_name="Hu",
                last_name="Man",
                email="hu.man@testdomain.com",
                scope=directory.SUPER_USER,
                sms_numbers=SMS_NUMBERS,
                department="Sales",
            )
        if (
            store.scalar("SELECT 1 FROM netsapiens_users WHERE domain = '2132560400.com' AND user = '103'")
            is None
        ):
            directory.set_user(
                store,
                "2132560400.com",
                "103",
                password=secrets.token_urlsafe(18),
                first_name="Second",
                last_name="User",
                email="103@2132560400.com",
                scope="Basic User",
                sms_numbers=["2132560400"],
            )
        if store.scalar("SELECT 1 FROM netsapiens_sessions WHERE id = ?", (README_SESSION,)) is None:
            welcome = {"type": "sms", "message": "Welcome to the sandbox", "destination": "1234567890"}
            messages.send(
                store,
                domain=DOMAIN,
                user=USER,
                sms_numbers=SMS_NUMBERS,
                body={**welcome, "from-number": SMS_NUMBERS[0]},
                session_id=README_SESSION,
            )
    return creds


def seed(store: Store, *, base_url: str, config_dir: Path | None) -> list[Path]:
    """Seed the demo data; with ``config_dir``, write ``netsapiens.json`` for ``base_url + PREFIX``."""
    creds = ensure_demo(store)
    if config_dir is None:
        return []
    from ..commands import write_private_file  # the CLI's writer for files that hold secrets

    path = Path(config_dir) / CONFIG_FILE
    config: dict[str, Any] = creds.auth_config(base_url.rstrip("/") + PREFIX)
    write_private_file(path, json.dumps(config, indent=2) + "\n")
    return [path]

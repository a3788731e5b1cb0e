"""Pre-signed file links: the detailed-invoice files are fetched with no Authorization header.

A link carries ``expires`` (Unix seconds) and ``signature`` = HMAC-SHA256 over the path and expiry,
keyed with a random secret kept in the store's ``meta`` table (so links survive a restart).  A wrong
or expired signature answers 403, as object stores do.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from ..store import Store
from .errors import IonError

LINK_TTL = 15 * 60.0
_META_KEY = "streamone.signing_key"


def _key(store: Store) -> bytes:
    key = store.get_meta(_META_KEY)
    if key is None:
        store.execute(
            "INSERT OR IGNORE INTO meta(key, value) VALUES (?, ?)", (_META_KEY, secrets.token_hex(32))
        )
        key = store.get_meta(_META_KEY)
    assert key is not None
    return bytes.fromhex(key)


def _signature(store: Store, path: str, expires: int) -> str:
    return hmac.new(_key(store), f"{path}\n{expires}".encode(), hashlib.sha256).hexdigest()


def sign(store: Store, path: str, *, ttl: float = LINK_TTL, now: float | None = None) -> str:
    """The query string (``expires=...&signature=...``) that makes ``path`` fetchable until ``now + ttl``."""
    expires = int((time.time() if now is None else now) + ttl)
    return f"expires={expires}&signature={_signature(store, path, expires)}"


def verify(store: Store, path: str, expires: str | None, signature: str | None) -> None:
    """Raise 403 unless ``signature`` signs ``path`` until ``expires`` and that moment is still ahead."""
    if not expires or not signature:
        raise IonError(
            403, "this link needs its expires and signature parameters; ask for a new detailed invoice"
        )
    try:
        moment = int(expires)
    except ValueError:
        raise IonError(403, "the link's expires parameter is not a number") from None
    if not hmac.compare_digest(_signature(store, path, moment), signature):
        raise IonError(403, "the link's signature does not match")
    if moment <= time.time():
        raise IonError(403, "the link has expired; ask for the detailed invoice again for fresh links")

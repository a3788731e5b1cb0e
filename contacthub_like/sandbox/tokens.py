"""How the hub stores tokens: as SHA-256 digests, never the token itself.

Kept apart from the request-handling modules so that administering a hub database
(``hub init``, ``admin``) needs nothing beyond the standard library.
"""

from __future__ import annotations

import hashlib

__all__ = ["hash_token"]


def hash_token(token: str) -> str:
    """The digest a token is stored and looked up by."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()

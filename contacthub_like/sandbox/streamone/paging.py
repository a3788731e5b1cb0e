"""v3 paging: ``pageSize`` + opaque ``pageToken`` -> ``nextPageToken`` (empty on the last page), and
the subscriptions' ``pagination.limit`` / ``pagination.offset`` that the seed SDK sends instead.

A page token is base64url of the next offset and a fingerprint of the query it belongs to, so a
token replayed with other filters (or forged) is a 400, as AIP-158 asks.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json

import attrs
from starlette.requests import Request

from .body import parse_int
from .errors import invalid

DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 100
_PAGING_KEYS = {"pageSize", "pageToken", "pagination.limit", "pagination.offset"}


@attrs.frozen
class Page:
    offset: int
    size: int
    by_offset: bool  # the caller pages with pagination.offset: answer an empty page at the end


def _fingerprint(request: Request) -> str:
    items = sorted((k, v) for k, v in request.query_params.multi_items() if k not in _PAGING_KEYS)
    return hashlib.sha256(json.dumps(items).encode()).hexdigest()[:16]


def encode_token(request: Request, offset: int) -> str:
    raw = json.dumps({"o": offset, "q": _fingerprint(request)}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def page_of(request: Request, *, default_size: int = DEFAULT_PAGE_SIZE) -> Page:
    """Where this page starts and how long it is, from either paging style."""
    params = request.query_params
    if "pagination.limit" in params or "pagination.offset" in params:
        size = parse_int(
            "pagination.limit", params.get("pagination.limit", default_size), maximum=MAX_PAGE_SIZE
        )
        offset = parse_int("pagination.offset", params.get("pagination.offset", 0))
        return Page(offset, size or default_size, True)
    size = parse_int("pageSize", params.get("pageSize", default_size), maximum=MAX_PAGE_SIZE) or default_size
    token = params.get("pageToken", "")
    if not token:
        return Page(0, size, False)
    try:
        decoded = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        offset, fingerprint = int(decoded["o"]), decoded["q"]
    except (binascii.Error, ValueError, KeyError, TypeError):
        raise invalid(
            "pageToken", "not a page token this server issued; send the nextPageToken of the last page"
        ) from None
    if fingerprint != _fingerprint(request) or offset < 0:
        raise invalid(
            "pageToken", "the page token belongs to a query with other parameters; start over without it"
        )
    return Page(offset, size, False)


def next_token(request: Request, page: Page, returned: int, total: int) -> str:
    """The token of the page after this one, or ``""`` when this is the last."""
    end = page.offset + returned
    return encode_token(request, end) if returned and end < total else ""

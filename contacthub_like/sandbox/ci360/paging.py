"""The SAS collection envelope and the ``start``/``limit`` query parameters.

``{"version": 2, "count", "start", "limit", "name": "items", "items", "links"}`` with
absolute ``href`` links ``self``, ``first``, ``prev``, ``next`` and ``last``: clients page by
``links[rel=next]`` and decide on the ``limit`` echoed here, which may be smaller than the
one they asked for.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from .errors import bad_request

DEFAULT_LIMIT = 10
MAX_START = 2**31


def query_int(
    request: Request, key: str, default: int, *, minimum: int = 0, maximum: int | None = None
) -> int:
    raw = request.query_params.get(key)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise bad_request(
            f"the query parameter {key} must be an integer, got {raw!r}", f"send {key}=<number>"
        ) from None
    if value < minimum:
        raise bad_request(
            f"the query parameter {key} must be at least {minimum}, got {value}", f"send {key}>={minimum}"
        )
    if maximum is not None and value > maximum:
        raise bad_request(
            f"the query parameter {key} must be at most {maximum}, got {value}", f"send {key}<={maximum}"
        )
    return value


def start_limit(request: Request, *, max_limit: int | None = None, cap: int = 100) -> tuple[int, int]:
    """``(start, limit)``; past ``max_limit`` is a 400 (the documented 500 cap), past ``cap`` the
    limit is lowered silently, as some SAS services do (the echoed ``limit`` tells the client)."""
    start = query_int(request, "start", 0, maximum=MAX_START)
    limit = query_int(request, "limit", DEFAULT_LIMIT, minimum=1, maximum=max_limit)
    return start, min(limit, cap if max_limit is None else max_limit)


def _link(request: Request, rel: str, start: int, limit: int) -> dict[str, Any]:
    url = request.url.include_query_params(start=start, limit=limit)
    return {
        "method": "GET",
        "rel": rel,
        "href": str(url),
        "uri": f"{url.path}?{url.query}",
        "type": "application/json",
    }


def collection(
    request: Request, items: list[dict[str, Any]], total: int, start: int, limit: int
) -> dict[str, Any]:
    links = [_link(request, "self", start, limit), _link(request, "first", 0, limit)]
    if start > 0:
        links.append(_link(request, "prev", max(0, start - limit), limit))
    if start + limit < total:
        links.append(_link(request, "next", start + limit, limit))
    last = max(0, (total - 1) // limit * limit) if total else 0
    links.append(_link(request, "last", last, limit))
    return {
        "version": 2,
        "count": total,
        "start": start,
        "limit": limit,
        "name": "items",
        "accept": "application/json",
        "items": items,
        "links": links,
    }

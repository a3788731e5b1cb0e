"""What every v3 route shares: the bearer check against the path's account, ``filter.*`` parsing,
case-insensitive matching on JSON documents, and one page of a list."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from starlette.requests import Request

from ..store import Store
from .auth import bearer_account
from .body import id_in_path
from .errors import invalid, not_found
from .paging import Page, next_token, page_of

Doc = dict[str, Any]


def account_of(store: Store, request: Request) -> str:
    return bearer_account(store, request, request.path_params["account_id"])


def customer_id_of(request: Request) -> int:
    raw = request.path_params["customer_id"]
    number = id_in_path(raw)
    if number is None:
        raise not_found(f"customer {raw!r}")
    return number


def prefixed_filters(request: Request, prefix: str, allowed: Iterable[str]) -> dict[str, str]:
    """``filter.customerEmail=x`` -> ``{"customerEmail": "x"}``; an unknown name is a 400 naming the known."""
    names = tuple(allowed)
    out: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        if key.startswith(prefix):
            name = key[len(prefix) :]
            if name not in names:
                raise invalid(
                    key, f"unknown filter {name!r}; use one of {', '.join(prefix + n for n in names)}"
                )
            if value != "":
                out[name] = value
    return out


def same(a: object, b: object) -> bool:
    """Query values match document values as text, ignoring case (``ACTIVE`` = ``active``, ``1`` = 1)."""
    return str(a).casefold() == str(b).casefold()


def load_docs(
    store: Store, table: str, account: str, where: str = "", params: Iterable[Any] = (), *, order: str = "seq"
) -> list[Doc]:
    """The account's JSON documents of ``table`` (optionally narrowed by ``where``), in a stable order."""
    rows = store.all(
        f"SELECT doc FROM {table} WHERE account_id = ?{' AND ' + where if where else ''} ORDER BY {order}",
        [account, *params],
    )
    return [json.loads(row[0]) for row in rows]


def page_answer(
    request: Request,
    items: list[Doc],
    key: str,
    *,
    default_size: int = 10,
    render: Callable[[Doc], Doc] = lambda doc: doc,
) -> Doc:
    """One page of ``items`` under ``key`` with its ``nextPageToken`` ("" on the last page)."""
    page: Page = page_of(request, default_size=default_size)
    chunk = items[page.offset : page.offset + page.size]
    return {
        key: [render(doc) for doc in chunk],
        "nextPageToken": next_token(request, page, len(chunk), len(items)),
    }


def pick(doc: Mapping[str, Any], path: str) -> Any:
    """``doc["a"]["b"]`` for ``"a.b"``; None when any step is missing."""
    value: Any = doc
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value

"""Paging strategies: how one API asks for a page of a collection and tells where the next one is.

A service declares one strategy; :class:`~contacthub_like.query.paginated.PaginatedList`
walks any of them the same way.  What a list can answer without walking depends on the
strategy, so each says so:

* ``random_access``: page ``n`` can be requested without reading pages ``0..n-1``
  (numbered pages, offset/limit).  Indexing, ``page(n)`` and prefetch need it.
* a page's ``total_elements``: known only where the API reports a total; ``len()`` needs it.

The four shapes in use: numbered pages with totals (ContactHub), offset/limit (0- or 1-based,
bare array or envelope, with or without totals, ending at a short page), page tokens
(``pageToken``/``nextPageToken``) and next links (``links[rel=next]``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import attrs

from ..errors import InvalidType

__all__ = [
    "Page",
    "PagingStrategy",
    "NumberedPages",
    "OffsetLimit",
    "PageTokens",
    "NextLinks",
]


@attrs.frozen
class Page:
    """One decoded page: its raw documents, what the API said of the whole, and the way on."""

    items: Sequence[Any]
    number: int
    #: elements per page as the API reported it (None: not reported)
    size: int | None = None
    total_elements: int | None = None
    total_pages: int | None = None
    total_unfiltered_elements: int | None = None
    #: False when this page is known to be the last
    has_next: bool = False
    #: what the strategy needs to request the next page (a token, a link), for sequential strategies
    next_cursor: Any = None


class PagingStrategy(Protocol):
    """How a collection is paged; implementations are small frozen value objects."""

    @property
    def random_access(self) -> bool:
        """Page n can be fetched without the pages before it (a frozen attribute of the strategy)."""
        ...

    def params(self, number: int, size: int | None, cursor: Any) -> dict[str, Any]:
        """Query parameters that select page ``number`` (``cursor``: the previous page's ``next_cursor``)."""
        ...

    def decode(self, document: Any, number: int, size: int | None) -> Page:
        """The page in ``document`` (a parsed JSON body), which answered :meth:`params`."""
        ...

    def follow(self, cursor: Any) -> str | None:
        """A URL to request instead of the collection's path (next links), else None."""
        ...


def _items(document: Any, key: str | None, what: str) -> list[Any]:
    if key is None:
        if not isinstance(document, list):
            raise InvalidType(f"{what} pages are bare JSON arrays, got {type(document).__name__}")
        return document
    if not isinstance(document, Mapping):
        raise InvalidType(f"{what} pages are JSON objects with {key!r}, got {type(document).__name__}")
    items: Any = document
    for part in key.split("."):  # a dotted key reaches into an envelope: "data.invoice"
        items = items.get(part) if isinstance(items, Mapping) else None
    if items is None:
        return []
    if not isinstance(items, list):
        raise InvalidType(f"{what} page's {key!r} must be a list, got {type(items).__name__}")
    return items


def _reported(document: Any, key: str | None) -> int | None:
    """A count the API reports at ``key`` of the page object, if it has one."""
    return _int(document.get(key)) if key and isinstance(document, Mapping) else None


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@attrs.frozen
class NumberedPages:
    """``?page=N&size=S`` answered by ``{items_key: [...], page_key: {size, totalElements, ...}}``.

    An envelope without totals ends at its first short or empty page instead of being cut
    to one page.
    """

    page_param: str = "page"
    size_param: str = "size"
    items_key: str = "elements"
    page_key: str = "page"
    #: whether page 0 is sent as ``page=0`` or left out (the API's default)
    send_first_page: bool = False
    random_access: bool = attrs.field(default=True, init=False)

    def follow(self, cursor: Any) -> str | None:
        return None

    def params(self, number: int, size: int | None, cursor: Any) -> dict[str, Any]:
        params: dict[str, Any] = {}
        if size is not None:
            params[self.size_param] = size
        if number or self.send_first_page:
            params[self.page_param] = number
        return params

    def decode(self, document: Any, number: int, size: int | None) -> Page:
        items = _items(document, self.items_key, "numbered")
        info = document.get(self.page_key) if isinstance(document, Mapping) else None
        info = info if isinstance(info, Mapping) else {}
        page_size = _int(info.get("size")) or None
        total_pages = _int(info.get("totalPages"))
        total = _int(info.get("totalElements"))
        if total_pages is not None:
            has_next = bool(items) and number + 1 < total_pages
        else:  # no totals: a full page may have a successor
            wanted = page_size or size
            has_next = bool(items) and (wanted is None or len(items) >= wanted)
        return Page(
            items=items,
            number=reported if (reported := _int(info.get("number"))) is not None else number,
            size=page_size,
            total_elements=total,
            total_pages=total_pages,
            total_unfiltered_elements=_int(info.get("totalUnfilteredElements")),
            has_next=has_next,
        )


@attrs.frozen
class OffsetLimit:
    """``?offset=K&limit=N`` (or ``start``, 1-based where the API counts from 1).

    ``items_key=None`` for bare JSON arrays; ``total_key`` names a reported total, if any.
    The walk ends at a short or empty page, or at the total.
    """

    offset_param: str = "offset"
    limit_param: str = "limit"
    first_offset: int = 0
    items_key: str | None = None
    total_key: str | None = None
    #: the largest page the API serves (a larger ``size`` is an error before any request)
    max_limit: int | None = None
    #: page size when the caller gives none (offset paging needs one to compute offsets)
    default_limit: int = 50
    random_access: bool = attrs.field(default=True, init=False)

    def follow(self, cursor: Any) -> str | None:
        return None

    def limit(self, size: int | None) -> int:
        limit = self.default_limit if size is None else size
        return min(limit, self.max_limit) if self.max_limit else limit

    def params(self, number: int, size: int | None, cursor: Any) -> dict[str, Any]:
        limit = self.limit(size)
        return {self.offset_param: self.first_offset + number * limit, self.limit_param: limit}

    def decode(self, document: Any, number: int, size: int | None) -> Page:
        items = _items(document, self.items_key, "offset/limit")
        limit = self.limit(size)
        total = _reported(document, self.total_key)
        seen = number * limit + len(items)
        has_next = len(items) >= limit and (total is None or seen < total)
        if total is None and not has_next:
            total = seen  # the end is reached: now the total is known
        pages = None if total is None else -(-total // limit)
        return Page(
            items=items, number=number, size=limit, total_elements=total, total_pages=pages, has_next=has_next
        )


@attrs.frozen
class PageTokens:
    """``?pageToken=T&pageSize=N`` answered by ``{items_key: [...], next_key: "T2"}``.

    No token means no next page.
    """

    token_param: str = "pageToken"
    size_param: str = "pageSize"
    items_key: str = "items"
    next_key: str = "nextPageToken"
    total_key: str | None = None
    random_access: bool = attrs.field(default=False, init=False)

    def follow(self, cursor: Any) -> str | None:
        return None

    def params(self, number: int, size: int | None, cursor: Any) -> dict[str, Any]:
        params: dict[str, Any] = {}
        if size is not None:
            params[self.size_param] = size
        if cursor:
            params[self.token_param] = cursor
        return params

    def decode(self, document: Any, number: int, size: int | None) -> Page:
        items = _items(document, self.items_key, "page-token")
        token = document.get(self.next_key) if isinstance(document, Mapping) else None
        total = _reported(document, self.total_key)
        return Page(
            items=items, number=number, total_elements=total, has_next=bool(token), next_cursor=token or None
        )


@attrs.frozen
class NextLinks:
    """``{items_key: [...], links: [{rel: "next", href: ...}]}``: the next page is wherever ``next`` points.

    The first request sends ``start``/``limit`` when those names are given; later ones follow
    the link as the API wrote it (its ``href`` replaces path and query).
    """

    items_key: str = "items"
    links_key: str = "links"
    rel: str = "next"
    limit_param: str | None = "limit"
    total_key: str | None = "count"
    random_access: bool = attrs.field(default=False, init=False)

    def follow(self, cursor: Any) -> str | None:
        return str(cursor) if cursor else None

    def params(self, number: int, size: int | None, cursor: Any) -> dict[str, Any]:
        if cursor:
            return {}  # the link carries the whole query
        return {self.limit_param: size} if self.limit_param and size is not None else {}

    def decode(self, document: Any, number: int, size: int | None) -> Page:
        items = _items(document, self.items_key, "linked")
        href = None
        links = document.get(self.links_key) if isinstance(document, Mapping) else None
        for link in links if isinstance(links, list) else ():
            if isinstance(link, Mapping) and link.get("rel") == self.rel and link.get("href"):
                href = str(link["href"])
                break
        total = _reported(document, self.total_key)
        return Page(
            items=items,
            number=number,
            total_elements=total,
            has_next=href is not None and bool(items),
            next_cursor=href,
        )

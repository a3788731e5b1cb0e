"""Per-app state and the helpers every resource module uses: auth, JSON in/out, paging.

Resource modules receive one :class:`Hub` and build their routes around it, so they
share the token and node caches and the hooks other resources register (for example,
events delete themselves when their customer is deleted).
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .emulators import SandboxSettings
from .errors import UNAUTHORIZED_MESSAGE, HubError, field_error
from .querysql import EntitySchema, QueryError, compile_query, parse_query_param, sort_clause
from .store import Store
from .tokens import hash_token

MAX_BODY_BYTES = 4 * 1024 * 1024
DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 50

CustomerHook = Callable[[Any, str, str], None]  # (connection, workspace id, customer id)
TokenResolver = Callable[[str], "str | None"]  # token digest -> workspace id, or None when unknown/expired


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"{text} is out of range")
    return value


def loads_strict(raw: bytes | str) -> Any:
    """``json.loads`` that refuses what would poison the store: NaN/Infinity and lone surrogates.

    Python's parser accepts both, but SQLite's JSON functions reject ``NaN`` (one such
    document would break every query over its node) and a lone ``\\ud800`` cannot be
    encoded as UTF-8.  Raises ValueError.
    """
    value = json.loads(raw, parse_constant=_reject_constant, parse_float=_finite_float)
    # Only a \\u escape (or, in bytes, a raw ED.. sequence that json decodes with surrogatepass)
    # can carry a lone surrogate; check the decoded value only then.
    suspicious = (
        (b"\\u" in raw or b"\xed" in raw)
        if isinstance(raw, bytes)
        else "\\u" in raw or any("\ud800" <= ch <= "\udfff" for ch in raw)
    )
    if suspicious:
        json.dumps(value, ensure_ascii=False).encode("utf-8")  # UnicodeEncodeError is a ValueError
    return value


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def json_response(value: Any, status: int = 200) -> Response:
    return Response(dumps(value).encode("utf-8"), status_code=status, media_type="application/json")


def raw_json_response(text: str, status: int = 200) -> Response:
    """Answer with JSON text exactly as stored: single-document reads never re-encode."""
    return Response(text.encode("utf-8"), status_code=status, media_type="application/json")


def empty_response(status: int = 204) -> Response:
    return Response(b"", status_code=status)


class Hub:
    """What the routes share: the store, auth and node caches, and cross-resource hooks."""

    def __init__(self, store: Store) -> None:
        self.store = store
        # digest -> (workspace, when checked): a short cache, so a revoked token stops working soon
        # even when it was revoked by another process (``contacthub-like`` next to a running hub).
        self._token_ws: dict[str, tuple[str, float]] = {}
        self.token_ttl: float = 5.0
        self._node_ws: dict[str, str] = {}
        self._counts: dict[tuple[int, str, tuple[Any, ...]], tuple[tuple[int, int], int]] = {}
        # (query, page number) -> (change stamp, last pk of the page before): see _page_rows
        self._seeks: dict[tuple[Any, int], tuple[tuple[int, int], int]] = {}
        self._analyzed_rows = 0
        # Called inside the deleting transaction, e.g. to remove a customer's events and sessions.
        self.customer_deleted_hooks: list[CustomerHook] = []
        # Other kinds of bearer token (expiring OAuth2 access tokens): asked, uncached, when a
        # token is not a workspace token, so an expired or revoked one stops working at once.
        self.token_resolvers: list[TokenResolver] = []
        #: settings shared with the emulated APIs mounted beside the hub
        self.settings: SandboxSettings = SandboxSettings()
        #: False makes event POSTs ignore ``Idempotency-Key``, like a remote API without it, so a
        #: client's duplicate protection can be tested against both kinds of hub
        self.honour_idempotency_keys = True

    @property
    def access_token_ttl(self) -> float:
        """Lifetime in seconds of the access tokens every token endpoint of the server issues."""
        return self.settings.access_token_ttl

    @access_token_ttl.setter
    def access_token_ttl(self, seconds: float) -> None:
        self.settings.access_token_ttl = seconds

    # -- auth --------------------------------------------------------------------------------
    def workspace(self, request: Request) -> str:
        """Check the bearer token against the ``{ws}`` in the path; return the workspace id.

        A token only opens its own workspace: any other id, existing or not, answers 403
        with the same message, so a client cannot probe for other workspaces.
        """
        header = request.headers.get("authorization")
        if not header:
            raise HubError(401, UNAUTHORIZED_MESSAGE)
        scheme, _, token = header.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise HubError(401, UNAUTHORIZED_MESSAGE)
        digest = hash_token(token)
        cached = self._token_ws.get(digest)
        now = time.monotonic()
        if cached is not None and now - cached[1] <= self.token_ttl:
            ws = cached[0]
        else:
            ws = self.store.scalar("SELECT ws FROM tokens WHERE hash = ?", (digest,))
            if ws is None:
                self._token_ws.pop(digest, None)
                other = next((w for w in (resolve(digest) for resolve in self.token_resolvers) if w), None)
                if other is None:
                    raise HubError(401, UNAUTHORIZED_MESSAGE)
                ws = other
            else:
                self._token_ws[digest] = (ws, now)
        wanted = request.path_params.get("ws")
        if wanted != ws:
            raise HubError(403, f"workspace not found: {wanted}")
        return ws

    def require_node(self, ws: str, node_id: Any) -> str:
        if not isinstance(node_id, str) or self.node_workspace(node_id) != ws:
            raise HubError(404, f"node not found {node_id}")
        return node_id

    def node_workspace(self, node_id: str) -> str | None:
        ws = self._node_ws.get(node_id)
        if ws is None:
            ws = self.store.scalar("SELECT ws FROM nodes WHERE id = ?", (node_id,))
            if ws is not None:
                self._node_ws[node_id] = ws
        return ws

    def _stamp(self, conn: sqlite3.Connection) -> tuple[int, int]:
        """What changes whenever the database does: this connection's writes and everyone else's.

        ``total_changes`` counts this connection's writes; SQLite's ``data_version`` moves when
        any other connection or process commits. A cached answer is kept only with its stamp.
        """
        return conn.total_changes, conn.execute("PRAGMA data_version").fetchone()[0]

    def count(self, sql: str, params: list[Any] | tuple[Any, ...]) -> int:
        """``SELECT COUNT(*) ...`` cached until the database changes.

        Paging through a filtered list repeats the same count on every page; the cache key
        includes the database's change stamp (see :meth:`_stamp`), so it is never stale.
        """
        conn = self.store.conn
        stamp = self._stamp(conn)
        key = (id(conn), sql, tuple(params))
        hit = self._counts.get(key)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        value = conn.execute(sql, params).fetchone()[0]
        if len(self._counts) >= 512:
            self._counts.clear()
        self._counts[key] = (stamp, value)
        return value

    def _page_rows(
        self,
        table: str,
        where_sql: str,
        params: list[Any],
        order: str,
        order_params: Any,
        page: int,
        size: int,
    ) -> list[tuple[int, str]]:
        """``(pk, doc)`` rows of one page, seeking from the previous page's last key when it can.

        OFFSET makes SQLite step over every earlier row: page 1999 of 50 cost the hub 8-10x page 0.
        A client walking a listing has just fetched the page before: its last primary key is
        remembered (with the database's change stamp), and the next page starts right after it
        (``pk > ?``, an index range) instead of counting ``page * size`` rows from the start.
        Only the default order (``pk``) can seek; with a ``sort``, or once anything was written,
        the page is read with OFFSET as before, so the answer is the same either way.
        """
        conn = self.store.conn
        base_sql = f"SELECT pk, doc FROM {table} WHERE {where_sql}"  # noqa: S608
        if order != "pk":
            return conn.execute(
                f"{base_sql} ORDER BY {order} LIMIT ? OFFSET ?", (*params, *order_params, size, page * size)
            ).fetchall()
        stamp = self._stamp(conn)
        query_key = (id(conn), table, where_sql, tuple(params), size)
        hit = self._seeks.get((query_key, page)) if page else None
        if hit is not None and hit[0] == stamp:
            seek_sql = f"SELECT pk, doc FROM {table} WHERE ({where_sql}) AND pk > ? ORDER BY pk LIMIT ?"  # noqa: S608
            rows = conn.execute(seek_sql, (*params, hit[1], size)).fetchall()
        else:
            rows = conn.execute(
                f"{base_sql} ORDER BY pk LIMIT ? OFFSET ?", (*params, size, page * size)
            ).fetchall()
        if len(rows) == size:
            if len(self._seeks) >= 512:
                self._seeks.clear()
            self._seeks[(query_key, page + 1)] = (stamp, rows[-1][0])
        return rows

    def select_page(
        self,
        table: str,
        where: list[str],
        params: list[Any],
        *,
        order: str,
        order_params: list[Any] | tuple[Any, ...] = (),
        page: int,
        size: int,
        base_where: list[str],
        base_params: list[Any],
    ) -> tuple[list[str], int, int]:
        """One page of ``doc`` rows of ``table``, with its total and unfiltered element counts.

        ``where``/``params`` select the page; ``base_where``/``base_params`` are the clauses that
        only scope it (workspace, node), whose count is ``totalUnfilteredElements``.  A short
        page gives its total without a count; a compiled query SQLite cannot evaluate is the
        client's 400, never a 500.
        """
        where_sql = " AND ".join(where)
        try:
            rows = self._page_rows(table, where_sql, params, order, order_params, page, size)
            if len(rows) < size and (rows or page == 0):
                total = page * size + len(rows)
            else:
                total = self.count(f"SELECT COUNT(*) FROM {table} WHERE {where_sql}", params)
        except (sqlite3.OperationalError, sqlite3.ProgrammingError, sqlite3.InterfaceError) as exc:
            raise QueryError("/query", f"the query cannot be evaluated: {exc}") from None
        if len(where) == len(base_where):
            unfiltered = total
        else:
            unfiltered = self.count(
                f"SELECT COUNT(*) FROM {table} WHERE {' AND '.join(base_where)}", base_params
            )
        return [row[1] for row in rows], total, unfiltered

    def node_scope(self, request: Request, ws: str) -> tuple[list[str], list[Any]]:
        """``ws = ?``, and ``node = ?`` when the request names a ``nodeId`` (one of the workspace's)."""
        where, params = ["ws = ?"], [ws]
        node = request.query_params.get("nodeId")
        if node:
            self.require_node(ws, node)
            where.append("node = ?")
            params.append(node)
        return where, params

    def query_page(
        self,
        request: Request,
        table: str,
        schema: EntitySchema,
        *,
        base_where: list[str],
        base_params: list[Any],
        filters: list[tuple[str, Any]] | tuple[()] = (),
    ) -> tuple[list[str], dict[str, int]]:
        """A listing with the hub's ``query``, ``sort``, ``page`` and ``size`` parameters applied.

        ``base_where`` scopes it (its count is ``totalUnfilteredElements``); ``filters`` are
        further ``(clause, value)`` pairs from the resource's own parameters.  Returns the
        page's documents and its ``page`` block.
        """
        page, size = page_params(request)
        qp = request.query_params
        where, params = list(base_where), list(base_params)
        for clause, value in filters:
            where.append(clause)
            params.append(value)
        raw_query = qp.get("query")
        if raw_query:
            sql, qparams = compile_query(parse_query_param(raw_query), schema)
            where.append(sql)
            params.extend(qparams)
        order, order_params = sort_clause(qp.getlist("sort"), schema)
        docs, total, unfiltered = self.select_page(
            table,
            where,
            params,
            order=f"{order}, pk" if order else "pk",
            order_params=order_params,
            page=page,
            size=size,
            base_where=base_where,
            base_params=base_params,
        )
        return docs, page_block(page, size, total, unfiltered)

    def note_table_size(self, rows: int) -> None:
        """Re-ANALYZE when a listed collection has grown a lot since the last time (bulk loads, imports)."""
        if rows >= 1000 and rows > 2 * self._analyzed_rows:
            self._analyzed_rows = rows
            self.store.analyze()

    def match_policy(self, ws: str) -> str:
        return self.store.scalar("SELECT match_policy FROM workspaces WHERE id = ?", (ws,)) or "externalId"

    # -- request bodies ----------------------------------------------------------------------
    async def read_json(self, request: Request) -> Any:
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                raise HubError(
                    400,
                    "request body is too large",
                    errors=[field_error("", f"the body exceeds {MAX_BODY_BYTES} bytes", "TOO_LARGE")],
                )
            chunks.append(chunk)
        raw = b"".join(chunks)
        if not raw.strip():
            raise HubError(
                400,
                "request body is missing",
                errors=[field_error("", "a JSON body is required", "REQUIRED")],
            )
        try:
            return loads_strict(raw)
        except (ValueError, RecursionError):
            raise HubError(
                400,
                "malformed JSON",
                errors=[field_error("", "the body is not valid JSON", "MALFORMED_JSON")],
            ) from None

    async def read_object(self, request: Request) -> dict[str, Any]:
        body = await self.read_json(request)
        if not isinstance(body, dict):
            raise HubError(
                400,
                "request body is not valid",
                errors=[field_error("", "the body must be a JSON object", "INVALID_TYPE")],
            )
        return body

    # -- links -------------------------------------------------------------------------------
    @staticmethod
    def api_root(request: Request) -> str:
        return str(request.base_url).rstrip("/")


def page_params(request: Request) -> tuple[int, int]:
    """0-based ``page`` and ``size`` (default 10, at most 50; above that is a 400, not a silent cap)."""
    qp = request.query_params
    page = _int_param(qp.get("page"), "page", 0)
    size = _int_param(qp.get("size"), "size", DEFAULT_PAGE_SIZE)
    if page < 0:
        raise HubError(
            400, "page is not valid", errors=[field_error("/page", "page must be >= 0", "INVALID")]
        )
    if size < 1 or size > MAX_PAGE_SIZE:
        raise HubError(
            400,
            "size is not valid",
            errors=[field_error("/size", f"size must be between 1 and {MAX_PAGE_SIZE}", "INVALID")],
        )
    if page * size > 2**53:
        raise HubError(
            400, "page is not valid", errors=[field_error("/page", "page is too large", "INVALID")]
        )
    return page, size


def _int_param(raw: str | None, name: str, default: int) -> int:
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise HubError(
            400,
            f"{name} is not valid",
            errors=[field_error(f"/{name}", f"{name} must be an integer", "INVALID_TYPE")],
        ) from None


def page_block(page: int, size: int, total: int, unfiltered: int) -> dict[str, int]:
    return {
        "size": size,
        "totalElements": total,
        "totalUnfilteredElements": unfiltered,
        "totalPages": (total + size - 1) // size,
        "number": page,
    }


def page_response(docs: list[str], page: dict[str, int]) -> Response:
    """Assemble the paged envelope from stored JSON texts without decoding them."""
    text = '{"elements":[' + ",".join(docs) + '],"page":' + dumps(page) + "}"
    return raw_json_response(text)


def list_param(request: Request, name: str) -> list[str]:
    """A comma-separated (or repeated) query parameter as a list of non-empty strings."""
    out: list[str] = []
    for raw in request.query_params.getlist(name):
        out.extend(p.strip() for p in raw.split(",") if p.strip())
    return out


Endpoint = Callable[[Request], Awaitable[Response]]


def collection_routes(
    base: str,
    *,
    listing: Endpoint,
    create: Endpoint,
    get: Endpoint,
    put: Endpoint,
    patch: Endpoint,
    delete: Endpoint,
) -> list[Route]:
    """The six routes of a hub collection: list and create at ``base``, the rest at ``base/{id}``."""
    item = base + "/{id}"
    return [
        Route(base, listing, methods=["GET"]),
        Route(base, create, methods=["POST"]),
        Route(item, get, methods=["GET"]),
        Route(item, put, methods=["PUT"]),
        Route(item, patch, methods=["PATCH"]),
        Route(item, delete, methods=["DELETE"]),
    ]

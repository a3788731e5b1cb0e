"""JSON documents in ``ci360_objects``, one row per resource, scoped to a tenant.

Keys starting with ``_`` are the emulator's own bookkeeping (a task's planned outcome, the
file a history entry reads); :func:`public` strips them before a document is answered.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any

from ..store import Store
from .errors import not_found


def now() -> float:
    return time.time()


def iso(ts: float) -> str:
    """SAS timestamps: ``2025-01-02T13:00:00.000Z``."""
    moment = datetime.fromtimestamp(ts, tz=timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def public(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if not k.startswith("_")}


class Objects:
    """CRUD and filtered, ordered pages over one tenant's documents of a kind."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def insert(
        self,
        tenant: str,
        kind: str,
        ident: str,
        doc: dict[str, Any],
        *,
        name: str | None = None,
        parent: str | None = None,
        replace: bool = False,
    ) -> dict[str, Any]:
        ts = now()
        verb = "INSERT OR REPLACE" if replace else "INSERT"
        self.store.execute(
            f"{verb} INTO ci360_objects(kind, id, tenant, name, parent, doc, created_at, modified_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (kind, ident, tenant, name, parent, json.dumps(doc), ts, ts),
        )
        return doc

    def get(self, tenant: str, kind: str, ident: str) -> dict[str, Any] | None:
        raw = self.store.scalar(
            "SELECT doc FROM ci360_objects WHERE kind = ? AND id = ? AND tenant = ?", (kind, ident, tenant)
        )
        return None if raw is None else json.loads(raw)

    def require(self, tenant: str, kind: str, ident: str, what: str) -> dict[str, Any]:
        doc = self.get(tenant, kind, ident)
        if doc is None:
            raise not_found(what, ident)
        return doc

    def load(self, kind: str, ident: str) -> tuple[str, dict[str, Any]] | None:
        """``(tenant, doc)`` by id alone, for background work that has no request."""
        row = self.store.one("SELECT tenant, doc FROM ci360_objects WHERE kind = ? AND id = ?", (kind, ident))
        return None if row is None else (row[0], json.loads(row[1]))

    def update(
        self, kind: str, ident: str, doc: dict[str, Any], *, name: str | None = None
    ) -> dict[str, Any]:
        self.store.execute(
            "UPDATE ci360_objects SET doc = ?, modified_at = ?, name = COALESCE(?, name)"
            " WHERE kind = ? AND id = ?",
            (json.dumps(doc), now(), name, kind, ident),
        )
        return doc

    def delete(self, tenant: str, kind: str, ident: str) -> bool:
        cursor = self.store.execute(
            "DELETE FROM ci360_objects WHERE kind = ? AND id = ? AND tenant = ?", (kind, ident, tenant)
        )
        return cursor.rowcount > 0

    def by_name(self, tenant: str, kind: str, name: str) -> list[dict[str, Any]]:
        rows = self.store.all(
            "SELECT doc FROM ci360_objects WHERE tenant = ? AND kind = ? AND name = ? ORDER BY created_at",
            (tenant, kind, name),
        )
        return [json.loads(r[0]) for r in rows]

    def page(
        self,
        tenant: str,
        kind: str,
        *,
        where: Sequence[tuple[str, Any]] = (),
        order: str = "created_at",
        descending: bool = False,
        start: int = 0,
        limit: int = 10,
    ) -> tuple[list[dict[str, Any]], int]:
        """One page and the total, ties in insertion order.

        ``where`` holds ``(sql condition with one ?, value)`` pairs and ``order`` an expression,
        both built by the caller from fixed column expressions; values are always bound."""
        conditions = ["tenant = ?", "kind = ?", *(cond for cond, _ in where)]
        params = [tenant, kind, *(value for _, value in where)]
        clause = " AND ".join(conditions)
        total = self.store.scalar(f"SELECT count(*) FROM ci360_objects WHERE {clause}", params)  # noqa: S608
        direction = "DESC" if descending else "ASC"
        rows = self.store.all(
            f"SELECT doc FROM ci360_objects WHERE {clause}"  # noqa: S608
            f" ORDER BY {order} {direction}, rowid {direction} LIMIT ? OFFSET ?",
            (*params, limit, start),
        )
        return [json.loads(r[0]) for r in rows], int(total)

    def unfinished(self, kind: str, field: str, states: Sequence[str]) -> list[str]:
        marks = ", ".join("?" * len(states))
        rows = self.store.all(
            f"SELECT id FROM ci360_objects WHERE kind = ? AND json_extract(doc, '$.{field}') IN ({marks})",  # noqa: S608
            (kind, *states),
        )
        return [r[0] for r in rows]

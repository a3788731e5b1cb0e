"""SQLite storage for the embedded hub: one file per hub, WAL mode, a connection per thread.

Resource modules own their tables: each one lists its DDL (``CREATE ... IF NOT EXISTS``)
and the store runs it once through :meth:`Store.ensure_schema`.  The store itself only
knows the tables every resource needs: workspaces, nodes, tokens and a small key/value
``meta`` table.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ..money import amount_units
from .timefmt import sql_hub_ts

CORE_SCHEMA: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS workspaces (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL DEFAULT '',
        match_policy TEXT NOT NULL DEFAULT 'externalId',
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS nodes (
        id TEXT PRIMARY KEY,
        ws TEXT NOT NULL REFERENCES workspaces(id),
        name TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS nodes_ws ON nodes(ws)",
    """CREATE TABLE IF NOT EXISTS tokens (
        hash TEXT PRIMARY KEY,
        ws TEXT NOT NULL REFERENCES workspaces(id),
        label TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL
    )""",
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)",
)

MATCH_POLICIES = ("externalId", "email", "none")


def default_db_path() -> Path:
    """``$CONTACTHUB_LIKE_HOME/hub.sqlite3``, else ``~/.contacthub_like/hub.sqlite3``."""
    home = os.environ.get("CONTACTHUB_LIKE_HOME")
    base = Path(home) if home else Path.home() / ".contacthub_like"
    return base / "hub.sqlite3"


def resolve_db_path(db_path: str | os.PathLike[str] | None) -> Path:
    path = Path(db_path) if db_path is not None else default_db_path()
    return path.expanduser().resolve()


class Store:
    """Thread-safe access to one hub database file.

    Each thread gets its own ``sqlite3`` connection (SQLite connections must not be
    shared across threads while in use); WAL lets readers run while one thread writes,
    and ``busy_timeout`` makes concurrent writers (a CLI next to a running server) wait
    instead of failing.
    """

    def __init__(self, path: str | os.PathLike[str], *, schema: Iterable[str] = ()) -> None:
        self.path: Path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        self._closed = False
        self.ensure_schema(CORE_SCHEMA)
        self.ensure_schema(schema)

    # -- connections -------------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False, timeout=10.0)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA busy_timeout=10000")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA cache_size=-32000")
        conn.execute("PRAGMA analysis_limit=1000")  # ANALYZE samples: a few ms even on large tables
        conn.create_function("hub_ts", 1, sql_hub_ts, deterministic=True)
        conn.create_function("hub_dec", 1, amount_units, deterministic=True)  # decimal strings -> millionths
        return conn

    @property
    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            if self._closed:
                raise RuntimeError("the hub store is closed")
            conn = self._connect()
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    @property
    def closed(self) -> bool:
        """True once :meth:`close` ran (background workers stop when they see it)."""
        return self._closed

    def close(self) -> None:
        """Close every connection any thread opened (safe to call twice)."""
        with self._lock:
            self._closed = True
            conns, self._connections = self._connections, []
        for conn in conns:
            with contextlib.suppress(sqlite3.Error):
                conn.close()
        self._local = threading.local()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema ------------------------------------------------------------------------------
    def ensure_schema(self, statements: Iterable[str]) -> None:
        """Run a resource's ``CREATE ... IF NOT EXISTS`` statements in one transaction."""
        statements = list(statements)
        if not statements:
            return
        with self.transaction() as conn:
            for ddl in statements:
                conn.execute(ddl)

    # -- statements --------------------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` ... ``COMMIT``: take the write lock up front so checks and writes agree."""
        conn = self.conn
        if conn.in_transaction:  # nested use joins the outer transaction
            yield conn
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        return self.conn.execute(sql, params).fetchone()

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.conn.execute(sql, params).fetchall()

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def analyze(self) -> None:
        """Refresh the planner's statistics, so it picks the selective index (``firstName = ?``)
        over a barely selective range (``dob > ?``) once tables are large."""
        self.conn.execute("ANALYZE")

    # -- meta --------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        return self.scalar("SELECT value FROM meta WHERE key = ?", (key,))

    def set_meta(self, key: str, value: str) -> None:
        self.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

"""The shared setup the documentation's Python blocks run in: an embedded hub, and the names pages assume.

Each page gets its own hub (a fresh SQLite file in a temporary directory that is also the
current directory), so pages do not see each other's customers. The names a page may use
without defining them:

``workspace``, ``node``     the embedded hub's default workspace and its node ``node-1``
``customer``, ``customer_id``  a sample customer (Thomas Wayne, ``tw-1``, manual tag ``a``)
``event_id``                an event of that customer
``export``                  a function that takes a customer's dict (and keeps it)
``start``, ``end``          the first and last instant of 2024, aware (UTC)
``path``                    a fresh SQLite path for a second hub
``workspace_id``, ``node_id``, ``password``, ``saved_refresh_token``, ``save_refresh_token``
                            stand-ins for a remote account's settings, for blocks that only
                            construct a client for one

and the files ``hub.ini`` (the embedded hub, node ``node-1``), ``members.csv`` (an ``email``
column, two of its rows match customers) and ``in.csv`` (25 customers of
``examples/customers.csv``, in the import format).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from contacthub_like import Customer, Event, EventContext, EventType, Node, Properties, Workspace
from contacthub_like.sandbox import admin
from contacthub_like.sandbox.emulators import seed_all
from contacthub_like.sandbox.server import LocalHub, start_local_hub
from contacthub_like.sandbox.store import Store

REPO = Path(__file__).resolve().parents[2]
NODE = "node-1"
_LOGGERS = ("", "contacthub_like")


def _seed_store(db: Path) -> None:
    """A default workspace whose default node is ``node-1``, as the pages' ``hub.ini`` names it."""
    with Store(db) as store, store.transaction():
        ws = admin.create_workspace(store, "docs")
        admin.create_node(store, ws, "docs", node_id=NODE)
        store.set_meta(admin.DEFAULT_WS_KEY, ws)
        store.set_meta(admin.DEFAULT_NODE_KEY, NODE)


def _write_files(hub: LocalHub, token: str, workspace_id: str) -> None:
    """The files the pages open by name, in the current directory (the page's temporary one)."""
    Path("hub.ini").write_text(
        f"workspace_id = {workspace_id}\ntoken = {token}\nbase_url = {hub.base_url}\nnode_id = {NODE}\n",
        encoding="utf-8",
    )
    Path("members.csv").write_text(
        "email\nthomas@wayne.example\nmartha@wayne.example\nnobody@nowhere.example\nnot-an-email\n",
        encoding="utf-8",
    )
    rows = (REPO / "examples" / "customers.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    Path("in.csv").write_text("".join(rows[:26]), encoding="utf-8")
    # every emulated API's demo data and configuration files (streamone.json, netsapiens.json,
    # sasci360veloxpy.ini), as `hub init --service-configs .` writes them
    seed_all(hub.store, base_url=hub.base_url, config_dir=Path("."))


def _seed_customers(node: Node) -> tuple[Customer, str]:
    """Two Waynes (one a VIP, with a mixed-case email for the README's loop to fix) and an event."""
    customer = node.add_customer(
        externalId="tw-1",
        base={
            "firstName": "Thomas",
            "lastName": "Wayne",
            "dob": "1975-05-05",
            "contacts": {"email": "thomas@wayne.example"},
            "address": {"city": "Gotham"},
        },
        tags={"manual": ["a"]},
    )
    node.add_customer(
        externalId="mw-1",
        base={"firstName": "Martha", "lastName": "Wayne", "contacts": {"email": "Martha@Wayne.example"}},
        tags={"manual": ["vip"]},
    )
    event = Event(
        node=node,
        customerId=customer.id,
        type=EventType.VIEWED_PAGE,
        context=EventContext.WEB,
        properties=Properties(url="https://shop.example/bat"),
        date=dt.datetime(2024, 3, 1, tzinfo=dt.timezone.utc),
    )
    event.post()
    return customer, event.id


def close_open(value: Any) -> None:
    """Close what a block left open: clients (also those reached through a node) and hubs."""
    if isinstance(value, Node):
        value = value.workspace
    if isinstance(value, Workspace):
        value.close()
    elif isinstance(value, LocalHub) and value.running:
        value.stop()


@contextmanager
def docs_namespace(home: Path, monkeypatch: Any) -> Iterator[dict[str, Any]]:
    """Start a page's hub in ``home`` (made the current directory) and yield the names above.

    On exit every client and hub a block left in the namespace is closed, and the log levels
    a page sets (``logging.basicConfig``, DEBUG) are put back.
    """
    monkeypatch.chdir(home)
    monkeypatch.setenv("CONTACTHUB_LIKE_HOME", str(home / ".contacthub_like"))
    levels = {name: logging.getLogger(name).level for name in _LOGGERS}
    handlers = list(logging.getLogger().handlers)
    db = home / ".contacthub_like" / "hub.sqlite3"
    db.parent.mkdir()
    _seed_store(db)
    hub = start_local_hub(db)
    namespace: dict[str, Any] = {}
    with ExitStack() as stack:
        stack.callback(hub.stop)
        creds = admin.ensure_default_credentials(db)
        _write_files(hub, creds.token, creds.workspace_id)
        workspace = stack.enter_context(Workspace(creds.workspace_id, creds.token, base_url=hub.base_url))
        node = workspace.get_node(NODE)
        customer, event_id = _seed_customers(node)
        exported: list[dict[str, Any]] = []
        namespace.update(
            __name__="__docs__",
            workspace=workspace,
            node=node,
            customer=customer,
            customer_id=customer.id,
            event_id=event_id,
            export=exported.append,
            start=dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc),
            end=dt.datetime(2024, 12, 31, 23, 59, 59, tzinfo=dt.timezone.utc),
            path=home / "second-hub.sqlite3",
            workspace_id="40b6195f-e4f7-4f32-8b4b-6f6a2e4f7a1b",
            node_id="854f0791-c120-4e4a-9264-6dd197cb922c",
            password="api-password",
            saved_refresh_token=None,
            save_refresh_token=lambda token: None,
        )
        try:
            yield namespace
        finally:
            for value in list(namespace.values()):
                close_open(value)
            for name, level in levels.items():
                logging.getLogger(name).setLevel(level)
            root = logging.getLogger()
            for handler in root.handlers[:]:
                if handler not in handlers:
                    root.removeHandler(handler)

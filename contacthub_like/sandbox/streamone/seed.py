"""``seed``: stores the demo data (:mod:`.demo_data`) for ``hub init`` and writes the seed SDK's
configuration file.

Seeding twice adds nothing (``INSERT OR IGNORE`` on fixed ids); only the credentials are new on each
run with a configuration directory, the way the portal hands out new ones.
"""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..emulators import SandboxSettings
from ..store import Store
from .auth import issue_api_key, issue_tokens
from .customers import insert_customer
from .demo_data import (
    ACCOUNT_ID,
    CURRENT_MONTH_LINES,
    CUSTOMERS,
    GROUPS,
    INVOICES,
    ORDERS,
    PRODUCTS,
    REPORTS,
    SUBSCRIPTIONS,
)
from .invoices import insert_invoice

PREFIX = "/streamone"
CONFIG_NAME = "streamone.json"


def _insert_docs(
    conn: sqlite3.Connection, table: str, rows: list[tuple[str, int | None, dict[str, Any]]]
) -> None:
    for seq, (rid, customer, doc) in enumerate(rows, start=1):
        if customer is None:
            conn.execute(
                f"INSERT OR IGNORE INTO {table}(id, account_id, seq, doc) VALUES (?, ?, ?, ?)",
                (rid, ACCOUNT_ID, seq, json.dumps(doc)),
            )
        else:
            conn.execute(
                f"INSERT OR IGNORE INTO {table}(id, account_id, customer_id, seq, doc)"
                " VALUES (?, ?, ?, ?, ?)",
                (rid, ACCOUNT_ID, customer, seq, json.dumps(doc)),
            )


def seed_data(store: Store, today: datetime | None = None) -> None:
    """Insert the demo data unless present; plus this month's invoice, so month-to-date reports have rows."""
    now = today or datetime.now(timezone.utc)
    with store.transaction() as conn:
        for gid, name in GROUPS:
            conn.execute(
                "INSERT OR IGNORE INTO streamone_groups(id, account_id, name) VALUES (?, ?, ?)",
                (gid, ACCOUNT_ID, name),
            )
        for customer in CUSTOMERS:
            insert_customer(conn, ACCOUNT_ID, **customer)
        _insert_docs(
            conn, "streamone_subscriptions", [(s["id"], int(s["customerId"]), s) for s in SUBSCRIPTIONS]
        )
        _insert_docs(
            conn,
            "streamone_orders",
            [(o["name"].rsplit("/", 1)[1], int(o["name"].split("/")[3]), o) for o in ORDERS],
        )
        _insert_docs(conn, "streamone_products", [(p["id"], None, p) for p in PRODUCTS])
        for report in REPORTS:
            conn.execute(
                "INSERT OR IGNORE INTO streamone_reports(id, account_id, module, doc) VALUES (?, ?, ?, ?)",
                (report["reportId"], ACCOUNT_ID, report["reportModule"], json.dumps(report)),
            )
        for invoice_id, customer_id, source, period, status, invoice_lines in INVOICES:
            insert_invoice(
                conn, ACCOUNT_ID, customer_id, source, period, status, invoice_lines, invoice_id=invoice_id
            )
        insert_invoice(
            conn,
            ACCOUNT_ID,
            12345,
            "aws",
            f"m-{now:%m-%Y}",
            "draft",
            CURRENT_MONTH_LINES,
        )


def write_config(
    store: Store, base_url: str, config_dir: Path, settings: SandboxSettings | None = None
) -> Path:
    """New v1 and v3 credentials, written in the seed SDK's JSON config format.

    ``base_url`` is added: the seed SDK ignores it (it hard-codes its host), clients that read the same
    file learn from it where the emulator is.
    """
    api_key, api_secret = issue_api_key(store, ACCOUNT_ID)
    with store.transaction() as conn:
        tokens = issue_tokens(conn, ACCOUNT_ID, float((settings or SandboxSettings()).access_token_ttl))
    config = {
        "v1": {"api_key": api_key, "api_secret": api_secret},
        "v3": {"access_token": tokens["access_token"], "refresh_token": tokens["refresh_token"]},
        "accountid": ACCOUNT_ID,
        "base_url": base_url.rstrip("/") + PREFIX,
    }
    config_dir.mkdir(parents=True, exist_ok=True)
    path = config_dir / CONFIG_NAME
    fd = os.open(str(path), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(config, fh, indent=2)
    return path


def seed(store: Store, *, base_url: str, config_dir: Path | None) -> list[Path]:
    """The emulator's ``seed`` (see :mod:`contacthub_like.sandbox.emulators`)."""
    seed_data(store)
    return [] if config_dir is None else [write_config(store, base_url, Path(config_dir))]

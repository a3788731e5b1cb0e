"""Filling a hub database fast: straight through the hub's own validation and insert, no HTTP.

Posting 100,000 customers over HTTP would take minutes and measure the wrong thing;
the stored rows are what the hub's POST would have written (same validation, same
normalised document), in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from contacthub_like.sandbox import admin
from contacthub_like.sandbox.resources import customers
from contacthub_like.sandbox.schema import check_customer_body
from contacthub_like.sandbox.store import Store


def open_hub_db(path: Path) -> tuple[Store, admin.DefaultCredentials]:
    """Create the database with the customers schema and its default workspace, node and token."""
    store = Store(path, schema=customers.SCHEMA)
    return store, admin.default_credentials(store)


def seed_customers(
    store: Store,
    workspace_id: str,
    bodies: Iterable[dict[str, Any]],
    *,
    batch: int = 5000,
    keep: bool = False,
) -> list[Any]:
    """Insert customers as the hub's POST would; returns their ids, or the stored documents with ``keep``."""
    stored: list[Any] = []
    pending = iter(bodies)
    while True:
        with store.transaction() as conn:
            count = 0
            for body in pending:
                errors: list[dict[str, Any]] = []
                fields = check_customer_body(body, errors)
                if errors:
                    raise ValueError(f"seed customer is not valid: {errors}")
                doc, _ = customers.insert(conn, workspace_id, fields)
                stored.append(doc if keep else doc["id"])
                count += 1
                if count == batch:
                    break
            else:
                return stored


def customer_body(node_id: str, i: int, first: str, last: str, prefix: str = "seed") -> dict[str, Any]:
    """A realistic new customer: the fields people fill in, the rest left to the hub's defaults."""
    return {
        "nodeId": node_id,
        "externalId": f"{prefix}-{i:07d}",
        "base": {
            "firstName": first,
            "lastName": last,
            "dob": f"19{50 + i % 50:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}",
            "contacts": {"email": f"{first.lower()}.{last.lower()}.{prefix}{i}@example.com"},
            "address": {"city": ("Milan", "Rome", "Turin", "Naples")[i % 4], "country": "Italy"},
        },
        "extended": {"loyaltyPoints": i % 5000},
        "tags": {"auto": [], "manual": ["seed"]},
    }

"""Customers: one stored row, two views (v1's ``id/name/company/email`` and v3's AIP resource).

Ion keeps one customer base behind both APIs (the same id answers on v1 and v3), so the emulator
stores each customer once and renders it per version.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Sequence
from typing import Any

from .dateranges import now_rfc3339
from .v1query import Field

COLUMNS = "id, account_id, name, company, email, group_id, language_code, status, doc, created_at, updated_at"
V1_FIELDS: dict[str, Field] = {
    "id": Field("id", "int"),
    "name": Field("name"),
    "company": Field("company"),
    "email": Field("email"),
    "groupId": Field("group_id", "int"),
    "languageCode": Field("language_code"),
    "status": Field("status"),
    "createdAt": Field("created_at"),
}
#: v3 ``filter.*`` query fields -> column (compared case-insensitively)
V3_FILTERS = {
    "customerEmail": "email",
    "customerName": "name",
    "languageCode": "language_code",
    "customerStatus": "status",
    "customerOrganization": "company",
}


def insert_customer(
    conn: sqlite3.Connection,
    account_id: str,
    *,
    customer_id: int | None,
    name: str,
    company: str,
    email: str,
    group_id: int | None = None,
    language_code: str = "EN",
    status: str = "ACTIVE",
    doc: dict[str, Any] | None = None,
) -> int:
    """Insert (or, for a known id, keep) a customer; its id."""
    now = now_rfc3339()
    cursor = conn.execute(
        f"INSERT OR IGNORE INTO streamone_customers({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            customer_id,
            account_id,
            name,
            company,
            email,
            group_id,
            language_code,
            status,
            json.dumps(doc or {}),
            now,
            now,
        ),
    )
    return int(customer_id if customer_id is not None else cursor.lastrowid or 0)


def v1_json(row: Sequence[Any]) -> dict[str, Any]:
    doc = json.loads(row[8])
    return {
        "id": row[0],
        "name": row[2],
        "company": row[3],
        "email": row[4],
        "groupId": row[5],
        "languageCode": row[6],
        "status": row[7],
        "createdAt": row[9],
        "updatedAt": row[10],
        "cloudAccounts": doc.get("cloudAccounts", []),
        "priceBooksLinks": doc.get("priceBooksLinks", []),
    }


def v3_json(row: Sequence[Any]) -> dict[str, Any]:
    doc = json.loads(row[8])
    return {
        "name": f"accounts/{row[1]}/customers/{row[0]}",
        "customerOrganization": row[3],
        "customerName": row[2],
        "customerEmail": row[4],
        "customerTitle": doc.get("customerTitle", ""),
        "customerPhone": doc.get("customerPhone", ""),
        "customerAddress": doc.get("customerAddress", {}),
        "languageCode": row[6],
        "uid": doc.get("uid", ""),
        "customerStatus": row[7],
        "createTime": row[9],
        "updateTime": row[10],
    }


def default_user(email: str) -> dict[str, str]:
    """The user Ion creates with a new customer; its password is shown once, in the create answer."""
    return {"userName": email, "email": email, "password": secrets.token_urlsafe(12)}

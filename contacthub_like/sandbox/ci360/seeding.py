"""Demo data for ``hub init`` and the seed client's configuration file.

Everything the VeloxPy README's examples name exists, so they run as written: the external
event ``External_Event_Example``, the task ``86e5d6c6-6d50-4cfb-b1e3-7408389cef67``, the
audience of ``audience_config.ini`` (three columns, as ``audience.csv``), and a customer table.
Besides: a task and a segment map whose runs fail, a Draft task that refuses to run, and a
finished upload history entry.  Seeding twice changes nothing: the tenant keeps its secret.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..commands import write_private_file
from ..store import Store
from .gateway import EVENT_DEFINITION
from .objects import Objects, iso, now
from .schema import SCHEMA

TENANT = "ci360-sandbox-tenant"
API_USER = "api-user"
EVENT_NAME = "External_Event_Example"
TASK_ID = "86e5d6c6-6d50-4cfb-b1e3-7408389cef67"
FAILING_TASK_ID = "5e2f1c0a-7d1b-4c57-9a51-3b3f0f0d7a11"
DRAFT_TASK_ID = "0b9d3c4e-2f7a-4d6b-8e1f-6a5c4b3a2d10"
SEGMENT_MAP_ID = "c5ff01fb-0222-4ef7-8c4e-466fd0d416b6"
FAILING_SEGMENT_MAP_ID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
AUDIENCE_ID = "8d1fd19b-058b-4b99-89d3-b3c014d5e83f"
HISTORY_AUDIENCE_ID = "f2490bac-9b4a-4620-a47e-312ebf772e07"
HISTORY_ID = "ab95f180-5456-4c15-beda-6b54606a5bb7"
TABLE_ID = "3f6c2a1e-9b8d-4e7f-a6c5-d4b3a2918070"
INI_NAME = "sasci360veloxpy.ini"

_ITEMS = [
    {
        "columnNumber": 1,
        "name": "Customer ID",
        "label": "Customer ID",
        "dataType": "character",
        "usedForTracking": False,
    },
    {
        "columnNumber": 2,
        "name": "Zip Code",
        "label": "Zip Code",
        "dataType": "character",
        "usedForTracking": False,
    },
    {
        "columnNumber": 3,
        "name": "Birthday",
        "label": "Birthday",
        "dataType": "date",
        "usedForTracking": False,
    },
]


def _audience(ident: str, name: str) -> dict[str, Any]:
    stamp = iso(now())
    return {
        "version": 1,
        "audienceId": ident,
        "name": name,
        "description": "seeded by hub init",
        "source": "customer_defined",
        "iconName": "super",
        "expiration": 30,
        "identityType": "customer_id",
        "identityColumnName": "Customer ID",
        "emailColumnName": None,
        "dataItems": _ITEMS,
        "status": "active",
        "audienceType": "upload",
        "createdTimeStamp": stamp,
        "modifiedTimeStamp": stamp,
    }


def _definition(ident: str, name: str, status: str, fails: str | None = None) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": ident,
        "name": name,
        "folderPath": "/Sandbox",
        "status": status,
        "taskVersionId": ident[:8] + "-v1",
    }
    if fails:
        doc["_failsOnRun"] = fails
    return doc


def _table() -> dict[str, Any]:
    stamp = iso(now())

    def item(name: str, kind: str, key: bool = False) -> dict[str, Any]:
        return {
            "name": name,
            "label": name,
            "description": "",
            "type": kind,
            "identityType": "customer_id" if key else None,
            "tags": [],
            "key": key,
            "identity": key,
            "excludeFromAnalytics": False,
            "segmentation": False,
            "availableForTargeting": True,
        }

    return {
        "version": 1,
        "id": TABLE_ID,
        "name": "Sandbox customers",
        "description": "seeded by hub init",
        "type": "customer",
        "makeAvailableForTargeting": True,
        "customProperties": {},
        "dataItems": [
            item("customer_id", "STRING", key=True),
            item("email", "STRING"),
            item("gender", "STRING"),
            item("age", "INT"),
            item("signup_date", "TIMESTAMP"),
            item("spend", "DOUBLE"),
            item("status", "STRING"),
        ],
        "createdTimeStamp": stamp,
        "modifiedTimeStamp": stamp,
        "createdBy": "api",
        "modifiedBy": "api",
        "rowCount": 0,
    }


def _objects() -> list[tuple[str, str, dict[str, Any], str | None, str | None]]:
    """``(kind, id, doc, name, parent)`` of every seeded document."""
    history = {
        "historyId": HISTORY_ID,
        "audienceId": HISTORY_AUDIENCE_ID,
        "name": "Seeded upload",
        "fileLocation": "",
        "headerRowIncluded": False,
        "status": "COMPLETE",
        "recordsProcessed": 5,
        "createdTimeStamp": iso(now()),
        "endTimeStamp": iso(now()),
    }
    return [
        (EVENT_DEFINITION, EVENT_NAME, {"name": EVENT_NAME, "type": "external"}, EVENT_NAME, None),
        ("task", TASK_ID, _definition(TASK_ID, "Sandbox bulk task", "Active"), "Sandbox bulk task", None),
        (
            "task",
            FAILING_TASK_ID,
            _definition(
                FAILING_TASK_ID,
                "Sandbox failing task",
                "Active",
                "the task's channel connection is not configured",
            ),
            "Sandbox failing task",
            None,
        ),
        (
            "task",
            DRAFT_TASK_ID,
            _definition(DRAFT_TASK_ID, "Sandbox draft task", "Draft"),
            "Sandbox draft task",
            None,
        ),
        (
            "segmentMap",
            SEGMENT_MAP_ID,
            _definition(SEGMENT_MAP_ID, "Sandbox segment map", "Scheduled"),
            "Sandbox segment map",
            None,
        ),
        (
            "segmentMap",
            FAILING_SEGMENT_MAP_ID,
            _definition(
                FAILING_SEGMENT_MAP_ID,
                "Sandbox failing segment map",
                "Active",
                "a segment's source table is missing",
            ),
            "Sandbox failing segment map",
            None,
        ),
        (
            "audience",
            AUDIENCE_ID,
            _audience(AUDIENCE_ID, "Test Audience Definition PG1113"),
            "Test Audience Definition PG1113",
            None,
        ),
        (
            "audience",
            HISTORY_AUDIENCE_ID,
            _audience(HISTORY_AUDIENCE_ID, "Sandbox audience"),
            "Sandbox audience",
            None,
        ),
        ("audienceHistory", HISTORY_ID, history, None, HISTORY_AUDIENCE_ID),
        ("table", TABLE_ID, _table(), "Sandbox customers", None),
    ]


def ensure_tenant(store: Store, tenant: str = TENANT, username: str = API_USER) -> tuple[str, str]:
    """``(client secret, API user password)`` of ``tenant``, created with random values once."""
    store.execute(
        "INSERT OR IGNORE INTO ci360_tenants(id, secret, created_at) VALUES (?, ?, ?)",
        (tenant, secrets.token_urlsafe(32), now()),
    )
    store.execute(
        "INSERT OR IGNORE INTO ci360_users(tenant, username, password) VALUES (?, ?, ?)",
        (tenant, username, secrets.token_urlsafe(18)),
    )
    secret = store.scalar("SELECT secret FROM ci360_tenants WHERE id = ?", (tenant,))
    password = store.scalar(
        "SELECT password FROM ci360_users WHERE tenant = ? AND username = ?", (tenant, username)
    )
    return str(secret), str(password)


def ini_text(base_url: str, secret: str, password: str) -> str:
    """The ``[tenant]`` section VeloxPy's ``initApp`` reads: host and path, protocol apart."""
    parts = urlsplit(base_url.rstrip("/"))
    return (
        "# SAS CI360 emulator of the contacthub_like sandbox, for sas_ci360_veloxpy's initApp()\n"
        "[tenant]\n"
        f"extapigateway_url = {parts.netloc}{parts.path}/ci360\n"
        f"client_id = {TENANT}\n"
        f"client_secret = {secret}\n"
        f"protocol = {parts.scheme}://\n"
        f"api_user_name = {API_USER}\n"
        f"api_user_password = {password}\n"
    )


def seed(store: Store, *, base_url: str, config_dir: Path | None) -> list[Path]:
    """Create the demo tenant and data if missing; with ``config_dir``, write the VeloxPy INI."""
    store.ensure_schema(SCHEMA)
    secret, password = ensure_tenant(store)
    docs = Objects(store)
    for kind, ident, doc, name, parent in _objects():
        if docs.load(kind, ident) is None:
            docs.insert(TENANT, kind, ident, doc, name=name, parent=parent)
    if config_dir is None:
        return []
    path = Path(config_dir) / INI_NAME
    write_private_file(path, ini_text(base_url, secret, password))
    return [path]

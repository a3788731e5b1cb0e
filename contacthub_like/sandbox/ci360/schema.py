"""The emulator's tables in the shared SQLite file; every name starts with ``ci360_``.

Most resources (audiences, tables, tasks, jobs, history entries, identity records ...) are JSON
documents in one table keyed by ``(kind, id)``: the emulator answers what it stored, and a
document store keeps each resource module small.  Credentials, signed upload slots and received
events get their own tables because they are looked up by other keys.
"""

from __future__ import annotations

SCHEMA: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS ci360_tenants (
        id TEXT PRIMARY KEY,
        secret TEXT NOT NULL,
        created_at REAL NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS ci360_users (
        tenant TEXT NOT NULL REFERENCES ci360_tenants(id),
        username TEXT NOT NULL,
        password TEXT NOT NULL,
        PRIMARY KEY (tenant, username)
    )""",
    """CREATE TABLE IF NOT EXISTS ci360_tokens (
        hash TEXT PRIMARY KEY,
        tenant TEXT NOT NULL,
        username TEXT NOT NULL,
        expires_at REAL NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS ci360_objects (
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        tenant TEXT NOT NULL,
        name TEXT,
        parent TEXT,
        doc TEXT NOT NULL,
        created_at REAL NOT NULL,
        modified_at REAL NOT NULL,
        PRIMARY KEY (kind, id)
    )""",
    "CREATE INDEX IF NOT EXISTS ci360_objects_list ON ci360_objects(tenant, kind, modified_at)",
    "CREATE INDEX IF NOT EXISTS ci360_objects_name ON ci360_objects(tenant, kind, name)",
    "CREATE INDEX IF NOT EXISTS ci360_objects_parent ON ci360_objects(kind, parent)",
    """CREATE TABLE IF NOT EXISTS ci360_files (
        id TEXT PRIMARY KEY,
        tenant TEXT NOT NULL,
        purpose TEXT NOT NULL,
        expires_at REAL NOT NULL,
        content BLOB,
        content_type TEXT,
        uploaded_at REAL
    )""",
    """CREATE TABLE IF NOT EXISTS ci360_events (
        pk INTEGER PRIMARY KEY,
        tenant TEXT NOT NULL,
        event_name TEXT NOT NULL,
        identity_type TEXT NOT NULL,
        identity_value TEXT NOT NULL,
        source TEXT NOT NULL,
        doc TEXT NOT NULL,
        received_at REAL NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS ci360_events_source ON ci360_events(tenant, source)",
)
